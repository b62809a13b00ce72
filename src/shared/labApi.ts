/**
 * LabApi: the one typed interface between the renderer and the engine.
 *
 * Every request the renderer makes is a method in `LabMethods` (params are
 * validated by the schemas in `labSchemas.ts` on the engine side); every event
 * the engine pushes is an entry in `LabEvents`, received through an `onX`
 * subscription that returns an unsubscribe function. The same interface is
 * carried over Electron IPC (the desktop app) and over a WebSocket (`npm run
 * web`, end-to-end tests).
 */
import type { Diagnostic } from '../core/diagnostic';

export interface EngineInfo {
  readonly version: string;
  readonly transport: 'ipc' | 'websocket';
  /** Path of the workspace SQLite database. */
  readonly dbPath: string;
  readonly schemaVersion: number;
}

/** What a replica worker reports for one round trip over the logging channel. */
export interface RoundTrip {
  readonly sessionId: number;
  readonly seq: number;
  /** Bytes the primary shipped over the logging channel. */
  readonly bytes: number;
  /** Digest of the program the primary computed and the backup recomputed. */
  readonly primaryDigest: string;
  readonly backupDigest: string;
  /** Log entries recorded in SQLite for this session. */
  readonly recordedEntries: number;
  /** Microseconds from the primary shipping the entry to receiving the ack. */
  readonly ackLatencyUs: number;
}

export interface RunResult {
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly roundTrip: RoundTrip | null;
}

export interface SessionSummary {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
  readonly engine: string;
  readonly status: 'complete' | 'incomplete';
  readonly logEntries: number;
  /** The program's file name (null for the skeleton round trip). */
  readonly program?: string | null;
  readonly endedAt?: string | null;
  readonly outputs?: number;
  readonly checkpoints?: number;
  /** The checker's verdict recorded at the end of the run (null while incomplete). */
  readonly verdict?: SessionVerdict | null;
}

/** The checker's verdict as recorded with a session. */
export interface SessionVerdict {
  readonly linearizable: boolean | 'unknown' | null;
  readonly splitBrain: boolean;
  readonly diverged: boolean;
  readonly lostAckedOutputs: number;
  /** One line for the session browser, e.g. "linearizable" or "split brain". */
  readonly text: string;
}

// ---------------------------------------------------------------------------
// Saved sessions and replay (issue 6): open a recorded session read-only and
// move to any moment; every panel shows that moment.
// ---------------------------------------------------------------------------

/** Where sessions come from: the workspace database, or a .sqlite file opened read-only. */
export interface SessionSource {
  /** Absolute path of an opened file; absent = the workspace. */
  readonly file?: string;
}

export interface OpenedSessionFile {
  readonly file: string;
  readonly sessions: readonly SessionSummary[];
}

export type ReplayMarkerCategory = 'fault' | 'failover' | 'transfer' | 'divergence' | 'other';

/** Something that happened in the recorded run, placed on the replay timeline. */
export interface ReplayMarker {
  readonly timeUs: number;
  /** Guest instruction count, where the recording knows it. */
  readonly icount: number | null;
  readonly node: string | null;
  readonly type: string;
  readonly category: ReplayMarkerCategory;
  readonly text: string;
}

/** One machine's recorded span: the replay can rebuild it from its first checkpoint to its end. */
export interface ReplayNodeInfo {
  readonly name: string;
  /** False for a machine the recording has no checkpoint of (a backup follows its primary's log). */
  readonly replayable: boolean;
  readonly startIcount: number;
  readonly endIcount: number;
  readonly startUs: number;
  readonly endUs: number;
}

export interface ReplayInfo {
  readonly sessionId: number;
  readonly file: string | null;
  readonly name: string;
  readonly program: string | null;
  /** The assembly the session ran, when it was recorded from source (null for an ELF). */
  readonly programSource: string | null;
  readonly engine: string;
  readonly status: 'complete' | 'incomplete';
  readonly verdict: SessionVerdict | null;
  readonly startIcount: number;
  readonly endIcount: number;
  readonly durationUs: number;
  readonly nodes: readonly ReplayNodeInfo[];
  readonly markers: readonly ReplayMarker[];
  readonly logEntries: number;
  readonly outputs: number;
  readonly clientOps: number;
}

