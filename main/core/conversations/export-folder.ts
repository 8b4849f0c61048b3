// The files next to an export on disk (Telegram's photos/, Instagram's photos/): a message
// names them by a path relative to the export's folder (Telegram) or to the top of the
// download (Meta). Only files inside the export file's own folder are ever read, so a hostile
// export cannot make Dossier take in other files of the person's (docs/conversations.md).
import { lstat, open, realpath } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { exportRelativePath } from './json-spans';
import { CONVERSATION_LIMITS, type MediaFile } from './types';

export type FolderLookup = (name: string) => Promise<FolderMedia>;

export type FolderMedia =
  | { found: MediaFile }
  | { found: null; why: 'not a safe path' | 'not there' | 'not a plain file' | 'too big' };

/**
 * Finds `name` in the folder holding `exportPath`. A name with leading folders is tried
 * as written and then without each leading folder that matches the end of the export's own
 * folder path (Meta writes `your_instagram_activity/messages/inbox/x/photos/1.jpg` for a
 * file beside `…/inbox/x/message_1.json`).
 */
export function folderLookup(exportPath: string): FolderLookup {
  const folder = dirname(exportPath);
  let realFolder: Promise<string> | null = null;
  return async (name) => {
    const rel = exportRelativePath(name);
    if (rel === null) return { found: null, why: 'not a safe path' };
    const parts = rel.split('/');
    const own = folder.split(sep).filter(Boolean);
    const candidates: string[] = [];
    for (let k = 0; k < parts.length; k++) {
      const lead = parts.slice(0, k);
      const tail = own.slice(own.length - k);
      if (k > 0 && (tail.length !== k || lead.some((p, i) => p !== tail[i]))) continue;
      candidates.push(join(folder, ...parts.slice(k)));
    }
    realFolder ??= realpath(folder);
    const root = await realFolder.catch(() => null);
    if (root === null) return { found: null, why: 'not there' };
    let why: 'not there' | 'not a plain file' | 'too big' = 'not there';
    for (const path of candidates) {
      const st = await lstat(path).catch(() => null);
      if (!st) continue;
      if (!st.isFile()) {
        why = 'not a plain file';
        continue;
      }
      // A folder on the way may be a link out of the export: the real path must stay inside.
      const real = await realpath(path).catch(() => null);
      if (real === null || !real.startsWith(root + sep)) {
        why = 'not a plain file';
        continue;
      }
      if (st.size > CONVERSATION_LIMITS.maxChatFileBytes) {
        why = 'too big';
        continue;
      }
      return {
        found: {
          name,
          size: st.size,
          read: async () => {
            const handle = await open(real, 'r');
            try {
              const data = await handle.readFile();
              if (data.length !== st.size) throw new Error(`${name} changed while it was read`);
              return data;
            } finally {
              await handle.close();
            }
          },
        },
      };
    }
    return { found: null, why };
  };
}
