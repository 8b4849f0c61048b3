/** A header stanza: `-> type args...` followed by a base64 body. */
export interface Stanza {
  type: string;
  args: string[];
  body: Buffer;
}

/** Wraps a file key into the stanzas that go in the header. */
export interface Recipient {
  wrap(fileKey: Buffer): Stanza[];
}

/**
 * Recovers the file key from the header's stanzas. Returns null when no stanza is for
 * this identity; throws AgeError when a stanza of its type is malformed.
 */
export interface Identity {
  unwrap(stanzas: readonly Stanza[]): Buffer | null;
}
