import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspaceDb } from '../../src/main/db/workspaceDb';
import { schemaVersion } from '../../src/main/db/migrations';
import { recordSoloRun } from '../../src/main/recorder/recordSolo';
import { tempDir } from '../helpers/tmp';
import { churnImage } from '../main/replay/helpers';

const tmp = tempDir('ftlab-cli-replay-');
afterAll(() => tmp.cleanup());

function ftlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/ftlab.mjs', 'replay', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const file = join(tmp.dir, 'work.sqlite');
let good = 0;
let forgot = 0;

beforeAll(() => {
  const db = openWorkspaceDb(file);
  const opts = { image: churnImage(), instructions: 300_000, checkpointEvery: 100_000, seed: 9 };
  good = recordSoloRun(db, { name: 'good', engine: 'sim', seed: 9 }, opts).sessionId;
  forgot = recordSoloRun(db, { name: 'forgot seed', engine: 'sim', seed: 9 }, { ...opts, forget: ['seed'] }).sessionId;
  db.close();
});

describe('ftlab replay', () => {
  it('replays and verifies a session, printing sessions, verified, firstMismatch, logEntries, outputs', () => {
    const before = readFileSync(file);
    const r = ftlab(file, '--session', String(good), '--verify', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j.verified).toBe(true);
    expect(j.firstMismatch).toBeNull();
    expect((j.sessions as unknown[]).length).toBe(2);
    expect(j.logEntries).toBeGreaterThan(100);
    expect(j.outputs).toBeGreaterThan(100);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('reports the first mismatch of a session with an unlogged seed read; --verify exits 1', () => {
    const r = ftlab(file, '--session', String(forgot), '--verify', '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout) as { verified: boolean; firstMismatch: { kind: string; icount: number } };
    expect(j.verified).toBe(false);
    expect(j.firstMismatch.kind).toBe('unlogged-read');
    expect(j.firstMismatch.icount).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/first mismatch at icount \d+/);
    const human = ftlab(file, '--session', String(forgot));
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/MISMATCH on A at icount \d+ \(unlogged-read\)/);
  });

  it('defaults to the latest session and prints a readable summary', () => {
    const r = ftlab(file);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 session(s)');
    expect(r.stdout).toContain(`session ${forgot} node A`);
  });

  it('refuses a session that does not exist', () => {
    const r = ftlab(file, '--session', '99', '--json');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no session 99/);
  });

  describe('bad files: a clear error, exit 1, the file untouched', () => {
    const cases: [string, () => string, RegExp][] = [
      ['not SQLite', () => {
        const f = join(tmp.dir, 'notes.sqlite');
        writeFileSync(f, 'lecture notes\n'.repeat(20));
        return f;
      }, /not an SQLite database/],
      ['another program’s SQLite', () => {
        const f = join(tmp.dir, 'other.sqlite');
        const d = new Database(f);
        d.exec('CREATE TABLE recipes (name TEXT)');
        d.close();
        return f;
      }, /another program/],
      ['a newer schema', () => {
        const f = join(tmp.dir, 'newer.sqlite');
        openWorkspaceDb(f).close();
        const d = new Database(f);
        d.pragma('journal_mode = DELETE');
        d.pragma(`user_version = ${schemaVersion + 1}`);
        d.close();
        return f;
      }, /newer FT Lab/],
      ['a truncated file', () => {
        const f = join(tmp.dir, 'truncated.sqlite');
        const whole = (() => {
          const copy = join(tmp.dir, 'whole.sqlite');
          const d = openWorkspaceDb(file);
          d.exec(`VACUUM INTO '${copy}'`);
          d.close();
          return readFileSync(copy);
        })();
        writeFileSync(f, whole.subarray(0, Math.floor(whole.length / 3)));
        return f;
      }, /damaged|malformed|truncated/],
      ['a missing file', () => join(tmp.dir, 'nope.sqlite'), /cannot open/],
    ];
    for (const [what, make, message] of cases) {
      it(what, () => {
        const f = make();
        let before: Buffer | null = null;
        try {
          before = readFileSync(f);
        } catch {
          before = null;
        }
        const r = ftlab(f, '--json');
        expect(r.status).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(message);
        expect(r.stderr).toContain(f);
        if (before !== null) expect(readFileSync(f).equals(before)).toBe(true);
      });
    }
  });

  it('`ftlab run SCENARIO --sim --db FILE` records a session that `ftlab replay --verify` replays', () => {
    const db = join(tmp.dir, 'run.sqlite');
    const run = spawnSync(process.execPath, ['bin/ftlab.mjs', 'run', 'resources/scenarios/output-rule-on-crash.json', '--sim', '--json', '--db', db], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { log: { entries: number }; outputs: { released: number } };
    const r = ftlab(db, '--verify', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.stdout) as { verified: boolean; logEntries: number; outputs: number; sessions: { engine: string; status: string }[] };
    expect(j.verified).toBe(true);
    expect(j.sessions).toMatchObject([{ engine: 'sim', status: 'complete' }]);
    expect(j.logEntries).toBeGreaterThanOrEqual(report.log.entries);
    expect(j.outputs).toBeGreaterThanOrEqual(report.outputs.released);
    const notDb = join(tmp.dir, 'notes.txt');
    writeFileSync(notDb, 'lecture notes\n'.repeat(20));
    const bad = spawnSync(process.execPath, ['bin/ftlab.mjs', 'run', 'resources/scenarios/output-rule-on-crash.json', '--sim', '--db', notDb], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/not an SQLite database/);
    expect(readFileSync(notDb, 'utf8')).toBe('lecture notes\n'.repeat(20));
  });
});
