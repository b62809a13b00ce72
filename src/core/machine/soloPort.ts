/**
 * A HostPort for one machine running alone (no replication): `ftlab exec`,
 * tests and benchmarks. Everything is still deterministic:
 * - cycle = icount (a virtual 1-IPC, 100 MHz core);
 * - time = mtime = a virtual 10 MHz clock: ⌊icount / 10⌋ plus the ticks
 *   skipped while the guest idled in wfi;
 * - seed = a fixed-seed xorshift32 stream; mhostid = `hostId`.
 */
import type { HostPort, MachineOutput, NondetSource } from './hostPort';
import type { Machine } from './machine';
import type { StopReason } from './stopReason';

export const SOLO_INSNS_PER_TICK = 10;

export interface SoloPortOptions {
  readonly hostId?: number;
  readonly seed?: number;
  readonly onOutput?: (out: MachineOutput) => void;
}

/** The low or high 32 bits of a 64-bit counter (a module function: a closure per read costs, under tsx's keepNames, a defineProperty). */
function split(v: number, half: 'lo' | 'hi'): number {
  return (half === 'lo' ? v % 0x1_0000_0000 : Math.floor(v / 0x1_0000_0000)) >>> 0;
}

export class SoloPort implements HostPort {
  readonly hostId: number;
  /** Ticks added while the guest slept in wfi. */
  skippedTicks = 0;
  /** Every non-deterministic read, for tests: [source, half, icount]. */
  readonly reads: [NondetSource, 'lo' | 'hi', number][] = [];
  private rng: number;
  private readonly onOutput: (out: MachineOutput) => void;

  constructor(opts: SoloPortOptions = {}) {
    this.hostId = opts.hostId ?? 1;
    this.rng = (opts.seed ?? 0x2545f491) | 0 || 1;
    this.onOutput = opts.onOutput ?? (() => {});
  }

  mtimeAt(icount: number): number {
    return Math.floor(icount / SOLO_INSNS_PER_TICK) + this.skippedTicks;
  }

  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number {
    if (this.reads.length < 10_000) this.reads.push([source, half, icount]);
    switch (source) {
      case 'cycle': return split(icount, half);
      case 'time':
      case 'mtime': return split(this.mtimeAt(icount), half);
      case 'seed': {
        let x = this.rng;
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        this.rng = x;
        return x >>> 0;
      }
      case 'hostid': return this.hostId >>> 0;
      default: {
        const never: never = source;
        return never;
      }
    }
  }

  output(out: MachineOutput): void {
    this.onOutput(out);
  }
}

/**
 * Runs `m` alone until it stops for good or `maxSteps` instructions retired:
 * timer interrupts are delivered at the exact icount where mtime reaches
 * mtimecmp, and a guest idling in wfi skips virtual time to its next timer.
 * Returns `wfi` only if the guest waits with no timer armed.
 */
export function runSolo(m: Machine, port: SoloPort, maxSteps: number): StopReason {
  for (;;) {
    if (m.wantsTimer(port.mtimeAt(m.icount))) m.deliver({ kind: 'timer' });
    let target = maxSteps;
    const timerArmed = m.wantsTimer(Number.MAX_VALUE);
    if (timerArmed) {
      const due = Math.max(0, (m.mtimecmp - port.skippedTicks) * SOLO_INSNS_PER_TICK);
      target = Math.min(target, Math.max(m.icount + 1, due));
    }
    if (m.icount >= maxSteps) return { kind: 'budget' };
    const stop = m.run(target);
    if (stop.kind === 'budget') continue;
    if (stop.kind === 'wfi') {
      if (!m.wantsTimer(Number.MAX_VALUE)) return stop;
      const now = port.mtimeAt(m.icount);
      if (m.mtimecmp > now) port.skippedTicks += m.mtimecmp - now;
      continue;
    }
    return stop;
  }
}
