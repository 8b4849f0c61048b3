// Makes a redacted copy of the item given and stops, alive, at the moment named, having
// printed STOPPED: the parent test kills it there (kill -9).
// - `saved`: the copy is saved, its preview not yet begun;
// - `preview-written`: the preview's file is written, the transaction that records it not
//   committed.
// Run: node --import tsx copy-preview-child.ts VAULT ITEM_ID MODE
import { Vault } from '../../main/core';
import { ItemRepository } from '../../main/core/items/repository';
import { CopyPreviews } from '../../main/core/redaction/copy-previews';
import { PASSPHRASE } from './vault';

const [dir, id, mode] = process.argv.slice(2);
const hang = (): never => {
  process.stdout.write('STOPPED\n');
  // Blocks this thread for good, inside whatever it was doing, until the kill.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
};
const vault = await Vault.unlock(dir!, PASSPHRASE);
if (mode === 'saved') {
  // After the unlock, which starts the previews too (none is missing then).
  CopyPreviews.prototype.start = function () {
    hang();
  };
} else {
  const insertBlob = ItemRepository.prototype.insertBlob;
  ItemRepository.prototype.insertBlob = function (this: ItemRepository, ...args) {
    if (args[1] === 'thumbnail') hang();
    return insertBlob.apply(this, args);
  };
}
await vault.makeRedactedCopy(id!, [
  { x: 100_000, y: 100_000, w: 300_000, h: 50_000, reason: 'address', otherReason: null },
]);
await vault.whenCopyPreviewsMade();
process.stdout.write('DONE\n');
