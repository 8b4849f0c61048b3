import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

describe('npm run web (main/bridge/dev.ts)', () => {
  it('starts the bridge on a temporary vault, prints its URL and cleans up on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/bridge/dev.ts'], {
      cwd: root,
      env: { ...process.env, DOSSIER_VAULT: '', DOSSIER_BRIDGE_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: string) => {
          out += d;
          const m = /Dossier bridge: (\S+)\nVault: (.+)\n/.exec(out);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`dev.ts exited (${code}): ${out}`)));
      });
      const vault = /Vault: (.+)\n/.exec(out)![1]!;
      const parsed = new URL(url);
      expect(parsed.hostname).toBe('127.0.0.1');
      const token = parsed.searchParams.get('token')!;
      const res = await fetch(`${parsed.origin}/api/session.status`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(await res.json()).toEqual({
        ok: true,
        value: { state: 'no-vault', fingerprint: null },
      });
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(existsSync(join(vault, '..'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