export interface ReplayMachineView {
  readonly name: string;
  /** Role at the moment ('crashed' after its crash, 'absent' before it started). */
  readonly role: MachineRole | 'crashed' | 'absent';
  readonly replayable: boolean;
  /** Where the replay machine is (null when it is not replayed at this moment). */
  readonly icount: number | null;
  readonly pc: number | null;
  /** x0…x31 (null when not replayed). */
  readonly registers: readonly number[] | null;
  readonly stateHash: string | null;
  /** Why it shows no state, e.g. "a backup replays its primary's log: no checkpoint of its own". */
  readonly note: string | null;
}

export interface ReplayLogEntry extends LogEntryView {
  readonly node: string | null;
  readonly timeUs: number;
  /** The recorder's ordinal (log_entries.seq). */
  readonly ord: number;
  /** Logged after the moment (shown greyed). */
  readonly future: boolean;
}

export interface ReplayOutputView {
  readonly node: string;
  readonly index: number;
  readonly icount: number;
  readonly device: 'uart' | 'nic';
  readonly text: string;
  readonly fate: 'held' | 'released' | 'discarded' | 'resent' | 'duplicate-discarded';
  readonly timeUs: number;
}

export interface ReplayMoment {
  readonly sessionId: number;
  readonly timeUs: number;
  /** The machine the cursor follows (the primary at the moment) and its icount. */
  readonly node: string | null;
  readonly icount: number;
  readonly machines: readonly ReplayMachineView[];
  readonly log: { readonly before: number; readonly total: number; readonly entries: readonly ReplayLogEntry[] };
  readonly outputs: {
    readonly released: number;
    readonly held: number;
    readonly discarded: number;
    readonly duplicatesDiscarded: number;
    readonly total: number;
    readonly recent: readonly ReplayOutputView[];
    /** What the primary's UART printed up to the moment (tail). */
    readonly uart: string;
  };
  readonly clients: { readonly invoked: number; readonly completed: number; readonly recent: readonly ClientOpView[] };
  /** Markers at or before the moment. */
  readonly markersPassed: number;
  /** Instructions re-executed for this move, and how long it took. */
  readonly executed: number;
  readonly seekMs: number;
  readonly playing: boolean;
}

export interface ReplayMismatchView {
  readonly node: string;
  readonly kind: string;
  readonly icount: number;
  readonly pc: number;
  readonly detail: string;
  readonly expected?: string;
  readonly actual?: string;
}

export interface ReplayVerification {
  readonly sessionId: number;
  readonly verified: boolean;
  readonly firstMismatch: ReplayMismatchView | null;
  readonly nodes: readonly { readonly node: string; readonly verified: boolean; readonly entriesReplayed: number; readonly outputsChecked: number; readonly checkpointsVerified: number }[];
  readonly ms: number;
}

/** Long work (verifying a replay, exporting a session) reports how far it got. */
export interface ProgressEvent {
  readonly task: 'verify' | 'export' | 'open';
  readonly sessionId: number | null;
  /** 0…1 */
  readonly fraction: number;
  readonly text: string;
  readonly done: boolean;
}

export type ReplaySeekParams = { readonly icount: number; readonly node?: MachineName } | { readonly timeUs: number };

export interface ExportResult {
  readonly fileName: string;
  readonly bytes: number;
  /** Where it was written (desktop app, or when a path was given). */
  readonly path: string | null;
  /** The file's bytes when no path was given (the browser saves them as a download). */
  readonly bytesBase64: string | null;
}

export interface ExampleInfo {
  /** File name inside resources/examples, e.g. "hello.s". */
  readonly name: string;
  /** First comment line of the file: what the example shows. */
  readonly title: string;
}

// ---------------------------------------------------------------------------
// The live engine: primary, backup and spare machines in worker threads.
// Every payload is plain JSON (bytes travel as base64 or hex strings): the
// same messages cross Electron IPC and the WebSocket.
// ---------------------------------------------------------------------------

/** A machine's name on the network ('A', 'B', 'C'): roles move between machines, names do not. */
export type MachineName = 'A' | 'B' | 'C';
/** Who a fault or a control addresses: a role (whoever holds it now) or a machine by name. */
export type MachineTarget = 'primary' | 'backup' | 'spare' | MachineName;

export type NondetSourceName = 'cycle' | 'time' | 'seed' | 'hostid' | 'mtime';
export type LogEntryKindName = 'packet' | 'timer' | 'nondet' | 'output' | 'heartbeat';

/** A program to load: assembly source, or an ELF file's bytes. */
export type ProgramInput =
  | { readonly format: 'asm'; readonly file: string; readonly source: string }
  | { readonly format: 'elf'; readonly file: string; readonly bytesBase64: string };

