// One measured import for the `conversations` benchmark, in a process of its own so that its
// peak RSS is the import's: unlocks VAULT (made by the parent), then times what the app does.
//   mbox VAULT FILE             Vault.add([FILE])
//   chat VAULT FILE ZONE PAGE   Vault.add([FILE]), then conversation.get and the first page of
//                               conversation.messages (what the view needs for its first screen)
// Prints one JSON line: { addMs, openMs, status, messageCount, firstPage, warnings }.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, vaultDir, file, zone, page] = process.argv.slice(2);
const tree = process.env.DOSSIER_BENCH_TREE ?? join(import.meta.dirname, '..', '..');
const passphrase = process.env.DOSSIER_PASSPHRASE;
if ((mode !== 'mbox' && mode !== 'chat') || !vaultDir || !file || !passphrase) {
  process.stderr.write('usage: conversations-child.ts mbox|chat VAULT FILE [ZONE PAGE]\n');
  process.exit(2);
}
// The tree under test (DOSSIER_BENCH_TREE), as the other in-process benchmarks load it.
const { Vault } = (await import(
  pathToFileURL(join(tree, 'main/core/index.ts')).href
)) as typeof import('../../main/core');

const vault = await Vault.unlock(vaultDir, passphrase, { actor: 'bench' });
const t0 = performance.now();
const report = await vault.add([file], mode === 'chat' && zone ? { timeZone: zone } : {});
const addMs = performance.now() - t0;
const result = report.results[0];
if (report.results.length !== 1 || result?.status !== 'added') {
  process.stderr.write(`not added: ${JSON.stringify(report.results).slice(0, 1000)}\n`);
  process.exit(1);
}
let openMs = 0;
let firstPage = 0;
const t1 = performance.now();
// A file kept as a plain item (its messages not read) must not pass for an import.
let summary: ReturnType<typeof vault.conversation>;
try {
  summary = vault.conversation(result.id);
} catch (e) {
  process.stderr.write(`${(e as Error).message} ${JSON.stringify(result.warnings)}\n`);
  process.exit(1);
}
if (mode === 'chat') {
  firstPage = vault.conversationMessages(result.id, 0, Number(page)).length;
  openMs = performance.now() - t1;
}
await vault.lock();
process.stdout.write(
  `${JSON.stringify({
    addMs,
    openMs,
    status: result.status,
    messageCount: summary.messageCount,
    firstPage,
    warnings: result.warnings,
  })}\n`,
);
