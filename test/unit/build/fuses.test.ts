import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { FuseV1Options, FuseVersion, type FuseV1Config } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import {
  BuilderArch,
  executablePathFor,
  flipDossierFuses,
  fuseConfig,
  FUSES,
  type AfterPackContext,
  type FuseTools,
} from '../../../build/fuses';
import { tempDir } from '../../support/tmp';

const root = resolve(import.meta.dirname, '../../..');

/** What electron-builder hands the hook, for one platform. */
function context(
  electronPlatformName: string,
  arch: number = BuilderArch.x64,
  appOutDir = '/pack/out',
): AfterPackContext {
  return {
    appOutDir,
    electronPlatformName,
    arch,
    packager: {
      appInfo: { productFilename: 'Dossier' },
      // Only the Linux packager has one (lowercased package name).
      ...(electronPlatformName === 'linux' ? { executableName: 'dossier' } : {}),
    },
  };
}

const ON = 0x31;
const OFF = 0x30;

/** A read-back wire where every fuse is as FUSES says, plus any extra bytes. */
function goodWire(extra: Record<string, number> = {}): Record<string, unknown> {
  const wire: Record<string, unknown> = { version: FuseVersion.V1 };
  for (const [k, on] of Object.entries(FUSES)) wire[k] = on ? ON : OFF;
  return { ...wire, ...extra };
}

function fakeTools(wire: Record<string, unknown>) {
  const calls: Array<{ path: string; config: FuseV1Config }> = [];
  const logs: string[] = [];
  const tools: FuseTools = {
    flipFuses: async (path, config) => {
      calls.push({ path, config });
      return 1;
    },
    getCurrentFuseWire: async () => wire,
    log: (line) => logs.push(line),
  };
  return { tools, calls, logs };
}

describe('fuse list (docs/electron-hardening.md, "Fuses")', () => {
  it('sets every fuse @electron/fuses knows, exactly as decided', () => {
    const byName = Object.fromEntries(
      Object.entries(FUSES).map(([k, v]) => [FuseV1Options[Number(k)], v]),
    );
    expect(byName).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
    const known = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    expect(Object.keys(FUSES).map(Number).sort()).toEqual(known.sort());
  });

  it('builds a V1 config with the ad-hoc re-signature only for Apple Silicon', () => {
    for (const [platform, arch, reset] of [
      ['darwin', BuilderArch.arm64, true],
      ['mas', BuilderArch.arm64, true],
      ['darwin', BuilderArch.universal, true],
      ['darwin', BuilderArch.x64, false],
      ['linux', BuilderArch.arm64, false],
      ['win32', BuilderArch.arm64, false],
      ['win32', BuilderArch.x64, false],
    ] as const) {
      expect(fuseConfig({ electronPlatformName: platform, arch })).toEqual({
        version: FuseVersion.V1,
        resetAdHocDarwinSignature: reset,
        ...FUSES,
      });
    }
  });
});

describe('executablePathFor', () => {
  it('names the packed executable as electron-builder does', () => {
    expect(executablePathFor(context('darwin'))).toBe('/pack/out/Dossier.app');
    expect(executablePathFor(context('mas'))).toBe('/pack/out/Dossier.app');
    expect(executablePathFor(context('win32'))).toBe('/pack/out/Dossier.exe');
    expect(executablePathFor(context('linux'))).toBe('/pack/out/dossier');
  });

  it('refuses a platform it does not know, or a Linux packager without a name', () => {
    expect(() => executablePathFor(context('freebsd'))).toThrow(/not packaged for platform/);
    const nameless = { ...context('linux'), packager: { appInfo: { productFilename: 'Dossier' } } };
    expect(() => executablePathFor(nameless)).toThrow(/executableName/);
  });
});

describe('flipDossierFuses (the afterPack step)', () => {
  it('calls flipFuses once with the executable path and the fuse config', async () => {
    for (const ctx of [
      context('linux'),
      context('win32'),
      context('darwin', BuilderArch.arm64),
      context('darwin', BuilderArch.x64),
    ]) {
      const { tools, calls, logs } = fakeTools(goodWire());
      await flipDossierFuses(ctx, tools);
      expect(calls).toEqual([{ path: executablePathFor(ctx), config: fuseConfig(ctx) }]);
      expect(logs.at(-1)).toMatch(/fuses flipped and checked/);
    }
  });

  it('fails the build when a fuse reads back wrong or has been removed', async () => {
    const wrong = fakeTools(goodWire({ [FuseV1Options.RunAsNode]: ON }));
    await expect(flipDossierFuses(context('linux'), wrong.tools)).rejects.toThrow(
      /RunAsNode is 49, expected off/,
    );
    const removed = fakeTools(goodWire({ [FuseV1Options.OnlyLoadAppFromAsar]: 0x72 }));
    await expect(flipDossierFuses(context('linux'), removed.tools)).rejects.toThrow(
      /OnlyLoadAppFromAsar has been removed/,
    );
  });

  it('leaves a fuse it does not know at the default, and says so', async () => {
    const { tools, logs } = fakeTools(goodWire({ 8: ON }));
    await flipDossierFuses(context('linux'), tools);
    expect(logs[0]).toMatch(/fuse 8 is not known .*default \(on\)/);
  });
});

