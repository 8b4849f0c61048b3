/**
 * Electron fuses for the packaged app: the one list of them, and the electron-builder
 * afterPack step that flips them (docs/electron-hardening.md, "Fuses").
 * Fuses are bits in the Electron binary; they are flipped after packing and before signing,
 * so the OS signature check (Gatekeeper, AppLocker) keeps them from being flipped back.
 *
 * Why our own afterPack hook and not electron-builder 26's `electronFuses` option:
 * electron-builder.yml is YAML, so the fuse list would have to live there and again here for
 * the tests; with the hook it lives only in FUSES below. electron-builder.yml therefore has
 * no `electronFuses` key (its fuse step is a no-op without it, so nothing is flipped twice),
 * and the hook runs at the same point electron-builder's own step would: after the app and
 * its ASAR integrity hash are in place, before signing.
 *
 * electron-builder loads the hook as build/after-pack.js (plain JS, see there), which calls
 * flipDossierFuses here. Nothing here imports main/ or renderer/.
 *
 * @electron/fuses is pinned to 1.x: 2.x needs Node 22.12, and electron-builder 26 itself
 * depends on ^1.8.0.
 */
import { join } from 'node:path';
import {
  flipFuses,
  FuseV1Options,
  FuseVersion,
  getCurrentFuseWire,
  type FuseV1Config,
} from '@electron/fuses';

/**
 * Every fuse @electron/fuses knows, set explicitly (`satisfies` fails the type check when an
 * upgrade adds one, so each new fuse gets a decision).
 */
export const FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the (signed, trusted) Dossier binary into a plain Node.js
  // interpreter that any local program can drive. Dossier uses worker_threads, never
  // child_process.fork, so nothing of ours needs it.
  [FuseV1Options.RunAsNode]: false,
  // Chromium's cookie store is encrypted with an OS key, as in Chrome. Dossier sets no cookies;
  // this keeps anything a page might store out of plaintext on disk. One-way: turning it off
  // later makes the existing cookie store unreadable.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (--require, --import, ...) would run foreign code in the main process, which
  // holds the vault keys while unlocked.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect, --inspect-brk and SIGUSR1 would attach a debugger to the main process and read
  // the keys from its memory.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Electron checks app.asar against the hash electron-builder embeds (Info.plist on macOS,
  // a resource in the .exe on Windows). Linux has no embedded hash, so there the fuse does
  // nothing. Files in app.asar.unpacked (the native modules) are not covered by this check.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Electron then loads only app.asar (not resources/app/ or default_app.asar), so a folder
  // dropped next to it cannot replace the app. Together with the integrity fuse, code that
  // was not checked cannot load.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Off, which is Electron's default, on purpose. When on, the main process loads its V8
  // snapshot from browser_v8_context_snapshot.bin. The security gain (electron/electron#35170)
  // is for apps that build their own V8 snapshots, so that the renderer cannot get a snapshot
  // made with nodeIntegration on. Dossier builds none, and stock Electron ships no such file,
  // so turning this on would only stop the main process from starting.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Off, as the Electron security checklist says for apps that do not serve pages from file:.
  // Dossier serves the renderer through its own scheme and blocks file:
  // (main/electron/security.ts; docs/threat-model.md, "In the desktop window"). With it on, a page loaded from file: could fetch any local file.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} as const satisfies Record<FuseV1Options, boolean>;

/** Names for log and error lines (the enum is numeric). */
const FUSE_NAMES: Readonly<Record<number, string>> = {
  [FuseV1Options.RunAsNode]: 'RunAsNode',
  [FuseV1Options.EnableCookieEncryption]: 'EnableCookieEncryption',
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: 'EnableNodeOptionsEnvironmentVariable',
  [FuseV1Options.EnableNodeCliInspectArguments]: 'EnableNodeCliInspectArguments',
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: 'EnableEmbeddedAsarIntegrityValidation',
  [FuseV1Options.OnlyLoadAppFromAsar]: 'OnlyLoadAppFromAsar',
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: 'LoadBrowserProcessSpecificV8Snapshot',
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: 'GrantFileProtocolExtraPrivileges',
};

/** The bytes of the fuse wire in the binary: '0', '1', and 'r' for a fuse Electron removed. */
const WIRE_OFF = 0x30;
const WIRE_ON = 0x31;
const WIRE_REMOVED = 0x72;

