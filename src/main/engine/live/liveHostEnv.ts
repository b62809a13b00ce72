/**
 * A physical host's own sources of non-determinism, for real: its clock, its
 * entropy source (node:crypto), its identity. Two hosts answer differently —
 * which is why the primary logs what it read. `instructionsPerMs` is how much
 * the host executes per slice (measured, and scaled when the host is slowed).
 */
import { randomFillSync } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NondetSource } from '../../../core/machine/hostPort';
import type { Clock, HostEnv } from '../../../core/ft/env';

/** CLINT mtime frequency (QEMU virt: 10 MHz). */
export const MTIME_TICKS_PER_MS = 10_000;
/** A host's cycle counter rate (3 GHz). */
const CYCLES_PER_MS = 3_000_000;
const TWO_32 = 0x1_0000_0000;

function half(value: number, which: 'lo' | 'hi'): number {
  return which === 'lo' ? value % TWO_32 >>> 0 : Math.floor(value / TWO_32) >>> 0;
}

export class LiveHostEnv implements HostEnv {
  private readonly entropy = new Uint32Array(256);
  private entropyNext = this.entropy.length;
  /** Instructions per ms this host executes at full speed (measured by the machine adapter). */
  fullSpeedPerMs = 20_000;
  /** 1 = normal; < 1: the host is slowed (a fault). */
  slowFactor = 1;
  /** Longer slices for a role that injects nothing (a backup replays up to the log; it polls for it). */
  sliceScale: () => number = () => 1;

  constructor(
    private readonly clock: Clock,
    readonly hostId: number,
  ) {}

  read(source: NondetSource, which: 'lo' | 'hi', _icount: number): number {
    switch (source) {
      case 'mtime':
      case 'time':
        return half(this.mtime(), which);
      case 'cycle':
        // This host's own cycle counter: counted since its thread started, so each host differs.
        return half(Math.floor(performance.now() * CYCLES_PER_MS), which);
      case 'seed':
        return this.random32();
      case 'hostid':
        return this.hostId >>> 0;
      default: {
        const never: never = source;
        throw new Error(`unknown non-deterministic source ${String(never)}`);
      }
    }
  }

  mtime(): number {
    return Math.max(0, Math.floor(this.clock.now() * MTIME_TICKS_PER_MS));
  }

  instructionsPerMs(): number {
    return Math.max(1, this.fullSpeedPerMs * this.slowFactor * this.sliceScale());
  }

  private random32(): number {
    if (this.entropyNext >= this.entropy.length) {
      randomFillSync(this.entropy);
      this.entropyNext = 0;
    }
    return this.entropy[this.entropyNext++]!;
  }
}
