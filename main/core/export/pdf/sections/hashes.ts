// What the hashes prove and what they do not: never more than "unchanged since it was
// stored in Dossier".
import { CONTENT_W, MARGIN, type PdfWriter } from '../writer';

/** `where`: the document's own words for itself and for the place each hash is printed. */
export function hashesSection(
  w: PdfWriter,
  where: { document: string; block: string } = {
    document: 'report',
    block: 'exhibit block',
  },
): void {
  w.heading('What a SHA-256 hash shows', 12, 0);
  w.para(
    'A SHA-256 hash is a 64-character fingerprint calculated from every bit of a file. Dossier ' +
      'calculated each exhibit’s hash when the file was imported, kept the file unchanged, and ' +
      'checked the hash again when making this bundle.',
  );
  w.gap(4);
  w.bullets([
    `If a copy of an exhibit gives the SHA-256 printed in this ${where.document}, that copy is bit-for-bit ` +
      'identical to the file as it was imported into Dossier at the recorded import time. ' +
      'Changing even one pixel or one character would give a different hash.',
    'The custody log shows, in order, what was done in the vault and when (by the computer’s ' +
      'clock); its chain of hashes shows that no entry has been changed, removed or reordered since.',
    'The signature shows that the bundle’s file list and hashes have not been changed since ' +
      'export by anyone without the signing key whose fingerprint is printed on every page.',
  ]);
  w.heading('What the hashes do not show', 12, 8);
  w.bullets([
    'That the content is true, or that it shows what it appears to show.',
    'Who made the file, who sent it, or who holds the signing key.',
    'When the file was really created. Times taken from the file system (“file modified”) and ' +
      'from EXIF data (“taken”) are copied from the file, and anyone can set them. The import ' +
      'time comes from the clock of the computer running Dossier.',
    'That the file was not changed before it was imported into Dossier.',
  ]);
  w.heading('How to check', 12, 8);
  w.para(
    'VERIFY.txt in the bundle explains how to check the signature and every file’s hash with ' +
      'standard tools. For a single exhibit, calculate its SHA-256 and compare it with the value ' +
      `printed in its ${where.block}, for example with:`,
  );
  w.gap(4);
  w.rows(
    [
      { label: 'Linux', value: 'sha256sum FILE', mono: true },
      { label: 'macOS', value: 'shasum -a 256 FILE', mono: true },
      { label: 'Windows', value: 'certutil -hashfile FILE SHA256', mono: true },
    ],
    MARGIN.left + 16,
    CONTENT_W - 16,
  );
}
