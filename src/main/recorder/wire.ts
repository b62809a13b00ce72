/**
 * The recorder worker's wire format: log entries travel as columns of one
 * Float64Array (no object per entry to clone on the machine's thread), every
 * other observation as a plain object tagged with its position among them.
 */
import type { FtEvent } from '../../core/ft/events';
import type { LogEntry, NodeId } from '../../core/ft/protocol';
import { KIND_HEARTBEAT, KIND_NONDET, KIND_OUTPUT, KIND_PACKET, KIND_TIMER, kindCode, NONDET_SOURCES } from './logRows';
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
      readonly cols: Float64Array;
      readonly entries: number;
      readonly nodes: readonly NodeId[];
      /** Packet bytes by entry index within the batch. */
      readonly packets: readonly (readonly [number, Uint8Array])[];
      readonly side: readonly SideItem[];
    }
  | { readonly type: 'finish'; readonly verdict: unknown; readonly counts: unknown };

export interface RecorderWorkerData {
  readonly file: string;
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
  cols[o + 4] = e.kind === 'nondet' ? e.value : e.kind === 'output' ? e.index : e.kind === 'heartbeat' ? e.released : 0;
  cols[o + 5] = timeMs;
}

export function readEntry(cols: Float64Array, i: number, packet: Uint8Array | undefined): LogEntry {
  const o = i * COLS;
  const seq = cols[o + 1]!;
  const icount = cols[o + 2]!;
  const code = cols[o + 3]!;
  const v = cols[o + 4]!;
  switch (code) {
    case KIND_PACKET:
      return { kind: 'packet', seq, icount, bytes: packet ?? new Uint8Array(0) };
    case KIND_TIMER:
      return { kind: 'timer', seq, icount };
    case KIND_HEARTBEAT:
      return { kind: 'heartbeat', seq, icount, released: v };
    case KIND_OUTPUT:
      return { kind: 'output', seq, icount, index: v };
    default:
      return { kind: 'nondet', seq, icount, source: NONDET_SOURCES[(code - KIND_NONDET) >> 1]!, half: (code - KIND_NONDET) & 1 ? 'hi' : 'lo', value: v };
  }
}
