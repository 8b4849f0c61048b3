// Makes a redacted copy of the item given and stops, alive, once the copy's files are written
// and recorded as pending but before the transaction that saves it, having printed WRITTEN:
// the parent test kills it there (kill -9 mid-copy).
// Run: node --import tsx copy-child.ts VAULT ITEM_ID
import { Vault } from '../../main/core';
import { DerivedFiles } from '../../main/core/conversations/store';
import { PASSPHRASE } from './vault';

const [dir, id] = process.argv.slice(2);
const settle = DerivedFiles.prototype.settle;
DerivedFiles.prototype.settle = async function (this: DerivedFiles) {
  await settle.call(this);
  process.stdout.write('WRITTEN\n');
  await new Promise(() => setInterval(() => undefined, 1000));
};
const vault = await Vault.unlock(dir!, PASSPHRASE);
await vault.makeRedactedCopy(id!, [
  { x: 100_000, y: 100_000, w: 300_000, h: 50_000, reason: 'address', otherReason: null },
]);
process.stdout.write('DONE\n');
