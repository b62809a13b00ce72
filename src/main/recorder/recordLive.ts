/**
 * Record a live run (`ftlab run … --db FILE` without `--sim`): the live
 * engine's event stream, its clients' operations and its machines'
 * checkpoints (taken by the workers when a machine becomes primary, when it
 * ships its state to a new backup, and at heartbeats every `checkpointEvery`
 * instructions) go to a SessionRecorder, so the session replays and verifies
 * like a simulated one.
 */
import type { ProgramImage } from '../../core/image';
import type { Scenario } from '../../core/sim/scenario';
import { runScenarioLive, type LiveRunSummary } from '../engine/runScenarioLive';
import type { LiveEngine } from '../engine/liveEngine';
import { openWorkspaceDb, WorkspaceDbError, type Db } from '../db/workspaceDb';
import { SessionRecorder, type RecorderStats } from './sessionRecorder';

export interface RecordLiveOptions {
  readonly image: ProgramImage;
  readonly programFile?: string | null;
  readonly programSource?: string | null;
  readonly timeScale?: number;
  readonly name?: string;
  /** Periodic checkpoint spacing in instructions (default: the live engine's). */
  readonly checkpointEvery?: number;
}

export interface RecordedLive {
  readonly report: LiveRunSummary;
  readonly sessionId: number;
  readonly stats: RecorderStats;
  /** What the engine counted, for comparison with the recorder's counts. */
  readonly engineCounts: { readonly logEntries: number; readonly outputs: number; readonly clientOps: number };
}

export async function recordLiveRun(db: Db, sc: Scenario, opts: RecordLiveOptions): Promise<RecordedLive> {
  let engine: LiveEngine | null = null;
  const rec = new SessionRecorder(db, {
    name: opts.name ?? `${sc.name} (live)`,
    engine: 'live',
    programFile: opts.programFile ?? sc.program,
    programSource: opts.programSource ?? sc.source,
    imageHash: null,
    settings: { settings: sc.settings, clients: sc.clients, faults: sc.faults, stop: sc.stop },
    seed: sc.seed,
  }, { now: () => engine?.nowMs() ?? 0 });
  let outputs = 0;
  let engineCounts = { logEntries: 0, outputs: 0, clientOps: 0 };
  let report: LiveRunSummary;
  // The session ends where the summary is taken (the run is drained and paused
  // then): what a machine or client does while the engine shuts down is in neither.
  let finished = false;
  try {
    report = await runScenarioLive(sc, {
      image: opts.image,
      file: opts.programFile ?? sc.name,
      ...(opts.timeScale !== undefined ? { timeScale: opts.timeScale } : {}),
      ...(opts.checkpointEvery !== undefined ? { checkpointEvery: opts.checkpointEvery } : {}),
      onEngine: (e) => (engine = e),
      record: (ev) => {
        if (finished) return;
        if (ev.type === 'output') outputs++;
        rec.onEvent(ev);
      },
      recordClientOp: (op) => {
        if (finished) return;
        if (op.kind === 'invoke') rec.clientInvoke(op.id, op.client, op.op, op.input);
        else rec.clientComplete(op.id, op.output);
      },
      recordCheckpoint: (node, cp) => {
        if (!finished) rec.checkpoint(node, cp);
      },
      onFinished: (e) => {
        finished = true;
        engineCounts = {
          logEntries: e.counters.logEntries,
          outputs,
          // One row per operation (its completion fills the row in).
          clientOps: e.operations.length,
        };
      },
    });
  } catch (err) {
    rec.abandon();
    throw err;
  }
  const stats = rec.finish(
    { linearizable: report.linearizable, splitBrain: report.splitBrain, diverged: report.diverged, lostAckedOutputs: report.lostAckedOutputs, violations: report.violations },
    { logEntries: report.log.entries, outputs: report.outputs, instructions: report.instructions },
  );
  return { report, sessionId: rec.sessionId, stats, engineCounts };
}

/** `ftlab run … --db FILE` (live): record into a workspace file (created if missing); a bad file is reported, never modified. */
export async function recordLiveRunToFile(
  file: string,
  sc: Scenario,
  opts: RecordLiveOptions,
): Promise<{ readonly ok: true; readonly report: LiveRunSummary; readonly sessionId: number } | { readonly ok: false; readonly error: string }> {
  let db: Db;
  try {
    db = openWorkspaceDb(file);
  } catch (err) {
    if (err instanceof WorkspaceDbError) return { ok: false, error: err.message };
    throw err;
  }
  try {
    const r = await recordLiveRun(db, sc, opts);
    return { ok: true, report: r.report, sessionId: r.sessionId };
  } finally {
    db.close();
  }
}
