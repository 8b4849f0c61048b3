import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a vault lives when no folder is given: inside the per-user data folder that
 * Electron's app.getPath('userData') uses for "Dossier", so the app and the CLI agree.
 */
export function defaultVaultDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Dossier', 'vault');
  if (platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'Dossier', 'vault');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Dossier', 'vault');
}
