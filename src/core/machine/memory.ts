/**
 * Guest RAM: one ArrayBuffer seen through typed-array views of every width, so
 * aligned accesses are a single typed-array load/store (little-endian hosts
 * only: checked at construction).
 *
 * Per 4 KiB page we keep two byte maps:
 * - `pageState`: what happened to the page since someone last looked
 *   (DIRTY_HASH: the state hash must rehash it; DIRTY_CKPT: a checkpoint
 *   scheme has not copied it yet; TOUCHED: ever written, so a snapshot keeps it);
 * - `pageFlags`: why a store into the page needs the slow path (WATCH: it
 *   holds `tohost`). Stores over decoded code are caught by the decode slot
 *   itself (see cpu.ts), not by a page flag: data often shares code's page.
 */
export const PAGE_SHIFT = 12;
export const PAGE_BYTES = 1 << PAGE_SHIFT;

export const PageState = { DIRTY_HASH: 1, DIRTY_CKPT: 2, TOUCHED: 4, ALL: 7 } as const;
export const PageFlag = { WATCH: 2 } as const;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class Ram {
  readonly bytes: number;
  readonly pages: number;
  readonly u8: Uint8Array;
  readonly s8: Int8Array;
  readonly u16: Uint16Array;
  readonly s16: Int16Array;
  readonly i32: Int32Array;
  readonly pageState: Uint8Array;
  readonly pageFlags: Uint8Array;

  constructor(bytes: number) {
    if (!littleEndian) throw new Error('FT Lab machine needs a little-endian host');
    if (!Number.isInteger(bytes) || bytes < PAGE_BYTES || bytes % PAGE_BYTES !== 0 || bytes > 0x4000_0000) {
      throw new Error(`RAM size must be a multiple of ${PAGE_BYTES} bytes between 4 KiB and 1 GiB, got ${bytes}`);
    }
    this.bytes = bytes;
    this.pages = bytes >>> PAGE_SHIFT;
    // One spare word after the end so a misaligned access that starts in the
    // last word never reads out of the views (the bus checks the bounds).
    const buffer = new ArrayBuffer(bytes + 4);
    this.u8 = new Uint8Array(buffer);
    this.s8 = new Int8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.s16 = new Int16Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.pageState = new Uint8Array(this.pages);
    this.pageFlags = new Uint8Array(this.pages);
  }

  /** Marks the pages covering [off, off+len) as written. */
  markWritten(off: number, len: number): void {
    if (len <= 0) return;
    const last = (off + len - 1) >>> PAGE_SHIFT;
    for (let p = off >>> PAGE_SHIFT; p <= last; p++) this.pageState[p] = PageState.ALL;
  }

  /** Clears all memory and page state (not the flags: the caller owns those). */
  clear(): void {
    this.u8.fill(0);
    this.pageState.fill(0);
  }
}
