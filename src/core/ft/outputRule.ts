/**
 * The output rule (VMware FT §2.2): the primary may not release an output
 * until the backup has acknowledged every log entry up to the one that
 * records the output. Switched off, outputs leave at once (the classic
 * anomaly becomes possible).
 */
import { assert } from './env';

export interface HeldOutput {
  /** The output's sequence number (outputs produced by this machine so far, minus one). */
  readonly index: number;
  readonly icount: number;
  readonly bytes: Uint8Array;
  readonly device: 'uart' | 'nic';
  /** Log sequence number that must be acknowledged before release. */
  needSeq: number;
  readonly heldAtMs: number;
}

/**
 * Outputs one execution slice may add beyond the soft bound: the primary stops
 * starting slices at the soft bound (it stalls), and never runs a slice longer
 * than the room left under soft + slack (one instruction emits at most one output).
 */
export const HELD_OUTPUTS_SLACK = 65_536;

export class OutputRule {
  private readonly held: HeldOutput[] = [];
  /** Hard bound on held outputs. */
  readonly hardCapacity: number;

  constructor(
    public enabled: boolean,
    /** Soft bound: at this many held outputs the primary stalls. */
    readonly capacity: number,
  ) {
    this.hardCapacity = capacity + HELD_OUTPUTS_SLACK;
  }

  /** Instructions the primary may run now without risking more held outputs than the hard bound. */
  get room(): number {
    return this.hardCapacity - this.held.length;
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Oldest held output, for the UI. */
  heldOutputs(): readonly HeldOutput[] {
    return this.held;
  }

  /** Is there room to hold another output? (When not, the primary stalls.) */
  get full(): boolean {
    return this.held.length >= this.capacity;
  }

  /**
   * A new output: returns it if it may leave now, or holds it.
   * `ackedSeq` is the backup's cumulative acknowledgement.
   */
  submit(out: HeldOutput, ackedSeq: number): HeldOutput | null {
    if ((!this.enabled || out.needSeq <= ackedSeq) && this.held.length === 0) return out;
    assert(this.held.length < this.hardCapacity, 'output rule buffer overflow (primary must stall)');
    this.held.push(out);
    return null;
  }

  /** The acknowledgement advanced (or the rule was switched off): outputs now free to leave, in order. */
  release(ackedSeq: number): HeldOutput[] {
    let n = 0;
    while (n < this.held.length && (!this.enabled || this.held[n]!.needSeq <= ackedSeq)) n++;
    return this.held.splice(0, n);
  }

  /** A new epoch (new backup by state transfer): everything held now waits for `needSeq` of it. */
  rekey(needSeq: number): void {
    for (const o of this.held) o.needSeq = needSeq;
  }

  /** Everything still held (the machine goes live alone or halts). */
  drain(): HeldOutput[] {
    return this.held.splice(0, this.held.length);
  }
}
