/**
 * The operations of this session that write or delete files under blobs/ before the
 * transaction that records them (an import, a copy, a preview, a removal), and the moment the
 * integrity check takes its picture of the vault (which files exist, which the database names).
 * Taken while an import was half-written, that picture showed the import's files as belonging
 * to no item, and the check logged a failure that was not one. So the picture waits for the
 * writes in progress to end, and writes that start meanwhile wait for it (a scan of the
 * folder, never the check's long reading of every file).
 */
export class BlobWrites {
  private running = 0;
  private idle: (() => void)[] = [];
  private picture: Promise<void> | null = null;

  /** Runs a write; it starts once no picture is being taken. */
  async run<T>(write: () => Promise<T>): Promise<T> {
    while (this.picture) await this.picture;
    this.running++;
    try {
      return await write();
    } finally {
      this.running--;
      if (this.running === 0) for (const wake of this.idle.splice(0)) wake();
    }
  }

  /** Runs `take` once no write is in progress, with none starting until it returns. */
  async still<T>(take: () => Promise<T>): Promise<T> {
    while (this.picture) await this.picture;
    let done!: () => void;
    this.picture = new Promise<void>((resolve) => (done = resolve));
    try {
      while (this.running > 0) await new Promise<void>((wake) => this.idle.push(wake));
      return await take();
    } finally {
      this.picture = null;
      done();
    }
  }
}
