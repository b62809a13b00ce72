/**
 * Recording a live run (worker threads, a real MessageChannel): every log
 * entry, output and client operation the engine saw is in the database, the
 * workers' checkpoints are in their places in the log, and the session
 * replays and verifies like a simulated one.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadRunTarget } from '../../../src/main/scenario/load';
import { openWorkspaceDb } from '../../../src/main/db/workspaceDb';
import { recordLiveRun } from '../../../src/main/recorder/recordLive';
import { verifySession } from '../../../src/main/replay/replaySession';
import { listSessions } from '../../../src/main/replay/sessions';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('ftlab-reclive-');
afterAll(() => tmp.cleanup());

describe('recording a live run', () => {
  const db = openWorkspaceDb(join(tmp.dir, 'live.sqlite'));
  afterAll(() => db.close());

  it('records what the engine counted (log entries, outputs, client operations) and checkpoints; replay verifies it', async () => {
    const loaded = loadRunTarget('resources/scenarios/output-rule-on-crash.json');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const r = await recordLiveRun(db, loaded.scenario, { image: loaded.image, programFile: loaded.programFile });
    expect(r.report.failovers).toBe(1);
    expect(r.engineCounts.logEntries).toBeGreaterThan(0);
    expect(r.stats.committed.logEntries).toBe(r.engineCounts.logEntries);
    expect(r.stats.committed.logEntries).toBe(r.report.log.entries);
    expect(r.stats.committed.outputs).toBe(r.engineCounts.outputs);
    expect(r.engineCounts.clientOps).toBeGreaterThan(0);
    expect(r.stats.committed.clientOps).toBe(r.engineCounts.clientOps);
    const completed = db.prepare('SELECT COUNT(*) AS n FROM client_ops WHERE session_id = ? AND completed_us IS NOT NULL').get(r.sessionId) as { n: number };
    expect(completed.n).toBe(r.report.clients.completed);
    // A at the start, the new primary B at the failover and when it ships its state to C.
    expect(r.stats.committed.checkpoints).toBeGreaterThanOrEqual(3);
    const s = listSessions(db).find((x) => x.id === r.sessionId)!;
    expect(s).toMatchObject({ status: 'complete', engine: 'live' });
    const v = verifySession(db, r.sessionId);
    expect(v.firstMismatch).toBeNull();
    expect(v.verified).toBe(true);
    expect(v.nodes.map((n) => n.node)).toEqual(expect.arrayContaining(['A', 'B']));
    for (const n of v.nodes) expect(n.checkpointsVerified).toBeGreaterThan(0);
    expect(v.nodes.reduce((k, n) => k + n.entriesReplayed, 0)).toBe(r.stats.committed.logEntries);
  }, 60_000);

  it('a compute-bound primary is checkpointed periodically at heartbeats (at most every 100 ms); each checkpoint verifies', async () => {
    const loaded = loadRunTarget('resources/scenarios/programs/busy.s');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const sc = { ...loaded.scenario, faults: [], stop: { ms: 150 } }; // ×9 live: ~1.4 s
    const r = await recordLiveRun(db, sc, { image: loaded.image, programFile: loaded.programFile, checkpointEvery: 1_000_000 });
    const kinds = db.prepare('SELECT kind, COUNT(*) AS n FROM checkpoints WHERE session_id = ? GROUP BY kind').all(r.sessionId) as { kind: string; n: number }[];
    const n = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(n.resume).toBeGreaterThanOrEqual(1);
    expect(n.periodic).toBeGreaterThanOrEqual(2);
    // Bounded in time: the run lasted realMs; one periodic checkpoint per 100 ms at most (plus the first).
    expect(n.periodic).toBeLessThanOrEqual(Math.ceil(r.report.realMs / 100) + 1);
    const v = verifySession(db, r.sessionId);
    expect(v.firstMismatch).toBeNull();
    expect(v.verified).toBe(true);
    expect(v.nodes.find((x) => x.node === 'A')!.checkpointsVerified).toBe(n.resume! + n.periodic!);
  }, 60_000);
});
