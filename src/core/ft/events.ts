/**
 * What a replica reports about itself as it runs: the UI, the recorder and the
 * checkers observe these. Not messages (nothing is sent): observations.
 */
import type { LogEntry, NodeId, View } from './protocol';

export type Role = 'primary' | 'backup' | 'idle' | 'halted';

export type OutputFate =
  /** Waiting for the backup's acknowledgement (output rule). */
  | 'held'
  | 'released'
  /** Produced by a backup while replaying: discarded, kept for comparison. */
  | 'discarded'
  /** Re-sent by a backup that went live (the old primary may or may not have sent it). */
  | 'resent';

export type FtEvent =
  | { readonly type: 'role'; readonly node: NodeId; readonly role: Role; readonly reason: string }
  | { readonly type: 'logged'; readonly node: NodeId; readonly entry: LogEntry }
  /** The backup reached a packet, timer or heartbeat entry: it is now exactly where the primary was when it logged it. */
  | { readonly type: 'replayed'; readonly node: NodeId; readonly entry: LogEntry }
  | { readonly type: 'logSent'; readonly node: NodeId; readonly entries: number; readonly bytes: number }
  | {
      readonly type: 'output';
      readonly node: NodeId;
      readonly index: number;
      readonly icount: number;
      readonly device: 'uart' | 'nic';
      readonly bytes: Uint8Array;
      readonly fate: OutputFate;
      /** For released outputs: how long the output rule held it. */
      readonly heldMs?: number;
    }
  | { readonly type: 'suspect'; readonly node: NodeId; readonly peer: NodeId; readonly silenceMs: number }
  | { readonly type: 'arbitration'; readonly node: NodeId; readonly won: boolean; readonly how: string }
  | { readonly type: 'stateTransfer'; readonly from: NodeId; readonly to: NodeId; readonly bytes: number; readonly epoch: number }
  | {
      readonly type: 'stateInstalled';
      readonly node: NodeId;
      readonly from: NodeId;
      readonly epoch: number;
      /** Outputs the installed state had produced (its output sequence number). */
      readonly outputs: number;
      readonly icount: number;
    }
  | { readonly type: 'checkpoint'; readonly node: NodeId; readonly id: number; readonly bytes: number }
  | { readonly type: 'stall'; readonly node: NodeId; readonly reason: string }
  | { readonly type: 'view'; readonly view: View; readonly why: string }
  /** The backup's execution disagreed with the log (a non-logged or mislogged event, or multicore). */
  | { readonly type: 'divergence'; readonly node: NodeId; readonly icount: number; readonly pc: number; readonly detail: string }
  /** A broken protocol invariant observed at run time (should never happen). */
  | { readonly type: 'invariant'; readonly node: NodeId; readonly detail: string }
  | { readonly type: 'guestStopped'; readonly node: NodeId; readonly detail: string };

export type EventSink = (ev: FtEvent) => void;
