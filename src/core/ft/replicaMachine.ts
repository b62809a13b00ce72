/**
 * The FT layer's narrow view of a guest machine. `Machine`
 * (src/core/machine/machine.ts) satisfies it through machineAdapter.ts; tests
 * use small fakes. The FT layer never looks inside the guest.
 */
import type { HostPort, InjectedEvent } from '../machine/hostPort';

/** Why `run` returned (a subset of the machine's StopReason the FT layer cares about). */
export type ReplicaStop =
  | { readonly kind: 'budget' }
  | { readonly kind: 'wfi' }
  | { readonly kind: 'halted'; readonly exitCode: number }
  | { readonly kind: 'trap'; readonly detail: string };

export interface ReplicaMachine {
  readonly icount: number;
  readonly pc: number;
  /** Execute until `icount === icountTarget` or a stop; outputs and nondet reads go through the port. */
  run(icountTarget: number): ReplicaStop;
  /** Inject an event between two instructions. */
  deliver(ev: InjectedEvent): void;
  /** Does the guest want a timer interrupt at this mtime (mtime ≥ mtimecmp, not yet pending)? */
  wantsTimer(mtime: number): boolean;
  /** Full state (structured-cloneable) and its size in bytes on the wire. */
  snapshot(): { readonly data: unknown; readonly byteLength: number };
  restore(data: unknown): void;
  /** Hash of the whole architectural state (registers, memory, devices). */
  stateHash(): string;
  /** Bytes a Remus checkpoint would ship now: dirty pages since the last call, plus CPU/device state. */
  takeDirtyBytes(): number;
}

/** Builds a machine bound to the given host port (the VMM's side of the boundary). */
export type MachineFactory = (port: HostPort, hostId: number) => ReplicaMachine;