export interface LoadResult {
  /** False when the program has errors (see diagnostics); nothing was loaded. */
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
  /** Hash of the loaded image (segments + entry), hex. */
  readonly imageHash: string | null;
  readonly entry: number | null;
  readonly symbols: readonly { readonly name: string; readonly addr: number }[];
  /** Address → source line (1-based), for highlighting each replica's current instruction. */
  readonly sourceMap: readonly { readonly addr: number; readonly line: number }[];
  /** A built-in scenario's own program text (assembly only; null for an ELF), so the editor can show it. */
  readonly programSource?: string | null;
}

/** The switches and bounds a student can change (also while running). */
export interface LiveSettings {
  /** Hold outputs until the backup acknowledged the log up to them (VMware FT §2.2). */
  readonly outputRule: boolean;
  /** Who decides which machine may go live when the two lose contact. */
  readonly arbiter: 'test-and-set' | 'view-service' | 'none';
  /** Replicated state machine (log) or Remus-style periodic checkpoints. */
  readonly scheme: 'log' | 'checkpoint';
  readonly heartbeatMs: number;
  /** Silence after which the partner is presumed dead. */
  readonly failureTimeoutMs: number;
  /** After a failover, start a new backup on the spare by state transfer without asking. */
  readonly autoRestoreBackup: boolean;
  /** Non-deterministic sources the primary logs ("forget to log seed" removes one). */
  readonly loggedSources: readonly NondetSourceName[];
  /** 1, or 2 for the multicore demonstration (not deterministic: replicas diverge). */
  readonly harts: 1 | 2;
}

/**
 * A fault or safety switch, applied at once. Every button of the fault panel
 * is one of these; the same actions appear in scenario fault plans.
 */
export type FaultAction =
  /** Fail-stop: the machine's worker thread is terminated. */
  | { readonly kind: 'crash'; readonly target: MachineTarget }
  /** Fail-recover: a crashed machine comes back empty and may rejoin only by state transfer. */
  | { readonly kind: 'restart'; readonly target: MachineName }
  /** Break the logging channel: both ways, or only one direction. */
  | { readonly kind: 'cutLog'; readonly direction: 'both' | 'primary-to-backup' | 'backup-to-primary' }
  | { readonly kind: 'healLog' }
  /** The machine can no longer reach the arbiter (test-and-set server or view service). */
  | { readonly kind: 'cutArbiter'; readonly target: MachineTarget }
  | { readonly kind: 'healArbiter'; readonly target: MachineTarget }
  /** The arbiter itself stops (the view service as a single point of failure). */
  | { readonly kind: 'crashArbiter' }
  /** Every logging-channel message is delayed by `ms` (0 = no delay). */
  | { readonly kind: 'delayLog'; readonly ms: number }
  /** Each logging-channel message is lost with this probability (0 = none). */
  | { readonly kind: 'dropLog'; readonly probability: number }
  /** The backup's host runs at `factor` × normal speed (1 = normal). */
  | { readonly kind: 'slowBackup'; readonly factor: number }
  /** The primary stops logging reads of `source` (its backup will diverge). */
  | { readonly kind: 'forgetToLog'; readonly source: NondetSourceName }
  | { readonly kind: 'rememberToLog'; readonly source: NondetSourceName }
  | { readonly kind: 'outputRule'; readonly on: boolean }
  | { readonly kind: 'arbiter'; readonly arbiter: LiveSettings['arbiter'] };

export type FaultKind = FaultAction['kind'];

/** Role of a machine right now. 'spare' is an idle machine that may be recruited as backup. */
export type MachineRole = 'primary' | 'backup' | 'spare' | 'halted';
/**
 * State of a machine: running (replicating), paused, halted (the guest exited,
 * or it lost arbitration), crashed (its worker died), live (a primary running
 * alone, serving clients without a backup), stalled (the primary waits for the
 * backup: log buffer or output buffer full), idle (a spare).
 */
export type MachineRunState = 'running' | 'paused' | 'halted' | 'crashed' | 'live' | 'stalled' | 'idle';

export interface MachineView {
  readonly name: MachineName;
  readonly role: MachineRole;
  readonly state: MachineRunState;
  readonly icount: number;
  readonly pc: number;
  /** Primary icount − this machine's icount (backups only; 0 otherwise). */
  readonly lagIcount: number;
  /** Instructions per second over the last state period. */
  readonly ips: number;
  /** Why it is halted or crashed. */
  readonly reason: string | null;
  /** Last characters the guest wrote to its UART (a backup's are discarded, but shown). */
  readonly uartTail: string;
}

