// electron-builder's afterPack hook (electron-builder.yml → afterPack). electron-builder loads a
// hook file with require(), then import(); on Node 20 neither reads TypeScript, so this entry
// is plain JS and hands over to build/fuses.ts, which holds the fuse list and the flipping.
import { tsImport } from 'tsx/esm/api';

/** @param {import('./fuses.ts').AfterPackContext} context */
export default async function afterPack(context) {
  /** @type {typeof import('./fuses.ts')} */
  const fuses = await tsImport('./fuses.ts', import.meta.url);
  await fuses.flipDossierFuses(context);
}
