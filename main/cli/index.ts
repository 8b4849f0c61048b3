import { main } from './main';
import type { Io } from './commands';

// Entry point when run as the `dossier` command.
const io: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
};
process.exitCode = await main(process.argv.slice(2), io);
