/**
 * Every message FT Lab's replicas, arbiters and clients exchange, as
 * discriminated unions (one module, so a reader sees the whole protocol).
 * Switches over `Message['type']` and `LogEntry['kind']` end in `unreachable`.
 */
import type { NondetSource } from '../machine/hostPort';

/** A participant's network address: machines 'A','B','C', 'arbiter', 'vs', 'client0'…, 'svc'. */
export type NodeId = string;

/** The virtual address clients send to: the switch forwards it to whichever machine claimed it last. */
export const SERVICE_ADDRESS: NodeId = 'svc';

/**
 * One record on the logging channel (VMware FT §2.1): everything the backup
 * needs to re-execute the primary exactly. `seq` numbers entries from 1 within
 * an epoch; `icount` is the primary's instruction count at the event.
 */
export type LogEntry =
  /** A packet from a client: injected (bounce buffer + interrupt) before instruction `icount`. */
  | { readonly kind: 'packet'; readonly seq: number; readonly icount: number; readonly bytes: Uint8Array }
  /** A timer interrupt injected before instruction `icount`. */
  | { readonly kind: 'timer'; readonly seq: number; readonly icount: number }
  /** A "weird" instruction at `icount` read `value` from the host (time, cycle, seed, host id, mtime). */
  | {
      readonly kind: 'nondet';
      readonly seq: number;
      readonly icount: number;
      readonly source: NondetSource;
      readonly half: 'lo' | 'hi';
      readonly value: number;
    }
  /**
   * The guest sent output number `index` during instruction `icount` (the
   * output rule holds it until this entry is acknowledged; the backup replays
   * through it so that it would produce the same output).
   */
  | { readonly kind: 'output'; readonly seq: number; readonly icount: number; readonly index: number }
  /**
   * Nothing happened: the primary reached `icount` (the backup may run that far)
   * and has released `released` outputs so far.
   */
  | { readonly kind: 'heartbeat'; readonly seq: number; readonly icount: number; readonly released: number };

export type LogEntryKind = LogEntry['kind'];

/** Numbered roles, as the view service hands them out (UW primary/backup lab). */
export interface View {
  readonly num: number;
  readonly primary: NodeId | null;
  readonly backup: NodeId | null;
}

/** What a machine ships to create a backup (full) or to checkpoint one (Remus). */
export interface MachineState {
  /** Opaque machine snapshot (structured-cloneable). */
  readonly snapshot: unknown;
  /** Outputs the machine has produced so far: the output sequence number lives with the state. */
  readonly outputs: number;
  readonly icount: number;
}

export type Message =
  // ---- logging channel (primary → backup and back) ----
  /** A batch of encoded log entries (see logEntry.ts); its length is the logging bandwidth. */
  | {
      readonly type: 'log';
      readonly epoch: number;
      /** Outputs the primary has released so far (after failover, the new primary re-sends later ones). */
      readonly released: number;
      readonly bytes: Uint8Array;
    }
  /** Cumulative acknowledgement: backup holds every entry up to `seq`. Also the backup's heartbeat. */
  | { readonly type: 'ack'; readonly epoch: number; readonly seq: number; readonly icount: number }
  // ---- restoring redundancy / checkpoint scheme ----
  /** Full state for a new backup; log shipping then continues from `nextSeq` in `epoch`. */
  | {
      readonly type: 'stateTransfer';
      readonly epoch: number;
      readonly state: MachineState;
      readonly byteLength: number;
      readonly nextSeq: number;
    }
  /** A Remus checkpoint: the state at the end of epoch `id` (dirty pages since the last one). */
  | {
      readonly type: 'checkpoint';
      readonly epoch: number;
      readonly id: number;
      readonly state: MachineState;
      readonly byteLength: number;
    }
  | { readonly type: 'checkpointAck'; readonly epoch: number; readonly id: number }
  /** An idle machine (spare, or one that restarted after a crash) offers to become the backup. */
  | { readonly type: 'join' }
  // ---- arbiters ----
  | { readonly type: 'testAndSet'; readonly epoch: number }
  | { readonly type: 'testAndSetReply'; readonly epoch: number; readonly won: boolean }
  /** To the view service: "I am alive and I have seen view `viewNum`" (UW lab Ping). */
  | { readonly type: 'ping'; readonly viewNum: number }
  | { readonly type: 'view'; readonly view: View }
  // ---- clients and the network ----
  /** A packet from a client to the service address (bytes as the guest sees them). */
  | { readonly type: 'request'; readonly bytes: Uint8Array }
  /** A packet the guest sent, released to the network with its output sequence number. */
  | { readonly type: 'reply'; readonly outSeq: number; readonly bytes: Uint8Array }
  /** Gratuitous ARP: "the service address is here now" (clients cut over). */
  | { readonly type: 'announce' };

export type MessageType = Message['type'];

/** Exhaustiveness check at the end of every switch over a union. */
export function unreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`);
}
