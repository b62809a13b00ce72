/**
 * Sequential specifications the linearizability checker tests histories
 * against: the counter (increment returns the new value) and the key/value
 * store (put/append return the new value, get returns the value; a missing
 * key reads 0). Partitioned by key for the kv store (P-compositionality).
 */
import { kvAppend, type OpInput, type Operation } from '../ft/client';

export interface Model<S> {
  readonly name: string;
  init(): S;
  /** Apply `input`; `output` null = unknown (the operation never answered): any result is fine. */
  step(state: S, input: OpInput, output: number | null): { ok: boolean; next: S };
  partition(ops: readonly Operation[]): Operation[][];
  describe(op: Operation): string;
}

function show(op: Operation): string {
  const i = op.input;
  const res = op.output === null ? '?' : String(op.output);
  const args = i.op === 'increment' ? '' : i.op === 'get' ? `k${i.key}` : `k${i.key},${i.value}`;
  return `client${op.client} ${i.op}(${args}) → ${res} [${op.callMs.toFixed(2)}..${op.retMs === null ? '∞' : op.retMs.toFixed(2)}ms]`;
}

export const counterModel: Model<number> = {
  name: 'counter',
  init: () => 0,
  step(s, input, output) {
    if (input.op !== 'increment') return { ok: false, next: s };
    const next = (s + 1) >>> 0;
    return { ok: output === null || output === next, next };
  },
  partition: (ops) => [ops.slice()],
  describe: show,
};

export const kvModel: Model<number> = {
  name: 'kv',
  init: () => 0,
  step(s, input, output) {
    switch (input.op) {
      case 'put':
        return { ok: output === null || output === input.value >>> 0, next: input.value >>> 0 };
      case 'append': {
        const next = kvAppend(s, input.value);
        return { ok: output === null || output === next, next };
      }
      case 'get':
        return { ok: output === null || output === s, next: s };
      case 'increment':
        return { ok: false, next: s };
    }
  },
  partition(ops) {
    const byKey = new Map<number, Operation[]>();
    for (const op of ops) {
      const k = op.input.op === 'increment' ? -1 : op.input.key;
      let list = byKey.get(k);
      if (!list) byKey.set(k, (list = []));
      list.push(op);
    }
    return [...byKey.keys()].sort((a, b) => a - b).map((k) => byKey.get(k)!);
  },
  describe: show,
};
