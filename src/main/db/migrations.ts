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
  // 1 → 2: the recorder (issue 6). `log_entries.seq` is the recorder's ordinal
  // within the session (1, 2, …: the order entries were logged, across nodes
  // and epochs); `entry_seq` is the protocol's own sequence number, which
  // restarts at 1 in each epoch. `kind` is the LogEntry kind, or SOURCE.HALF
  // ('seed.lo', 'time.hi', …) for a non-deterministic read. `payload` is the
  // packet's bytes, the read's value, the output's index, or the heartbeat's
  // released count. Every other table is keyed by (session_id, ordinal).
  `
  ALTER TABLE sessions ADD COLUMN ended_at TEXT;
  ALTER TABLE sessions ADD COLUMN verdict_json TEXT;
  ALTER TABLE sessions ADD COLUMN counts_json TEXT;
  ALTER TABLE sessions ADD COLUMN checkpoint_every INTEGER;
  ALTER TABLE log_entries ADD COLUMN node TEXT;
  ALTER TABLE log_entries ADD COLUMN epoch INTEGER;
  ALTER TABLE log_entries ADD COLUMN entry_seq INTEGER;
  CREATE TABLE outputs (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    id         INTEGER NOT NULL,
    node       TEXT    NOT NULL,
    out_index  INTEGER NOT NULL,
    icount     INTEGER NOT NULL,
    device     TEXT    NOT NULL CHECK (device IN ('uart', 'nic')),
    bytes      BLOB    NOT NULL,
    fate       TEXT    NOT NULL CHECK (fate IN ('held', 'released', 'discarded', 'resent', 'duplicate-discarded')),
    time_us    INTEGER NOT NULL,
    held_ms    REAL,
    PRIMARY KEY (session_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX outputs_by_index ON outputs (session_id, node, out_index);
  CREATE TABLE events (
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    id         INTEGER NOT NULL,
    time_us    INTEGER NOT NULL,
    type       TEXT    NOT NULL,
    node       TEXT,
    icount     INTEGER,
    detail     TEXT    NOT NULL,
    data_json  TEXT,
    PRIMARY KEY (session_id, id)
  ) WITHOUT ROWID;
  CREATE TABLE client_ops (
    session_id   INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    id           INTEGER NOT NULL,
    client       TEXT    NOT NULL,
    op           TEXT    NOT NULL,
    input        TEXT,
    invoked_us   INTEGER NOT NULL,
    completed_us INTEGER,
    output       TEXT,
    PRIMARY KEY (session_id, id)
  ) WITHOUT ROWID;
  CREATE TABLE checkpoints (
    session_id     INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    id             INTEGER NOT NULL,
    node           TEXT    NOT NULL,
    icount         INTEGER NOT NULL,
    log_seq        INTEGER NOT NULL,
    outputs        INTEGER NOT NULL,
    time_us        INTEGER NOT NULL,
    state_hash     TEXT    NOT NULL,
    snapshot_bytes INTEGER NOT NULL,
    snapshot       BLOB    NOT NULL,
    PRIMARY KEY (session_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX checkpoints_by_icount ON checkpoints (session_id, node, icount);
  `,
  // 2 → 3: why a checkpoint was taken. 'resume': the log (re)starts here —
  // the machine became primary, or shipped its state to a new backup after
  // running without one (a stretch the log does not cover).
  `
  ALTER TABLE checkpoints ADD COLUMN kind TEXT NOT NULL DEFAULT 'periodic' CHECK (kind IN ('periodic', 'resume'));
  `,
];

export const schemaVersion = migrations.length;
