/**
 * The checkers' inputs, gathered from a live run's observations — the same
 * verdicts the simulator reports (src/core/check): who was live when and when
 * each machine released output (split brain), each machine's output ledger
 * (no acknowledged output lost), divergence reported by a backup or found by
 * comparing state hashes at heartbeat log points, and the output rule's
 * holding times.
 */
import type { FtEvent } from '../../../core/ft/events';
import type { NodeId } from '../../../core/ft/protocol';
import { hex, lostAckedOutputs, splitBrain, type LiveRecord } from '../../../core/check/invariants';

const HASHES_KEPT = 4096;
const LATENCIES_KEPT = 100_000;
const INVARIANTS_KEPT = 20;

export class LiveChecks {
  readonly records = new Map<NodeId, LiveRecord & { releases: { t: number; index: number; key: string }[] }>();
  readonly ledgers = new Map<NodeId, Map<number, string>>();
  readonly heldMs: number[] = [];
  divergence: { node: string; icount: number; pc: number; detail: string } | null = null;
  readonly invariants: string[] = [];
  private readonly primaryHashes = new Map<number, string>();
  /** Machines whose state came by state transfer: whose outputs below `below` they inherited. */
  private readonly inherited = new Map<NodeId, { from: NodeId; below: number }>();

  /** A machine's whole output history: its own outputs, and those it inherited by state transfer. */
  effectiveLedger(node: NodeId, depth = 0): Map<number, string> {
    const own = this.ledgers.get(node) ?? new Map<number, string>();
    const inh = this.inherited.get(node);
    if (!inh || depth > 8) return own;
    const out = new Map<number, string>();
    for (const [k, v] of this.effectiveLedger(inh.from, depth + 1)) if (k < inh.below) out.set(k, v);
    for (const [k, v] of own) out.set(k, v);
    return out;
  }
  counts = { checkpoints: 0, checkpointBytes: 0, released: 0, held: 0, discarded: 0, resent: 0, failovers: 0, stateTransfers: 0, stateTransferBytes: 0, logBytes: 0 };

  private record(node: NodeId): LiveRecord & { releases: { t: number; index: number; key: string }[] } {
    let r = this.records.get(node);
    if (!r) this.records.set(node, (r = { node, intervals: [], releases: [], ledger: this.ledger(node) }));
    return r;
  }

  private ledger(node: NodeId): Map<number, string> {
    let l = this.ledgers.get(node);
    if (!l) this.ledgers.set(node, (l = new Map()));
    return l;
  }

  /** The machine stopped being live (crashed, halted, demoted). */
  closeLive(node: NodeId, atMs: number): void {
    const last = this.record(node).intervals.at(-1);
    if (last && last.end === Infinity) last.end = atMs;
  }

  /**
   * The checkers keep no more: outputs past the highest index seen so far are
   * counted, not kept (a long run's ledgers would grow without bound).
   */
  freeze(): void {
    if (this.frozenAtIndex !== null) return;
    let top = -1;
    for (const l of this.ledgers.values()) for (const k of l.keys()) if (k > top) top = k;
    this.frozenAtIndex = top;
  }

  /** When frozen: the highest output index the checkers judge. */
  frozenAtIndex: number | null = null;

  observe(ev: FtEvent, atMs: number): void {
    switch (ev.type) {
      case 'output': {
        if (ev.fate === 'released') {
          this.counts.released++;
          if (ev.heldMs !== undefined && this.heldMs.length < LATENCIES_KEPT) this.heldMs.push(ev.heldMs);
        } else if (ev.fate === 'held') this.counts.held++;
        else if (ev.fate === 'discarded') this.counts.discarded++;
        else this.counts.resent++;
        // Past the frozen horizon an output is counted, not kept.
        if (this.frozenAtIndex !== null && ev.index > this.frozenAtIndex) return;
        const ledger = this.ledger(ev.node);
        const key = hex(ev.bytes);
        if (!ledger.has(ev.index)) ledger.set(ev.index, key);
        if (ev.fate === 'released' || ev.fate === 'resent') {
          this.record(ev.node).releases.push({ t: atMs, index: ev.index, key });
        }
        return;
      }
      case 'role':
        if (ev.role === 'primary') {
          this.record(ev.node).intervals.push({ start: atMs, end: Infinity });
          if (ev.reason === 'went live') this.counts.failovers++;
        } else this.closeLive(ev.node, atMs);
        return;
      case 'stateTransfer':
        this.counts.stateTransfers++;
        this.counts.stateTransferBytes += ev.bytes;
        return;
      case 'stateInstalled': {
        // Its history is now the sender's up to `outputs` (resolved lazily: the sender's own
        // output events may reach the engine host after this event).
        this.ledger(ev.node).clear();
        this.inherited.set(ev.node, { from: ev.from, below: ev.outputs });
        this.primaryHashes.clear();
        return;
      }
      case 'logSent':
        this.counts.logBytes += ev.bytes;
        return;
      case 'checkpoint':
        this.counts.checkpoints++;
        this.counts.checkpointBytes += ev.bytes;
        return;
      case 'divergence':
        this.divergence ??= { node: ev.node, icount: ev.icount, pc: ev.pc, detail: ev.detail };
        return;
      case 'invariant':
        if (this.invariants.length < INVARIANTS_KEPT) this.invariants.push(`${ev.node}: ${ev.detail}`);
        return;
      default:
        return;
    }
  }

  /** State hashes at heartbeat log points: the backup's must equal the primary's at the same icount. */
  hashes(node: NodeId, samples: readonly { icount: number; hash: string; role: 'primary' | 'backup' }[]): void {
    for (const s of samples) {
      if (s.role === 'primary') {
        if (this.primaryHashes.size < HASHES_KEPT) this.primaryHashes.set(s.icount, s.hash);
        continue;
      }
      const want = this.primaryHashes.get(s.icount);
      if (want !== undefined && want !== s.hash && this.divergence === null) {
        this.divergence = { node, icount: s.icount, pc: 0, detail: `state hash differs from the primary's at log point icount ${s.icount}` };
      }
      for (const k of this.primaryHashes.keys()) if (k <= s.icount) this.primaryHashes.delete(k);
    }
  }

  splitBrain(): { found: boolean; detail: string | null } {
    return splitBrain([...this.records.values()].map((r) => ({ ...r, ledger: this.effectiveLedger(r.node) })));
  }

  lostAckedOutputs(accepted: readonly { outSeq: number; bytes: Uint8Array }[], survivor: NodeId | null): number {
    const top = this.frozenAtIndex;
    const judged = top === null ? accepted : accepted.filter((a) => a.outSeq <= top);
    return lostAckedOutputs(judged, survivor === null ? null : this.effectiveLedger(survivor));
  }
}
