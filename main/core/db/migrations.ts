import { kindOfMime } from '../../../shared/item-kind';
import { CustodyLog } from '../custody/log';
import { boxInMillionths, REGION_SCALE, type Box } from '../items/annotations';
import { OCR_MIMES } from '../ocr/mimes';
import type { Db } from './database';

/**
 * Versioned schema. Each entry moves the database from version i to i+1 inside one
 * transaction; `PRAGMA user_version` records where it stands. Never edit a shipped step.
 * A step is SQL, or a function when existing rows need values computed in code.
 */
export type Migration = string | ((db: Db) => void);

export const MIGRATIONS: readonly Migration[] = [
  /* 1: the evidence model (docs/vault-format.md §5) */ `
  CREATE TABLE blobs (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'thumbnail')),
    size        INTEGER NOT NULL CHECK (size >= 0),   -- plaintext bytes
    sha256      TEXT NOT NULL,                        -- of the plaintext
    created_at  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE items (
    id                 TEXT PRIMARY KEY,
    blob_id            TEXT NOT NULL UNIQUE REFERENCES blobs(id),
    sha256             TEXT NOT NULL UNIQUE,
    size               INTEGER NOT NULL,
    mime               TEXT NOT NULL,
    name               TEXT NOT NULL,                 -- original file name, unchanged
    source_path        TEXT,                          -- where it was imported from
    ingested_at        TEXT NOT NULL,                 -- UTC, ISO 8601
    ingested_offset    INTEGER NOT NULL,              -- local UTC offset in minutes at ingest
    source_mtime       TEXT,                          -- file modification time (UTC)
    source_exif_time   TEXT,                          -- EXIF DateTimeOriginal (zone only if EXIF had one)
    source_email_time  TEXT,                          -- email Date header
    width              INTEGER,
    height             INTEGER,
    duration_s         REAL,
    thumb_blob_id      TEXT UNIQUE REFERENCES blobs(id),
    metadata           TEXT NOT NULL DEFAULT '{}',    -- JSON: EXIF and other extracted facts
    metadata_errors    TEXT NOT NULL DEFAULT '[]',    -- JSON array of plain-words problems
    sensitive          TEXT NOT NULL DEFAULT '[]',    -- JSON array, e.g. ["gps"]
    extracted_text     TEXT,
    parent_id          TEXT REFERENCES items(id),     -- derivatives: the item they came from
    derive_op          TEXT,
    derive_reason      TEXT
  ) STRICT;
  CREATE INDEX items_ingested ON items(ingested_at);

  -- Every time the same bytes were imported again (a duplicate), and from where.
  CREATE TABLE item_sources (
    id          INTEGER PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES items(id),
    name        TEXT NOT NULL,
    source_path TEXT,
    source_mtime TEXT,
    seen_at     TEXT NOT NULL
  ) STRICT;
  CREATE INDEX item_sources_item ON item_sources(item_id);

  CREATE TABLE tags (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE COLLATE NOCASE
  ) STRICT;
  CREATE TABLE item_tags (
    item_id TEXT NOT NULL REFERENCES items(id),
    tag_id  INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (item_id, tag_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE notes (
    id          TEXT PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES items(id),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  ) STRICT;
  CREATE INDEX notes_item ON notes(item_id);

  -- Region marks on images: a rectangle (fractions of width/height) with a comment.
  CREATE TABLE regions (
    id          TEXT PRIMARY KEY,
    item_id     TEXT NOT NULL REFERENCES items(id),
    x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
  ) STRICT;

  CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    occurred_at      TEXT NOT NULL,
    occurred_until   TEXT,
    place            TEXT NOT NULL DEFAULT '',        -- where, or on what platform
    summary          TEXT NOT NULL DEFAULT '',        -- what happened
    impact           TEXT NOT NULL DEFAULT '',
    witnesses        TEXT NOT NULL DEFAULT '',
    police_ref       TEXT NOT NULL DEFAULT '',
    platform_ref     TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
  ) STRICT;

  CREATE TABLE people (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('harasser', 'witness', 'official', 'other')),
    notes       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
  ) STRICT;
  CREATE TABLE person_identifiers (
    id          INTEGER PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people(id),
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'handle', 'phone')),
    value       TEXT NOT NULL,
    UNIQUE (kind, value)
  ) STRICT;

  CREATE TABLE incident_items (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    item_id     TEXT NOT NULL REFERENCES items(id),
    PRIMARY KEY (incident_id, item_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE incident_people (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    person_id   TEXT NOT NULL REFERENCES people(id),
    PRIMARY KEY (incident_id, person_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE item_people (
    item_id     TEXT NOT NULL REFERENCES items(id),
    person_id   TEXT NOT NULL REFERENCES people(id),
    relation    TEXT NOT NULL DEFAULT 'about',        -- e.g. sender, about
    PRIMARY KEY (item_id, person_id, relation)
  ) STRICT, WITHOUT ROWID;

  -- Append-only, hash-chained (custody/log.ts). The triggers make the database refuse edits.
  CREATE TABLE custody_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subjects  TEXT NOT NULL,      -- JSON array of ids
    details   TEXT NOT NULL,      -- JSON object
    prev      TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
  ) STRICT;
  CREATE TRIGGER custody_log_no_update BEFORE UPDATE ON custody_log
    BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;
  CREATE TRIGGER custody_log_no_delete BEFORE DELETE ON custody_log
    BEGIN SELECT RAISE(ABORT, 'the custody log is append-only'); END;

  -- Ed25519-signed statements of the chain head, written at lock and at export.
  CREATE TABLE custody_checkpoints (
    seq        INTEGER PRIMARY KEY REFERENCES custody_log(seq),
    head       TEXT NOT NULL,
    signed_at  TEXT NOT NULL,
    signature  TEXT NOT NULL      -- base64 Ed25519 over canonical JSON {vaultId, seq, head, signedAt}
  ) STRICT;

  -- Full-text search over names, notes and extracted text, one row per item.
  CREATE VIRTUAL TABLE item_search USING fts5(
    item_id UNINDEXED, name, notes, text, tokenize = 'unicode61 remove_diacritics 2'
  );
  `,

  /* 2: the library page (fast filter, sort and count), settings */
  (db) => {
    db.exec(`
    -- The kind (image, email, ...) from shared/item-kind.ts, and the time the library sorts on:
    -- the best source time (EXIF, email Date, file mtime) as UTC, else the import time.
    -- Written once with the row: originals never change.
    ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT 'other';
    ALTER TABLE items ADD COLUMN sort_time TEXT NOT NULL DEFAULT '';
    -- The item's row in item_search (its FTS5 rowid): an ordinary column, so VACUUM keeps it,
    -- and the full-text row is found, replaced and joined by integer instead of a scan.
    ALTER TABLE items ADD COLUMN search_rowid INTEGER;
    UPDATE items SET search_rowid = rowid;
    CREATE UNIQUE INDEX items_search_rowid ON items(search_rowid);
    UPDATE items SET sort_time = coalesce(
      strftime('%Y-%m-%dT%H:%M:%fZ', source_exif_time),
      strftime('%Y-%m-%dT%H:%M:%fZ', source_email_time),
      strftime('%Y-%m-%dT%H:%M:%fZ', source_mtime),
      ingested_at);

    -- One index per library sort. Each ends with id (stable pages when values tie) and then
    -- holds the filter columns, so a page is found by walking one index without table reads.
    DROP INDEX items_ingested;
    CREATE INDEX items_ingested ON items(ingested_at, id, kind, sort_time, search_rowid);
    CREATE INDEX items_sort_time ON items(sort_time, id, kind, search_rowid);
    CREATE INDEX items_name ON items(name COLLATE NOCASE, id, kind, sort_time, search_rowid);
    CREATE INDEX items_size ON items(size, id, kind, sort_time, search_rowid);
    -- Counts by kind (and time).
    CREATE INDEX items_kind ON items(kind, sort_time);
    -- From a tag, person, incident or search match to every sort key without reading the
    -- table: when few items match, they are sorted from these alone.
    CREATE INDEX items_by_id ON items(id, sort_time, ingested_at, size, kind, search_rowid, name);
    CREATE INDEX items_by_search ON items(search_rowid, sort_time, ingested_at, size, kind, id, name);
    CREATE INDEX item_tags_tag ON item_tags(tag_id, item_id);
    CREATE INDEX item_people_person ON item_people(person_id, item_id);
    CREATE INDEX incident_items_item ON incident_items(item_id, incident_id);
    CREATE INDEX incident_people_person ON incident_people(person_id, incident_id);
    CREATE INDEX regions_item ON regions(item_id);

    -- Preferences kept inside the encrypted database (e.g. autoLockMinutes), JSON values.
    CREATE TABLE settings (
      key    TEXT PRIMARY KEY,
      value  TEXT NOT NULL
    ) STRICT;
    `);
    const update = db.prepare('UPDATE items SET kind = ? WHERE mime = ?');
    for (const { mime } of db.prepare('SELECT DISTINCT mime FROM items').all() as {
      mime: string;
    }[])
      update.run(kindOfMime(mime), mime);
    // Renumber the full-text rows to match items.search_rowid (done in memory: no temp files).
    const rows = db.prepare('SELECT item_id, name, notes, text FROM item_search').all() as {
      item_id: string;
      name: string;
      notes: string;
      text: string;
    }[];
    db.exec('DELETE FROM item_search');
    const insert = db.prepare(
      `INSERT INTO item_search (rowid, item_id, name, notes, text)
       SELECT search_rowid, ?, ?, ?, ? FROM items WHERE id = ?`,
    );
    for (const r of rows) insert.run(r.item_id, r.name, r.notes, r.text, r.item_id);
  },

  /* 3: library pages filtered by kind or by one tag, read in sort order from an index */ `
  -- One index per sort that leads with the kind: a page of one kind (or a merge of a few)
  -- starts at its own entries instead of walking the whole sort index past other kinds.
  -- items_kind_sort_time also serves counts by kind and time (it replaces items_kind).
  DROP INDEX items_kind;
  CREATE INDEX items_kind_sort_time ON items(kind, sort_time, id);
  CREATE INDEX items_kind_ingested ON items(kind, ingested_at, id, sort_time);
  CREATE INDEX items_kind_name ON items(kind, name COLLATE NOCASE, id, sort_time);
  CREATE INDEX items_kind_size ON items(kind, size, id, sort_time);

  -- Copies of the item's sort keys on each tag link, so a tag's items are read in any sort
  -- order from one index instead of being looked up one by one and sorted. Triggers keep
  -- them equal to the item's (items are not edited today; the second trigger is a guard).
  ALTER TABLE item_tags ADD COLUMN sort_time TEXT;
  ALTER TABLE item_tags ADD COLUMN ingested_at TEXT;
  ALTER TABLE item_tags ADD COLUMN size INTEGER;
  ALTER TABLE item_tags ADD COLUMN name TEXT;
  UPDATE item_tags SET (sort_time, ingested_at, size, name) =
    (SELECT sort_time, ingested_at, size, name FROM items WHERE id = item_tags.item_id);
  CREATE TRIGGER item_tags_sort_keys AFTER INSERT ON item_tags BEGIN
    UPDATE item_tags SET (sort_time, ingested_at, size, name) =
      (SELECT sort_time, ingested_at, size, name FROM items WHERE id = NEW.item_id)
    WHERE item_id = NEW.item_id AND tag_id = NEW.tag_id;
  END;
  CREATE TRIGGER items_sort_keys AFTER UPDATE OF sort_time, ingested_at, size, name ON items BEGIN
    UPDATE item_tags SET (sort_time, ingested_at, size, name) =
      (NEW.sort_time, NEW.ingested_at, NEW.size, NEW.name)
    WHERE item_id = NEW.id;
  END;
  CREATE INDEX item_tags_sort_time ON item_tags(tag_id, sort_time, item_id);
  CREATE INDEX item_tags_ingested ON item_tags(tag_id, ingested_at, item_id);
  CREATE INDEX item_tags_name ON item_tags(tag_id, name COLLATE NOCASE, item_id);
  CREATE INDEX item_tags_size ON item_tags(tag_id, size, item_id);
  `,

  /* 4: library rows carry their tag names; counts of items by kind and day */ `
  -- The item's tag names as a JSON array in name order, kept equal to item_tags by triggers:
  -- a library page gets its rows' tags with the rows, not from 200 more lookups.
  ALTER TABLE items ADD COLUMN tag_names TEXT NOT NULL DEFAULT '[]';
  UPDATE items SET tag_names = (
    SELECT json_group_array(name) FROM (SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id
      WHERE it.item_id = items.id ORDER BY t.name))
  WHERE id IN (SELECT item_id FROM item_tags);
  CREATE TRIGGER item_tags_names_insert AFTER INSERT ON item_tags BEGIN
    UPDATE items SET tag_names = (
      SELECT json_group_array(name) FROM (SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id
        WHERE it.item_id = NEW.item_id ORDER BY t.name))
    WHERE id = NEW.item_id;
  END;
  CREATE TRIGGER item_tags_names_delete AFTER DELETE ON item_tags BEGIN
    UPDATE items SET tag_names = (
      SELECT json_group_array(name) FROM (SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id
        WHERE it.item_id = OLD.item_id ORDER BY t.name))
    WHERE id = OLD.item_id;
  END;
  CREATE TRIGGER tags_names_update AFTER UPDATE OF name ON tags BEGIN
    UPDATE items SET tag_names = (
      SELECT json_group_array(name) FROM (SELECT t.name FROM item_tags it JOIN tags t ON t.id = it.tag_id
        WHERE it.item_id = items.id ORDER BY t.name))
    WHERE id IN (SELECT item_id FROM item_tags WHERE tag_id = NEW.id);
  END;

  -- How many items of each kind sort on each UTC day (the day of items.sort_time), kept by
  -- triggers: a total for kinds and whole-day dates is a sum over days, not an index walk.
  CREATE TABLE library_counts (
    kind  TEXT NOT NULL,
    day   TEXT NOT NULL,
    n     INTEGER NOT NULL CHECK (n >= 0),
    PRIMARY KEY (kind, day)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO library_counts (kind, day, n)
    SELECT kind, substr(sort_time, 1, 10), count(*) FROM items GROUP BY 1, 2;

  -- A new random version whenever the items or their sort keys change: the library's sort
  -- ranks held in memory are dropped when it moves (random, so a rolled-back change that
  -- is followed by another one can never bring back a version already seen).
  CREATE TABLE library_state (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    version  INTEGER NOT NULL
  ) STRICT;
  INSERT INTO library_state (id, version) VALUES (1, random());
  CREATE TRIGGER items_version_update
    AFTER UPDATE OF sort_time, ingested_at, name, size, search_rowid ON items BEGIN
    UPDATE library_state SET version = random();
  END;
  CREATE TRIGGER items_count_insert AFTER INSERT ON items BEGIN
    UPDATE library_state SET version = random();
    INSERT INTO library_counts (kind, day, n) VALUES (NEW.kind, substr(NEW.sort_time, 1, 10), 1)
      ON CONFLICT (kind, day) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER items_count_delete AFTER DELETE ON items BEGIN
    UPDATE library_state SET version = random();
    UPDATE library_counts SET n = n - 1 WHERE kind = OLD.kind AND day = substr(OLD.sort_time, 1, 10);
    DELETE FROM library_counts WHERE kind = OLD.kind AND day = substr(OLD.sort_time, 1, 10) AND n = 0;
  END;
  CREATE TRIGGER items_count_update AFTER UPDATE OF kind, sort_time ON items BEGIN
    UPDATE library_counts SET n = n - 1 WHERE kind = OLD.kind AND day = substr(OLD.sort_time, 1, 10);
    DELETE FROM library_counts WHERE kind = OLD.kind AND day = substr(OLD.sort_time, 1, 10) AND n = 0;
    INSERT INTO library_counts (kind, day, n) VALUES (NEW.kind, substr(NEW.sort_time, 1, 10), 1)
      ON CONFLICT (kind, day) DO UPDATE SET n = n + 1;
  END;
  `,

  /* 5: an item's ingest entry found by one index lookup (cat checks its row against it) */ `
  -- An ingest entry's subjects are exactly '["<item id>"]'.
  CREATE INDEX custody_ingest_subject ON custody_log(subjects) WHERE action = 'ingest';
  `,

  /* 6: source paths as salted digests in the custody log; exports still being written */ `
  -- The random salt (16 bytes, hex) of the source's pathDigest in its custody entry; null for
  -- sources recorded before step 6, whose entries hold the full path.
  ALTER TABLE item_sources ADD COLUMN path_salt TEXT;

  -- An export's unfinished bundle, recorded before it is created and removed once it is renamed
  -- into place or deleted: what a killed export left behind is found and removed later.
  CREATE TABLE exports_in_progress (
    partial_path  TEXT PRIMARY KEY,   -- absolute path of the unfinished bundle
    final_path    TEXT NOT NULL,      -- where the finished bundle was going
    started_at    TEXT NOT NULL
  ) STRICT;
  `,

  /* 7: exact bytes of file names that are not UTF-8 */ `
  -- A name is bytes on Linux; one that is not UTF-8 is shown with U+FFFD in 'name' and
  -- 'source_path', and its exact bytes are kept here in hex (NULL when the text is exact).
  ALTER TABLE item_sources ADD COLUMN name_hex TEXT;
  ALTER TABLE item_sources ADD COLUMN source_path_hex TEXT;
  `,

  /* 8: removing items, incidents and people (tombstones); renaming items */ `
  -- What was removed, kept after its row is gone: the removal's custody entry (same
  -- transaction) says why. An item's encrypted files are deleted after the transaction
  -- commits; a file found later under a tombstone's blob id is deleted at unlock, never
  -- quarantined (an interrupted removal is finished).
  CREATE TABLE tombstones (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('item', 'incident', 'person')),
    name           TEXT NOT NULL,     -- item: its name then; incident: its label; person: name
    original_name  TEXT,              -- item: the name it was imported with
    sha256         TEXT,              -- item only, as its ingest entry recorded
    size           INTEGER,
    blob_id        TEXT,              -- item: its original's and preview's blob ids
    thumb_blob_id  TEXT,
    reason         TEXT NOT NULL,
    removed_at     TEXT NOT NULL,
    custody_seq    INTEGER NOT NULL REFERENCES custody_log(seq)
  ) STRICT;

  -- The name an item was imported with, set the first time it is renamed (items.name is
  -- then the name given); NULL while it keeps its own name.
  ALTER TABLE items ADD COLUMN original_name TEXT;
  `,
  /* 9: region marks in whole millionths; old region entries re-stated in a new entry */
  restateRegionsInMillionths,

  /* 10: conversations read from exports, message by message (docs/conversations.md) */ `
  -- One row per item that was read as a conversation (an mbox, a WhatsApp/Telegram/Meta
  -- export). The item stays the original export file, never changed; all below is derived.
  CREATE TABLE conversations (
    item_id        TEXT PRIMARY KEY REFERENCES items(id),
    format         TEXT NOT NULL CHECK (format IN ('mbox', 'whatsapp', 'telegram', 'instagram', 'facebook')),
    reader         TEXT NOT NULL,          -- reader name and version
    chat_file      TEXT,                   -- inside an archive or folder: the file offsets count into
    title          TEXT NOT NULL DEFAULT '',
    message_count  INTEGER NOT NULL CHECK (message_count >= 0),
    participants   TEXT NOT NULL DEFAULT '[]',  -- JSON [{sender, senderId, messages}]
    first_time     TEXT,                   -- UTC ISO 8601 of the earliest and latest message
    last_time      TEXT,
    date_order     TEXT CHECK (date_order IN ('dmy', 'mdy')),
    time_zone      TEXT,                   -- IANA zone wall-clock times were placed in
    problems       TEXT NOT NULL DEFAULT '[]',  -- JSON [{line, offset, message}]
    read_at        TEXT NOT NULL
  ) STRICT;

  -- Each message points back to its exact bytes in the original: offset and length into the
  -- chat file (sha256 of those bytes), and lines where the format has them.
  CREATE TABLE messages (
    n              INTEGER PRIMARY KEY,    -- stable integer key; also its row in message_search
    id             TEXT NOT NULL UNIQUE,
    item_id        TEXT NOT NULL REFERENCES conversations(item_id),
    idx            INTEGER NOT NULL CHECK (idx >= 0),
    kind           TEXT NOT NULL CHECK (kind IN ('message', 'system', 'deleted', 'call')),
    sender         TEXT NOT NULL DEFAULT '',
    sender_id      TEXT,
    -- '<platform>:<normalised sender id>', equal to '<kind>:<value>' of a person identifier.
    sender_key     TEXT,
    time           TEXT,                   -- ISO 8601 with the offset used
    time_utc       TEXT,                   -- the same instant in UTC, for order and ranges
    time_source    TEXT NOT NULL,
    text           TEXT NOT NULL DEFAULT '',
    edited         INTEGER NOT NULL DEFAULT 0 CHECK (edited IN (0, 1)),
    byte_offset    INTEGER NOT NULL CHECK (byte_offset >= 0),
    byte_length    INTEGER NOT NULL CHECK (byte_length >= 0),
    sha256         TEXT NOT NULL,          -- of those bytes
    line           INTEGER,
    line_end       INTEGER,
    external_id    TEXT,
    reply_to       TEXT,
    details        TEXT NOT NULL DEFAULT '{}',  -- JSON: subject, to, forwardedFrom, labels …
    attachments    TEXT NOT NULL DEFAULT '[]',  -- JSON [{name, omitted, itemId}]
    UNIQUE (item_id, idx)
  ) STRICT;
  CREATE INDEX messages_time ON messages(item_id, time_utc, idx);
  CREATE INDEX messages_sender ON messages(sender_key);

  CREATE VIRTUAL TABLE message_search USING fts5(
    sender, text, tokenize = 'unicode61 remove_diacritics 2'
  );

  CREATE TABLE incident_messages (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    message_id  TEXT NOT NULL REFERENCES messages(id),
    PRIMARY KEY (incident_id, message_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX incident_messages_message ON incident_messages(message_id, incident_id);
  CREATE TABLE message_tags (
    message_id TEXT NOT NULL REFERENCES messages(id),
    tag_id     INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (message_id, tag_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX message_tags_tag ON message_tags(tag_id, message_id);
  CREATE TABLE message_notes (
    id          TEXT PRIMARY KEY,
    message_id  TEXT NOT NULL REFERENCES messages(id),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  ) STRICT;
  CREATE INDEX message_notes_message ON message_notes(message_id);

  CREATE INDEX items_parent ON items(parent_id) WHERE parent_id IS NOT NULL;

  -- Chat senders become identifiers of a person: a CHECK cannot be altered, so the table is
  -- rebuilt with the same rows and ids.
  CREATE TABLE person_identifiers_new (
    id          INTEGER PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people(id),
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'handle', 'phone', 'whatsapp', 'telegram', 'instagram', 'facebook')),
    value       TEXT NOT NULL,
    UNIQUE (kind, value)
  ) STRICT;
  INSERT INTO person_identifiers_new (id, person_id, kind, value)
    SELECT id, person_id, kind, value FROM person_identifiers;
  DROP TABLE person_identifiers;
  ALTER TABLE person_identifiers_new RENAME TO person_identifiers;
  CREATE INDEX person_identifiers_person ON person_identifiers(person_id);
  `,

  /* 11: text recognised in pictures (docs/ocr.md), searchable */
  queueTextRecognition,

  /* 12: message_search keeps no copy of the words: it reads them from messages */ `
  -- External content: the index points into messages (rowid n); the text is stored once, so a
  -- mailbox import writes a quarter less. A message's row leaves the index while the message
  -- is still there (conversations/store.ts, deleteConversationRows), as FTS5 reads it to remove.
  DROP TABLE message_search;
  CREATE VIRTUAL TABLE message_search USING fts5(
    sender, text, content = 'messages', content_rowid = 'n',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  INSERT INTO message_search (message_search) VALUES ('rebuild');
  `,
  /* 13: reviews from the person's adviser, as imported (docs/review-format.md) */ `
  -- Each adviser key a review was signed with, as first seen: a later review by a key not
  -- here is flagged as from a key this vault has not seen before.
  CREATE TABLE adviser_keys (
    fingerprint    TEXT PRIMARY KEY,                 -- "1a2b 3c4d …": SHA-256 of the raw key
    public_key     TEXT NOT NULL,                    -- SPKI PEM, as received
    first_seen_at  TEXT NOT NULL
  ) STRICT;

  -- One review: of one exported bundle, by one key (or unsigned, from the offline viewer).
  -- A later version of it (its entries start with these) adds entries to the same row.
  CREATE TABLE adviser_reviews (
    id                     TEXT PRIMARY KEY,
    tag_manifest_sha256    TEXT NOT NULL,            -- the bundle's, as its export entry records it
    export_seq             INTEGER NOT NULL,         -- that export custody entry
    made_in                TEXT NOT NULL CHECK (made_in IN ('dossier', 'viewer')),
    signed                 INTEGER NOT NULL CHECK (signed IN (0, 1)),
    adviser_fingerprint    TEXT REFERENCES adviser_keys(fingerprint),
    reviewer_name          TEXT,                     -- as the review gives them: unchecked words
    reviewer_organisation  TEXT,
    bag_name               TEXT NOT NULL,
    case_name              TEXT NOT NULL,
    head                   TEXT NOT NULL,            -- hash of its last entry
    entry_count            INTEGER NOT NULL CHECK (entry_count >= 0),
    saved_at               TEXT NOT NULL,            -- when the adviser saved the version imported last
    imported_at            TEXT NOT NULL,            -- first import
    updated_at             TEXT NOT NULL,            -- last import that added entries
    custody_seq            INTEGER NOT NULL,         -- the adviser-review-imported entry of the last import
    CHECK ((signed = 1) = (adviser_fingerprint IS NOT NULL))
  ) STRICT;
  CREATE INDEX adviser_reviews_bundle ON adviser_reviews(tag_manifest_sha256);

  -- Its entries, as received (hash-chained: docs/review-format.md, "Entries").
  CREATE TABLE adviser_review_entries (
    review_id   TEXT NOT NULL REFERENCES adviser_reviews(id),
    seq         INTEGER NOT NULL CHECK (seq >= 1),
    at          TEXT NOT NULL,
    target_key  TEXT NOT NULL,                       -- "exhibit:<itemId>", "incident:<id>", "message:<id>", "bundle"
    target      TEXT NOT NULL,                       -- JSON, as received
    op          TEXT NOT NULL,
    value       TEXT NOT NULL,                       -- JSON, as received
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    custody_seq INTEGER NOT NULL,                    -- the import that brought it
    PRIMARY KEY (review_id, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX adviser_review_entries_target ON adviser_review_entries(target_key, review_id, seq);
  `,

  /* 14: copies made for disclosure (docs/redaction.md): what each covers or takes out */ `
  CREATE TABLE redactions (
    item_id     TEXT PRIMARY KEY REFERENCES items(id),  -- the copy
    original_id TEXT NOT NULL,      -- the item it was made from (kept when that is removed)
    kind        TEXT NOT NULL CHECK (kind IN ('picture', 'location')),
    areas       TEXT NOT NULL,      -- JSON [{x, y, w, h, reason, otherReason}]: millionths
    removed     TEXT NOT NULL,      -- JSON: what was taken out, in words
    lossless    INTEGER NOT NULL CHECK (lossless IN (0, 1)),  -- image data the original's
    made_at     TEXT NOT NULL,
    custody_seq INTEGER NOT NULL    -- its derive entry
  ) STRICT;
  CREATE INDEX redactions_original ON redactions(original_id);
  `,

  /* 15: redacted copies of emails and text files (docs/redaction.md): kind 'text', whose
     areas are passages [{start, end, reason, otherReason}]. A CHECK cannot be altered in
     place, so the table is made again with its rows. */ `
  CREATE TABLE redactions_new (
    item_id     TEXT PRIMARY KEY REFERENCES items(id),  -- the copy
    original_id TEXT NOT NULL,      -- the item it was made from (kept when that is removed)
    kind        TEXT NOT NULL CHECK (kind IN ('picture', 'location', 'text')),
    areas       TEXT NOT NULL,      -- JSON: picture [{x, y, w, h, reason, otherReason}] in
                                    -- millionths; text [{start, end, reason, otherReason}]
    removed     TEXT NOT NULL,      -- JSON: what was taken out, in words
    lossless    INTEGER NOT NULL CHECK (lossless IN (0, 1)),  -- image data the original's
    made_at     TEXT NOT NULL,
    custody_seq INTEGER NOT NULL    -- its derive entry
  ) STRICT;
  INSERT INTO redactions_new (item_id, original_id, kind, areas, removed, lossless, made_at, custody_seq)
    SELECT item_id, original_id, kind, areas, removed, lossless, made_at, custody_seq FROM redactions;
  DROP TABLE redactions;
  ALTER TABLE redactions_new RENAME TO redactions;
  CREATE INDEX redactions_original ON redactions(original_id);
  `,

  /* 16: the message search index gathers more words in memory before writing them, and merges
     what it wrote in larger runs, so a mailbox's 100,000 messages are rewritten less often
     (docs/vault-format.md, "Schema version 16"). The same index, read the same way. */ `
  INSERT INTO message_search (message_search, rank) VALUES ('automerge', 16);
  INSERT INTO message_search (message_search, rank) VALUES ('hashsize', 8388608);
  `,
];

