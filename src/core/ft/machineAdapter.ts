/**
 * `Machine` (src/core/machine) seen through the FT layer's narrow
 * ReplicaMachine interface.
 *
 * Multicore: with more than one hart, the interleaving is chosen by this
 * host — each turn a hart runs a quantum that depends on the host's own
 * timing (its `quantum` source) — and it is not logged. Two hosts therefore
 * interleave differently, which is exactly the divergence the lecture warns
 * about.
 */
import type { ProgramImage } from '../image';
import type { HostPort } from '../machine/hostPort';
import { Machine } from '../machine/machine';
import { PAGE_BYTES } from '../machine/memory';
import type { MachineSnapshot } from '../machine/snapshot';
import type { MachineFactory, ReplicaMachine, ReplicaStop } from './replicaMachine';

/** Bytes of CPU and device state in a checkpoint besides memory pages (registers, CSRs, devices). */
export const CPU_STATE_BYTES = 256;

export interface MachineAdapterOptions {
  readonly image: ProgramImage;
  readonly ramBytes?: number;
  readonly harts?: number;
  /** Multicore only: instructions the host lets a hart run in its next turn. */
  readonly quantum?: (hostId: number) => number;
}

export function snapshotBytes(s: MachineSnapshot): number {
  return s.pageData.length + s.pages.length * 4 + CPU_STATE_BYTES * s.harts.length;
}

export class MachineReplica implements ReplicaMachine {
  constructor(
    readonly machine: Machine,
    private readonly quantum: (() => number) | null,
  ) {}

  get icount(): number {
    return this.machine.icount;
  }
  get pc(): number {
    return this.machine.pc;
  }

  /** Multicore: which hart's turn it is and how much of its quantum is left (kept across run calls). */
  private turnHart = -1;
  private turnLeft = 0;

  run(icountTarget: number): ReplicaStop {
    const m = this.machine;
    if (this.quantum === null || m.hartCount === 1) return toReplicaStop(m.run(icountTarget));
    // Host-timed interleaving; the schedule depends only on the quantum sequence, not on run() targets.
    let idleTurns = 0;
    for (let guard = 0; guard < 10_000_000 && m.icount < icountTarget; guard++) {
      if (this.turnLeft <= 0) {
        this.turnHart = (this.turnHart + 1) % m.hartCount;
        this.turnLeft = this.quantum();
      }
      const before = m.icount;
      const stop = m.runHart(this.turnHart, Math.min(this.turnLeft, icountTarget - m.icount));
      const executed = m.icount - before;
      this.turnLeft -= executed;
      if (stop.kind === 'halted' || stop.kind === 'trap') return toReplicaStop(stop);
      if (executed === 0) {
        this.turnLeft = 0;
        if (++idleTurns >= m.hartCount) return { kind: 'wfi' };
      } else {
        idleTurns = 0;
      }
    }
    return { kind: 'budget' };
  }

  deliver(ev: Parameters<Machine['deliver']>[0]): void {
    this.machine.deliver(ev);
  }
  wantsTimer(mtime: number): boolean {
    return this.machine.wantsTimer(mtime);
  }
  snapshot(): { data: unknown; byteLength: number } {
    const s = this.machine.snapshot();
    return { data: s, byteLength: snapshotBytes(s) };
  }
  restore(data: unknown): void {
    this.machine.restore(data as MachineSnapshot);
  }
  stateHash(): string {
    return this.machine.stateHash();
  }
  takeDirtyBytes(): number {
    return this.machine.dirtyPages().length * (PAGE_BYTES + 4) + CPU_STATE_BYTES * this.machine.hartCount;
  }
}

function toReplicaStop(s: ReturnType<Machine['run']>): ReplicaStop {
  switch (s.kind) {
    case 'budget':
    case 'breakpoint':
      return { kind: 'budget' };
    case 'wfi':
      return { kind: 'wfi' };
    case 'halted':
      return { kind: 'halted', exitCode: s.exitCode };
    case 'trap':
      return { kind: 'trap', detail: s.message };
    default: {
      const never: never = s;
      return never;
    }
  }
}

/** A factory that builds a loaded machine for each replica. */
export function machineFactory(opts: MachineAdapterOptions): MachineFactory {
  return (port: HostPort, hostId: number) => {
    const m = new Machine({ port, ramBytes: opts.ramBytes, harts: opts.harts, hostId });
    const problems = m.load(opts.image);
    if (problems.length > 0) throw new Error(problems.map((p) => p.message).join('; '));
    m.dirtyPages();
    const q = opts.quantum;
    return new MachineReplica(m, q && (opts.harts ?? 1) > 1 ? () => Math.max(1, q(hostId)) : null);
  };
}
