/**
 * The recorder worker's wire format: log entries travel as columns of
 * float64s (no object per entry to clone on the machine's thread), every
 * other observation as a plain object tagged with its position among them.
 * The columns of a batch are written straight into a slot of a ring shared
 * with the worker (SharedArrayBuffer): handing a batch over posts only its
 * slot number, and the worker frees the slot once it has read it. When every
 * slot is still busy (the worker is behind) a batch goes in a private array
 * that is transferred instead — slower, but nothing waits and nothing is
 * dropped.
 */
import type { FtEvent } from '../../core/ft/events';
import type { PackedOutputs } from '../../shared/packedOutputs';
import type { LogEntry, NodeId } from '../../core/ft/protocol';
import { kindCode, logValueOf } from './logRows';
import type { CheckpointInput, SessionMeta } from './sessionRecorder';

/** Columns per log entry: node, seq, icount, kind code, payload number, time (ms). */
export const COLS = 6;

/** Anything but a log entry, placed after the first `at` entries of its batch. */
export type SideItem =
  | { readonly at: number; readonly kind: 'event'; readonly ev: FtEvent }
  | { readonly at: number; readonly kind: 'checkpoint'; readonly node: NodeId; readonly cp: CheckpointInput; readonly timeMs: number }
  | { readonly at: number; readonly kind: 'invoke'; readonly id: number; readonly client: string; readonly op: string; readonly input: unknown; readonly timeMs: number }
  | { readonly at: number; readonly kind: 'complete'; readonly id: number; readonly output: unknown; readonly timeMs: number }
  | { readonly at: number; readonly kind: 'fault'; readonly detail: string; readonly data: unknown; readonly timeMs: number };

export type ToRecorder =
  | {
      readonly type: 'batch';
      /** The ring slot holding the batch's columns, or −1: they are in `cols`. */
      readonly slot: number;
      /** The batch's columns when not in a slot (transferred); null for a batch of side items only. */
      readonly cols: Float64Array | null;
      readonly entries: number;
      readonly nodes: readonly NodeId[];
      /** The batch's packets, in one buffer (a clone of one small buffer, not of each packet's). */
      readonly packets: PackedPackets | null;
      /** The batch's output events as numbers and one buffer of bytes (transferred), not an object each. */
      readonly outputs: PackedOutputs | null;
      readonly side: readonly SideItem[];
    }
  | { readonly type: 'finish'; readonly verdict: unknown; readonly counts: unknown };

/**
 * The shared ring: `slots` slots of `slotEntries` entries (COLS float64s
 * each) in `cols`, and one Int32 per slot in `busy`: 1 from hand-over until
 * the worker has read the slot (Atomics), 0 when the machine's thread may
 * fill it.
 */
export interface RecorderRing {
  readonly cols: SharedArrayBuffer;
  readonly busy: SharedArrayBuffer;
  readonly slots: number;
  readonly slotEntries: number;
}

export function newRecorderRing(slots: number, slotEntries: number): RecorderRing {
  return {
    cols: new SharedArrayBuffer(slots * slotEntries * COLS * Float64Array.BYTES_PER_ELEMENT),
    busy: new SharedArrayBuffer(slots * Int32Array.BYTES_PER_ELEMENT),
    slots,
    slotEntries,
  };
}

/** The columns of one slot. */
export function ringSlot(ring: RecorderRing, cols: Float64Array, slot: number): Float64Array {
  const len = ring.slotEntries * COLS;
  return cols.subarray(slot * len, (slot + 1) * len);
}

/** Packet bytes of a batch: packet k is entry `at[k]`, bytes `end[k−1]` … `end[k]` of `bytes`. */
export interface PackedPackets {
  readonly at: readonly number[];
  readonly end: readonly number[];
  readonly bytes: Uint8Array;
}

export function packPackets(at: readonly number[], packets: readonly Uint8Array[]): PackedPackets {
  const end: number[] = new Array(packets.length);
  let total = 0;
  for (let k = 0; k < packets.length; k++) end[k] = total += packets[k]!.byteLength;
  const bytes = new Uint8Array(total);
  for (let k = 0; k < packets.length; k++) bytes.set(packets[k]!, end[k]! - packets[k]!.byteLength);
  return { at, end, bytes };
}

export interface RecorderWorkerData {
  readonly file: string;
  readonly ring: RecorderRing;
  readonly meta: SessionMeta;
  readonly flushRows?: number;
  readonly flushMs?: number;
}

export function writeEntry(cols: Float64Array, i: number, nodeIdx: number, e: LogEntry, timeMs: number): void {
  const o = i * COLS;
  cols[o] = nodeIdx;
  cols[o + 1] = e.seq;
  cols[o + 2] = e.icount;
  cols[o + 3] = kindCode(e);
  cols[o + 4] = logValueOf(e);
  cols[o + 5] = timeMs;
}
