/**
 * age v1 (https://age-encryption.org/v1) on node:crypto: X25519 and scrypt recipients,
 * ASCII armor, in-memory and chunked encryption, and random-access decryption.
 */
export type { Identity, Recipient, Stanza } from './types';
export { X25519Identity, X25519Recipient } from './x25519';
export { ScryptIdentity, ScryptRecipient, DEFAULT_LOG_N, DEFAULT_MAX_LOG_N } from './scrypt';
export { AgeEncryptor, decrypt, encrypt, encryptedPayloadSize } from './age';
export type { DecryptOptions } from './age';
export { AgeFileReader } from './reader';
export { armorDecode, armorEncode } from './armor';
export { CHUNK_SIZE } from './stream';
export { AgeError, isAgeError } from './errors';
export type { AgeErrorCode } from './errors';
