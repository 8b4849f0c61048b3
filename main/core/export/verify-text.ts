/**
 * VERIFY.txt: how anyone can check the bundle with tools that come with Linux and
 * macOS (and Git for Windows), step by step, without Dossier.
 */
export function verifyText(v: {
  caseName: string;
  bagName: string;
  fingerprint: string;
  exhibits: number;
  exportedAt: string;
}): string {
  return `HOW TO CHECK THIS EVIDENCE BUNDLE
=================================

Case:         ${v.caseName}
Bundle:       ${v.bagName}
Exported:     ${v.exportedAt} (UTC)
Exhibits:     ${v.exhibits}
Signing key fingerprint (SHA-256 of the raw Ed25519 public key):
              ${v.fingerprint}

This folder is a BagIt bag (RFC 8493). Every file under data/ is listed, with its
SHA-256 and SHA-512, in manifest-sha256.txt and manifest-sha512.txt. The files that
describe the bag are listed in tagmanifest-sha256.txt, and that file is signed with the
key in signature/dossier-public-key.pem. You do not need Dossier to check any of this.

Open a terminal in this folder (the one that contains this file), then:

1. Check every evidence file, metadata file, the report and the viewer:

       sha256sum -c manifest-sha256.txt

   Every line must end in "OK". (On macOS: shasum -a 256 -c manifest-sha256.txt)
   For a second, independent algorithm: sha512sum -c manifest-sha512.txt

2. Check that the manifests and bag-info.txt were not changed:

       sha256sum -c tagmanifest-sha256.txt

3. Check the signature over the tag manifest (OpenSSL 3.0 or newer):

       openssl pkeyutl -verify -pubin -inkey signature/dossier-public-key.pem \\
         -rawin -in tagmanifest-sha256.txt -sigfile signature/tagmanifest-sha256.txt.sig

   It must print "Signature Verified Successfully".

4. Check that the key is the person's key. Compute its fingerprint:

       openssl pkey -pubin -in signature/dossier-public-key.pem -outform DER | tail -c 32 | sha256sum

   It must print ${v.fingerprint.replace(/ /g, '')}
   (the fingerprint above, without spaces). Compare it also with one obtained from the person by
   another route (phone, in person, a letter). A bundle can only be trusted as far as
   that comparison.

5. No extra files: every file under data/ must appear in manifest-sha256.txt. The
   viewer (data/viewer/index.html) and "dossier verify" check this for you.

Or open data/viewer/index.html in a web browser, choose this folder when asked, and it
re-computes every SHA-256 on your computer (nothing is sent anywhere).

WHAT THIS PROVES, AND WHAT IT DOES NOT
--------------------------------------
If every check passes, each file is bit-for-bit the same as when it was exported, and the
exported originals have the same SHA-256 as when they were first imported into the
vault (see data/metadata/custody.jsonl and the report's custody appendix).
It does not prove that what the files show is true, who created them, or when they were
really created: times taken from files and photos (EXIF) can be set by anyone.
`;
}
