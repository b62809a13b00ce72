import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openWorkspaceDb } from '../../../src/main/db/workspaceDb';
import { recordSoloRun } from '../../../src/main/recorder/recordSolo';
import { openReplayer, verifySession } from '../../../src/main/replay/replaySession';
import { openSessionFile } from '../../../src/main/replay/sessions';
import { tempDir } from '../../helpers/tmp';
import { churnImage } from './helpers';

const tmp = tempDir('ftlab-replay-');
afterAll(() => tmp.cleanup());

const N = 600_000;
const EVERY = 100_000;

describe('replay', () => {
  const file = join(tmp.dir, 'replay.sqlite');
  const image = churnImage();
  let good = 0;
  let forgot = 0;

  it('records a run with reads, outputs, timer interrupts, packets and checkpoints', () => {
    const db = openWorkspaceDb(file);
    const r = recordSoloRun(db, { name: 'churn', engine: 'sim', seed: 3 }, {
      image, instructions: N, checkpointEvery: EVERY, seed: 3, sliceInstructions: 7_000,
      packets: [{ icount: 12_345, bytes: Uint8Array.of(1, 2, 3, 4) }],
    });
    good = r.sessionId;
    expect(r.icount).toBe(N);
    expect(r.checkpoints).toBe(N / EVERY + 1); // and one at the end
    expect(r.stats.committed.logEntries).toBe(r.logged);
    expect(r.stats.committed.outputs).toBe(r.outputs);
    const kinds = db.prepare('SELECT kind, count(*) AS n FROM log_entries WHERE session_id = ? GROUP BY kind').all(good) as { kind: string; n: number }[];
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(byKind['seed.lo']).toBeGreaterThan(100);
    expect(byKind['timer']).toBeGreaterThan(5);
    expect(byKind['packet']).toBe(1);
    expect(byKind['output']).toBe(r.outputs);
    forgot = recordSoloRun(db, { name: 'forgot seed', engine: 'sim', seed: 3 }, {
      image, instructions: N, checkpointEvery: EVERY, seed: 3, forget: ['seed'],
    }).sessionId;
    db.close();
  });

  it('verifies a faithful recording: outputs and state hashes match', () => {
    const db = openSessionFile(file);
    const v = verifySession(db, good);
    expect(v.firstMismatch).toBeNull();
    expect(v.verified).toBe(true);
    const a = v.nodes[0]!;
    expect(a.icount).toBe(N);
    expect(a.checkpointsVerified).toBe(N / EVERY + 1);
    expect(a.outputsChecked).toBeGreaterThan(100);
    db.close();
  });

  it('reports the first mismatch of a recording with an unlogged seed read, at its icount', () => {
    const db = openSessionFile(file);
    const firstSeedRead = (db
      .prepare(`SELECT min(icount) AS i FROM log_entries WHERE session_id = ? AND kind = 'time.lo'`)
      .get(forgot) as { i: number }).i - 2; // the seed read comes two instructions before the time read
    const v = verifySession(db, forgot);
    expect(v.verified).toBe(false);
    expect(v.firstMismatch).toMatchObject({ kind: 'unlogged-read', node: 'A', icount: firstSeedRead });
    expect(v.firstMismatch!.detail).toMatch(/seed\.lo read at icount \d+ is not in the log/);
    db.close();
  });

  it('seeks to any icount, steps forward and back, and lands on the recorded state', () => {
    const db = openSessionFile(file);
    const r = openReplayer(db, good);
    // Ground truth: the state hash at every checkpoint, reached by seeking from an earlier one.
    const cps = r.track.checkpoints;
    const res = r.seek(cps[3]!.icount - 1);
    expect(res.fromCheckpoint).toBe(cps[2]!.id);
    expect(r.icount).toBe(cps[3]!.icount - 1);
    r.step(1);
    expect(r.icount).toBe(cps[3]!.icount);
    expect(r.replica!.stateHash()).toBe(cps[3]!.stateHash);
    r.stepBack(50_001);
    expect(r.icount).toBe(cps[3]!.icount - 50_001);
    r.seek(cps[5]!.icount);
    expect(r.replica!.stateHash()).toBe(cps[5]!.stateHash);
    r.seek(cps[1]!.icount);
    expect(r.replica!.stateHash()).toBe(cps[1]!.stateHash);
    // Beyond the end: clamped.
    expect(r.seek(10 * N).icount).toBe(N);
    expect(r.firstMismatch).toBeNull();
    // By time: the last entry at or before the time.
    const t = db.prepare(`SELECT time_us, icount FROM log_entries WHERE session_id = ? AND seq = 100`).get(good) as { time_us: number; icount: number };
    expect(r.seekTime(t.time_us).icount).toBeGreaterThanOrEqual(t.icount);
    db.close();
  });

  it('finds a tampered output, a missing output and a tampered checkpoint hash', () => {
    const tampered = (name: string, edit: (db: ReturnType<typeof openWorkspaceDb>) => void): ReturnType<typeof verifySession> => {
      const copy = join(tmp.dir, `${name}.sqlite`);
      const db = openWorkspaceDb(file);
      db.exec(`VACUUM INTO '${copy}'`);
      db.close();
      const t = openWorkspaceDb(copy);
      edit(t);
      const v = verifySession(t, good);
      t.close();
      return v;
    };
    const db = openSessionFile(file);
    const out = db.prepare(`SELECT out_index, icount FROM outputs WHERE session_id = ? ORDER BY out_index LIMIT 1 OFFSET 40`).get(good) as { out_index: number; icount: number };
    db.close();
    let v = tampered('bytes', (t) => t.prepare(`UPDATE outputs SET bytes = X'21' WHERE session_id = ? AND out_index = ?`).run(good, out.out_index));
    expect(v.firstMismatch).toMatchObject({ kind: 'output', icount: out.icount, expected: '21' });
    v = tampered('missing', (t) => t.prepare(`DELETE FROM outputs WHERE session_id = ? AND out_index = ?`).run(good, out.out_index));
    expect(v.firstMismatch).toMatchObject({ kind: 'output', icount: out.icount });
    expect(v.firstMismatch!.detail).toMatch(/never recorded/);
    v = tampered('hash', (t) => t.prepare(`UPDATE checkpoints SET state_hash = 'feedface' WHERE session_id = ? AND icount = ?`).run(good, 2 * EVERY));
    expect(v.firstMismatch).toMatchObject({ kind: 'state-hash', icount: 2 * EVERY, expected: 'feedface' });
    expect(v.nodes[0]!.checkpointsVerified).toBe(3);
  });
});
