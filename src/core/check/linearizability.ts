/**
 * Linearizability checker in the manner of Porcupine (Wing & Gong's search
 * with Lowe's memoisation): try every order consistent with real time,
 * caching (set of linearized operations, state) pairs already explored.
 * The search is bounded: past `stepsMax` it answers "unknown" instead of
 * running forever. When a history is not linearizable it reports a small set
 * of operations that cannot be ordered: the earliest cut of the history that
 * already fails, then every operation whose result can be ignored without
 * making it pass is dropped (a 1-minimal core).
 */
import type { Operation } from '../ft/client';
import type { Model } from './models';

export type Verdict = true | false | 'unknown';

export interface CheckResult {
  readonly linearizable: Verdict;
  /** When false: operations that cannot be ordered, oldest first. */
  readonly core: readonly Operation[];
  readonly steps: number;
}

export interface CheckOptions {
  /** Search steps per partition before answering "unknown". */
  readonly stepsMax?: number;
  /** Largest history the minimiser works on. */
  readonly minimiseOpsMax?: number;
}

interface Entry {
  readonly op: number; // index into ops
  readonly isCall: boolean;
  readonly time: number;
  match: Entry | null; // the call's return entry
  prev: Entry | null;
  next: Entry | null;
}

/** A 32-bit integer hash (murmur3's finaliser) of `x`. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The set of linearized operations, hashed incrementally (Zobrist: each
 * operation has three fixed 32-bit codes, XORed in and out), so the memo key
 * costs O(1) per step instead of O(n) — a history of 20,000 operations took
 * minutes with the set spelled out in every key. 96 bits: a collision (which
 * could only make the search skip an unexplored branch) is ~10⁻¹⁹ likely for
 * the ≤ 200,000 keys of a bounded search.
 */
class SetHash {
  a = 0;
  b = 0;
  c = 0;
  flip(i: number): void {
    this.a ^= mix32(i * 3 + 0x9e3779b9);
    this.b ^= mix32(i * 3 + 1 + 0x7f4a7c15);
    this.c ^= mix32(i * 3 + 2 + 0x2545f491);
  }
  key(): string {
    return `${this.a}.${this.b}.${this.c}`;
  }
}

/** One partition: returns true/false/'unknown' and the steps used. */
function checkPartition<S>(model: Model<S>, ops: readonly Operation[], stepsMax: number): { v: Verdict; steps: number } {
  const n = ops.length;
  if (n === 0) return { v: true, steps: 0 };
  const events: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const op = ops[i]!;
    const call: Entry = { op: i, isCall: true, time: op.callMs, match: null, prev: null, next: null };
    const ret: Entry = { op: i, isCall: false, time: op.retMs ?? Infinity, match: null, prev: null, next: null };
    call.match = ret;
    events.push(call, ret);
  }
  // Calls before returns at equal times: such operations count as concurrent.
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const head: Entry = { op: -1, isCall: false, time: -Infinity, match: null, prev: null, next: null };
  let last = head;
  for (const e of events) {
    last.next = e;
    e.prev = last;
    last = e;
  }
  const lift = (e: Entry): void => {
    e.prev!.next = e.next;
    if (e.next) e.next.prev = e.prev;
    const m = e.match!;
    m.prev!.next = m.next;
    if (m.next) m.next.prev = m.prev;
  };
  const unlift = (e: Entry): void => {
    const m = e.match!;
    m.prev!.next = m;
    if (m.next) m.next.prev = m;
    e.prev!.next = e;
    if (e.next) e.next.prev = e;
  };
  const linearized = new SetHash();
  const cache = new Set<string>();
  const stack: { e: Entry; state: S }[] = [];
  let state = model.init();
  let entry = head.next;
  let steps = 0;
  while (head.next !== null) {
    if (++steps > stepsMax) return { v: 'unknown', steps };
    if (entry !== null && entry.isCall) {
      const op = ops[entry.op]!;
      const r = model.step(state, op.input, op.output);
      if (r.ok) {
        linearized.flip(entry.op);
        const key = `${linearized.key()}|${JSON.stringify(r.next)}`;
        if (!cache.has(key)) {
          cache.add(key);
          stack.push({ e: entry, state });
          state = r.next;
          lift(entry);
          entry = head.next;
          continue;
        }
        linearized.flip(entry.op);
      }
      entry = entry.next;
      continue;
    }
    // A return reached (or the end): backtrack.
    const top = stack.pop();
    if (top === undefined) return { v: false, steps };
    state = top.state;
    linearized.flip(top.e.op);
    unlift(top.e);
    entry = top.e.next;
  }
  return { v: true, steps };
}

function checkAll<S>(model: Model<S>, ops: readonly Operation[], stepsMax: number): { v: Verdict; steps: number; failing: Operation[] | null } {
  let steps = 0;
  let unknown = false;
  for (const part of model.partition(ops)) {
    const r = checkPartition(model, part, stepsMax);
    steps += r.steps;
    if (r.v === false) return { v: false, steps, failing: part };
    if (r.v === 'unknown') unknown = true;
  }
  return { v: unknown ? 'unknown' : true, steps, failing: null };
}

/** The history as it stood at time `t`: later answers are treated as not yet received. */
function cutAt(ops: readonly Operation[], t: number): Operation[] {
  return ops
    .filter((o) => o.callMs <= t)
    .map((o) => (o.retMs !== null && o.retMs <= t ? o : { ...o, retMs: null, output: null }));
}

function minimise<S>(model: Model<S>, ops: readonly Operation[], stepsMax: number): Operation[] {
  // 1. Earliest cut that already fails (monotone: an earlier cut only relaxes).
  const times = [...new Set(ops.filter((o) => o.retMs !== null).map((o) => o.retMs!))].sort((a, b) => a - b);
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (checkAll(model, cutAt(ops, times[mid]!), stepsMax).v === false) hi = mid;
    else lo = mid + 1;
  }
  let cur = times.length > 0 ? cutAt(ops, times[lo]!) : ops.slice();
  // 2. Drop every operation whose answer is not needed for the failure.
  for (let i = 0; i < cur.length; i++) {
    const op = cur[i]!;
    if (op.output === null) continue;
    const trial = cur.slice();
    trial[i] = { ...op, retMs: null, output: null };
    if (checkAll(model, trial, stepsMax).v === false) cur = trial;
  }
  const answered = new Set(cur.filter((o) => o.output !== null).map((o) => o.id));
  return ops.filter((o) => answered.has(o.id));
}

export function checkLinearizable<S>(model: Model<S>, ops: readonly Operation[], opts: CheckOptions = {}): CheckResult {
  const stepsMax = opts.stepsMax ?? 200_000;
  const r = checkAll(model, ops, stepsMax);
  if (r.v !== false) return { linearizable: r.v, core: [], steps: r.steps };
  const failing = r.failing!;
  const core = failing.length <= (opts.minimiseOpsMax ?? 400) ? minimise(model, failing, stepsMax) : failing;
  return { linearizable: false, core, steps: r.steps };
}
