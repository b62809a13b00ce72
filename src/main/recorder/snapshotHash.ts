/**
 * The state hash of a machine snapshot, computed away from the machine's
 * thread: restore it into a scratch Machine and hash that. Equal to
 * `Machine.stateHash()` of the machine the snapshot was taken from (the
 * replayer compares against exactly this).
 */
import type { HostPort } from '../../core/machine/hostPort';
import { Machine } from '../../core/machine/machine';
import type { MachineSnapshot } from '../../core/machine/snapshot';

const inert: HostPort = {
  nondetRead: () => 0,
  output: () => {},
};

let scratch: Machine | null = null;

export function snapshotStateHash(snapshot: unknown): string {
  const s = snapshot as MachineSnapshot;
  if (scratch === null || scratch.ramBytes !== s.ramBytes || scratch.hartCount !== s.harts.length) {
    scratch = Machine.fromSnapshot(s, inert);
  } else {
    scratch.restore(s);
  }
  return scratch.stateHash();
}
