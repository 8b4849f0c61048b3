import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
// `npm test` builds first; the page and the service worker come from the same build.
const built = join(root, 'out', 'main', 'web.js');

describe('npm run web (main/bridge/web.ts, built to out/main/web.js)', () => {
  it('starts the bridge on a temporary vault, prints its URL and cleans up on SIGTERM', async () => {
    const child = spawn(process.execPath, [built], {
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
        child.once('exit', (code) => reject(new Error(`web.js exited (${code}): ${out}`)));
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
        value: { state: 'no-vault', fingerprint: null, notices: [], recoveryCodePending: false },
      });
      // The renderer is served too, with the app's CSP and without the token (it holds none).
      const page = await fetch(`${parsed.origin}/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
      expect(await page.text()).toMatch(/<div id="root"|<main id="app"/);
      const noToken = await fetch(`${parsed.origin}/api/session.status`, { method: 'POST' });
      expect(noToken.status).toBe(401);
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(existsSync(join(vault, '..'))).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
