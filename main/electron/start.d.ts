/** The installed Electron binary's path, or null when it was never downloaded. */
export function installedElectron(): string | null;