export interface HeldOutputView {
  readonly index: number;
  readonly icount: number;
  readonly device: 'uart' | 'nic';
  /** Log entry that must be acknowledged before release. */
  readonly needSeq: number;
  readonly heldUs: number;
}

export interface ClientOpView {
  readonly client: number;
  readonly op: string;
  /** null while in flight. */
  readonly result: string | null;
  readonly invokedMs: number;
  readonly completedMs: number | null;
}

export interface ClientsView {
  readonly running: boolean;
  readonly workload: 'counter' | 'kv';
  readonly count: number;
  readonly intervalMs: number;
  readonly sent: number;
  readonly completed: number;
  readonly retries: number;
  /** Replies a client discarded by output sequence number (a new primary re-sent them). */
  readonly duplicatesDiscarded: number;
  /** Most recent operations (bounded). */
  readonly recent: readonly ClientOpView[];
}

/** The checker's verdict on the run so far. */
export interface VerdictView {
  readonly linearizable: boolean | 'unknown' | null;
  readonly splitBrain: boolean;
  readonly lostAckedOutputs: number;
  readonly diverged: boolean;
  /** Operations that cannot be ordered (when not linearizable). */
  readonly witness: readonly string[];
  /**
   * Set when the run's history outgrew what the checkers keep: the verdicts
   * judge its first `checkedOps` operations (and the outputs up to then); the
   * rest of a long run is counted, not checked.
   */
  readonly checkedOps?: number | null;
}

export interface LabState {
  /** Milliseconds since the run started. */
  readonly atMs: number;
  readonly run: 'empty' | 'loaded' | 'running' | 'paused' | 'stopped';
  readonly program: { readonly file: string; readonly imageHash: string } | null;
  /** Recording session of this run (null before start). */
  readonly sessionId: number | null;
  readonly speed: { readonly ips: number | 'max' };
  readonly settings: LiveSettings;
  readonly epoch: number;
  readonly machines: readonly MachineView[];
  readonly logChannel: {
    readonly entries: number;
    readonly bytes: number;
    readonly batches: number;
    readonly ackedSeq: number;
    readonly entriesPerSec: number;
    readonly cut: 'none' | 'both' | 'primary-to-backup' | 'backup-to-primary';
    readonly delayMs: number;
    readonly dropProbability: number;
  };
  readonly outputs: {
    readonly produced: number;
    readonly released: number;
    readonly held: number;
    readonly discardedByBackup: number;
    readonly duplicatesDiscarded: number;
    readonly heldUsMedian: number | null;
  };
  readonly heldOutputs: readonly HeldOutputView[];
  readonly arbiter: {
    readonly kind: LiveSettings['arbiter'];
    readonly up: boolean;
    /** View service: the current view. */
    readonly view: { readonly num: number; readonly primary: string | null; readonly backup: string | null } | null;
    readonly cutFrom: readonly MachineName[];
  };
  readonly failovers: number;
  readonly clients: ClientsView;
  readonly verdict: VerdictView;
}

export interface LogEntryView {
  readonly epoch: number;
  readonly seq: number;
  readonly icount: number;
  readonly kind: LogEntryKindName;
  /** One line, e.g. "#12 @4031 seed.lo=0x1f3a". */
  readonly text: string;
  /** Packet bytes (hex) for packets; absent otherwise. */
  readonly payloadHex?: string;
}

export interface LogWindow {
  readonly epoch: number;
  /** Oldest and newest sequence numbers still held in the window (0/0 when empty). */
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly entries: readonly LogEntryView[];
}

/** Something that belongs on the timeline. */
export interface FtEventView {
  readonly atMs: number;
  readonly type:
    | 'role'
    | 'fault'
    | 'crash'
    | 'suspect'
    | 'arbitration'
    | 'failover'
    | 'view'
    | 'stateTransfer'
    | 'stateInstalled'
    | 'checkpoint'
    | 'stall'
    | 'divergence'
    | 'invariant'
    | 'guestStopped'
    | 'run';
  readonly node: string | null;
  readonly text: string;
  readonly icount?: number;
  readonly pc?: number;
}

export interface MemoryDiffParams {
  /** Defaults: primary against backup. */
  readonly left?: MachineTarget;
  readonly right?: MachineTarget;
  /** Pages whose bytes to return; default: the first `pagesMax` differing pages. */
  readonly pages?: readonly number[];
  readonly pagesMax?: number;
}

