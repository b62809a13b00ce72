/**
 * The workspace database: one SQLite file (WAL mode) holding every session.
 * Opening checks that the file is SQLite, is FT Lab's (application_id), and is
 * not from a newer FT Lab, before anything is written; a problem is a
 * `WorkspaceDbError` naming it, and the file is left untouched.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { applicationId, migrations, schemaVersion } from './migrations';

export type Db = Database.Database;

export type WorkspaceDbProblem = 'not-sqlite' | 'foreign' | 'newer-schema' | 'corrupt' | 'unreadable';

export class WorkspaceDbError extends Error {
  constructor(
    readonly problem: WorkspaceDbProblem,
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'WorkspaceDbError';
  }
}

export interface OpenOptions {
  readonly readonly?: boolean;
  /** Path of a better_sqlite3.node built for the running runtime (Electron's ABI). */
  readonly nativeBinding?: string;
}

const sqliteMagic = 'SQLite format 3\0';

function checkHeader(file: string): void {
  if (!existsSync(file) || statSync(file).size === 0) return; // a new database
  const header = Buffer.alloc(100);
  let read = 0;
  const fd = openSync(file, 'r');
  try {
    read = readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 16 || header.toString('latin1', 0, 16) !== sqliteMagic) {
    throw new WorkspaceDbError('not-sqlite', file, 'not an SQLite database (the file does not start with "SQLite format 3"). Choose an FT Lab .sqlite file.');
  }
  if (read < 100) {
    throw new WorkspaceDbError('corrupt', file, 'truncated SQLite file (header shorter than 100 bytes).');
  }
}

export function openWorkspaceDb(file: string, options: OpenOptions = {}): Db {
  checkHeader(file);
  let db: Db;
  try {
    db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      nativeBinding: options.nativeBinding,
    });
  } catch (err) {
    throw new WorkspaceDbError('unreadable', file, `cannot open: ${(err as Error).message}`);
  }
  try {
    inspect(db, file);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db);
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof WorkspaceDbError) throw err;
    const message = (err as Error).message;
    if (/malformed|not a database|corrupt/i.test(message)) {
      throw new WorkspaceDbError('corrupt', file, `damaged database: ${message}`);
    }
    throw err;
  }
}

/** Refuses files that are not ours or are newer than this build, without writing. */
function inspect(db: Db, file: string): void {
  let tables: number;
  let appId: number;
  let version: number;
  try {
    tables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }).n;
    appId = db.pragma('application_id', { simple: true }) as number;
    version = db.pragma('user_version', { simple: true }) as number;
    if (tables > 0) db.pragma('quick_check(1)');
  } catch (err) {
    throw new WorkspaceDbError('corrupt', file, `damaged database: ${(err as Error).message}`);
  }
  if (tables > 0 && appId !== applicationId) {
    throw new WorkspaceDbError('foreign', file, 'an SQLite database of another program (not an FT Lab workspace). Open an FT Lab .sqlite file instead.');
  }
  if (version > schemaVersion) {
    throw new WorkspaceDbError(
      'newer-schema',
      file,
      `written by a newer FT Lab (schema ${version}, this build reads up to ${schemaVersion}). Update FT Lab to open it.`,
    );
  }
}

function migrate(db: Db): void {
  const from = db.pragma('user_version', { simple: true }) as number;
  for (let v = from; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`application_id = ${applicationId}`);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
