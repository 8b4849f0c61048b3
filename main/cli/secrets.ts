import { readFile } from 'node:fs/promises';
import { DossierError } from '../core';
import { terminalSafe } from './terminal-text';

/**
 * Where a passphrase comes from, in order: a file named on the command line, an
 * environment variable, or a prompt with echo off when stdin is a terminal.
 */
export interface SecretSource {
  file?: string;
  envVar: string;
  /** The option that names the file, for the message when nothing was given. */
  fileOption?: string;
  prompt: string;
  confirm?: boolean;
}

export async function readSecret(src: SecretSource): Promise<string> {
  if (src.file) {
    let text: string;
    try {
      // Read as bytes so that copy can be zeroed; the string cannot be (threat-model.md).
      const bytes = await readFile(src.file);
      text = bytes.toString('utf8');
      bytes.fill(0);
    } catch {
      throw new DossierError(
        'USAGE',
        `Could not read the passphrase file ${src.file}. Check the path.`,
      );
    }
    // Only the line break an editor adds is dropped; spaces may be part of the passphrase.
    return text.replace(/\r?\n$/, '');
  }
  const fromEnv = process.env[src.envVar];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) {
    throw new DossierError(
      'USAGE',
      `No passphrase given. Run this in a terminal to be asked for it, or set ${src.envVar}, or use ${src.fileOption ?? '--passphrase-file'} FILE.`,
    );
  }
  const first = await promptHidden(src.prompt);
  if (src.confirm) {
    const again = await promptHidden('Type it again to confirm: ');
    if (again !== first)
      throw new DossierError(
        'USAGE',
        'The two passphrases did not match. Nothing was changed; try again.',
      );
  }
  return first;
}

/** Reads a line from the terminal without echoing it. */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const stdin = process.stdin;
    const out = process.stderr;
    // The question may name the vault folder, which can hold any character.
    out.write(terminalSafe(question));
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      out.write('\n');
      if (err) reject(err);
      else resolvePromise(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new DossierError('USAGE', 'Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