export interface MemoryDiff {
  readonly left: { readonly name: MachineName; readonly icount: number; readonly pc: number; readonly stateHash: string };
  readonly right: { readonly name: MachineName; readonly icount: number; readonly pc: number; readonly stateHash: string };
  readonly ramBase: number;
  readonly pageBytes: number;
  readonly totalPages: number;
  /** Indices of pages whose hashes differ (compared first; bytes only for these). */
  readonly differingPages: readonly number[];
  readonly pages: readonly { readonly index: number; readonly addr: number; readonly leftBase64: string; readonly rightBase64: string }[];
  readonly registers: readonly { readonly name: string; readonly left: number; readonly right: number }[];
  readonly csrs: readonly { readonly name: string; readonly left: number; readonly right: number }[];
  readonly firstDifference: { readonly addr: number; readonly left: number; readonly right: number } | null;
}

export interface ScenarioInfo {
  readonly name: string;
  readonly title: string;
  /** What the scenario expects (e.g. "linearizable", "split brain"). */
  readonly expected: string;
}

export interface ClientsParams {
  readonly action: 'start' | 'pause' | 'reset';
  readonly workload?: 'counter' | 'kv';
  readonly count?: number;
  readonly intervalMs?: number;
}

export type Ok = { readonly ok: true };

/** Requests: name → params and result. */
export interface LabMethods {
  getInfo: { params: Record<string, never>; result: EngineInfo };
  /** Skeleton round trip (kept until the workbench uses loadProgram + start). */
  run: { params: { source: string; file: string }; result: RunResult };
  listSessions: { params: Record<string, never>; result: readonly SessionSummary[] };
  listExamples: { params: Record<string, never>; result: readonly ExampleInfo[] };
  readExample: { params: { name: string }; result: { name: string; source: string } };
  listScenarios: { params: Record<string, never>; result: readonly ScenarioInfo[] };
  /** Load a built-in scenario: its program, settings, clients and fault plan (run by start). */
  loadScenario: { params: { name: string }; result: LoadResult };

  // ---- the live engine ----
  /** Assemble or read the program and prepare fresh machines (the previous run is stopped). */
  loadProgram: { params: ProgramInput; result: LoadResult };
  /** Start the loaded program on primary + backup (+ spare); opens a recording session. */
  start: { params: { paused?: boolean }; result: { sessionId: number } };
  pause: { params: Record<string, never>; result: Ok };
  resume: { params: Record<string, never>; result: Ok };
  /** Paused: the primary executes `count` instructions (the backup follows the log). */
  step: { params: { count: number }; result: LabState };
  /** End the run; the session is closed as complete. */
  stop: { params: Record<string, never>; result: Ok };
  /** Instructions per second for watching, or 'max' for full speed. */
  setSpeed: { params: { ips: number | 'max' }; result: Ok };
  setSettings: { params: Partial<LiveSettings>; result: LiveSettings };
  injectFault: { params: { action: FaultAction }; result: Ok };
  /** Start a new backup from the primary by state transfer (after a failover). */
  restoreRedundancy: { params: Record<string, never>; result: { backup: MachineName | null } };
  clients: { params: ClientsParams; result: ClientsView };
  /** Breakpoints (guest addresses): the run pauses when the primary reaches one. */
  setBreakpoints: { params: { addrs: readonly number[] }; result: Ok };
  getState: { params: Record<string, never>; result: LabState };
  getLogWindow: { params: { fromSeq?: number; count: number; kinds?: readonly LogEntryKindName[] }; result: LogWindow };
  memoryDiff: { params: MemoryDiffParams; result: MemoryDiff };

