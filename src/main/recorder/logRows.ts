/**
 * How a LogEntry becomes one `log_entries` row and back: `kind` is the entry's
 * kind, or SOURCE.HALF ('seed.lo', 'time.hi', …) for a non-deterministic read;
 * `payload` is the packet's bytes, the read's value, the output's index or the
 * heartbeat's released count (NULL for a timer).
 */
import type { LogEntry } from '../../core/ft/protocol';
import { unreachable } from '../../core/ft/protocol';
import type { NondetSource } from '../../core/machine/hostPort';

export const NONDET_SOURCES: readonly NondetSource[] = ['cycle', 'time', 'seed', 'hostid', 'mtime'];

/** Numeric kind codes (the same tags as the binary codec in core/ft/logEntry.ts). */
export const KIND_PACKET = 0;
export const KIND_TIMER = 1;
export const KIND_HEARTBEAT = 2;
export const KIND_OUTPUT = 3;
export const KIND_NONDET = 16;

export function kindCode(e: LogEntry): number {
  switch (e.kind) {
    case 'packet':
      return KIND_PACKET;
    case 'timer':
      return KIND_TIMER;
    case 'heartbeat':
      return KIND_HEARTBEAT;
    case 'output':
      return KIND_OUTPUT;
    case 'nondet':
      return KIND_NONDET + 2 * nondetSourceIndex(e.source) + (e.half === 'hi' ? 1 : 0);
    default:
      return unreachable(e);
  }
}

/** Index of a source in NONDET_SOURCES (a switch: cheaper than indexOf on a hot path). */
function nondetSourceIndex(s: NondetSource): number {
  switch (s) {
    case 'cycle':
      return 0;
    case 'time':
      return 1;
    case 'seed':
      return 2;
    case 'hostid':
      return 3;
    case 'mtime':
      return 4;
    default:
      return unreachable(s);
  }
}

export function kindName(code: number): string {
  switch (code) {
    case KIND_PACKET:
      return 'packet';
    case KIND_TIMER:
      return 'timer';
    case KIND_HEARTBEAT:
      return 'heartbeat';
    case KIND_OUTPUT:
      return 'output';
    default: {
      const s = NONDET_SOURCES[(code - KIND_NONDET) >> 1];
      if (s === undefined) throw new Error(`unknown log kind code ${code}`);
      return `${s}.${(code - KIND_NONDET) & 1 ? 'hi' : 'lo'}`;
    }
  }
}

/** SQL expression turning a kind code into the readable kind text. */
export function kindCaseSql(expr: string): string {
  const codes = [KIND_PACKET, KIND_TIMER, KIND_HEARTBEAT, KIND_OUTPUT];
  for (let i = 0; i < NONDET_SOURCES.length * 2; i++) codes.push(KIND_NONDET + i);
  return `CASE ${expr} ${codes.map((c) => `WHEN ${c} THEN '${kindName(c)}'`).join(' ')} END`;
}

/** The number a row's payload holds (the read's value, unsigned; the output's index; the heartbeat's released count), 0 for a packet or timer. */
export function logValueOf(e: LogEntry): number {
  switch (e.kind) {
    case 'packet':
    case 'timer':
      return 0;
    case 'heartbeat':
      return e.released;
    case 'output':
      return e.index;
    case 'nondet':
      return e.value >>> 0;
    default:
      return unreachable(e);
  }
}

/** 'seed.lo' → { source: 'seed', half: 'lo' }, … */
const NONDET_KINDS = new Map<string, { readonly source: NondetSource; readonly half: 'lo' | 'hi' }>(
  NONDET_SOURCES.flatMap((source) => (['lo', 'hi'] as const).map((half) => [`${source}.${half}`, { source, half }] as const)),
);

/** A row as read back (`seq` is the entry's own protocol sequence number). */
export interface LogRow {
  readonly seq: number;
  readonly icount: number;
  readonly kind: string;
  readonly payload: number | Uint8Array | null;
}

/** Rebuilds the LogEntry a row was made from; a row no FT Lab writes is an Error value. */
export function entryFromRow(r: LogRow): LogEntry | Error {
  const { seq, icount, kind, payload } = r;
  switch (kind) {
    case 'packet':
      return payload instanceof Uint8Array ? { kind, seq, icount, bytes: new Uint8Array(payload) } : new Error(`packet entry ${seq} without bytes`);
    case 'timer':
      return { kind, seq, icount };
    case 'heartbeat':
      return { kind, seq, icount, released: Number(payload) };
    case 'output':
      return { kind, seq, icount, index: Number(payload) };
    default: {
      const read = NONDET_KINDS.get(kind);
      if (read === undefined || typeof payload !== 'number') return new Error(`log entry ${seq}: unknown kind '${kind}'`);
      return { kind: 'nondet', seq, icount, source: read.source, half: read.half, value: payload };
    }
  }
}
