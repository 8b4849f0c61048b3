// Imports a fake chat export into a vault and stops, alive, before message `stopAt`, having
// printed READING: the parent test kills it there (kill -9 mid-import).
// Run: node --import tsx conversation-import-child.ts VAULT FILE STOP_AT
import { Vault } from '../../main/core';
import { registerReaderForTests } from '../../main/core/conversations/readers';
import { fakeChatReader } from './fake-chat';
import { PASSPHRASE } from './vault';

const [dir, file, stopAt] = process.argv.slice(2);
const vault = await Vault.unlock(dir!, PASSPHRASE);
registerReaderForTests(
  fakeChatReader({
    beforeMessage: async (i) => {
      if (i !== Number(stopAt)) return;
      // Files of earlier messages are written several at once (DerivedFiles.put): let those
      // under way finish, so the kill comes after they are in place, as the test says.
      await new Promise((r) => setTimeout(r, 1000));
      process.stdout.write('READING\n');
      await new Promise(() => setInterval(() => undefined, 1000));
    },
  }),
);
await vault.add([file!]);
process.stdout.write('DONE\n');
