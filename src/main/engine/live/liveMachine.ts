/**
 * The FT layer's view of a guest machine (ReplicaMachine) in a live worker.
 * `run` executes in chunks; between chunks it polls the logging channel
 * (receiveMessageOnPort) so an acknowledgement releases a held output, and a
 * backup acknowledges a log batch, without waiting for the end of a slice.
 * The primary is paced here too: at a chosen speed, or up to a step's end.
 */
import { performance } from 'node:perf_hooks';
import type { Machine } from '../../../core/machine/machine';
import type { MachineSnapshot } from '../../../core/machine/snapshot';
import { PAGE_BYTES } from '../../../core/machine/memory';
import type { InjectedEvent } from '../../../core/machine/hostPort';
import type { ReplicaMachine, ReplicaStop } from '../../../core/ft/replicaMachine';

/**
 * Instructions between two polls of the logging channel: about CHUNK_US of guest
 * time at the measured speed (a fixed count would make each chunk only a couple
 * of µs with the block engine, and the per-chunk cost would dominate).
 */
const CHUNK_US = 25;
const CHUNK_INSTRUCTIONS_MIN = 2048;
const CHUNK_INSTRUCTIONS_MAX = 1 << 18;
/** Guest execution time over which the full speed is measured. */
const SAMPLE_MS = 5;
/** Fixed bytes of a snapshot besides its pages (harts, devices). */
const SNAPSHOT_FIXED_BYTES = 512;

export interface LiveMachineHooks {
  /** Handle messages waiting on the logging channel now. */
  poll(): void;
  /** The highest icount the machine may reach now (pacing, steps); Infinity when free. */
  allowedIcount(): number;
  /** The guest reached a breakpoint (primary): the engine pauses the run. */
  onBreakpoint(pc: number): void;
  /** An event is injected (traced for the divergence finder). */
  onDeliver(ev: InjectedEvent): void;
  /** Measured full speed, instructions per ms (calibrates the slice budget). */
  onSpeedSample(instructions: number, ms: number): void;
}

export class LiveMachine implements ReplicaMachine {
  /** Instructions executed by `run` since the last call to `takeProgress`. */
  private progress = 0;
  /** Speed measurement over several slices (one slice is too short to time). */
  private sampleInstructions = 0;
  private sampleMs = 0;
  /** Current chunk length, adapted to the measured speed. */
  private chunkInstructions = CHUNK_INSTRUCTIONS_MIN;

  constructor(
    readonly machine: Machine,
    private readonly hooks: LiveMachineHooks,
  ) {}

  get icount(): number {
    return this.machine.icount;
  }

  get pc(): number {
    return this.machine.pc;
  }

  takeProgress(): number {
    const p = this.progress;
    this.progress = 0;
    return p;
  }

  run(icountTarget: number): ReplicaStop {
    const m = this.machine;
    const limit = Math.min(icountTarget, this.hooks.allowedIcount());
    const started = performance.now();
    const first = m.icount;
    try {
      while (m.icount < limit) {
        const before = m.icount;
        const stop = m.run(Math.min(limit, before + this.chunkInstructions));
        this.progress += m.icount - before;
        switch (stop.kind) {
          case 'budget':
            break;
          case 'wfi':
            return { kind: 'wfi' };
          case 'halted':
            return { kind: 'halted', exitCode: stop.exitCode };
          case 'trap':
            return { kind: 'trap', detail: stop.message };
          case 'breakpoint':
            this.hooks.onBreakpoint(stop.pc);
            return { kind: 'budget' };
          default: {
            const never: never = stop;
            throw new Error(`unknown stop ${JSON.stringify(never)}`);
          }
        }
        if (m.icount < limit) this.hooks.poll();
      }
      return { kind: 'budget' };
    } finally {
      this.sampleInstructions += m.icount - first;
      this.sampleMs += performance.now() - started;
      if (this.sampleMs >= SAMPLE_MS) {
        this.hooks.onSpeedSample(this.sampleInstructions, this.sampleMs);
        const perUs = this.sampleInstructions / (this.sampleMs * 1000);
        this.chunkInstructions = Math.min(CHUNK_INSTRUCTIONS_MAX, Math.max(CHUNK_INSTRUCTIONS_MIN, Math.round(perUs * CHUNK_US)));
        this.sampleInstructions = 0;
        this.sampleMs = 0;
      }
    }
  }

  deliver(ev: InjectedEvent): void {
    this.hooks.onDeliver(ev);
    this.machine.deliver(ev);
  }

  wantsTimer(mtime: number): boolean {
    return this.machine.wantsTimer(mtime);
  }

  snapshot(): { readonly data: unknown; readonly byteLength: number } {
    const data = this.machine.snapshot();
    return { data, byteLength: data.pageData.byteLength + data.pages.byteLength + SNAPSHOT_FIXED_BYTES };
  }

  restore(data: unknown): void {
    this.machine.restore(data as MachineSnapshot);
  }

  stateHash(): string {
    return this.machine.stateHash();
  }

  takeDirtyBytes(): number {
    return this.machine.dirtyPages().length * PAGE_BYTES + SNAPSHOT_FIXED_BYTES;
  }
}