/** builder-util's `Arch` enum (electron-builder is not installed here, so not imported). */
export const BuilderArch = { ia32: 0, x64: 1, armv7l: 2, arm64: 3, universal: 4 } as const;

/**
 * The part of electron-builder's AfterPackContext that this hook reads. electron-builder is
 * not a dependency of the repository (`npm run dist` fetches it), so this is declared here.
 */
export interface AfterPackContext {
  readonly appOutDir: string;
  /** 'darwin', 'mas', 'win32' or 'linux'. */
  readonly electronPlatformName: string;
  /** A builder-util Arch value, see BuilderArch. */
  readonly arch: number;
  readonly packager: {
    readonly appInfo: { readonly productFilename: string };
    /** LinuxPackager only: `linux.executableName`, else the package name in lower case. */
    readonly executableName?: string;
  };
}

/**
 * The Electron executable that electron-builder has just packed, named the way
 * electron-builder names it (and as its own `addElectronFuses` finds it): `<productFilename>.app`
 * on macOS (@electron/fuses finds the Electron Framework inside), `<productFilename>.exe` on
 * Windows, and on Linux the packager's `executableName` (`dossier`, from package.json's name).
 */
export function executablePathFor(context: AfterPackContext): string {
  const { appOutDir, electronPlatformName: platform, packager } = context;
  switch (platform) {
    case 'darwin':
    case 'mas':
      return join(appOutDir, `${packager.appInfo.productFilename}.app`);
    case 'win32':
      return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
    case 'linux':
      if (!packager.executableName) {
        throw new Error('afterPack: the Linux packager gave no executableName');
      }
      return join(appOutDir, packager.executableName);
    default:
      throw new Error(`afterPack: Dossier is not packaged for platform "${platform}"`);
  }
}

/**
 * The configuration handed to flipFuses: FUSES, plus an ad-hoc re-signature on Apple Silicon.
 * Flipping fuses changes the binary and so breaks its ad-hoc signature, and arm64 macOS will
 * not run an unsigned binary. A real signature, when one is configured, comes after this hook.
 */
export function fuseConfig(
  context: Pick<AfterPackContext, 'electronPlatformName' | 'arch'>,
): FuseV1Config {
  const mac = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  const armSlice = context.arch === BuilderArch.arm64 || context.arch === BuilderArch.universal;
  return { version: FuseVersion.V1, resetAdHocDarwinSignature: mac && armSlice, ...FUSES };
}

export interface FuseTools {
  flipFuses: (path: string, config: FuseV1Config) => Promise<number>;
  /** The wire as read back: index → byte ('0' 0x30, '1' 0x31, 'r' 0x72), plus `version`. */
  getCurrentFuseWire: (path: string) => Promise<Readonly<Record<string, unknown>>>;
  log: (line: string) => void;
}

const realTools: FuseTools = {
  flipFuses,
  getCurrentFuseWire,
  log: (line) => console.log(`  • ${line}`),
};

/**
 * The afterPack step: flip FUSES in the packed executable, then read the wire back and fail
 * the build unless every fuse is as configured. A fuse the binary has but @electron/fuses
 * does not know yet is left at Electron's default and named in the log.
 */
export async function flipDossierFuses(
  context: AfterPackContext,
  tools: FuseTools = realTools,
): Promise<void> {
  const path = executablePathFor(context);
  await tools.flipFuses(path, fuseConfig(context));

  const wire = await tools.getCurrentFuseWire(path);
  const problems: string[] = [];
  for (const [key, on] of Object.entries(FUSES)) {
    const name = FUSE_NAMES[Number(key)] ?? `fuse ${key}`;
    const byte = wire[key];
    if (byte === WIRE_REMOVED) {
      problems.push(`${name} has been removed from this Electron, so it cannot be set`);
    } else if (byte !== (on ? WIRE_ON : WIRE_OFF)) {
      problems.push(`${name} is ${String(byte)}, expected ${on ? 'on' : 'off'}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`afterPack: fuses in ${path} are wrong:\n  ${problems.join('\n  ')}`);
  }

  const unknown = Object.keys(wire).filter((k) => k !== 'version' && !(k in FUSES));
  for (const key of unknown) {
    const state = wire[key] === WIRE_ON ? 'on' : wire[key] === WIRE_OFF ? 'off' : 'removed';
    tools.log(`fuse ${key} is not known to @electron/fuses; left at Electron's default (${state})`);
  }
  tools.log(`fuses flipped and checked in ${path}`);
}
