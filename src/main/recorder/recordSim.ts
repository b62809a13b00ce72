/**
 * Record a simulated run (`ftlab run … --sim --db FILE`): the scenario runner's
 * event stream goes to a SessionRecorder, and each machine is checkpointed
 * when it becomes primary (the start of its replayable track), when it ships
 * its state to a new backup (its log resumes after running alone), and at
 * heartbeat entries every `checkpointEvery` instructions — heartbeats are
 * logged between two instructions, after everything before them was logged,
 * so a checkpoint there is exact.
 */
import type { FtEvent } from '../../core/ft/events';
import type { NodeId } from '../../core/ft/protocol';
import type { ReplicaMachine } from '../../core/ft/replicaMachine';
import type { ProgramImage } from '../../core/image';
import { runScenario, type RunOptions, type RunReport, type SimMachineFactory } from '../../core/sim/runner';
import type { Scenario } from '../../core/sim/scenario';
import { openWorkspaceDb, WorkspaceDbError, type Db } from '../db/workspaceDb';
import { checkpointOf, CHECKPOINT_EVERY_DEFAULT } from './recordSolo';
import { SessionRecorder, type RecorderStats } from './sessionRecorder';

/** The runner creates machines A, B, C in this order, each with its own host id. */
const NODE_ORDER: readonly NodeId[] = ['A', 'B', 'C'];

export interface RecordSimOptions extends RunOptions {
  readonly programFile?: string | null;
  readonly programSource?: string | null;
  readonly image?: ProgramImage;
  readonly checkpointEvery?: number;
  readonly name?: string;
}

export interface RecordedSim {
  readonly report: RunReport;
  readonly sessionId: number;
  readonly stats: RecorderStats;
}

function imageHash(image: ProgramImage): string {
  // FNV-1a over every segment (address and bytes): identifies the program, not a security hash.
  let h = 0x811c9dc5;
  const mix = (b: number): void => {
    h = Math.imul(h ^ (b & 0xff), 0x01000193) >>> 0;
  };
  for (const s of image.segments) {
    for (let k = 0; k < 4; k++) mix(s.addr >>> (8 * k));
    for (const b of s.bytes) mix(b);
  }
  return h.toString(16).padStart(8, '0');
}

export function recordSimulatedRun(db: Db, sc: Scenario, opts: RecordSimOptions): RecordedSim {
  const every = opts.checkpointEvery ?? CHECKPOINT_EVERY_DEFAULT;
  let nowMs = 0;
  const rec = new SessionRecorder(
    db,
    {
      name: opts.name ?? `${sc.name} seed ${opts.seed ?? sc.seed}`,
      engine: 'sim',
      programFile: opts.programFile ?? sc.program,
      programSource: opts.programSource ?? sc.source,
      imageHash: opts.image ? imageHash(opts.image) : null,
      settings: { settings: sc.settings, clients: sc.clients, faults: sc.faults, stop: sc.stop },
      seed: opts.seed ?? sc.seed,
      checkpointEvery: every,
    },
    { now: () => nowMs, flushMs: 0 },
  );
  const hostNode = new Map<number, NodeId>();
  const machines = new Map<NodeId, ReplicaMachine>();
  const produced = new Map<NodeId, number>();
  const nextCheckpoint = new Map<NodeId, number>();
  const factory: SimMachineFactory = (port, hostId, quantum) => {
    const m = opts.machine(port, hostId, quantum);
    if (hostId !== 0) {
      let node = hostNode.get(hostId);
      if (node === undefined && hostNode.size < NODE_ORDER.length) {
        node = NODE_ORDER[hostNode.size]!;
        hostNode.set(hostId, node);
      }
      if (node !== undefined) {
        machines.set(node, m);
        produced.set(node, 0);
        nextCheckpoint.delete(node);
      }
    }
    return m;
  };
  const checkpoint = (node: NodeId, icount: number, resumesLog: boolean): void => {
    const m = machines.get(node);
    if (m === undefined || m.icount !== icount) return; // not between instructions at this entry: skip
    rec.checkpoint(node, { ...checkpointOf(m, produced.get(node) ?? 0), resumesLog });
    nextCheckpoint.set(node, icount + every);
  };
  const onEvent = (t: number, ev: FtEvent): void => {
    nowMs = t;
    // The log of a machine (re)starts when it becomes primary, and when it ships its state to a new backup.
    const resumer = ev.type === 'role' && ev.role === 'primary' ? ev.node : ev.type === 'stateTransfer' ? ev.from : null;
    if (resumer !== null) {
      const m = machines.get(resumer);
      if (m) checkpoint(resumer, m.icount, true);
    }
    rec.sink(ev);
    switch (ev.type) {
      case 'output':
        if (ev.fate !== 'resent') produced.set(ev.node, Math.max(produced.get(ev.node) ?? 0, ev.index + 1));
        break;
      case 'stateInstalled':
        produced.set(ev.node, ev.outputs);
        break;
      case 'logged': {
        const next = nextCheckpoint.get(ev.node);
        if (ev.entry.kind === 'heartbeat' && next !== undefined && ev.entry.icount >= next) checkpoint(ev.node, ev.entry.icount, false);
        break;
      }
      default:
        break;
    }
    opts.onEvent?.(t, ev);
  };
  let report: RunReport;
  try {
    report = runScenario(sc, { ...opts, machine: factory, onEvent });
  } catch (err) {
    rec.abandon();
    throw err;
  }
  const stats = rec.finish(
    { linearizable: report.linearizable, splitBrain: report.splitBrain, diverged: report.diverged, lostAckedOutputs: report.lostAckedOutputs, violations: report.violations },
    { logEntries: report.log.entries, outputs: report.outputs, instructions: report.instructions },
  );
  return { report, sessionId: rec.sessionId, stats };
}

/**
 * `ftlab run … --sim --db FILE`: record into a workspace file (created if
 * missing). A file that cannot be a workspace is reported, never modified.
 */
export function recordSimulatedRunToFile(
  file: string,
  sc: Scenario,
  opts: RecordSimOptions,
): { readonly ok: true; readonly report: RunReport; readonly sessionId: number } | { readonly ok: false; readonly error: string } {
  let db: Db;
  try {
    db = openWorkspaceDb(file);
  } catch (err) {
    if (err instanceof WorkspaceDbError) return { ok: false, error: err.message };
    throw err;
  }
  try {
    const r = recordSimulatedRun(db, sc, opts);
    return { ok: true, report: r.report, sessionId: r.sessionId };
  } finally {
    db.close();
  }
}
