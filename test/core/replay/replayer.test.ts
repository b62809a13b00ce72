import { describe, expect, it } from 'vitest';
import type { FtEvent } from '../../../src/core/ft/events';
import { MachineReplica } from '../../../src/core/ft/machineAdapter';
import type { LogEntry } from '../../../src/core/ft/protocol';
import { Machine } from '../../../src/core/machine/machine';
import type { MachineSnapshot } from '../../../src/core/machine/snapshot';
import { LoggingSolo } from '../../../src/core/replay/loggingSolo';
import { Replayer } from '../../../src/core/replay/replayer';
import type { CheckpointInfo, RecordedOutput, SessionTrack, TrackEntry } from '../../../src/core/replay/track';
import { churnImage } from '../../main/replay/helpers';

/** A recording kept in arrays: the pure replayer needs no database. */
function record(instructions: number, every: number) {
  const entries: TrackEntry[] = [];
  const outputs: RecordedOutput[] = [];
  const checkpoints: CheckpointInfo[] = [];
  const snapshots = new Map<number, MachineSnapshot>();
  const emit = (ev: FtEvent): void => {
    if (ev.type === 'logged') entries.push({ ord: entries.length + 1, timeUs: entries.length, entry: ev.entry });
    if (ev.type === 'output') outputs.push({ index: ev.index, icount: ev.icount, device: ev.device, bytes: ev.bytes });
  };
  const image = churnImage();
  const host = new LoggingSolo({
    machine: (port) => {
      const m = new Machine({ port, ramBytes: 1 << 20 });
      m.load(image);
      return m;
    },
    emit,
    checkpointEvery: every,
    sliceInstructions: 5_000,
    onCheckpoint: (h) => {
      const id = checkpoints.length + 1;
      snapshots.set(id, h.machine.snapshot());
      checkpoints.push({ id, icount: h.machine.icount, logSeq: entries.length, outputs: h.outputs, stateHash: h.machine.stateHash(), timeUs: 0, resumesLog: id === 1 });
    },
  });
  host.run(instructions);
  return { entries, outputs, checkpoints, snapshots };
}

function track(rec: ReturnType<typeof record>, entries = rec.entries): SessionTrack {
  return {
    node: 'A',
    checkpoints: rec.checkpoints,
    loadSnapshot: (id) => rec.snapshots.get(id),
    entries: (after) => entries.filter((e) => e.ord > after),
    outputs: (from) => rec.outputs.filter((o) => o.index >= from),
    endIcount: Math.max(...rec.checkpoints.map((c) => c.icount)),
    icountAtTime: (t) => entries.filter((e) => e.timeUs <= t).at(-1)?.entry.icount ?? 0,
  };
}

const makeMachine = (port: ConstructorParameters<typeof Machine>[0]['port'], snap: unknown) =>
  new MachineReplica(Machine.fromSnapshot(snap as MachineSnapshot, port), null);

describe('Replayer (pure)', () => {
  const rec = record(200_000, 50_000);

  it('verifies a faithful recording: every read, output and checkpoint hash', () => {
    const v = new Replayer(track(rec), makeMachine).verify();
    expect(v.firstMismatch).toBeNull();
    expect(v.verified).toBe(true);
    expect(v.checkpointsVerified).toBe(rec.checkpoints.length);
    expect(v.entriesReplayed).toBe(rec.entries.length);
    expect(v.outputsChecked).toBe(rec.outputs.length);
  });

  it('reports a timer logged at the wrong icount as the first mismatch, with its icount', () => {
    const k = rec.entries.findIndex((e) => e.entry.kind === 'timer');
    const moved = rec.entries.map((e, i) => (i === k ? { ...e, entry: { ...e.entry, icount: e.entry.icount + 5 } as LogEntry } : e));
    const v = new Replayer(track(rec, moved), makeMachine).verify();
    expect(v.verified).toBe(false);
    // Delivered 5 instructions late, the interrupt changes what follows: the first difference is
    // found at or after the original icount (a read, an output or a hash).
    expect(v.firstMismatch!.icount).toBeGreaterThanOrEqual(rec.entries[k]!.entry.icount);
  });

  it('seeks by time to the last entry logged at or before it', () => {
    const r = new Replayer(track(rec), makeMachine);
    const e = rec.entries[120]!;
    expect(r.seekTime(e.timeUs).icount).toBe(e.entry.icount);
  });
});
