/**
 * Recording helpers for engines: a checkpoint of any ReplicaMachine, and a
 * complete recorded run of one logging primary (tests, benchmarks, the
 * crash test's child process).
 */
import type { ReplicaMachine } from '../../core/ft/replicaMachine';
import type { NodeId } from '../../core/ft/protocol';
import type { ProgramImage } from '../../core/image';
import type { NondetSource } from '../../core/machine/hostPort';
import { Machine } from '../../core/machine/machine';
import { LoggingSolo } from '../../core/replay/loggingSolo';
import type { Db } from '../db/workspaceDb';
import { SessionRecorder, type CheckpointInput, type RecorderOptions, type RecorderStats, type SessionMeta } from './sessionRecorder';

/**
 * Default checkpoint spacing: 4·10⁶ instructions re-execute in ~30 ms at the
 * interpreter's ~130 MIPS (seek ≤ 100 ms), and a checkpoint (a ~0.3 ms snapshot)
 * every ~30 ms costs the primary ~1 %.
 */
export const CHECKPOINT_EVERY_DEFAULT = 4_000_000;

/**
 * What `SessionRecorder.checkpoint` needs, taken from a replica between two
 * instructions. Only the snapshot is taken on the machine's thread; the
 * recorder hashes it (pass `withHash` to hash here instead).
 */
export function checkpointOf(machine: Pick<ReplicaMachine, 'icount' | 'snapshot' | 'stateHash'>, outputs: number, withHash = false): CheckpointInput {
  return { icount: machine.icount, snapshot: machine.snapshot().data, outputs, ...(withHash ? { stateHash: machine.stateHash() } : {}) };
}

/** The same for a bare Machine. */
export function machineCheckpoint(machine: Machine, outputs: number): CheckpointInput {
  return { icount: machine.icount, snapshot: machine.snapshot(), outputs };
}

/**
 * The same with the snapshot packed in one buffer (Machine.snapshotPacked), for
 * an OffThreadRecorder: the buffer is transferred to the recorder's thread, which
 * unpacks it — the machine's thread neither builds nor clones a dozen typed arrays.
 */
export function packedMachineCheckpoint(machine: Machine, outputs: number): CheckpointInput {
  return { icount: machine.icount, snapshot: machine.snapshotPacked(), outputs };
}

export interface SoloRunOptions {
  readonly image: ProgramImage;
  readonly instructions: number;
  readonly node?: NodeId;
  readonly seed?: number;
  readonly forget?: readonly NondetSource[];
  readonly packets?: readonly { readonly icount: number; readonly bytes: Uint8Array }[];
  readonly checkpointEvery?: number;
  readonly sliceInstructions?: number;
  readonly ramBytes?: number;
}

export interface SoloRunResult {
  readonly sessionId: number;
  readonly icount: number;
  readonly logged: number;
  readonly outputs: number;
  readonly checkpoints: number;
  readonly stats: RecorderStats;
}

/** Run `image` on a logging primary and record everything into `db` as one session. */
export function recordSoloRun(
  db: Db,
  meta: Omit<SessionMeta, 'checkpointEvery'>,
  opts: SoloRunOptions,
  recorderOptions: Partial<RecorderOptions> = {},
  onRecorder?: (rec: SessionRecorder) => void,
): SoloRunResult {
  const every = opts.checkpointEvery ?? CHECKPOINT_EVERY_DEFAULT;
  let host: LoggingSolo | null = null;
  const rec = new SessionRecorder(db, { ...meta, checkpointEvery: every }, { now: () => (host ? host.machine.icount / 100_000 : 0), ...recorderOptions });
  onRecorder?.(rec);
  let checkpoints = 0;
  host = new LoggingSolo({
    machine: (port) => {
      const m = new Machine({ port, ramBytes: opts.ramBytes });
      const problems = m.load(opts.image);
      if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
      return m;
    },
    emit: rec.sink,
    node: opts.node,
    seed: opts.seed,
    forget: opts.forget,
    packets: opts.packets,
    sliceInstructions: opts.sliceInstructions,
    checkpointEvery: every,
    onCheckpoint: (h) => {
      checkpoints++;
      rec.checkpoint(h.node, machineCheckpoint(h.machine, h.outputs));
    },
  });
  host.run(opts.instructions);
  const counts = { logEntries: host.logged, outputs: host.outputs, checkpoints };
  const stats = rec.finish({ stop: host.stop?.kind ?? null }, counts);
  return { sessionId: rec.sessionId, icount: host.machine.icount, logged: host.logged, outputs: host.outputs, checkpoints, stats };
}
