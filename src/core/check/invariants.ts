/**
 * Invariants checked on every run:
 * - the backup never runs ahead of the log (reported by the backup itself);
 * - with an arbiter, never two machines releasing outputs in the same period
 *   (split brain);
 * - with the output rule, every output a client accepted is reflected in the
 *   surviving machine's state (no acknowledged output lost), and the history
 *   is linearizable.
 */
import type { NodeId } from '../ft/protocol';

/** When a machine was live (primary, not crashed or halted) and when it released outputs. */
export interface LiveRecord {
  readonly node: NodeId;
  /** [start, end) intervals; end = Infinity if still live. */
  readonly intervals: { start: number; end: number }[];
  /** Released (or re-sent) outputs: when, which output number, its bytes (hex). */
  readonly releases: { t: number; index: number; key: string }[];
  /** Every output this machine produced or replayed (index → bytes hex). */
  readonly ledger: ReadonlyMap<number, string>;
}

/**
 * Two machines each released, within a period in which both were live, an
 * output the other one knows nothing of: they were acting as two primaries.
 * (An old primary releasing an output the new one already holds — its
 * acknowledgement was in flight — is not split brain.)
 */
export function splitBrain(records: readonly LiveRecord[]): { found: boolean; detail: string | null } {
  for (let i = 0; i < records.length; i++) {
    for (let j = i + 1; j < records.length; j++) {
      const a = records[i]!;
      const b = records[j]!;
      for (const ia of a.intervals) {
        for (const ib of b.intervals) {
          const start = Math.max(ia.start, ib.start);
          const end = Math.min(ia.end, ib.end);
          if (start >= end) continue;
          const ra = a.releases.find((r) => r.t >= start && r.t < end && b.ledger.get(r.index) !== r.key);
          const rb = b.releases.find((r) => r.t >= start && r.t < end && a.ledger.get(r.index) !== r.key);
          if (ra !== undefined && rb !== undefined) {
            return {
              found: true,
              detail: `${a.node} released output #${ra.index} at ${ra.t.toFixed(2)}ms and ${b.node} output #${rb.index} at ${rb.t.toFixed(2)}ms, each unknown to the other, while both were live`,
            };
          }
        }
      }
    }
  }
  return { found: false, detail: null };
}

/** Outputs clients accepted that the surviving machine's history does not contain (same index, same bytes). */
export function lostAckedOutputs(
  accepted: readonly { outSeq: number; bytes: Uint8Array }[],
  survivor: ReadonlyMap<number, string> | null,
): number {
  if (survivor === null) return 0;
  let lost = 0;
  for (const a of accepted) if (survivor.get(a.outSeq) !== hex(a.bytes)) lost++;
  return lost;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes as lower-case hex (a table per byte: this runs for every output the live checkers see). */
export function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_BYTE[b[i]!]!;
  return s;
}

export interface SafetyInputs {
  readonly outputRule: boolean;
  readonly arbiter: boolean;
  readonly loggedEverything: boolean;
  readonly splitBrain: boolean;
  readonly lostAckedOutputs: number;
  readonly linearizable: true | false | 'unknown';
  readonly diverged: boolean;
  readonly protocolInvariants: readonly string[];
}

/** Violations of what the protocol promises under the given switches (empty = safe). */
export function safetyViolations(s: SafetyInputs): string[] {
  const out = [...s.protocolInvariants];
  if (s.arbiter && s.splitBrain) out.push('split brain with an arbiter');
  if (s.outputRule && s.arbiter && s.lostAckedOutputs > 0) out.push(`${s.lostAckedOutputs} acknowledged output(s) lost with the output rule on`);
  if (s.outputRule && s.arbiter && s.linearizable === false) out.push('history not linearizable with the output rule and an arbiter');
  if (s.loggedEverything && s.diverged) out.push('replicas diverged although every non-deterministic event was logged');
  return out;
}
