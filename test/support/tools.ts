import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** Whether a command-line tool is on PATH (tests that need it skip, with a message, when not). */
export function hasCommand(cmd: string): Promise<boolean> {
  return promisify(execFile)('sh', ['-c', `command -v ${cmd}`]).then(
    () => true,
    () => false,
  );
}
