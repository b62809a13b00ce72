/**
 * Sequential specifications the linearizability checker tests histories
 * against: the counter (increment returns the new value) and the key/value
 * store of resources/examples/kv.s (put/append return the value after the
 * operation, get the stored one; a missing key reads ""; a value longer than
 * 48 bytes is refused with status 2 and changes nothing). Partitioned by key
 * for the kv store (P-compositionality).
 */
import { KV_VALUE_MAX, type OpInput, type OpOutput, type Operation } from '../ft/client';

export interface Model<S> {
  readonly name: string;
  init(): S;
  /** Apply `input`; `output` null = unknown (the operation never answered): any result is fine. */
  step(state: S, input: OpInput, output: OpOutput | null): { ok: boolean; next: S };
  partition(ops: readonly Operation[]): Operation[][];
  describe(op: Operation): string;
}

function show(op: Operation): string {
  const i = op.input;
  const res = op.output === null ? '?' : JSON.stringify(op.output);
  const args = i.op === 'increment' ? '' : i.op === 'get' ? `k${i.key}` : `k${i.key},${JSON.stringify(i.value)}`;
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

export const kvModel: Model<string> = {
  name: 'kv',
  init: () => '',
  step(s, input, output) {
    const fits = (v: string): boolean => v.length <= KV_VALUE_MAX;
    switch (input.op) {
      case 'put':
        if (!fits(input.value)) return { ok: output === null || output === '!2', next: s };
        return { ok: output === null || output === input.value, next: input.value };
      case 'append': {
        const next = s + input.value;
        if (!fits(next)) return { ok: output === null || output === '!2', next: s };
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
