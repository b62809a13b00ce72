/**
 * What the FT protocol needs from the world, injected: a clock with timers, a
 * transport for messages, randomness, and the physical host's own sources of
 * non-determinism. The simulator (src/core/sim) provides virtual ones; the live
 * engine provides real ones. Protocol code never reads time or randomness any
 * other way.
 */
import type { NondetSource } from '../machine/hostPort';
import type { Message, NodeId } from './protocol';

export type TimerHandle = number;

export interface Clock {
  /** Milliseconds since the start of the run (virtual in the simulator). */
  now(): number;
  setTimer(delayMs: number, fn: () => void): TimerHandle;
  cancelTimer(handle: TimerHandle): void;
}

export interface Transport {
  /** Best effort: the network may delay, drop, duplicate or reorder. */
  send(from: NodeId, to: NodeId, msg: Message): void;
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * The physical host's own answer to a non-deterministic read (its clock, its
 * entropy source, its identity). Two hosts answer differently: that is why the
 * primary logs what it read and the backup uses the logged value.
 */
export interface HostEnv {
  read(source: NondetSource, half: 'lo' | 'hi', icount: number): number;
  /** Current machine timer value (CLINT mtime ticks) on this host. */
  mtime(): number;
  /** How fast this host executes guest instructions right now (a slowed host executes fewer). */
  instructionsPerMs(): number;
}

/** Assert an invariant of our own code (not of user input). */
export function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`FT invariant broken: ${msg}`);
}
