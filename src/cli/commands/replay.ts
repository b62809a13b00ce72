/**
 * `ftlab replay FILE.sqlite [--session ID] [--verify] [--json]` — open a
 * workspace file read-only, list its sessions, and replay one (the latest by
 * default) from its checkpoints with its recorded log, checking the replay's
 * outputs and state hashes against the recording.
 *
 * Exit status: 0; 1 when the file cannot be opened (not SQLite, another
 * program's, newer schema, damaged: the file is never modified), the session
 * does not exist, or — with --verify — the replay does not match.
 * `--json` prints one object: file, sessions, session, verified,
 * firstMismatch, logEntries, outputs, checkpoints, nodes.
 */
import type { Command } from 'commander';
import { WorkspaceDbError } from '../../main/db/workspaceDb';
import { verifySession, type SessionVerification } from '../../main/replay/replaySession';
import { listSessions, openSessionFile, type SessionInfo } from '../../main/replay/sessions';

interface ReplayOptions {
  session?: string;
  verify?: boolean;
  json?: boolean;
}

export interface ReplayReport {
  readonly file: string;
  readonly sessions: readonly SessionInfo[];
  readonly session: number | null;
  readonly status: 'complete' | 'incomplete' | null;
  readonly verified: boolean;
  readonly firstMismatch: SessionVerification['firstMismatch'];
  readonly logEntries: number;
  readonly outputs: number;
  readonly checkpoints: number;
  readonly nodes: SessionVerification['nodes'];
  /** Why nothing was replayed (no session, no checkpoint), or null. */
  readonly note: string | null;
}

function fail(message: string): void {
  process.stderr.write(`ftlab replay: ${message}\n`);
  process.exitCode = 1;
}

export function replayFile(file: string, sessionId: number | null): ReplayReport {
  const db = openSessionFile(file);
  try {
    const sessions = listSessions(db);
    const chosen = sessionId === null ? sessions[sessions.length - 1] : sessions.find((s) => s.id === sessionId);
    if (sessionId !== null && chosen === undefined) {
      throw new Error(`${file} has no session ${sessionId} (sessions: ${sessions.map((s) => s.id).join(', ') || 'none'})`);
    }
    const base = { file, sessions, firstMismatch: null, nodes: [] };
    if (chosen === undefined) {
      return { ...base, session: null, status: null, verified: false, logEntries: 0, outputs: 0, checkpoints: 0, note: 'the file holds no session' };
    }
    const counts = { session: chosen.id, status: chosen.status, logEntries: chosen.logEntries, outputs: chosen.outputs, checkpoints: chosen.checkpoints };
    if (chosen.checkpoints === 0) {
      return { ...base, ...counts, verified: false, note: `session ${chosen.id} has no checkpoint: it cannot be replayed` };
    }
    const v = verifySession(db, chosen.id);
    return { ...base, ...counts, verified: v.verified, firstMismatch: v.firstMismatch, nodes: v.nodes, note: null };
  } finally {
    db.close();
  }
}

function printHuman(r: ReplayReport): void {
  const out: string[] = [`${r.file}: ${r.sessions.length} session(s)`];
  for (const s of r.sessions) {
    out.push(`  ${String(s.id).padStart(4)}  ${s.status.padEnd(10)} ${s.engine.padEnd(5)} ${s.createdAt}  ${s.logEntries} entries, ${s.outputs} outputs  ${s.name}`);
  }
  if (r.note !== null) out.push(r.note);
  for (const n of r.nodes) {
    out.push(
      `session ${r.session} node ${n.node}: replayed to icount ${n.icount} of ${n.endIcount}; ` +
        `${n.entriesReplayed} log entries, ${n.outputsChecked} outputs, ${n.checkpointsVerified} checkpoint hashes checked`,
    );
  }
  if (r.session !== null && r.note === null) {
    if (r.status === 'incomplete') out.push(`session ${r.session} is incomplete (the recording stopped): replayed up to its last committed batch`);
    const m = r.firstMismatch;
    out.push(m === null ? 'verified: the replay matches the recording' : `MISMATCH on ${m.node} at icount ${m.icount} (${m.kind}): ${m.detail}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export function register(program: Command): void {
  program
    .command('replay')
    .description('replay a saved session from an FT Lab .sqlite file and check it against the recording')
    .argument('<file>', 'workspace or exported session (.sqlite); opened read-only')
    .option('--session <id>', 'session to replay (default: the latest)')
    .option('--verify', 'exit with status 1 unless the replay matches the recording')
    .option('--json', 'print one JSON object')
    .action((file: string, opts: ReplayOptions) => {
      let sessionId: number | null = null;
      if (opts.session !== undefined) {
        sessionId = Number(opts.session);
        if (!Number.isSafeInteger(sessionId) || sessionId < 1) return fail(`--session must be a positive integer, got ${opts.session}`);
      }
      let report: ReplayReport;
      try {
        report = replayFile(file, sessionId);
      } catch (err) {
        if (err instanceof WorkspaceDbError) return fail(`error: ${err.message}`);
        return fail(`error: ${(err as Error).message}`);
      }
      if (opts.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printHuman(report);
      if (opts.verify && !report.verified) {
        process.stderr.write(
          report.firstMismatch
            ? `ftlab replay: session ${report.session} does not replay as recorded (first mismatch at icount ${report.firstMismatch.icount})\n`
            : `ftlab replay: ${report.note ?? 'not verified'}\n`,
        );
        process.exitCode = 1;
      }
    });
}
