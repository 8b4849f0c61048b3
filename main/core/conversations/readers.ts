// The conversation readers ingest asks, in order (docs/conversations.md, "Readers").
import type { ConversationReader } from './types';

/**
 * Every reader Dossier ships. Each format's module adds its reader here when it lands; the
 * first reader whose detect() says yes opens the file.
 */
export const READERS: readonly ConversationReader[] = [];

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
