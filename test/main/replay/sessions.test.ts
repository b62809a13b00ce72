import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkspaceDb, WorkspaceDbError } from '../../../src/main/db/workspaceDb';
import { recordSoloRun } from '../../../src/main/recorder/recordSolo';
import { verifySession } from '../../../src/main/replay/replaySession';
import { deleteSession, exportSession, listSessions, openSessionFile, renameSession } from '../../../src/main/replay/sessions';
import { tempDir } from '../../helpers/tmp';
import { churnImage } from './helpers';

const tmp = tempDir('ftlab-sessions-');
afterAll(() => tmp.cleanup());

describe('saved sessions', () => {
  it('lists, renames, exports as a standalone file, and deletes sessions', () => {
    const file = join(tmp.dir, 'work.sqlite');
    const db = openWorkspaceDb(file);
    const opts = { image: churnImage(), instructions: 120_000, checkpointEvery: 50_000 };
    const a = recordSoloRun(db, { name: 'first', engine: 'sim' }, opts).sessionId;
    const b = recordSoloRun(db, { name: 'second', engine: 'live' }, { ...opts, seed: 4 }).sessionId;
    let list = listSessions(db);
    expect(list.map((s) => [s.id, s.name, s.status, s.engine])).toEqual([
      [a, 'first', 'complete', 'sim'],
      [b, 'second', 'complete', 'live'],
    ]);
    expect(list[1]!.checkpoints).toBe(3);

    expect(renameSession(db, b, '  counter demo ')).toBe(true);
    expect(() => renameSession(db, b, '   ')).toThrow(/empty/);
    expect(renameSession(db, 999, 'x')).toBe(false);

    const out = join(tmp.dir, 'export.sqlite');
    exportSession(file, b, out);
    expect(() => exportSession(file, b, out)).toThrow(/already exists/);
    expect(() => exportSession(file, 999, join(tmp.dir, 'none.sqlite'))).toThrow(/no session 999/);
    const ex = openSessionFile(out);
    const exported = listSessions(ex);
    expect(exported).toEqual([listSessions(db)[1]]);
    expect(verifySession(ex, b).verified).toBe(true);
    ex.close();

    expect(deleteSession(db, a)).toBe(true);
    expect(deleteSession(db, a)).toBe(false);
    list = listSessions(db);
    expect(list.map((s) => s.name)).toEqual(['counter demo']);
    for (const t of ['log_entries', 'outputs', 'events', 'client_ops', 'checkpoints']) {
      expect((db.prepare(`SELECT count(*) AS n FROM ${t} WHERE session_id = ?`).get(a) as { n: number }).n).toBe(0);
    }
    db.close();
  });

  it('opens any file read-only; a bad one is a WorkspaceDbError and stays untouched', () => {
    const f = join(tmp.dir, 'garbage.sqlite');
    writeFileSync(f, Buffer.alloc(4096, 7));
    const before = readFileSync(f);
    expect(() => openSessionFile(f)).toThrow(WorkspaceDbError);
    expect(readFileSync(f).equals(before)).toBe(true);
    const fresh = join(tmp.dir, 'fresh.sqlite');
    openWorkspaceDb(fresh).close();
    const ro = openSessionFile(fresh);
    expect(() => ro.prepare(`INSERT INTO sessions (name, created_at, engine) VALUES ('x', 'y', 'sim')`).run()).toThrow(/readonly/);
    ro.close();
  });
});
