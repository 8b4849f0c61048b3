// Records review changes one after another, printing "DONE <seq>" once each is on disk, until
// it is killed: the parent test kills it with SIGKILL mid-write.
// Run: node --import tsx review-store-child.ts STORE_DIR
import { ReviewStore } from '../../main/core/review/store';
import { handMadeBundle } from './hand-made-reviewed-bundle';
import { PASSPHRASE } from './vault';

const [dir] = process.argv.slice(2);
const store = await ReviewStore.unlock(dir!, PASSPHRASE);
const bundle = handMadeBundle();
const review = await store.openReview(bundle);
const x = bundle.exhibits[0]!;
const target = { kind: 'exhibit' as const, exhibit: x.label, itemId: x.itemId, sha256: x.sha256 };
for (let i = review.entries().length + 1; ; i++) {
  // Long enough that a write takes a little while: more chances to be killed inside one.
  const entry = await review.record(target, {
    op: 'comment',
    value: `comment ${i} ${'x'.repeat(2000)}`,
  });
  process.stdout.write(`DONE ${entry!.seq}\n`);
}
