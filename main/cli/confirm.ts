import { DossierError } from '../core';
import { terminalSafe } from './terminal-text';

/**
 * Asks the person at the terminal to confirm something that cannot be undone. Without a
 * terminal to ask (a script, a pipe) the command must say --yes itself: it is refused.
 */
export function assertCanConfirm(yes: boolean, what: string): void {
  if (!yes && !process.stdin.isTTY) {
    throw new DossierError(
      'USAGE',
      `There is no terminal to confirm ${what}. Add --yes to confirm it on the command line.`,
    );
  }
}

/** Shows `question` (escaped) on stderr; true only when the answer typed is "yes" or "y". */
export function confirm(question: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const stdin = process.stdin;
    process.stderr.write(`${terminalSafe(question)} `);
    stdin.setEncoding('utf8');
    let line = '';
    const done = (answer: string | null): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      resolvePromise(answer !== null && /^(y|yes)$/i.test(answer.trim()));
    };
    const onData = (chunk: string): void => {
      line += chunk;
      const end = line.search(/[\r\n]/);
      if (end >= 0) done(line.slice(0, end));
    };
    const onEnd = (): void => done(null);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}
