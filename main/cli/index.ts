import { main } from './main';
import type { Io } from './commands';
import { EXIT } from './exit-codes';
import { GuardedOutput } from './output';
import { terminalSafe } from './terminal-text';

// Entry point when run as the `dossier` command.
const stdout = new GuardedOutput(process.stdout);
const stderr = new GuardedOutput(process.stderr);
const io: Io = {
  out: (t) => stdout.line(t),
  err: (t) => stderr.line(t),
  data: (chunk) => stdout.data(chunk),
  // Styles only for a person at a terminal that shows them (https://no-color.org).
  terminal: process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
};
let code = await main(process.argv.slice(2), io);
// A reader that stopped early is not a failure; output lost to a full disk is.
const lost = stdout.writeError;
if (lost && code === EXIT.OK) {
  stderr.line(
    terminalSafe(
      `dossier: the output is incomplete: it could not be written (${lost.code === 'ENOSPC' ? 'the disk is full' : (lost.code ?? lost.message)}).`,
    ),
  );
  code = EXIT.IO;
}
process.exitCode = code;