/**
 * Schema 9. Region boxes were fractions, which canonical JSON cannot hold in one form that
 * every language writes alike, so the custody hash of an entry with one could not be
 * re-derived outside JavaScript. The table now holds whole millionths. The old entries are
 * never rewritten (their hashes cover them as written): one new `annotate` entry re-states
 * each of them, by seq and hash, in millionths.
 */
export function restateRegionsInMillionths(db: Db): void {
  const rows = db.prepare('SELECT * FROM regions').all() as (Box & {
    id: string;
    item_id: string;
    comment: string;
    created_at: string;
  })[];
  db.exec(`
    CREATE TABLE regions_new (
      id          TEXT PRIMARY KEY,
      item_id     TEXT NOT NULL REFERENCES items(id),
      -- Millionths of the picture's width and height.
      x INTEGER NOT NULL CHECK (x BETWEEN 0 AND 999999),
      y INTEGER NOT NULL CHECK (y BETWEEN 0 AND 999999),
      w INTEGER NOT NULL CHECK (w >= 1 AND x + w <= 1000000),
      h INTEGER NOT NULL CHECK (h >= 1 AND y + h <= 1000000),
      comment     TEXT NOT NULL DEFAULT '',
      created_at  TEXT NOT NULL
    ) STRICT;
  `);
  const insert = db.prepare(
    'INSERT INTO regions_new (id, item_id, x, y, w, h, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of rows) {
    const m = boxInMillionths(r);
    insert.run(r.id, r.item_id, m.x, m.y, m.w, m.h, r.comment, r.created_at);
  }
  db.exec(`
    DROP TABLE regions;
    ALTER TABLE regions_new RENAME TO regions;
    CREATE INDEX regions_item ON regions(item_id);
  `);

  const log = new CustodyLog(db, 'dossier');
  const restated: Record<string, unknown>[] = [];
  const subjects = new Set<string>();
  for (const e of log.entriesWith(['annotate'])) {
    const region = e.details.region as Partial<Box & { scale: number }> | null | undefined;
    // Only a box of four numbers in fractions: an entry already in millionths, or one that
    // is not a box at all (damaged), is left as it is, and must not stop the vault opening.
    if (typeof region !== 'object' || region === null || region.scale !== undefined) continue;
    const { x, y, w, h } = region;
    if (![x, y, w, h].every((v) => typeof v === 'number' && Number.isFinite(v))) continue;
    for (const s of e.subjects) subjects.add(s);
    restated.push({ seq: e.seq, hash: e.hash, ...boxInMillionths(region as Box) });
  }
  if (restated.length === 0) return;
  log.append('annotate', [...subjects], {
    what: 'regions restated',
    reason:
      'region boxes are now whole millionths of the picture; these earlier entries wrote fractions',
    scale: REGION_SCALE,
    restated,
  });
}

