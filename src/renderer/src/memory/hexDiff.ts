/** Side-by-side hex rows of two copies of a memory page, with the differing bytes marked. */
export interface HexRow {
  readonly addr: number;
  readonly left: readonly number[];
  readonly right: readonly number[];
  /** Indices (0..15) of bytes that differ. */
  readonly diff: ReadonlySet<number>;
}

export const bytesPerRow = 16;

export function hexRows(addr: number, left: Uint8Array, right: Uint8Array, onlyNear?: { radiusRows: number }): HexRow[] {
  const n = Math.max(left.length, right.length);
  const rows: HexRow[] = [];
  const differs: boolean[] = [];
  for (let off = 0; off < n; off += bytesPerRow) {
    const l = Array.from(left.subarray(off, off + bytesPerRow));
    const r = Array.from(right.subarray(off, off + bytesPerRow));
    const diff = new Set<number>();
    for (let i = 0; i < bytesPerRow; i++) if (l[i] !== r[i]) diff.add(i);
    rows.push({ addr: (addr + off) >>> 0, left: l, right: r, diff });
    differs.push(diff.size > 0);
  }
  if (!onlyNear) return rows;
  // Keep differing rows and their neighbours (a page is 256 rows: show what matters).
  const keep = rows.map((_, i) => {
    for (let d = -onlyNear.radiusRows; d <= onlyNear.radiusRows; d++) if (differs[i + d]) return true;
    return false;
  });
  return rows.filter((_, i) => keep[i]);
}

export function byteHex(b: number | undefined): string {
  return b === undefined ? '  ' : b.toString(16).padStart(2, '0');
}

export function asciiOf(bytes: readonly number[]): string {
  return bytes.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '·')).join('');
}