/** Enough of an Electron binary for @electron/fuses: the sentinel, version 1, and a wire. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
function fakeElectron(wire: string): Buffer {
  const pad = Buffer.alloc(256, 0x90);
  return Buffer.concat([
    pad,
    Buffer.from(SENTINEL),
    Buffer.from([1, wire.length]),
    Buffer.from(wire),
    pad,
  ]);
}
// Stock states, and a ninth fuse newer than @electron/fuses 1.x.
const STOCK_WIRE = '101100011';
const FLIPPED_WIRE = '010011001';

async function wireOf(path: string): Promise<string> {
  const bytes = await readFile(path);
  const at = bytes.indexOf(SENTINEL) + SENTINEL.length;
  return bytes.subarray(at + 2, at + 2 + bytes[at + 1]!).toString('latin1');
}

describe('flipDossierFuses with the real @electron/fuses on a stand-in binary', () => {
  it('flips the Linux executable and leaves the rest of the file alone', async () => {
    const out = await tempDir();
    const exe = join(out, 'dossier');
    const before = fakeElectron(STOCK_WIRE);
    await writeFile(exe, before);
    await flipDossierFuses(context('linux', BuilderArch.x64, out), {
      ...(await import('@electron/fuses')),
      log: () => {},
    });
    expect(await wireOf(exe)).toBe(FLIPPED_WIRE);
    const after = await readFile(exe);
    expect(after.length).toBe(before.length);
    const wireAt = before.indexOf(SENTINEL) + SENTINEL.length + 2;
    expect(after.subarray(0, wireAt).equals(before.subarray(0, wireAt))).toBe(true);
    expect(after.subarray(wireAt + 9).equals(before.subarray(wireAt + 9))).toBe(true);
  });

  it('finds the Electron Framework inside Dossier.app on macOS', async () => {
    const out = await tempDir();
    const framework = join(out, 'Dossier.app/Contents/Frameworks/Electron Framework.framework');
    await mkdir(framework, { recursive: true });
    await writeFile(join(framework, 'Electron Framework'), fakeElectron(STOCK_WIRE));
    // x64: no ad-hoc re-signature, so no codesign is needed here.
    await flipDossierFuses(context('darwin', BuilderArch.x64, out), {
      ...(await import('@electron/fuses')),
      log: () => {},
    });
    expect(await wireOf(join(framework, 'Electron Framework'))).toBe(FLIPPED_WIRE);
  });

  it('runs as electron-builder loads build/after-pack.js: require(), else import()', async () => {
    const out = await tempDir();
    const exe = join(out, 'dossier');
    await writeFile(exe, fakeElectron(STOCK_WIRE));
    // The same steps as app-builder-lib 26's resolveFunction / dynamicImportMaybe.
    const loader = `
      const { pathToFileURL } = require('node:url');
      (async () => {
        const file = ${JSON.stringify(join(root, 'build/after-pack.js'))};
        let m;
        try { m = require(file); } catch { m = await import(pathToFileURL(file).href); }
        const hook = m.afterPack ?? m.default ?? m;
        await hook(${JSON.stringify(context('linux', BuilderArch.x64, out))});
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', loader], { cwd: root });
    expect(stdout).toMatch(/fuses flipped and checked/);
    expect(await wireOf(exe)).toBe(FLIPPED_WIRE);
  });
});

// electron-builder.yml, read with js-yaml: the YAML parser electron-builder itself uses,
// already here through eslint (no new dependency).
const { load } = createRequire(import.meta.url)('js-yaml') as { load: (text: string) => unknown };
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<
  string,
  unknown
>;

function strings(value: unknown): string[] {
  expect(Array.isArray(value)).toBe(true);
  return (value as unknown[]).map((v) => String(v));
}

/** Target names from `target:`: plain names or `{ target, arch }` entries. */
function targets(platform: string): string[] {
  const section = config[platform] as { target: unknown };
  return (section.target as unknown[]).map((t) =>
    typeof t === 'string' ? t : String((t as { target: unknown }).target),
  );
}

/** electron-builder's glob subset used in asarUnpack: `**` any depth, `*` within a name. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (c === '*') {
      re += '[^/]*';
    } else {
      re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}

/** Native binaries (.node, .so, .dylib, .dll) installed for production dependencies. */
function nativeBinariesOfProductionDeps(): string[] {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(rel);
      } else if (/\.(node|dylib|dll)$|\.so(\.\d+)*$/.test(e.name)) {
        found.push(rel);
      }
    }
  };
  for (const [dir, meta] of Object.entries(lock.packages)) {
    if (dir.startsWith('node_modules/') && !meta.dev && existsSync(join(root, dir))) walk(dir);
  }
  return found;
}