/**
 * Schema 11. One row per picture for text recognition (queued, done or failed), and
 * item_search rebuilt with a last column `ocr` (FTS5 tables cannot be altered: the rows are
 * copied with their rowids). The pictures a vault already holds are queued, logged once.
 */
export function queueTextRecognition(db: Db): void {
  db.exec(`
    CREATE TABLE ocr (
      item_id        TEXT PRIMARY KEY REFERENCES items(id),
      state          TEXT NOT NULL CHECK (state IN ('queued', 'done', 'failed')),
      language       TEXT NOT NULL,           -- to read in (queued), or read in
      queued_at      TEXT NOT NULL,
      attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      started_at     TEXT,                    -- the last attempt
      finished_at    TEXT,
      engine         TEXT,                    -- of the reading held in text/words
      engine_version TEXT,
      text           TEXT,                    -- machine-read, never the person's words
      words          TEXT,                    -- JSON [{t, x, y, w, h, c}]: pixels, confidence 0-100
      width          INTEGER,                 -- the picture as read (boxes are in its pixels)
      height         INTEGER,
      word_count     INTEGER,
      confidence     INTEGER CHECK (confidence BETWEEN 0 AND 100),  -- mean word confidence
      ms             INTEGER,                 -- time the reading took
      reason         TEXT                     -- why it failed, in plain words
    ) STRICT;
    CREATE INDEX ocr_state ON ocr(state, queued_at, item_id);

    CREATE VIRTUAL TABLE item_search_new USING fts5(
      item_id UNINDEXED, name, notes, text, ocr, tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO item_search_new (rowid, item_id, name, notes, text, ocr)
      SELECT rowid, item_id, name, notes, text, '' FROM item_search;
    DROP TABLE item_search;
    ALTER TABLE item_search_new RENAME TO item_search;
  `);
  const queued = db
    .prepare(
      `INSERT INTO ocr (item_id, state, language, queued_at)
       SELECT id, 'queued', 'eng', ? FROM items
       WHERE mime IN (SELECT value FROM json_each(?)) ORDER BY id`,
    )
    .run(new Date().toISOString(), JSON.stringify(OCR_MIMES)).changes;
  if (queued === 0) return;
  new CustodyLog(db, 'dossier').append('derive', [], {
    what: 'text recognition queued',
    by: 'upgrade',
    images: queued,
    language: 'eng',
  });
}
