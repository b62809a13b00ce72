/**
 * State transfer (6.824 lec 4: "even with a replicated state machine, a new
 * replica needs the full state"): the primary ships a snapshot of the whole
 * machine — memory, registers, devices, and the output sequence number — to a
 * new backup, which installs it and then follows the log. A machine that
 * crashed and came back (fail-recover) has missed updates: it rejoins only
 * this way, never with its stale state.
 */
import type { MachineState } from './protocol';
import type { ReplicaContext } from './role';

/** Fixed overhead of a state-transfer message besides the snapshot itself. */
export const STATE_HEADER_BYTES = 32;

export function snapshotState(ctx: Pick<ReplicaContext, 'machine' | 'outputs'>): { state: MachineState; byteLength: number } {
  const snap = ctx.machine.snapshot();
  const state: MachineState = { snapshot: snap.data, outputs: ctx.outputs, icount: ctx.machine.icount };
  return { state, byteLength: snap.byteLength + STATE_HEADER_BYTES };
}

export function installState(ctx: Pick<ReplicaContext, 'machine' | 'outputs'>, state: MachineState): void {
  ctx.machine.restore(state.snapshot);
  ctx.outputs = state.outputs;
}
