/**
 * Replay of a saved session (I/O side): builds the replayer of each node's
 * track over SQLite with a real Machine, and verifies a whole session.
 */
import type { NodeId } from '../../core/ft/protocol';
import { MachineReplica } from '../../core/ft/machineAdapter';
import { Machine } from '../../core/machine/machine';
import type { MachineSnapshot } from '../../core/machine/snapshot';
import { Replayer, type Mismatch, type ReplayMachineFactory, type VerifyResult } from '../../core/replay/replayer';
import type { Db } from '../db/workspaceDb';
import { SqliteTrack } from './sqliteTrack';

/** A single-hart replica from a checkpoint (a multicore session replays with one fixed interleaving). */
export const machineFromSnapshot: ReplayMachineFactory = (port, snapshot) =>
  new MachineReplica(Machine.fromSnapshot(snapshot as MachineSnapshot, port), null);

export function openReplayer(db: Db, sessionId: number, node?: NodeId, makeMachine = machineFromSnapshot): Replayer {
  const nodes = SqliteTrack.nodes(db, sessionId);
  const chosen = node ?? nodes[0];
  if (chosen === undefined) throw new Error(`session ${sessionId} has no checkpoint: it cannot be replayed`);
  return new Replayer(new SqliteTrack(db, sessionId, chosen), makeMachine);
}

export interface SessionVerification {
  readonly sessionId: number;
  readonly verified: boolean;
  /** The earliest mismatch of any node (null when verified). */
  readonly firstMismatch: (Mismatch & { readonly node: NodeId }) | null;
  readonly nodes: readonly (VerifyResult & { readonly node: NodeId })[];
}

/** Replay every node that has a checkpoint, checking it against the recording. */
export function verifySession(db: Db, sessionId: number, makeMachine = machineFromSnapshot): SessionVerification {
  const results = SqliteTrack.nodes(db, sessionId).map((node) => ({ node, ...openReplayer(db, sessionId, node, makeMachine).verify() }));
  let first: (Mismatch & { node: NodeId }) | null = null;
  for (const r of results) {
    if (r.firstMismatch !== null && (first === null || r.firstMismatch.icount < first.icount)) first = { ...r.firstMismatch, node: r.node };
  }
  return { sessionId, verified: results.length > 0 && first === null, firstMismatch: first, nodes: results };
}
