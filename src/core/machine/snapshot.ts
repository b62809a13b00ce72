/**
 * Machine snapshots: plain, structured-cloneable data (typed arrays and
 * numbers) so they can cross a worker boundary or go into SQLite. RAM is
 * stored sparsely: only pages ever written since load/restore.
 */
import type { Hart } from './hart';
import type { NicState } from './devices/nic';

export const SNAPSHOT_VERSION = 1;

export interface HartSnapshot {
  /** x0..x31. */
  readonly x: Int32Array;
  /** pc, instret, mstatus, mie, mip, mtvec, mepc, mcause, mtval, mscratch, waiting (0/1). */
  readonly state: Float64Array;
}

export interface MachineSnapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly ramBytes: number;
  readonly hostId: number;
  /** Indices of the RAM pages stored in `pageData` (4 KiB each, in order); other pages are zero. */
  readonly pages: Uint32Array;
  readonly pageData: Uint8Array;
  readonly harts: readonly HartSnapshot[];
  readonly clint: { readonly cmpLo: Uint32Array; readonly cmpHi: Uint32Array };
  readonly uart: readonly number[];
  readonly nic: NicState;
  /** tohost address, or -1. */
  readonly tohost: number;
  /** Exit code once halted, or -1. */
  readonly exitCode: number;
}

export function saveHart(h: Hart): HartSnapshot {
  return {
    x: h.x.slice(0, 32),
    state: Float64Array.of(h.pc, h.instret, h.mstatus, h.mie, h.mip, h.mtvec, h.mepc, h.mcause, h.mtval,
      h.mscratch, h.waiting ? 1 : 0),
  };
}

export function loadHart(h: Hart, s: HartSnapshot): void {
  h.x.set(s.x.subarray(0, 32));
  h.x[32] = 0;
  const v = s.state;
  h.pc = v[0]; h.instret = v[1]; h.mstatus = v[2]; h.mie = v[3]; h.mip = v[4]; h.mtvec = v[5];
  h.mepc = v[6]; h.mcause = v[7]; h.mtval = v[8]; h.mscratch = v[9]; h.waiting = v[10] !== 0;
}

/**
 * A snapshot packed into ONE buffer, for handing a checkpoint to another
 * thread: the buffer is transferred, not cloned. `MachineSnapshot` holds a
 * dozen typed arrays, and each one costs an allocation where it is taken and
 * a clone where it is posted (≈ 50 µs per checkpoint together); packed, the
 * recording machine pays one allocation and a few copies. Layout: a
 * Float64Array of numbers — header (PACK_HEADER), then per hart x0..x31 and
 * its state, then clint cmpLo and cmpHi, uart, nic regs, nic queue lengths,
 * page indices — then the pages' bytes, then the NIC queue's bytes.
 * `unpackSnapshot` gives back the very MachineSnapshot `snapshot()` gives.
 */
const PACK_MAGIC = 0x4654_5331; // "FTS1"
/** magic, version, ramBytes, hostId, tohost, exitCode, harts, pages, uart words, nic regs, nic queue length. */
const PACK_HEADER = 11;
const HART_STATE = 11;

export interface PackSource {
  readonly ramBytes: number;
  readonly hostId: number;
  readonly harts: readonly Hart[];
  readonly pages: readonly number[];
  readonly ram: Uint8Array;
  readonly pageBytes: number;
  readonly cmpLo: Uint32Array;
  readonly cmpHi: Uint32Array;
  readonly uart: readonly number[];
  readonly nic: NicState;
  readonly tohost: number;
  readonly exitCode: number;
}

