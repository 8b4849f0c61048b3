/**
 * The files inside whatever was dropped into a plain browser, folders included (walked with
 * the File System entries API). The entries must be taken during the drop event itself: the
 * browser empties the DataTransfer once the handler returns.
 */
export function entriesOf(dt: DataTransfer): FileSystemEntry[] {
  return [...dt.items]
    .map((i) => (i.kind === 'file' ? i.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
}

export async function filesOf(entries: FileSystemEntry[]): Promise<File[]> {
  const out: File[] = [];
  const visit = async (entry: FileSystemEntry): Promise<void> => {
    if (entry.isFile) {
      out.push(
        await new Promise<File>((resolve, reject) =>
          (entry as FileSystemFileEntry).file(resolve, reject),
        ),
      );
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      // readEntries answers in batches (100 in Chromium) until it answers an empty one.
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
          reader.readEntries(resolve, reject),
        );
        if (batch.length === 0) break;
        for (const child of batch.sort((a, b) => a.name.localeCompare(b.name))) await visit(child);
      }
    }
  };
  for (const entry of entries) await visit(entry);
  return out;
}
