/**
 * Failures while reading or writing age files. The code says which layer failed, so
 * callers can tell "wrong key" from "damaged file" without parsing messages.
 */
export type AgeErrorCode =
  /** The header is malformed (or the file is not an age file at all). */
  | 'HEADER'
  /** The header parsed and a key matched, but its MAC is wrong: the header was altered. */
  | 'HEADER_MAC'
  /** None of the given keys or passphrases can open the file. */
  | 'NO_IDENTITY'
  /** Encrypted data failed authentication: damaged or tampered with. */
  | 'PAYLOAD'
  /** The file ends early. */
  | 'TRUNCATED'
  /** The ASCII armor is malformed. */
  | 'ARMOR'
  /** A well-formed file we refuse to open: unknown version, or too costly a passphrase. */
  | 'UNSUPPORTED'
  /** A key string (age1… / AGE-SECRET-KEY-1…) is not valid. */
  | 'KEY';

export class AgeError extends Error {
  override readonly name = 'AgeError';
  constructor(
    readonly code: AgeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAgeError(e: unknown, code?: AgeErrorCode): e is AgeError {
  return e instanceof AgeError && (code === undefined || e.code === code);
}
