/**
 * A simulated physical host: its own clock reading, entropy source, identity
 * and CPU speed. Two hosts answer non-deterministic reads differently — the
 * reason the primary logs them. "Slow the backup" turns a host's speed down.
 */
import type { HostEnv } from '../ft/env';
import type { NondetSource } from '../machine/hostPort';
import type { Prng } from './prng';

/** Guest timer frequency: 10 MHz (as the solo host: 10 ticks per µs… per 100 ns). */
export const MTIME_TICKS_PER_MS = 10_000;

export class SimHost implements HostEnv {
  speed = 1;

  constructor(
    private readonly now: () => number,
    private readonly entropy: Prng,
    readonly hostId: number,
    private readonly ipms: number,
    /** This host's clock offset from true time, in ms (clocks are never quite in sync). */
    private readonly skewMs: number,
  ) {}

  read(source: NondetSource, half: 'lo' | 'hi', _icount: number): number {
    const split = (v: number): number => (half === 'lo' ? v % 0x1_0000_0000 : Math.floor(v / 0x1_0000_0000)) >>> 0;
    switch (source) {
      case 'cycle':
        return split(Math.floor((this.now() + this.skewMs) * this.ipms * 1.5));
      case 'time':
      case 'mtime':
        return split(this.mtime());
      case 'seed':
        return this.entropy.u32() & 0xffff | 0x8000_0000; // Zkr: ES16 status + 16 bits of entropy
      case 'hostid':
        return this.hostId;
    }
  }

  mtime(): number {
    return Math.max(0, Math.floor((this.now() + this.skewMs) * MTIME_TICKS_PER_MS));
  }

  instructionsPerMs(): number {
    return this.ipms * this.speed;
  }
}
