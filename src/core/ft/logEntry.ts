/**
 * Compact binary encoding of log entries (the byte count is what "logging
 * bandwidth" means, VMware FT §5.2).
 *
 * Batch:   varint firstSeq | varint firstIcount | varint count | entries…
 * Entry:   u8 tag | varint icountDelta (from the previous entry's icount) | payload
 *   tag 0 packet    payload: varint length | bytes
 *   tag 1 timer     (none)
 *   tag 2 heartbeat payload: varint released
 *   tag 3 output    payload: varint index
 *   tag 16+2*s+h nondet, s = source index, h = 0 lo / 1 hi; payload: varint value
 * Sequence numbers are implicit: firstSeq + index. Varints are unsigned LEB128
 * computed arithmetically, so values up to 2^53 are exact.
 */
import type { NondetSource } from '../machine/hostPort';
import { assert } from './env';
import { unreachable, type LogEntry } from './protocol';

const SOURCES: readonly NondetSource[] = ['cycle', 'time', 'seed', 'hostid', 'mtime'];
const TAG_PACKET = 0;
const TAG_TIMER = 1;
const TAG_HEARTBEAT = 2;
const TAG_OUTPUT = 3;
const TAG_NONDET = 16;
/** Largest packet a log entry may carry (the NIC's buffer is smaller). */
export const PACKET_BYTES_MAX = 4096;
/** Largest number of entries one batch may hold. */
export const BATCH_ENTRIES_MAX = 4096;

class Writer {
  private buf = new Uint8Array(64);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf[this.length++] = v & 0xff;
  }
  varint(v: number): void {
    assert(Number.isSafeInteger(v) && v >= 0, `varint out of range: ${v}`);
    this.ensure(8);
    let x = v;
    while (x >= 0x80) {
      this.buf[this.length++] = (x % 0x80) | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.buf[this.length++] = x;
  }
  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

/** A malformed batch (from a corrupt channel or file) is a value, not an exception. */
export type DecodeResult =
  | { readonly ok: true; readonly entries: LogEntry[] }
  | { readonly ok: false; readonly error: string };

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}
  get done(): boolean {
    return this.pos >= this.buf.length;
  }
  u8(): number {
    if (this.pos >= this.buf.length) throw new RangeError('truncated');
    return this.buf[this.pos++]!;
  }
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    throw new RangeError('varint too long');
  }
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.buf.length) throw new RangeError('truncated');
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}

function tagOf(e: LogEntry): number {
  switch (e.kind) {
    case 'packet':
      return TAG_PACKET;
    case 'timer':
      return TAG_TIMER;
    case 'heartbeat':
      return TAG_HEARTBEAT;
    case 'output':
      return TAG_OUTPUT;
    case 'nondet':
      return TAG_NONDET + 2 * SOURCES.indexOf(e.source) + (e.half === 'hi' ? 1 : 0);
    default:
      return unreachable(e);
  }
}

/** Encode consecutive entries (seq must increase by one, icount must not decrease). */
export function encodeBatch(entries: readonly LogEntry[]): Uint8Array {
  assert(entries.length > 0 && entries.length <= BATCH_ENTRIES_MAX, 'batch size');
  const w = new Writer();
  const first = entries[0]!;
  w.varint(first.seq);
  w.varint(first.icount);
  w.varint(entries.length);
  let prevIcount = first.icount;
  entries.forEach((e, i) => {
    assert(e.seq === first.seq + i, 'batch sequence numbers must be consecutive');
    assert(e.icount >= prevIcount, 'batch icounts must not decrease');
    w.u8(tagOf(e));
    w.varint(e.icount - prevIcount);
    prevIcount = e.icount;
    switch (e.kind) {
      case 'packet':
        w.varint(e.bytes.length);
        w.bytes(e.bytes);
        break;
      case 'timer':
        break;
      case 'heartbeat':
        w.varint(e.released);
        break;
      case 'output':
        w.varint(e.index);
        break;
      case 'nondet':
        w.varint(e.value >>> 0);
        break;
      default:
        unreachable(e);
    }
  });
  return w.finish();
}

export function decodeBatch(bytes: Uint8Array): DecodeResult {
  const r = new Reader(bytes);
  try {
    const firstSeq = r.varint();
    let icount = r.varint();
    const count = r.varint();
    if (count === 0 || count > BATCH_ENTRIES_MAX) return { ok: false, error: `bad entry count ${count}` };
    const entries: LogEntry[] = [];
    for (let i = 0; i < count; i++) {
      const tag = r.u8();
      icount += r.varint();
      const seq = firstSeq + i;
      if (tag === TAG_PACKET) {
        const n = r.varint();
        if (n > PACKET_BYTES_MAX) return { ok: false, error: `packet of ${n} bytes` };
        entries.push({ kind: 'packet', seq, icount, bytes: r.bytes(n) });
      } else if (tag === TAG_TIMER) {
        entries.push({ kind: 'timer', seq, icount });
      } else if (tag === TAG_HEARTBEAT) {
        entries.push({ kind: 'heartbeat', seq, icount, released: r.varint() });
      } else if (tag === TAG_OUTPUT) {
        entries.push({ kind: 'output', seq, icount, index: r.varint() });
      } else if (tag >= TAG_NONDET && tag < TAG_NONDET + 2 * SOURCES.length) {
        const source = SOURCES[(tag - TAG_NONDET) >> 1]!;
        const half = (tag - TAG_NONDET) & 1 ? 'hi' : 'lo';
        entries.push({ kind: 'nondet', seq, icount, source, half, value: r.varint() });
      } else {
        return { ok: false, error: `unknown entry tag ${tag} at byte ${r.pos - 1}` };
      }
    }
    if (!r.done) return { ok: false, error: 'trailing bytes after batch' };
    return { ok: true, entries };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Encoded size of one entry on its own (for statistics and the UI). */
export function entryBytes(e: LogEntry): number {
  const varintBytes = (v: number): number => (v < 0x80 ? 1 : 1 + varintBytes(Math.floor(v / 0x80)));
  return encodeBatch([e]).length - varintBytes(e.seq) - varintBytes(e.icount) - 1;
}

/** One-line description for logs and the UI: `#12 @4031 packet 9B`. */
export function describeEntry(e: LogEntry): string {
  switch (e.kind) {
    case 'packet':
      return `#${e.seq} @${e.icount} packet ${e.bytes.length}B`;
    case 'timer':
      return `#${e.seq} @${e.icount} timer`;
    case 'heartbeat':
      return `#${e.seq} @${e.icount} heartbeat released=${e.released}`;
    case 'output':
      return `#${e.seq} @${e.icount} output #${e.index}`;
    case 'nondet':
      return `#${e.seq} @${e.icount} ${e.source}.${e.half}=0x${(e.value >>> 0).toString(16)}`;
    default:
      return unreachable(e);
  }
}
