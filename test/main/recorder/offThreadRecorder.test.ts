import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { LogEntry } from '../../../src/core/ft/protocol';
import { Machine } from '../../../src/core/machine/machine';
import { LoggingSolo } from '../../../src/core/replay/loggingSolo';
import { entryFromRow, type LogRow } from '../../../src/main/recorder/logRows';
import type { FtEvent } from '../../../src/core/ft/events';
import { openWorkspaceDb } from '../../../src/main/db/workspaceDb';
import { OffThreadRecorder } from '../../../src/main/recorder/offThreadRecorder';
import { SessionRecorder } from '../../../src/main/recorder/sessionRecorder';
import { packedMachineCheckpoint } from '../../../src/main/recorder/recordSolo';
import { snapshotStateHash } from '../../../src/main/recorder/snapshotHash';
import { verifySession } from '../../../src/main/replay/replaySession';
import { listSessions, openSessionFile } from '../../../src/main/replay/sessions';
import { tempDir } from '../../helpers/tmp';
import { churnImage } from '../replay/helpers';

const tmp = tempDir('ftlab-offthread-');
afterAll(() => tmp.cleanup());

describe('off-thread recorder', () => {
  it('records everything the machine logged in a worker; counts match and the session replays', async () => {
    const file = join(tmp.dir, 'off.sqlite');
    let host: LoggingSolo | null = null;
    const rec = await OffThreadRecorder.open(file, { name: 'off-thread', engine: 'live', seed: 2 }, { now: () => (host?.machine.icount ?? 0) / 1e5, batchEntries: 300, flushRows: 200 });
    const image = churnImage();
    let events = 0;
    host = new LoggingSolo({
      machine: (port) => {
        const m = new Machine({ port });
        m.load(image);
        return m;
      },
      emit: (ev) => {
        if (ev.type !== 'logged') events++;
        rec.sink(ev);
      },
      seed: 2,
      checkpointEvery: 100_000,
      onCheckpoint: (h) => rec.checkpoint(h.node, packedMachineCheckpoint(h.machine, h.outputs)),
    });
    host.run(450_000);
    rec.sink({ type: 'role', node: 'A', role: 'primary', reason: 'end of test' });
    const stats = await rec.finish({ ok: true }, { logged: host.logged });
    expect(stats.committed.logEntries).toBe(host.logged);
    expect(stats.committed.outputs).toBe(host.outputs);
    expect(stats.committed.events).toBe(1);
    expect(stats.committed.checkpoints).toBe(5);
    expect(rec.backlog.entries).toBe(0);
    expect(rec.backlog.entriesMax).toBeGreaterThan(0);
    expect(stats.flushes).toBeGreaterThan(1);

    const db = openSessionFile(file);
    const [s] = listSessions(db);
    expect(s).toMatchObject({ status: 'complete', logEntries: host.logged, outputs: host.outputs, checkpoints: 5 });
    const v = verifySession(db, s!.id);
    expect(v.firstMismatch).toBeNull();
    expect(v.nodes[0]!.icount).toBe(450_000);
    db.close();
    expect(events).toBe(host.outputs);
    // The hash the recorder computes from a snapshot is the machine's own.
    expect(snapshotStateHash(host.machine.snapshot())).toBe(host.machine.stateHash());
  });

  it('keeps every entry, in order, when the worker is behind and the ring is full (batches overflow to private arrays)', async () => {
    const file = join(tmp.dir, 'overflow.sqlite');
    let t = 0;
    const rec = await OffThreadRecorder.open(file, { name: 'overflow', engine: 'sim' }, { now: () => t, batchEntries: 50, ringSlots: 2, flushMs: 0 });
    // One big packet buffer, sliced: each packet's bytes are copied, not the buffer under them.
    const wire = new Uint8Array(1 << 16).map((_, i) => i * 7);
    const logged: LogEntry[] = [];
    const sources = ['cycle', 'time', 'seed', 'hostid', 'mtime'] as const;
    for (let i = 0; i < 5_000; i++) {
      const seq = i + 1;
      const icount = i * 11;
      const e: LogEntry =
        i % 7 === 0 ? { kind: 'packet', seq, icount, bytes: wire.subarray(i % 1000, (i % 1000) + 1 + (i % 13)) }
        : i % 7 === 1 ? { kind: 'timer', seq, icount }
        : i % 7 === 2 ? { kind: 'output', seq, icount, index: i }
        : i % 7 === 3 ? { kind: 'heartbeat', seq, icount, released: i >> 1 }
        : { kind: 'nondet', seq, icount, source: sources[i % 5]!, half: i % 2 ? 'hi' : 'lo', value: (i * 2654435761) | 0 };
      logged.push(e);
      t = i / 10;
      rec.sink({ type: 'logged', node: i < 4_000 ? 'A' : 'B', entry: e });
      if (i === 2_500) rec.fault('half way');
    }
    const stats = await rec.finish();
    expect(stats.committed.logEntries).toBe(logged.length);
    expect(stats.committed.events).toBe(1);
    expect(rec.backlog.overflowBatches).toBeGreaterThan(0);

    const db = openSessionFile(file);
    const rows = db
      .prepare('SELECT seq AS ord, entry_seq AS seq, icount, kind, payload, node, time_us FROM log_entries ORDER BY ord')
      .all() as (LogRow & { ord: number; node: string; time_us: number })[];
    db.close();
    expect(rows.map((r) => r.ord)).toEqual(logged.map((_, i) => i + 1));
    const unsigned = (e: LogEntry): LogEntry => (e.kind === 'nondet' ? { ...e, value: e.value >>> 0 } : e.kind === 'packet' ? { ...e, bytes: new Uint8Array(e.bytes) } : e);
    expect(rows.map((r) => entryFromRow(r))).toEqual(logged.map(unsigned));
    expect(rows[3_999]!.node).toBe('A');
    expect(rows[4_000]!.node).toBe('B');
    expect(rows[10]!.time_us).toBe(1_000);
  });

  it('records output events and other events exactly as the recorder on the machine\'s thread does, in the same order', async () => {
    // One stream of events — entries, outputs of every fate and device (with and without heldMs),
    // role changes and faults at the same positions as outputs — into a SessionRecorder on this
    // thread (the oracle) and through the off-thread recorder with small batches and a full ring.
    const stream: { t: number; ev: FtEvent }[] = [];
    const fates = ['held', 'released', 'discarded', 'resent'] as const;
    let t = 0;
    for (let i = 0; i < 3_000; i++) {
      t = i / 4;
      stream.push({ t, ev: { type: 'logged', node: i % 3 ? 'A' : 'B', entry: { kind: 'nondet', seq: i + 1, icount: i * 5, source: 'time', half: 'lo', value: i } } });
      if (i % 3 === 1) {
        const fate = fates[i % 4]!;
        stream.push({
          t,
          ev: { type: 'output', node: i % 2 ? 'A' : 'B', index: i, icount: i * 5, device: i % 5 ? 'uart' : 'nic', bytes: Uint8Array.from({ length: i % 9 }, (_, k) => i + k), fate, ...(fate === 'released' ? { heldMs: i / 8 } : {}) },
        });
      }
      if (i % 50 === 1) stream.push({ t, ev: { type: 'role', node: 'B', role: i % 100 === 1 ? 'primary' : 'backup', reason: `step ${i}` } });
      if (i % 70 === 1) stream.push({ t, ev: { type: 'output', node: 'A', index: -i, icount: i * 5, device: 'uart', bytes: new Uint8Array(0), fate: 'held' } });
    }
    const oracleFile = join(tmp.dir, 'oracle.sqlite');
    const odb = openWorkspaceDb(oracleFile);
    let now = 0;
    const oracle = new SessionRecorder(odb, { name: 'oracle', engine: 'sim' }, { now: () => now, flushRows: 1000, flushMs: 0 });
    for (const s of stream) {
      now = s.t;
      oracle.sink(s.ev);
    }
    oracle.finish();
    odb.close();
    const file = join(tmp.dir, 'outputs.sqlite');
    now = 0;
    const rec = await OffThreadRecorder.open(file, { name: 'off', engine: 'sim' }, { now: () => now, batchEntries: 64, ringSlots: 2, flushMs: 0 });
    for (const s of stream) {
      now = s.t;
      rec.sink(s.ev);
    }
    const stats = await rec.finish();
    expect(stats.committed.outputs).toBe(stream.filter((s) => s.ev.type === 'output').length);
    const rows = (f: string) => {
      const db = openSessionFile(f);
      const out = {
        outputs: db.prepare('SELECT id, node, out_index, icount, device, bytes, fate, time_us, held_ms FROM outputs ORDER BY id').all(),
        events: db.prepare('SELECT id, time_us, type, node, icount, detail, data_json FROM events ORDER BY id').all(),
      };
      db.close();
      return out;
    };
    const want = rows(oracleFile);
    expect(want.outputs.length).toBeGreaterThan(1000);
    expect(want.events.length).toBeGreaterThan(50);
    expect(rows(file)).toEqual(want);
  });
});
