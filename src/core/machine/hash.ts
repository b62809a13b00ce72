/**
 * State hashing for divergence checks (primary vs backup) and checkpoints.
 * Page hashes are MurmurHash3-style over the page's 32-bit words and are
 * cached: only pages whose DIRTY_HASH bit is set get rehashed.
 */
import { PAGE_BYTES, PageState, type Ram } from './memory';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** 32-bit hash of `count` words of `a` starting at `start`. */
export function hashWords(a: Int32Array, start: number, count: number, seed: number): number {
  let h = seed | 0;
  for (let k = start, end = start + count; k < end; k++) {
    let v = Math.imul(a[k], C1);
    v = (v << 15) | (v >>> 17);
    h ^= Math.imul(v, C2);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix(h ^ (count << 2)) >>> 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const PAGE_WORDS = PAGE_BYTES >>> 2;
const ZERO_PAGE_HASH = hashWords(new Int32Array(PAGE_WORDS), 0, PAGE_WORDS, 0);

/** Per-page hashes of RAM, kept up to date lazily. */
export class PageHasher {
  readonly hashes: Uint32Array;

  constructor(private readonly ram: Ram) {
    this.hashes = new Uint32Array(ram.pages).fill(ZERO_PAGE_HASH);
  }

  /** RAM was cleared: every page hashes as a zero page again. */
  resetToZero(): void {
    this.hashes.fill(ZERO_PAGE_HASH);
  }

  /** Rehashes the pages written since the last update. */
  update(): Uint32Array {
    const st = this.ram.pageState;
    const i32 = this.ram.i32;
    for (let p = 0; p < st.length; p++) {
      if (st[p] & PageState.DIRTY_HASH) {
        this.hashes[p] = hashWords(i32, p * PAGE_WORDS, PAGE_WORDS, 0);
        st[p] &= ~PageState.DIRTY_HASH;
      }
    }
    return this.hashes;
  }
}

/** A two-lane (64-bit) running hash of 32-bit values; `hex()` is 16 hex digits. */
export class Mix {
  private h1 = 0x9747b28c;
  private h2 = 0x2f4a1b3d;

  add(v: number): this {
    let k = Math.imul(v | 0, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    this.h1 = (((this.h1 ^ k) << 13) | ((this.h1 ^ k) >>> 19));
    this.h1 = (Math.imul(this.h1, 5) + 0xe6546b64) | 0;
    this.h2 = (Math.imul(this.h2 ^ (v | 0), 0x01000193) + (this.h1 >>> 7)) | 0;
    return this;
  }

  /** Adds a JS number that may exceed 32 bits (icount). */
  addNumber(v: number): this {
    return this.add(v % 0x1_0000_0000).add(Math.floor(v / 0x1_0000_0000));
  }

  addAll(a: ArrayLike<number>): this {
    this.add(a.length);
    for (let k = 0; k < a.length; k++) this.add(a[k]);
    return this;
  }

  hex(): string {
    const a = fmix(this.h1 ^ this.h2) >>> 0;
    const b = fmix(this.h2 + Math.imul(this.h1, 31)) >>> 0;
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}
