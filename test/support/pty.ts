import { spawnSync } from 'node:child_process';
import { missingTools } from './tools';

/** Why no program can be driven on a pseudo-terminal here (python3's pty module types for it), or null. */
export const noPty = missingTools(['python3']);
export const havePty = noPty === null;

/**
 * Runs argv on a pseudo-terminal and types `answer` each time it asks for a passphrase:
 * the age CLI reads passphrases only from a terminal.
 */
const PTY_TYPIST = `
import os, pty, select, sys
answer = sys.argv[1].encode() + b"\\n"
prompt = sys.argv[2].encode().lower()
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[3], sys.argv[3:])
out, typed = b"", 0
while True:
    try:
        r, _, _ = select.select([fd], [], [], 60)
        chunk = os.read(fd, 4096) if r else b""
    except OSError:
        chunk = b""
    if not chunk:
        break
    out += chunk
    if out.lower().count(prompt) > typed:
        typed += 1
        os.write(fd, answer)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
`;

export function onPty(
  answer: string,
  argv: string[],
  opts: { prompt?: string; env?: NodeJS.ProcessEnv } = {},
): { status: number | null; output: string } {
  const prompt = opts.prompt ?? 'passphrase';
  const r = spawnSync('python3', ['-c', PTY_TYPIST, answer, prompt, ...argv], {
    encoding: 'utf8',
    env: opts.env ?? process.env,
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