  // ---- saved sessions and replay ----
  renameSession: { params: { sessionId: number; name: string }; result: SessionSummary };
  deleteSession: { params: { sessionId: number }; result: Ok };
  /** Write one session as a standalone .sqlite file: to `path`, or returned as bytes for a download. */
  exportSession: { params: { sessionId: number; path?: string }; result: ExportResult };
  /** Open any .sqlite file read-only (a path, or an uploaded file's bytes); a bad file is an error naming the problem. */
  openSessionFile: { params: { path: string } | { name: string; bytesBase64: string }; result: OpenedSessionFile };
  /** Open a session for replay (closes the previous replay) and go to its first moment. */
  openReplay: { params: SessionSource & { sessionId: number }; result: { info: ReplayInfo; moment: ReplayMoment } };
  seekReplay: { params: ReplaySeekParams; result: ReplayMoment };
  stepReplay: { params: { count: number; direction: 'forward' | 'back' }; result: ReplayMoment };
  /** Play forward at `ips` guest instructions per second; moments arrive as replayMoment events. */
  playReplay: { params: { ips: number }; result: Ok };
  pauseReplay: { params: Record<string, never>; result: ReplayMoment };
  closeReplay: { params: Record<string, never>; result: Ok };
  /** Replay the whole session checking it against the recording (progress events while it works). */
  verifyReplay: { params: Record<string, never>; result: ReplayVerification };
  /** Memory diff of two machines at the replay moment (same shape as the live one). */
  replayMemoryDiff: { params: MemoryDiffParams; result: MemoryDiff };
}

/** Engine → renderer events. */
export interface EngineEvent {
  readonly at: string;
  readonly kind: 'worker-started' | 'log-shipped' | 'log-acked' | 'recorded' | 'worker-crashed';
  readonly machine: 'primary' | 'backup' | 'engine';
  readonly message: string;
}

/** Commands chosen in the application menu (desktop app) that the renderer carries out. */
export type MenuCommand =
  | { readonly command: 'open-example'; readonly name: string }
  | { readonly command: 'open-session-file'; readonly path: string }
  | { readonly command: 'show-about' };

export interface LabEvents {
  engineEvent: EngineEvent;
  roundTrip: RoundTrip;
  menuCommand: MenuCommand;
  /** The whole live state, at most ~30 times a second while something changes. */
  state: LabState;
  /** Log entries shipped since the last push (a bounded tail: use getLogWindow for more). */
  logEntries: { readonly epoch: number; readonly entries: readonly LogEntryView[]; readonly total: number };
  /** Role changes, faults, arbitration, failover, state transfer, divergence: the timeline. */
  ftEvent: FtEventView;
  /** Where the replay is while it plays. */
  replayMoment: ReplayMoment;
  /** Progress of long work: verifying a replay, exporting a session. */
  progress: ProgressEvent;
}

export type Unsubscribe = () => void;

type EventHandlerName<K extends string> = `on${Capitalize<K>}`;

export type LabApi = {
  readonly [K in keyof LabMethods]: (params: LabMethods[K]['params']) => Promise<LabMethods[K]['result']>;
} & {
  readonly [K in keyof LabEvents as EventHandlerName<K & string>]: (
    listener: (event: LabEvents[K]) => void,
  ) => Unsubscribe;
};

export type LabMethodName = keyof LabMethods;
export type LabEventName = keyof LabEvents;

export const labMethodNames = [
  'getInfo', 'run', 'listSessions', 'listExamples', 'readExample', 'listScenarios', 'loadScenario',
  'loadProgram', 'start', 'pause', 'resume', 'step', 'stop', 'setSpeed', 'setSettings', 'injectFault',
  'restoreRedundancy', 'clients', 'setBreakpoints', 'getState', 'getLogWindow', 'memoryDiff',
  'renameSession', 'deleteSession', 'exportSession', 'openSessionFile', 'openReplay', 'seekReplay', 'stepReplay',
  'playReplay', 'pauseReplay', 'closeReplay', 'verifyReplay', 'replayMemoryDiff',
] as const satisfies readonly LabMethodName[];
export const labEventNames = ['engineEvent', 'roundTrip', 'menuCommand', 'state', 'logEntries', 'ftEvent', 'replayMoment', 'progress'] as const satisfies readonly LabEventName[];

// Both lists must name every method and event (compile-time check).
type Missing<All, Listed> = Exclude<All, Listed>;
const _allMethodsListed: Missing<LabMethodName, (typeof labMethodNames)[number]> extends never ? true : never = true;
const _allEventsListed: Missing<LabEventName, (typeof labEventNames)[number]> extends never ? true : never = true;
void _allMethodsListed;
void _allEventsListed;

/** An error the engine returns instead of a result (never a crash). */
export interface LabError {
  readonly code: 'bad-request' | 'unknown-method' | 'engine-error';
  readonly message: string;
  /** For bad-request: where in the params the problem is (e.g. "params.source"). */
  readonly path?: string;
}

export class LabCallError extends Error {
  readonly code: LabError['code'];
  readonly path?: string;
  constructor(error: LabError) {
    super(error.message);
    this.name = 'LabCallError';
    this.code = error.code;
    this.path = error.path;
  }
}
