// The conversation readers ingest asks, in order (docs/conversations.md, "Readers").
import { mailboxReader } from './mailbox';
import { facebookReader, instagramReader } from './meta-messages';
import { telegramReader } from './telegram';
import type { ConversationReader } from './types';
import { whatsappReader } from './whatsapp';

/**
 * Every reader Dossier ships; the first whose detect() says yes opens the file. Each detects
 * from content, so the order only matters for a file two could claim (Instagram before
 * Facebook: Instagram claims only what its markers prove).
 */
export const READERS: readonly ConversationReader[] = [
  whatsappReader,
  telegramReader,
  instagramReader,
  facebookReader,
  mailboxReader,
];

/** Readers registered by tests (a made-up format), asked before the shipped ones. */
const extra: ConversationReader[] = [];

/** For tests only: registers a reader until the returned function is called. */
export function registerReaderForTests(reader: ConversationReader): () => void {
  extra.unshift(reader);
  return () => {
    const at = extra.indexOf(reader);
    if (at >= 0) extra.splice(at, 1);
  };
}

/**
 * The reader for a file, from its first bytes, its name and its sniffed type; null when none
 * knows it (the file is then stored as a plain item, as any other). A detect() that throws is
 * a reader's bug: it counts as "not mine", never as a reason not to store the file.
 */
export function findReader(
  head: Uint8Array,
  name: string,
  mime: string,
): ConversationReader | null {
  for (const reader of [...extra, ...READERS]) {
    try {
      if (reader.detect(head, name, mime)) return reader;
    } catch {
      // Not this one.
    }
  }
  return null;
}
