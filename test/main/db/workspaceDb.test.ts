import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspaceDb, WorkspaceDbError } from '../../../src/main/db/workspaceDb';
import { applicationId, schemaVersion } from '../../../src/main/db/migrations';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('ftlab-db-');
afterAll(() => tmp.cleanup());

function expectRefused(file: string, problem: WorkspaceDbError['problem'], message: RegExp): void {
  const before = readFileSync(file);
  let caught: unknown;
  try {
    openWorkspaceDb(file).close();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(WorkspaceDbError);
  expect((caught as WorkspaceDbError).problem).toBe(problem);
  expect((caught as Error).message).toMatch(message);
  expect((caught as Error).message).toContain(file);
  // The file is never modified.
  expect(readFileSync(file).equals(before)).toBe(true);
}

describe('workspace database', () => {
  it('creates a WAL database at the current schema, tagged as FT Lab', () => {
    const file = join(tmp.dir, 'new.sqlite');
    const db = openWorkspaceDb(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion);
    expect(db.pragma('application_id', { simple: true })).toBe(applicationId);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['log_entries', 'sessions']));
    db.close();
    // Reopening is idempotent.
    const again = openWorkspaceDb(file);
    expect(again.pragma('user_version', { simple: true })).toBe(schemaVersion);
    again.close();
  });

  it('refuses a file that is not SQLite', () => {
    const file = join(tmp.dir, 'notes.sqlite');
    writeFileSync(file, 'these are my lecture notes, not a database\n'.repeat(10));
    expectRefused(file, 'not-sqlite', /not an SQLite database/);
  });

  it('refuses an SQLite database of another program', () => {
    const file = join(tmp.dir, 'other.sqlite');
    const other = new Database(file);
    other.exec('CREATE TABLE recipes (name TEXT)');
    other.close();
    expectRefused(file, 'foreign', /another program/);
  });

  it('refuses a newer schema and says to update', () => {
    const file = join(tmp.dir, 'newer.sqlite');
    openWorkspaceDb(file).close();
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.pragma(`user_version = ${schemaVersion + 5}`);
    db.close();
    expectRefused(file, 'newer-schema', /newer FT Lab.*Update FT Lab/);
  });

  it('refuses a truncated file', () => {
    const file = join(tmp.dir, 'truncated.sqlite');
    const db = openWorkspaceDb(file);
    db.pragma('journal_mode = DELETE');
    const insert = db.prepare(`INSERT INTO sessions (name, created_at, engine) VALUES (?, '2026-01-01', 'sim')`);
    for (let i = 0; i < 2000; i++) insert.run(`session ${i} `.repeat(10));
    db.close();
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, 50));
    expectRefused(file, 'corrupt', /truncated/);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    expectRefused(file, 'corrupt', /damaged|malformed/);
  });
});