describe('electron-builder.yml', () => {
  it('names the app and writes to dist/', () => {
    expect(config.appId).toBe('org.dossier.app');
    expect(config.productName).toBe('Dossier');
    expect((config.directories as Record<string, unknown>).output).toBe('dist');
  });

  it('packs only out/** and package.json; never tests, docs or sources', () => {
    const files = strings(config.files);
    expect(files.filter((f) => !f.startsWith('!'))).toEqual(['out/**', 'package.json']);
    for (const dir of ['test', 'docs', 'main', 'renderer', 'shared', 'build']) {
      expect(files).toContain(`!${dir}/**`);
    }
  });

  it('never packs the development bridge, and no other built file holds it', () => {
    expect(strings(config.files)).toContain('!out/main/web.js');
    // npm test builds before the tests run; the bridge must stay in its own entry.
    const outMain = join(root, 'out', 'main');
    expect(existsSync(outMain), 'out/main is missing: run npm run build').toBe(true);
    const holders = readdirSync(outMain, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.js'))
      .filter((f) => readFileSync(join(outMain, f), 'utf8').includes('function startBridge('));
    expect(holders).toEqual(['web.js']);
  });

  it('uses asar and unpacks the native modules', () => {
    expect(config.asar).toBe(true);
    const unpack = strings(config.asarUnpack);
    expect(unpack).toEqual(
      expect.arrayContaining([
        '**/node_modules/better-sqlite3-multiple-ciphers/**',
        '**/node_modules/@node-rs/argon2*/**',
        '**/node_modules/sharp/**',
        '**/node_modules/@img/**',
      ]),
    );
    const patterns = unpack.map(globToRegExp);
    const binaries = nativeBinariesOfProductionDeps();
    expect(binaries.length).toBeGreaterThan(0);
    for (const file of binaries) {
      expect(
        patterns.some((p) => p.test(file)),
        `${file} is not unpacked`,
      ).toBe(true);
    }
    expect(patterns.some((p) => p.test('node_modules/exifr/dist/full.umd.js'))).toBe(false);
  });

  it('unpacks what the text-recognition thread opens, and the engine points there', async () => {
    const { engineWorkerScript, languageDataPath, unpackedPath } =
      await import('../../../main/core/ocr/engine');
    const patterns = strings(config.asarUnpack).map(globToRegExp);
    const rel = (p: string): string =>
      p
        .slice(root.length + 1)
        .split('\\')
        .join('/');
    const opened = [
      engineWorkerScript(),
      ...readdirSync(languageDataPath('eng')).map((f) => join(languageDataPath('eng'), f)),
      ...readdirSync(join(root, 'node_modules/tesseract.js-core'))
        .filter((f) => f.endsWith('.wasm') || f.endsWith('.js'))
        .map((f) => join(root, 'node_modules/tesseract.js-core', f)),
      // What the worker script itself requires, resolved from beside it.
      ...[
        'wasm-feature-detect',
        'is-url',
        'bmp-js',
        'zlibjs',
        'regenerator-runtime',
        'idb-keyval',
      ].map((m) => join(root, 'node_modules', m, 'package.json')),
    ];
    for (const file of opened) {
      expect(existsSync(file), file).toBe(true);
      expect(
        patterns.some((p) => p.test(rel(file))),
        `${rel(file)} is not unpacked`,
      ).toBe(true);
    }
    // Paths inside app.asar are rewritten to the unpacked copy; others are left alone.
    expect(unpackedPath('/opt/Dossier/resources/app.asar/node_modules/x/y.js')).toBe(
      '/opt/Dossier/resources/app.asar.unpacked/node_modules/x/y.js',
    );
    expect(unpackedPath('/home/a/dossier/node_modules/x/y.js')).toBe(
      '/home/a/dossier/node_modules/x/y.js',
    );
  });

  it('flips fuses in the afterPack hook, from build/fuses.ts only', () => {
    expect(config.afterPack).toBe('./build/after-pack.js');
    expect(existsSync(join(root, 'build/after-pack.js'))).toBe(true);
    expect(readFileSync(join(root, 'build/after-pack.js'), 'utf8')).toContain("'./fuses.ts'");
    // One fuse list: electron-builder's own fuse option would be a second one.
    expect(config).not.toHaveProperty('electronFuses');
  });

  it('builds AppImage and deb, an NSIS installer and a dmg', () => {
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect(targets('win')).toEqual(['nsis']);
    expect(targets('mac')).toEqual(['dmg']);
  });

  it('publishes nothing and never deletes the vault on uninstall', () => {
    expect(config).toHaveProperty('publish', null);
    expect((config.nsis as Record<string, unknown>).deleteAppDataOnUninstall).toBe(false);
  });
});
