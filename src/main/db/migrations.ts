/**
 * The workspace schema, versioned with `PRAGMA user_version`. Each migration
 * moves the schema from version i to i+1 and is applied in one transaction;
 * never edit a released migration, append a new one.
 */
export const applicationId = 0x46544c42; // 'FTLB'

export const migrations: readonly string[] = [
  // 0 → 1: sessions and the log.
  `
  CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    name           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    engine         TEXT    NOT NULL CHECK (engine IN ('live', 'sim', 'skeleton')),
    program_file   TEXT,
    program_source TEXT,
    image_hash     TEXT,
    settings_json  TEXT    NOT NULL DEFAULT '{}',
    seed           INTEGER,
    status         TEXT    NOT NULL DEFAULT 'incomplete' CHECK (status IN ('complete', 'incomplete'))
  );
  CREATE TABLE log_entries (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    icount     INTEGER NOT NULL,
    kind       TEXT    NOT NULL,
    payload    BLOB,
    time_us    INTEGER NOT NULL,
    PRIMARY KEY (session_id, seq)
  ) WITHOUT ROWID;
  `,
];

export const schemaVersion = migrations.length;
