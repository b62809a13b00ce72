/**
 * Output events packed for a trip between threads: a structured clone of an
 * output event (an object with a Uint8Array) costs ≈ 3 µs, and a busy guest
 * emits 10⁴–10⁵ a second. Packed, a batch of them is OUT_COLS float64s each
 * plus one buffer of their bytes, both transferred. Each keeps its place among
 * the other events it travelled with: `at` (position among log entries, 0 when
 * there are none) and `sidePos` (how many of the other events came before it).
 * Columns: at, sidePos, node index, output index, icount, device (0 uart,
 * 1 nic), fate code, heldMs (NaN: none), end offset of its bytes in `bytes`.
 */
import type { FtEvent, OutputFate } from '../core/ft/events';
import type { NodeId } from '../core/ft/protocol';

export const OUT_COLS = 9;
const FATE_CODE = { held: 0, released: 1, discarded: 2, resent: 3 } as const satisfies Record<OutputFate, number>;
const FATES: readonly OutputFate[] = ['held', 'released', 'discarded', 'resent'];

export interface PackedOutputs {
  readonly cols: Float64Array;
  readonly bytes: Uint8Array;
}

export type OutputEvent = Extract<FtEvent, { type: 'output' }>;

export function packOutputs(at: readonly number[], sidePos: readonly number[], nodeIdx: readonly number[], outs: readonly OutputEvent[]): PackedOutputs {
  const cols = new Float64Array(outs.length * OUT_COLS);
  let total = 0;
  for (const o of outs) total += o.bytes.byteLength;
  const bytes = new Uint8Array(total);
  let end = 0;
  for (let k = 0; k < outs.length; k++) {
    const o = outs[k]!;
    bytes.set(o.bytes, end);
    end += o.bytes.byteLength;
    const c = k * OUT_COLS;
    cols[c] = at[k]!;
    cols[c + 1] = sidePos[k]!;
    cols[c + 2] = nodeIdx[k]!;
    cols[c + 3] = o.index;
    cols[c + 4] = o.icount;
    cols[c + 5] = o.device === 'uart' ? 0 : 1;
    cols[c + 6] = FATE_CODE[o.fate];
    cols[c + 7] = o.heldMs ?? NaN;
    cols[c + 8] = end;
  }
  return { cols, bytes };
}

export const packedCount = (p: PackedOutputs | null): number => (p === null ? 0 : p.cols.length / OUT_COLS);
export const packedAt = (p: PackedOutputs, k: number): number => p.cols[k * OUT_COLS]!;
export const packedSidePos = (p: PackedOutputs, k: number): number => p.cols[k * OUT_COLS + 1]!;

/** Output event `k` of a packed batch (its bytes are a copy: the event outlives the batch). */
export function unpackOutput(p: PackedOutputs, k: number, nodes: readonly NodeId[]): OutputEvent {
  const c = k * OUT_COLS;
  const cols = p.cols;
  const start = k === 0 ? 0 : cols[c - OUT_COLS + 8]!;
  const heldMs = cols[c + 7]!;
  return {
    type: 'output',
    node: nodes[cols[c + 2]!]!,
    index: cols[c + 3]!,
    icount: cols[c + 4]!,
    device: cols[c + 5] === 0 ? 'uart' : 'nic',
    bytes: p.bytes.slice(start, cols[c + 8]!),
    fate: FATES[cols[c + 6]!]!,
    ...(Number.isNaN(heldMs) ? {} : { heldMs }),
  };
}
