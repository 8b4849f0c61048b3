import pkg from '../../package.json';

/** Recorded in bundles (Bag-Software-Agent) and shown by `dossier --version`. */
export const SOFTWARE = { name: 'Dossier', version: pkg.version } as const;
