// Reads an item as a conversation (the fake chat format) and stops, alive, before message
// `stopAt`, having printed READING: the parent test kills it there (kill -9 mid-read).
// Run: node --import tsx read-as-conversation-child.ts VAULT ITEM_ID STOP_AT
import { Vault } from '../../main/core';
import { registerReaderForTests } from '../../main/core/conversations/readers';
import { fakeChatReader } from './fake-chat';
import { PASSPHRASE } from './vault';

const [dir, id, stopAt] = process.argv.slice(2);
const vault = await Vault.unlock(dir!, PASSPHRASE);
registerReaderForTests(
  fakeChatReader({
    beforeMessage: async (i) => {
      if (i !== Number(stopAt)) return;
      // Let the media files under way finish, so the kill comes after they are in place.
      await new Promise((r) => setTimeout(r, 1000));
      process.stdout.write('READING\n');
      await new Promise(() => setInterval(() => undefined, 1000));
    },
  }),
);
await vault.readAsConversation(id!);
process.stdout.write('DONE\n');
