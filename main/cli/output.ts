import { DossierError } from '../core';
import type { Io } from './commands';
import { terminalSafe, terminalSafeLines } from './terminal-text';

/**
 * Where the CLI's output goes. Human text is escaped for a terminal at this one point,
 * so no command can print a raw control character by forgetting to; `--json` output goes
 * out exactly as produced. A reader that stops early (`dossier ls | head -1`) ends the
 * output quietly: the command still finishes and locks the vault, and exits as it would have.
 */

/** Thrown by `Io.data` when the reader has closed the pipe: the command stops, locks, exits 0. */
export class OutputClosed extends Error {
  constructor() {
    super('The reader of the output stopped reading.');
  }
}

/** Human output escaped for a terminal; stdout left exact when it carries JSON. */
export function terminalIo(raw: Io, json: boolean): Io {
  return {
    out: json ? raw.out : (t) => raw.out(terminalSafeLines(t)),
    err: (t) => raw.err(terminalSafeLines(t)),
    data: raw.data,
    marked: (parts) => raw.out(markedLine(parts, raw.terminal === true && !json)),
    terminal: raw.terminal === true && !json,
  };
}

/** A piece of a line; `match` marks words a search found. */
export interface MarkedText {
  text: string;
  match: boolean;
}

// Bold on, and back to normal weight: the only styles Dossier ever writes.
const BOLD = '\x1b[1m';
const NORMAL = '\x1b[22m';

/**
 * One line from parts, each escaped (line breaks too); matches in bold when `styled` (a
 * terminal), else plain text with no mark at all, as grep does for a pipe. The styles are
 * added after escaping, so no text from a file can open or close one.
 */
export function markedLine(parts: readonly MarkedText[], styled: boolean): string {
  return parts
    .map((p) => {
      const safe = terminalSafe(p.text);
      return styled && p.match && safe ? `${BOLD}${safe}${NORMAL}` : safe;
    })
    .join('');
}

/** An error message for one line: what it quotes from a file or argument is escaped too. */
export function errorText(message: string): string {
  return terminalSafe(message);
}

/**
 * One output stream (stdout or stderr) that survives its reader going away. A broken
 * pipe is not an error of Dossier's: later text is dropped. Any other failure (a full
 * disk under `> file`) is kept, so the exit status can say the output is incomplete.
 */
export class GuardedOutput {
  private failure: NodeJS.ErrnoException | null = null;

  constructor(private readonly stream: NodeJS.WritableStream & { errored?: Error | null }) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      this.failure ??= e;
    });
  }

  /** True once the reader has gone (EPIPE) or the stream failed. */
  get closed(): boolean {
    this.failure ??= (this.stream.errored as NodeJS.ErrnoException | null | undefined) ?? null;
    return this.failure !== null;
  }

  /** The failure that was not a reader leaving (e.g. ENOSPC), if any. */
  get writeError(): NodeJS.ErrnoException | null {
    return this.closed && !readerGone(this.failure!) ? this.failure : null;
  }

  line(text: string): void {
    if (!this.closed) this.stream.write(`${text}\n`);
  }

  /** Bytes with back-pressure; throws once the output can no longer be written. */
  async data(chunk: Uint8Array): Promise<void> {
    this.assertOpen();
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.stream.off('close', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
        this.stream.on('close', done);
      });
    }
    this.assertOpen();
  }

  private assertOpen(): void {
    if (!this.closed) return;
    const e = this.writeError;
    if (!e) throw new OutputClosed();
    throw new DossierError(
      e.code === 'ENOSPC' ? 'NO_SPACE' : 'IO',
      e.code === 'ENOSPC'
        ? 'The output could not be written: the disk it goes to is full. Free some space and run the command again.'
        : `The output could not be written (${e.code ?? e.message}). Check where it goes and run the command again.`,
    );
  }
}

function readerGone(e: NodeJS.ErrnoException): boolean {
  return e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED';
}
