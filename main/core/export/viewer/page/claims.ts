/** What a matching fingerprint proves and what it does not: said the same way everywhere. */

export function means(exportedText: string): string {
  return (
    'What this means: each file marked \u201cMatches\u201d is bit-for-bit the same as the file that was put in this bundle on ' +
    exportedText +
    '. It has not been edited, replaced or damaged since.'
  );
}

export const NOT_MEANS =
  'What it does not mean: a matching fingerprint does not show that what a file shows is true or complete, ' +
  'who made it, or when. Times taken from the files themselves (photo EXIF data, file dates) can be set by anyone.';

export const SELF =
  'This check relies on this page. Someone able to change the files could also change this page, so for a ' +
  'formal check also verify the signature with the steps in VERIFY.txt and compare the signing key fingerprint ' +
  '(shown at the top) with the person who made the bundle.';
