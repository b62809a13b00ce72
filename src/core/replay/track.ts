/**
 * What the replayer reads from a recorded session: one node's track — its
 * checkpoints, the log entries it logged, and the outputs it produced. The
 * main process implements it over SQLite; tests over arrays. Synchronous
 * (SQLite reads are), and lazy: a seek reads only the entries it needs.
 */
import type { LogEntry, NodeId } from '../ft/protocol';

export interface CheckpointInfo {
  readonly id: number;
  readonly icount: number;
  /** Recorder ordinal of the last log entry logged before the checkpoint (entries after it are replayed). */
  readonly logSeq: number;
  /** The machine's output count at the checkpoint (its output sequence number). */
  readonly outputs: number;
  readonly stateHash: string;
  readonly timeUs: number;
  /**
   * The log (re)starts here (the machine became primary, or got a new backup
   * after running without one): the log may not cover the stretch before it.
   */
  readonly resumesLog: boolean;
}

export interface RecordedOutput {
  readonly index: number;
  readonly icount: number;
  readonly device: 'uart' | 'nic';
  readonly bytes: Uint8Array;
}

/** A log entry with the recorder's ordinal (`log_entries.seq`) and time. */
export interface TrackEntry {
  readonly ord: number;
  readonly timeUs: number;
  readonly entry: LogEntry;
}

export interface SessionTrack {
  readonly node: NodeId;
  /** Sorted by icount. */
  readonly checkpoints: readonly CheckpointInfo[];
  loadSnapshot(checkpointId: number): unknown;
  /** This node's entries with ordinal > `afterOrd`, in recorder order. */
  entries(afterOrd: number): Iterable<TrackEntry>;
  /** This node's outputs with index ≥ `fromIndex`, by index (one per index: the first recorded). */
  outputs(fromIndex: number): Iterable<RecordedOutput>;
  /** The last icount the recording reaches on this node (last entry or checkpoint). */
  readonly endIcount: number;
  /** Icount of the node's last log entry at or before `timeUs` (0 if none). */
  icountAtTime(timeUs: number): number;
}
