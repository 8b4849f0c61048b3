/**
 * VERIFY.txt: how anyone can check the bundle without Dossier, on Linux, macOS and Windows,
 * with the tools each system has and, for the signature where a system has none (macOS's
 * LibreSSL cannot check Ed25519; Windows has nothing built in), which one to install.
 *
 * Plain ASCII apart from the case name, lines of at most 80 characters. Commands are the
 * lines indented by six spaces, so the tests can run the Linux and macOS ones as printed.
 */
export function verifyText(v: {
  caseName: string;
  bagName: string;
  fingerprint: string;
  exhibits: number;
  exportedAt: string;
  /** Messages printed in the transcripts (data/metadata/messages.json). */
  messages?: number;
  /** How many exhibits record where they were taken, and what the exporter chose. */
  location?: { items: number; choice: 'withheld' | 'included' | null };
}): string {
  const groups = v.fingerprint.split(' ');
  const hex = groups.join('');
  return `HOW TO CHECK THIS EVIDENCE BUNDLE
=================================

Case:      ${oneLine(v.caseName)}
Bundle:    ${v.bagName}
Exported:  ${v.exportedAt} (UTC)
Exhibits:  ${v.exhibits}
Signing key fingerprint (SHA-256 of the raw Ed25519 public key):
           ${groups.slice(0, 8).join(' ')}
           ${groups.slice(8).join(' ')}

This folder is a BagIt bag (RFC 8493). You do not need Dossier to check it.
Every file under data/ is listed with its SHA-256 in manifest-sha256.txt (and
its SHA-512 in manifest-sha512.txt). The files that describe the bag are
listed in tagmanifest-sha256.txt, which is signed with the key in
signature/dossier-public-key.pem.

The checks:
  A. every evidence file, the metadata, the report, the court bundle and the
     viewer are intact;
  B. the manifests and bag-info.txt were not changed;
  C. the signature over tagmanifest-sha256.txt is good;
  D. the key that signed it is the sender's key;
  E. nothing was added under data/.

Open a terminal in this folder (the one that contains this file). On Windows:
right-click inside the folder in File Explorer, "Open in Terminal" (a
PowerShell window). Then follow the steps for your system.

LINUX
-----
A.    sha256sum -c manifest-sha256.txt
    Every line must end in "OK". A second, independent algorithm:
      sha512sum -c manifest-sha512.txt
B.    sha256sum -c tagmanifest-sha256.txt
C.  Needs OpenSSL 3.0 or newer ("openssl version" says which you have):
      openssl pkeyutl -verify -pubin -inkey signature/dossier-public-key.pem \\
        -rawin -in tagmanifest-sha256.txt \\
        -sigfile signature/tagmanifest-sha256.txt.sig
    It must print "Signature Verified Successfully".
D.    openssl pkey -pubin -in signature/dossier-public-key.pem -outform DER \\
        | tail -c 32 | sha256sum
    It must print (followed by "  -"):
    ${hex}

MACOS
-----
A.    shasum -a 256 -c manifest-sha256.txt
    Every line must end in "OK". A second, independent algorithm:
      shasum -a 512 -c manifest-sha512.txt
B.    shasum -a 256 -c tagmanifest-sha256.txt
C.  The openssl that comes with macOS (LibreSSL) cannot check this kind of
    signature (Ed25519). Install OpenSSL 3 with Homebrew (https://brew.sh):
    "brew install openssl@3", then:
      "$(brew --prefix openssl@3)/bin/openssl" pkeyutl -verify -pubin \\
        -inkey signature/dossier-public-key.pem -rawin \\
        -in tagmanifest-sha256.txt \\
        -sigfile signature/tagmanifest-sha256.txt.sig
    It must print "Signature Verified Successfully".
D.    grep -v -e ----- signature/dossier-public-key.pem | openssl base64 -d \\
        | tail -c 32 | shasum -a 256
    It must print (followed by "  -"):
    ${hex}

WINDOWS (POWERSHELL)
--------------------
A.  Paste these lines; each file is shown with OK or FAILED:
      Get-Content -Encoding UTF8 manifest-sha256.txt | ForEach-Object {
        $hash, $file = $_ -split '  ', 2
        $got = (Get-FileHash -Algorithm SHA256 -LiteralPath $file).Hash
        if ($got -eq $hash) { "OK      $file" } else { "FAILED  $file" } }
    One file by hand (also in cmd.exe): certutil -hashfile FILE SHA256, and
    compare with its line in manifest-sha256.txt.
B.  The same lines as in A, with tagmanifest-sha256.txt in place of
    manifest-sha256.txt.
C.  Windows has no tool of its own that checks an Ed25519 signature (neither
    PowerShell nor certutil can). Install OpenSSL 3 for Windows (the OpenSSL
    website, openssl.org, lists builds; "openssl version" must say 3.0 or
    newer), then:
      openssl pkeyutl -verify -pubin -inkey signature/dossier-public-key.pem \`
        -rawin -in tagmanifest-sha256.txt \`
        -sigfile signature/tagmanifest-sha256.txt.sig
    It must print "Signature Verified Successfully".
D.  Paste these lines:
      $pem = Get-Content signature/dossier-public-key.pem
      $der = [Convert]::FromBase64String(($pem -notmatch '-----') -join '')
      $sha = [Security.Cryptography.SHA256]::Create()
      $raw = $sha.ComputeHash($der, 12, 32)
      -join ($raw | ForEach-Object { $_.ToString('x2') })
    It must print:
    ${hex}

ON EVERY SYSTEM
---------------
D.  The fingerprint printed in step D must be the one at the top of this file,
    and the one the sender gave you by another route (phone, in person, a
    letter). A bundle can only be trusted as far as that comparison.
E.  No extra files: every file under data/ must be listed in
    manifest-sha256.txt. Open data/viewer/index.html in a web browser and choose
    this folder: it re-computes every SHA-256 on your computer (nothing is sent
    anywhere) and names any file that is missing, changed or extra. It does not
    check the signature (step C). "dossier verify FOLDER" does all of A to E.

A bundle received as a .zip.age file is encrypted: open it first with the
free tool age (https://age-encryption.org) and the passphrase the sender gave
you: age -d -o bundle.zip FILE.zip.age, then unzip bundle.zip.

MESSAGES IN THE TRANSCRIPTS
---------------------------
${
  v.messages
    ? `This bundle prints ${v.messages} message(s) from chat exports or mailboxes.`
    : 'This bundle prints no messages from chat exports or mailboxes.'
} Each
is listed in data/metadata/messages.json with its exhibit's file ("file"),
the byte span of the message in it ("offset", "length") and the SHA-256 of
those bytes ("sha256"). When "chatFile" is set, the exhibit is a zip and the
span counts into that file inside it. To check one message on Linux, put
its values in place of FILE, OFFSET, LENGTH and CHATFILE:
      tail -c +$((OFFSET + 1)) FILE | head -c LENGTH | sha256sum
      unzip -p FILE CHATFILE | tail -c +$((OFFSET + 1)) | head -c LENGTH \\
        | sha256sum
    (the second for a zip). On macOS use "shasum -a 256" for "sha256sum".
    The hash printed must be the message's "sha256"; the same bytes, read as
    UTF-8, are the message as the export wrote it. "dossier verify FOLDER"
    checks every message this way.

${locationText(v.location)}WHAT THIS PROVES, AND WHAT IT DOES NOT
--------------------------------------
If every check passes, each file is bit-for-bit the same as when it was
exported, and the exported originals have the same SHA-256 as when they were
first imported into the vault (see data/metadata/custody.jsonl and the
report's custody appendix). It does not prove that what the files show is
true, who created them, or when they were really created: times taken from
files and photos (EXIF) can be set by anyone.
`;
}

/** Said only when exhibits record where they were taken (GPS in a photo). */
function locationText(l: { items: number; choice: 'withheld' | 'included' | null } | undefined) {
  if (!l || l.items === 0) return '';
  const which =
    l.items === 1
      ? '1 exhibit records where it was taken (GPS).'
      : `${l.items} exhibits record where they were taken (GPS).`;
  const choice =
    l.choice === 'included'
      ? `The person who made this bundle chose to include that location: the
metadata (data/metadata/items.json) and the viewer show it.`
      : `The person who made this bundle chose to withhold that location: the
metadata, the report, the court bundle and the viewer leave it out and say
"Location withheld by the exporter".`;
  return `LOCATION IN PHOTOS
------------------
${which}
${choice}
The original files under data/evidence are exported unchanged (their SHA-256
is the point), so they still hold their own location, readable with any
photo tool. A copy made without location is the way to disclose a photo
without it.

`;
}

/**
 * The case name on one line: a line break or control character in it must not start a
 * line of its own here, where it could pass for an instruction.
 */
const NOT_ON_ONE_LINE =
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

function oneLine(text: string): string {
  return text.replace(NOT_ON_ONE_LINE, ' ').replace(/ {2,}/g, ' ').trim();
}
