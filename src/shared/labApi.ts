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
}

export interface ExampleInfo {
  /** File name inside resources/examples, e.g. "hello.s". */
  readonly name: string;
  /** First comment line of the file: what the example shows. */
  readonly title: string;
}

/** Requests: name → params and result. */
export interface LabMethods {
  getInfo: { params: Record<string, never>; result: EngineInfo };
  /** Assemble `source` and replicate it through the primary and backup workers. */
  run: { params: { source: string; file: string }; result: RunResult };
  listSessions: { params: Record<string, never>; result: readonly SessionSummary[] };
  listExamples: { params: Record<string, never>; result: readonly ExampleInfo[] };
  readExample: { params: { name: string }; result: { name: string; source: string } };
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

export const labMethodNames = ['getInfo', 'run', 'listSessions', 'listExamples', 'readExample'] as const satisfies readonly LabMethodName[];
export const labEventNames = ['engineEvent', 'roundTrip', 'menuCommand'] as const satisfies readonly LabEventName[];

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
