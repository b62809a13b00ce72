import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { FtEvent } from '../../../src/core/ft/events';
import type { LogEntry } from '../../../src/core/ft/protocol';
import { openWorkspaceDb } from '../../../src/main/db/workspaceDb';
import { entryFromRow, type LogRow } from '../../../src/main/recorder/logRows';
import { SessionRecorder } from '../../../src/main/recorder/sessionRecorder';
import { decodeSnapshot } from '../../../src/main/recorder/snapshotCodec';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('ftlab-rec-');
afterAll(() => tmp.cleanup());

/** A deterministic stream of log entries of every kind (seq from 1, icount increasing). */
function entries(n: number, icount0 = 0): LogEntry[] {
  const out: LogEntry[] = [];
  const sources = ['cycle', 'time', 'seed', 'hostid', 'mtime'] as const;
  for (let i = 0; i < n; i++) {
    const seq = i + 1;
    const icount = icount0 + i * 7 + 3;
    switch (i % 6) {
      case 0:
        out.push({ kind: 'packet', seq, icount, bytes: Uint8Array.of(i & 0xff, 1, 2, 3) });
        break;
      case 1:
        out.push({ kind: 'timer', seq, icount });
        break;
      case 2:
        out.push({ kind: 'heartbeat', seq, icount, released: i });
        break;
      case 3:
        out.push({ kind: 'output', seq, icount, index: i });
        break;
      default:
        out.push({ kind: 'nondet', seq, icount, source: sources[i % 5]!, half: i % 2 ? 'hi' : 'lo', value: (i * 2654435761) >>> 0 });
    }
  }
  return out;
}

