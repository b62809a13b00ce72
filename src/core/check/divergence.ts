/**
 * The divergence finder: given what each replica's machine actually consumed
 * from outside (non-deterministic reads, injected events, and — multicore —
 * the host's interleaving choices), re-execute both from the start, compare
 * state hashes at intervals, narrow down by bisection to the first
 * instruction after which the two states differ, and name the event
 * responsible.
 */
import type { HostPort, InjectedEvent, MachineOutput, NondetSource } from '../machine/hostPort';
import type { ReplicaMachine } from '../ft/replicaMachine';

export type TraceItem =
  | { readonly kind: 'read'; readonly icount: number; readonly source: NondetSource; readonly half: 'lo' | 'hi'; readonly value: number }
  | { readonly kind: 'inject'; readonly icount: number; readonly event: InjectedEvent }
  | { readonly kind: 'quantum'; readonly icount: number; readonly value: number };

/** What one machine consumed, in order; `complete` false if the trace overflowed its bound. */
export interface Trace {
  readonly items: TraceItem[];
  complete: boolean;
}

export const TRACE_ITEMS_MAX = 200_000;

/** Builds a fresh machine (same program, same host id) answering reads through `port`, interleaving through `quantum`. */
export type ReplayFactory = (port: HostPort, quantum: () => number) => ReplicaMachine;

export interface DivergenceReport {
  /** Icount of the first instruction whose execution left the two machines in different states. */
  readonly icount: number;
  readonly pc: number;
  /** The event responsible, in words. */
  readonly cause: string;
  readonly causeKind: 'read' | 'inject' | 'interleaving' | 'unknown';
  readonly source?: NondetSource;
}

class Replayer {
  private readIdx = 0;
  private injIdx = 0;
  private qIdx = 0;
  readonly machine: ReplicaMachine;
  private readonly reads: Extract<TraceItem, { kind: 'read' }>[];
  private readonly injects: Extract<TraceItem, { kind: 'inject' }>[];
  private readonly quanta: number[];

  constructor(trace: Trace, make: ReplayFactory) {
    this.reads = trace.items.filter((t): t is Extract<TraceItem, { kind: 'read' }> => t.kind === 'read');
    this.injects = trace.items.filter((t): t is Extract<TraceItem, { kind: 'inject' }> => t.kind === 'inject');
    this.quanta = trace.items.filter((t) => t.kind === 'quantum').map((t) => (t as { value: number }).value);
    const port: HostPort = {
      nondetRead: () => this.reads[this.readIdx++]?.value ?? 0,
      output: (_o: MachineOutput) => {},
    };
    this.machine = make(port, () => this.quanta[this.qIdx++] ?? 1000);
  }

  /** Execute until icount === target, injecting events due before it; false if it cannot get there. */
  runTo(target: number): boolean {
    const m = this.machine;
    for (let guard = 0; guard < 1_000_000 && m.icount < target; guard++) {
      while (this.injIdx < this.injects.length && this.injects[this.injIdx]!.icount <= m.icount) {
        m.deliver(this.injects[this.injIdx++]!.event);
      }
      const nextInj = this.injIdx < this.injects.length ? this.injects[this.injIdx]!.icount : Infinity;
      const before = m.icount;
      const stop = m.run(Math.min(target, nextInj));
      if (stop.kind === 'halted' || stop.kind === 'trap') return m.icount >= target;
      if (m.icount === before && nextInj > m.icount) return false;
    }
    return m.icount >= target;
  }
}

function describeCause(a: Trace, b: Trace, icount: number): Omit<DivergenceReport, 'icount' | 'pc'> {
  const inputs = (t: Trace) => t.items.filter((x) => x.icount <= icount && x.kind !== 'quantum');
  const xa = inputs(a);
  const xb = inputs(b);
  for (let k = 0; k < Math.max(xa.length, xb.length); k++) {
    const p = xa[k];
    const q = xb[k];
    if (p && q && p.kind === 'read' && q.kind === 'read' && p.icount === q.icount && p.source === q.source && p.half === q.half) {
      if (p.value === q.value) continue;
      return {
        cause: `${p.source} read at icount ${p.icount}: primary got 0x${(p.value >>> 0).toString(16)}, backup got 0x${(q.value >>> 0).toString(16)} (not logged)`,
        causeKind: 'read',
        source: p.source,
      };
    }
    if (p && q && p.kind === 'inject' && q.kind === 'inject' && p.icount === q.icount && p.event.kind === q.event.kind) continue;
    const first = p && (!q || p.icount <= q.icount) ? p : q!;
    const side = first === p ? 'primary' : 'backup';
    if (first.kind === 'read') return { cause: `${first.source} read at icount ${first.icount} on the ${side} only`, causeKind: 'read', source: first.source };
    if (first.kind === 'inject') return { cause: `${first.event.kind} injected at icount ${first.icount} on the ${side} only`, causeKind: 'inject' };
  }
  const qa = a.items.filter((x) => x.kind === 'quantum' && x.icount <= icount);
  const qb = b.items.filter((x) => x.kind === 'quantum' && x.icount <= icount);
  for (let k = 0; k < Math.max(qa.length, qb.length); k++) {
    const p = qa[k] as { value: number; icount: number } | undefined;
    const q = qb[k] as { value: number; icount: number } | undefined;
    if (p?.value !== q?.value) {
      return {
        cause: `hart interleaving: at icount ${(p ?? q)!.icount} the primary's host gave a hart ${p?.value ?? '—'} instructions, the backup's ${q?.value ?? '—'} (multicore is not deterministic and not logged)`,
        causeKind: 'interleaving',
      };
    }
  }
  return { cause: 'no input differed before this instruction', causeKind: 'unknown' };
}

/**
 * Compare two traced executions up to `limitIcount`. Returns null when the
 * states agree at the limit (no divergence), else the first diverging instruction.
 */
export function findDivergence(make: ReplayFactory, a: Trace, b: Trace, limitIcount: number, stepIcount = 2048): DivergenceReport | null {
  if (limitIcount <= 0) return null;
  const ra = new Replayer(a, make);
  const rb = new Replayer(b, make);
  let lastEqual = 0;
  let firstDiff = -1;
  for (let c = Math.min(stepIcount, limitIcount); ; c = Math.min(c + stepIcount, limitIcount)) {
    const okA = ra.runTo(c);
    const okB = rb.runTo(c);
    if (!okA || !okB) {
      const reach = Math.min(ra.machine.icount, rb.machine.icount);
      if (ra.machine.icount !== rb.machine.icount || ra.machine.stateHash() !== rb.machine.stateHash()) firstDiff = Math.max(lastEqual + 1, reach);
      break;
    }
    if (ra.machine.stateHash() !== rb.machine.stateHash()) {
      firstDiff = c;
      break;
    }
    lastEqual = c;
    if (c >= limitIcount) break;
  }
  if (firstDiff < 0) return null;
  // Bisect (lastEqual, firstDiff]: smallest c whose state differs.
  let lo = lastEqual + 1;
  let hi = firstDiff;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const pa = new Replayer(a, make);
    const pb = new Replayer(b, make);
    const same = pa.runTo(mid) && pb.runTo(mid) && pa.machine.stateHash() === pb.machine.stateHash();
    if (same) lo = mid + 1;
    else hi = mid;
  }
  const at = new Replayer(a, make);
  at.runTo(lo - 1);
  return { icount: lo - 1, pc: at.machine.pc, ...describeCause(a, b, lo - 1) };
}
