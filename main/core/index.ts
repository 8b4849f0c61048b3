// The vault engine's public surface, for the CLI, the Electron shell and the bridge.
export { Vault, HEADER_FILE, DB_FILE, type OpenOptions, type RevealedKeys } from './vault/vault';
export { defaultVaultDir } from './vault/location';
export { DossierError, isDossierError, type DossierErrorCode } from './errors';
export type { AddOptions, AddProgress, AddReport, AddResult } from './ingest/ingest';
export type { ItemDetail, ItemSummary } from './items/repository';
export type { IntegrityReport, IntegrityProblem } from './integrity';
export { verifyChain, entryHash, type CustodyEntry, type ChainReport } from './custody/log';
export { DEFAULT_ARGON2, type Argon2Params } from './keys/slots';
export { assertPassphraseStrong } from './keys/passphrase-policy';
export type { Incident, IncidentInput, Person, PersonInput, PersonRole } from './cases/repository';
export type { ExportOptions, ExportResult, ExportSelection, ExportProgress } from './export/export';
export type { BundleReport } from './export/verify-bundle';
export { SOFTWARE } from './version';
export { asDatabaseError } from './db/database';
export type { QuarantinedFile } from './blobs/quarantine';
export type { RestoreResult } from './vault/quarantine-restore';
export type { RemovalResult, RemovedKind } from './vault/removal';