export function packSnapshot(s: PackSource): Uint8Array {
  const nh = s.harts.length;
  const q = s.nic.queue;
  const nums = PACK_HEADER + nh * (32 + HART_STATE) + 2 * nh + s.uart.length + s.nic.regs.length + q.length + s.pages.length;
  let queueBytes = 0;
  for (const b of q) queueBytes += b.length;
  const buf = new ArrayBuffer(nums * 8 + s.pages.length * s.pageBytes + queueBytes);
  const f = new Float64Array(buf, 0, nums);
  const u8 = new Uint8Array(buf);
  f[0] = PACK_MAGIC; f[1] = SNAPSHOT_VERSION; f[2] = s.ramBytes; f[3] = s.hostId; f[4] = s.tohost; f[5] = s.exitCode;
  f[6] = nh; f[7] = s.pages.length; f[8] = s.uart.length; f[9] = s.nic.regs.length; f[10] = q.length;
  let k = PACK_HEADER;
  for (const h of s.harts) {
    for (let r = 0; r < 32; r++) f[k++] = h.x[r]!;
    f[k++] = h.pc; f[k++] = h.instret; f[k++] = h.mstatus; f[k++] = h.mie; f[k++] = h.mip; f[k++] = h.mtvec;
    f[k++] = h.mepc; f[k++] = h.mcause; f[k++] = h.mtval; f[k++] = h.mscratch; f[k++] = h.waiting ? 1 : 0;
  }
  for (let i = 0; i < nh; i++) f[k++] = s.cmpLo[i]!;
  for (let i = 0; i < nh; i++) f[k++] = s.cmpHi[i]!;
  for (const w of s.uart) f[k++] = w;
  for (const w of s.nic.regs) f[k++] = w;
  for (const b of q) f[k++] = b.length;
  for (const p of s.pages) f[k++] = p;
  let at = nums * 8;
  for (const p of s.pages) {
    u8.set(s.ram.subarray(p * s.pageBytes, (p + 1) * s.pageBytes), at);
    at += s.pageBytes;
  }
  for (const b of q) {
    u8.set(b, at);
    at += b.length;
  }
  return u8;
}

/** The MachineSnapshot a packed buffer holds; throws on a buffer that is not one (an internal format, never user input). */
export function unpackSnapshot(packed: Uint8Array, pageBytes: number): MachineSnapshot {
  const fail = (what: string): never => {
    throw new Error(`not a packed machine snapshot: ${what}`);
  };
  if (packed.byteLength < PACK_HEADER * 8 || packed.byteOffset % 8 !== 0) fail('too short or misaligned');
  const head = new Float64Array(packed.buffer, packed.byteOffset, PACK_HEADER);
  if (head[0] !== PACK_MAGIC) fail('bad magic');
  if (head[1] !== SNAPSHOT_VERSION) fail(`version ${head[1]}`);
  const [nh, np, nu, nr, nq] = [head[6]!, head[7]!, head[8]!, head[9]!, head[10]!];
  const nums = PACK_HEADER + nh * (32 + HART_STATE) + 2 * nh + nu + nr + nq + np;
  if (packed.byteLength < nums * 8 + np * pageBytes) fail('truncated');
  const f = new Float64Array(packed.buffer, packed.byteOffset, nums);
  let k = PACK_HEADER;
  const harts: HartSnapshot[] = [];
  for (let i = 0; i < nh; i++) {
    harts.push({ x: Int32Array.from(f.subarray(k, k + 32)), state: f.slice(k + 32, k + 32 + HART_STATE) });
    k += 32 + HART_STATE;
  }
  const cmpLo = Uint32Array.from(f.subarray(k, k + nh));
  const cmpHi = Uint32Array.from(f.subarray(k + nh, k + 2 * nh));
  k += 2 * nh;
  const uart = Array.from(f.subarray(k, k + nu));
  k += nu;
  const regs = Uint32Array.from(f.subarray(k, k + nr));
  k += nr;
  const lengths = Array.from(f.subarray(k, k + nq));
  k += nq;
  const pages = Uint32Array.from(f.subarray(k, k + np));
  let at = nums * 8;
  const pageData = packed.slice(at, at + np * pageBytes);
  at += np * pageBytes;
  const queue: Uint8Array[] = [];
  for (const n of lengths) {
    if (at + n > packed.byteLength) fail('truncated NIC queue');
    queue.push(packed.slice(at, at + n));
    at += n;
  }
  return {
    version: SNAPSHOT_VERSION,
    ramBytes: head[2]!,
    hostId: head[3]!,
    pages,
    pageData,
    harts,
    clint: { cmpLo, cmpHi },
    uart,
    nic: { regs, queue },
    tohost: head[4]!,
    exitCode: head[5]!,
  };
}
