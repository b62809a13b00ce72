/**
 * Messages between the engine host and the replica workers, and between the
 * primary and the backup over the logging channel (a MessageChannel). Each is a
 * discriminated union on `type`; every switch over them is exhaustive.
 */
import type { FtEvent } from '../core/ft/events';
import type { Message, NodeId } from '../core/ft/protocol';
import type { FtSettings } from '../core/ft/settings';
import type { StartAs } from '../core/ft/replica';
import type { ProgramImage } from '../core/image';
import type { PackedOutputs } from './packedOutputs';

export type Role = 'primary' | 'backup';

/** Engine → replica worker. */
export type HostToReplica =
  | { readonly type: 'program'; readonly seq: number; readonly source: string }
  | { readonly type: 'crash' };

/** Replica worker → engine. */
export type ReplicaToHost =
  | { readonly type: 'ready'; readonly role: Role }
  | { readonly type: 'shipped'; readonly seq: number; readonly bytes: number }
  | {
      readonly type: 'acked';
      readonly seq: number;
      readonly bytes: number;
      readonly primaryDigest: string;
      readonly backupDigest: string;
      readonly ackLatencyUs: number;
    };

/** Primary → backup over the logging channel. */
export type LogChannelMessage =
  | { readonly type: 'log'; readonly seq: number; readonly payload: Uint8Array }
  | { readonly type: 'ack'; readonly seq: number; readonly digest: string };

export function assertNever(value: never, what: string): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------
// The live engine: machine workers (one per physical host: A, B, C) and the
// engine host in the main thread. Machines talk to each other over
// MessageChannel ports (the logging channel is one of them); to the arbiter,
// the view service and the clients through the engine host.
// ---------------------------------------------------------------------------
/** A node:worker_threads MessagePort (kept opaque here: src/shared does not import node). */
export type TransferredPort = object;

/** One message on a machine ⇄ machine port (the logging channel, joins, state transfer). */
export interface PeerEnvelope {
  readonly from: NodeId;
  readonly msg: Message;
}

/** Faults applied by the sending side of a machine ⇄ machine link. */
export interface LinkFaults {
  readonly cut: boolean;
  readonly delayMs: number;
  readonly dropProbability: number;
}

export interface MachineInit {
  readonly type: 'init';
  readonly name: NodeId;
  readonly hostId: number;
  readonly machines: readonly NodeId[];
  readonly settings: FtSettings;
  readonly image: ProgramImage;
  readonly ramBytes: number;
  readonly harts: number;
  /** Absolute time (performance.timeOrigin + now) of the run's t = 0, shared by all threads. */
  readonly runStartAbsMs: number;
  /** Total paused time so far (the run clock does not advance while paused). */
  readonly pausedMs: number;
  readonly paused: boolean;
  readonly speedIps: number | 'max';
  readonly slowFactor: number;
  /**
   * Recording: checkpoint this machine when it becomes primary, when it ships
   * its state to a new backup, and at its first heartbeat entry every this many
   * instructions; null = no checkpoints (not recording).
   */
  readonly checkpointEvery?: number | null;
  /** Ports to the other machines (transferred), each with its link's doorbell. */
  readonly peers: readonly PeerLink[];
}

/**
 * One machine's end of a link to another machine: the MessageChannel port the
 * messages travel on, and a doorbell — a SharedArrayBuffer of Int32s: one
 * counter per direction, and per direction a flag set while its receiver
 * sleeps on it. A sender rings (Atomics.add, and notify when the receiver
 * sleeps) after each postMessage, so the receiver can learn that a message waits with one
 * Atomics.load between two chunks of guest execution, or sleep on it
 * (Atomics.wait) while it waits for an acknowledgement — instead of polling
 * the port or waking through the event loop. The messages themselves, acks
 * included, still travel on the channel.
 */
export interface PeerLink {
  readonly name: NodeId;
  readonly port: TransferredPort;
  readonly bell: SharedArrayBuffer;
  /** The counter this end rings when it sends (the other end watches it); it watches 1 − ring. */
  readonly ring: 0 | 1;
}

/** Engine host → machine worker. */
export type HostToMachine =
  | MachineInit
  | ({ readonly type: 'peer' } & PeerLink)
  /**
   * A parked machine starts: in the given role (the run's first pair), or as
   * idle — it offers to join (or pings the view service) and gets state.
   */
  | { readonly type: 'activate'; readonly startAs: StartAs }
  | { readonly type: 'deliver'; readonly from: NodeId; readonly msg: Message }
  | { readonly type: 'settings'; readonly settings: FtSettings }
  /** Freeze the run clock at what it read at `atAbsMs` (the same instant for every thread). */
  | { readonly type: 'pause'; readonly pausedMs: number; readonly atAbsMs: number }
  /** `keepStep`: a step is under way — keep its limit (otherwise resuming lifts it). */
  | { readonly type: 'resume'; readonly pausedMs: number; readonly keepStep?: boolean }
  /** Run (if paused) until the primary has executed `count` more instructions, then report `stepped`. */
  | { readonly type: 'step'; readonly count: number }
  | { readonly type: 'speed'; readonly ips: number | 'max' }
  | { readonly type: 'slow'; readonly factor: number }
  | { readonly type: 'link'; readonly to: NodeId; readonly faults: LinkFaults }
  | { readonly type: 'breakpoints'; readonly addrs: readonly number[] }
  | { readonly type: 'inspect'; readonly id: number; readonly pages: readonly number[] }
  /** What this machine consumed from outside since it started (for the divergence finder). */
  | { readonly type: 'trace'; readonly id: number }
  /** Report every observation now, then answer `flushed` (a barrier: after it, the host has seen all this machine observed before). */
  | { readonly type: 'flush'; readonly id: number }
  /** Fault injection for tests: the worker throws (an uncaught error is a crash). */
  | { readonly type: 'throw' };