describe('session recorder', () => {
  it('records every log entry, output, event, client op and checkpoint: counts equal the engine’s', () => {
    const db = openWorkspaceDb(join(tmp.dir, 'counts.sqlite'));
    let now = 0;
    const rec = new SessionRecorder(db, { name: 'counts', engine: 'sim', seed: 7, settings: { outputRule: true } }, { now: () => now, flushRows: 100, flushMs: 0 });
    const engine = { logged: 0, outputs: 0, events: 0 };
    const emit = (ev: FtEvent): void => {
      if (ev.type === 'logged') engine.logged++;
      else if (ev.type === 'output') engine.outputs++;
      else if (ev.type !== 'logSent') engine.events++;
      rec.sink(ev);
    };
    emit({ type: 'role', node: 'A', role: 'primary', reason: 'start' });
    emit({ type: 'role', node: 'B', role: 'backup', reason: 'start' });
    const first = entries(1000);
    for (const e of first) {
      now += 0.01;
      emit({ type: 'logged', node: 'A', entry: e });
      if (e.kind === 'output') {
        const bytes = new TextEncoder().encode(`out ${e.index}\n`);
        emit({ type: 'output', node: 'A', index: e.index, icount: e.icount, device: 'uart', bytes, fate: 'held' });
        emit({ type: 'output', node: 'A', index: e.index, icount: e.icount, device: 'uart', bytes, fate: 'released', heldMs: 0.2 });
        emit({ type: 'output', node: 'B', index: e.index, icount: e.icount, device: 'uart', bytes, fate: 'discarded' });
      }
    }
    emit({ type: 'logSent', node: 'A', entries: 1000, bytes: 5000 });
    emit({ type: 'suspect', node: 'A', peer: 'B', silenceMs: 31 });
    emit({ type: 'arbitration', node: 'A', won: true, how: 'test-and-set' });
    emit({ type: 'stateTransfer', from: 'A', to: 'C', bytes: 65536, epoch: 2 });
    // A new epoch: protocol seqs restart at 1.
    for (const e of entries(130, 10_000)) emit({ type: 'logged', node: 'A', entry: e });
    rec.fault('crash primary', { do: 'crashPrimary' });
    rec.clientInvoke(1, 'client0', 'inc', null);
    rec.clientInvoke(2, 'client0', 'get', null);
    rec.clientComplete(1, 11);
    rec.checkpoint('A', { icount: 5, snapshot: { x: Int32Array.of(1, 2, 3), pages: new Uint8Array(4096).fill(9) }, stateHash: 'abc', outputs: 3 });
    expect(rec.stats.backlogRows).toBeGreaterThan(0);
    const stats = rec.finish({ linearizable: true }, engine);

    expect(stats.backlogRows).toBe(0);
    expect(stats.committed.logEntries).toBe(engine.logged);
    expect(stats.committed.outputs).toBe(engine.outputs);
    expect(stats.committed.events).toBe(engine.events + 1); // + the fault
    expect(stats.committed.clientOps).toBe(2);
    expect(stats.committed.checkpoints).toBe(1);
    expect(stats.logBytesSent).toBe(5000);
    expect(stats.flushes).toBeGreaterThan(10);

    const sid = rec.sessionId;
    const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE session_id = ?`).get(sid) as { n: number }).n;
    expect(count('log_entries')).toBe(engine.logged);
    expect(count('outputs')).toBe(engine.outputs);
    expect(count('events')).toBe(engine.events + 1);
    expect(count('client_ops')).toBe(2);
    const session = db.prepare('SELECT * FROM sessions WHERE id = ?').get(sid) as Record<string, unknown>;
    expect(session.status).toBe('complete');
    expect(JSON.parse(session.verdict_json as string)).toEqual({ linearizable: true });
    expect(session.seed).toBe(7);

    // Every row reads back as the entry that was logged, in order, with the epoch and ordinal.
    const rows = db
      .prepare('SELECT seq AS ord, entry_seq AS seq, icount, kind, payload, epoch, node, time_us FROM log_entries WHERE session_id = ? ORDER BY ord')
      .all(sid) as (LogRow & { ord: number; epoch: number; node: string; time_us: number })[];
    const expected = [...first, ...entries(130, 10_000)];
    expect(rows.map((r) => r.ord)).toEqual(expected.map((_, i) => i + 1));
    expect(rows.map((r) => entryFromRow(r))).toEqual(expected);
    expect(rows[999]!.epoch).toBe(1);
    expect(rows[1000]!.epoch).toBe(2);
    expect(rows[0]!.time_us).toBe(10);
    expect(rows.find((r) => r.kind === 'seed.hi' || r.kind === 'seed.lo')).toBeDefined();

    const op = db.prepare('SELECT * FROM client_ops WHERE session_id = ? AND id = 1').get(sid) as Record<string, unknown>;
    expect(op.output).toBe('11');
    expect(op.completed_us).not.toBeNull();
    const cp = db.prepare('SELECT * FROM checkpoints WHERE session_id = ?').get(sid) as { snapshot: Buffer; log_seq: number; state_hash: string };
    expect(cp.log_seq).toBe(1130);
    expect(decodeSnapshot(cp.snapshot)).toEqual({ x: Int32Array.of(1, 2, 3), pages: new Uint8Array(4096).fill(9) });
    db.close();
  });

  it('leaves a session incomplete until finish, holding every flushed batch', () => {
    const db = openWorkspaceDb(join(tmp.dir, 'incomplete.sqlite'));
    const rec = new SessionRecorder(db, { name: 'x', engine: 'live' }, { now: () => 0, flushRows: 64, flushMs: 0 });
    for (const e of entries(200)) rec.sink({ type: 'logged', node: 'A', entry: e });
    // Batches of 64 (65 when the 64th row is an output entry, kept with its output) were flushed; the rest waits.
    const { committed, backlogRows } = rec.stats;
    expect(committed.logEntries + backlogRows).toBe(200);
    expect(backlogRows).toBeGreaterThan(0);
    expect(backlogRows).toBeLessThan(64);
    expect(rec.stats.flushes).toBe(3);
    const s = db.prepare('SELECT status, (SELECT count(*) FROM log_entries WHERE session_id = s.id) AS n FROM sessions s WHERE id = ?').get(rec.sessionId);
    expect(s).toEqual({ status: 'incomplete', n: committed.logEntries });
    rec.abandon();
    db.close();
  });

  it('flushes on its timer when the run is quiet', async () => {
    const db = openWorkspaceDb(join(tmp.dir, 'timer.sqlite'));
    const rec = new SessionRecorder(db, { name: 'x', engine: 'live' }, { now: () => 0, flushRows: 1_000_000, flushMs: 10 });
    for (const e of entries(5)) rec.sink({ type: 'logged', node: 'A', entry: e });
    expect(rec.stats.committed.logEntries).toBe(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(rec.stats.committed.logEntries).toBe(5);
    expect(rec.stats.diskBehindMsMax).toBeGreaterThan(0);
    rec.finish();
    db.close();
  });
});
