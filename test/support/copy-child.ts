// Makes a redacted copy of the item given and stops, alive, at a point before the transaction
// that saves it, having printed where: WRITTEN once the copy's files are written and recorded
// as pending, BEGUN once its file is begun (header only) while the PNG is still being made.
// The parent test kills it there (kill -9 mid-copy).
// Run: node --import tsx copy-child.ts VAULT ITEM_ID [WRITTEN|BEGUN]
import { Vault } from '../../main/core';
import { BlobStore } from '../../main/core/blobs/store';
import { DerivedFiles } from '../../main/core/conversations/store';
import { PASSPHRASE } from './vault';

const [dir, id, at = 'WRITTEN'] = process.argv.slice(2);
const stop = async (): Promise<never> => {
  process.stdout.write(`${at}\n`);
  return new Promise<never>(() => setInterval(() => undefined, 1000));
};
if (at === 'WRITTEN') {
  const settle = DerivedFiles.prototype.settle;
  DerivedFiles.prototype.settle = async function (this: DerivedFiles) {
    await settle.call(this);
    await stop();
  };
} else {
  const createInPlace = BlobStore.prototype.createInPlace;
  BlobStore.prototype.createInPlace = async function (this: BlobStore, blobId: string) {
    await createInPlace.call(this, blobId);
    return stop();
  };
}
const vault = await Vault.unlock(dir!, PASSPHRASE);
await vault.makeRedactedCopy(id!, [
  { x: 100_000, y: 100_000, w: 300_000, h: 50_000, reason: 'address', otherReason: null },
]);
process.stdout.write('DONE\n');