export interface HeldOutputStatus {
  readonly index: number;
  readonly icount: number;
  readonly device: 'uart' | 'nic';
  readonly needSeq: number;
  readonly heldAtMs: number;
}

/** A machine's periodic report (≤ 30 Hz) and its answer to `inspect`. */
export interface MachineStatus {
  readonly atMs: number;
  readonly role: 'primary' | 'backup' | 'idle' | 'halted';
  readonly epoch: number;
  readonly icount: number;
  readonly pc: number;
  readonly outputs: number;
  readonly paused: boolean;
  readonly guestStopped: string | null;
  readonly haltReason: string | null;
  /** Primary only. */
  readonly backup: NodeId | null;
  readonly ackedSeq: number;
  readonly backupIcount: number;
  readonly logEntries: number;
  readonly logBytes: number;
  readonly heldCount: number;
  readonly held: readonly HeldOutputStatus[];
  readonly stalled: boolean;
  readonly uartTail: string;
  /** CPU time this machine's thread has used (ms; Linux /proc/thread-self), or null where unknown. */
  readonly cpuMs: number | null;
}

export interface MachineInspection {
  readonly icount: number;
  readonly pc: number;
  readonly stateHash: string;
  readonly ramBase: number;
  readonly pageBytes: number;
  readonly pageHashes: Uint32Array;
  readonly pages: readonly { readonly index: number; readonly bytes: Uint8Array }[];
  readonly registers: readonly number[];
  readonly csrs: Readonly<Record<string, number>>;
}

/**
 * What a machine observed since its last report: FT events (except per-entry
 * `logged`, carried as the encoded batches the primary shipped), those log
 * batches, and state hashes.
 */
export interface Observations {
  /** Events other than outputs, in order. */
  readonly events: readonly FtEvent[];
  /** Output events, packed (a clone of each costs ≈ 3 µs; a reply carries one or two): each knows its place among `events` (sidePos). */
  readonly outputs: PackedOutputs | null;
  /** Node names the packed outputs index. */
  readonly outputNodes: readonly NodeId[];
  readonly logBatches: readonly { readonly epoch: number; readonly bytes: Uint8Array }[];
  /** State hashes at heartbeat log points (primary: logged; backup: replayed), for the divergence check. */
  readonly hashes: readonly { readonly icount: number; readonly hash: string; readonly role: 'primary' | 'backup' }[];
}

/** Machine worker → engine host. */
export type MachineToHost =
  /** The worker's code is loaded; it waits for `init`. */
  | { readonly type: 'booted' }
  | { readonly type: 'ready' }
  /**
   * A message to a node outside the machines (arbiter, view service, a client,
   * the service address). A reply carries the observations before it: the
   * engine host must know of an output before a client can accept it.
   */
  | { readonly type: 'send'; readonly to: NodeId; readonly msg: Message; readonly observed?: Observations }
  /** Observations since the last report. */
  | ({ readonly type: 'observed' } & Observations)
  | { readonly type: 'status'; readonly status: MachineStatus }
  /**
   * A machine checkpoint for the recorder, taken between two instructions.
   * It belongs after log entry `afterSeq` of log epoch `epoch` (0: before any
   * entry of a log that resumes here); posted after the observations before it.
   */
  | {
      readonly type: 'checkpoint';
      readonly epoch: number;
      readonly afterSeq: number;
      readonly icount: number;
      readonly outputs: number;
      readonly resumesLog: boolean;
      readonly snapshot: unknown;
    }
  | { readonly type: 'stepped'; readonly icount: number }
  | { readonly type: 'flushed'; readonly id: number }
  | { readonly type: 'breakpoint'; readonly pc: number; readonly icount: number }
  | { readonly type: 'inspected'; readonly id: number; readonly inspection: MachineInspection }
  | {
      readonly type: 'traced';
      readonly id: number;
      /** Reads and injected events in order; `validUntilIcount` −1 while the machine never installed foreign state. */
      readonly trace: { readonly items: readonly unknown[]; readonly complete: boolean; readonly validUntilIcount: number; readonly icount: number };
    };
