/**
 * Scenario files (JSON): a program, protocol settings, clients, a fault plan,
 * when to stop, a seed — and, for built-in scenarios, the expected verdict.
 * Validated by hand (core imports only core): every unknown field and bad
 * value is reported with its JSON path, never ignored.
 *
 * {
 *   "name": "…", "description": "…",
 *   "program": "programs/counter.s"  |  "source": "…assembly…",
 *   "settings": { "outputRule": true, "arbiter": "test-and-set"|"view-service"|"none",
 *                 "scheme": "log"|"checkpoint", "heartbeatMs": 5, "failureTimeoutMs": 30,
 *                 "harts": 1, "spares": 1, "checkpointMs": 10 },
 *   "clients": [ { "workload": "counter"|"kv", "count": 2, "requests": 20, "intervalMs": 2 } ],
 *   "faults": [ { "at": { "ms": 40 } | { "primaryIcount": 5000 } | { "clientAcks": 10 },
 *                 "do": "crash-primary", …parameters } ],
 *   "stop": { "ms": 300 },
 *   "seed": 1,
 *   "expect": { "linearizable": false, "outputs.discardedDuplicates": { "min": 1 } }
 * }
 */
import type { NondetSource } from '../machine/hostPort';
import type { ArbiterKind, SchemeKind } from '../ft/settings';
import type { Workload } from '../ft/client';
import { FAULT_DEFAULTS, FAULT_PARAMS, type Fault, type FaultKind } from './faultPlan';

export interface ScenarioSettings {
  readonly outputRule: boolean;
  readonly arbiter: ArbiterKind;
  readonly scheme: SchemeKind;
  readonly heartbeatMs: number;
  readonly failureTimeoutMs: number;
  readonly harts: number;
  /** Idle machines ready to become a new backup by state transfer. */
  readonly spares: number;
  readonly checkpointMs: number;
}

export interface ClientGroup {
  readonly workload: Workload;
  readonly count: number;
  readonly requests: number;
  readonly intervalMs: number;
}

/** Expected value of a report field (dot path): exact, or a range. */
export type Expectation = unknown | { readonly min?: number; readonly max?: number };

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly program: string | null;
  readonly source: string | null;
  readonly settings: ScenarioSettings;
  readonly clients: readonly ClientGroup[];
  readonly faults: readonly Fault[];
  readonly stop: { readonly ms: number };
  readonly seed: number;
  readonly expect: Readonly<Record<string, Expectation>>;
}

export const DEFAULT_SCENARIO_SETTINGS: ScenarioSettings = {
  outputRule: true,
  arbiter: 'test-and-set',
  scheme: 'log',
  heartbeatMs: 5,
  failureTimeoutMs: 30,
  harts: 1,
  spares: 1,
  checkpointMs: 10,
};

export interface ScenarioProblem {
  /** JSON path, e.g. `$.faults[2].do`. */
  readonly path: string;
  readonly message: string;
}

export type ScenarioResult =
  | { readonly ok: true; readonly scenario: Scenario }
  | { readonly ok: false; readonly problems: readonly ScenarioProblem[] };

const SOURCES: readonly NondetSource[] = ['cycle', 'time', 'seed', 'hostid', 'mtime'];
const MACHINES = ['primary', 'backup', 'A', 'B', 'C', 'crashed'];

class V {
  readonly problems: ScenarioProblem[] = [];
  bad(path: string, message: string): void {
    if (this.problems.length < 100) this.problems.push({ path, message });
  }
  isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  }
  object(v: unknown, path: string, allowed: readonly string[]): Record<string, unknown> | null {
    if (!this.isObject(v)) {
      this.bad(path, `expected an object, got ${kind(v)}`);
      return null;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.bad(`${path}.${k}`, `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
    }
    return v;
  }
  num(v: unknown, path: string, min: number, max: number, integer: boolean, fallback: number): number {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      this.bad(path, `expected ${integer ? 'an integer' : 'a number'}, got ${kind(v)}`);
      return fallback;
    }
    if (v < min || v > max) {
      this.bad(path, `${v} is out of range ${min}..${max}`);
      return fallback;
    }
    return v;
  }
  oneOf<T extends string>(v: unknown, path: string, options: readonly T[], fallback: T): T {
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !options.includes(v as T)) {
      this.bad(path, `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${kind(v)}`);
      return fallback;
    }
    return v as T;
  }
  bool(v: unknown, path: string, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.bad(path, `expected true or false, got ${kind(v)}`);
      return fallback;
    }
    return v;
  }
  str(v: unknown, path: string): string | null {
    if (v === undefined) return null;
    if (typeof v !== 'string') {
      this.bad(path, `expected a string, got ${kind(v)}`);
      return null;
    }
    return v;
  }
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v;
}

function settingsOf(v: V, raw: unknown): ScenarioSettings {
  const d = DEFAULT_SCENARIO_SETTINGS;
  if (raw === undefined) return d;
  const o = v.object(raw, '$.settings', Object.keys(d));
  if (!o) return d;
  return {
    outputRule: v.bool(o.outputRule, '$.settings.outputRule', d.outputRule),
    arbiter: v.oneOf(o.arbiter, '$.settings.arbiter', ['test-and-set', 'view-service', 'none'] as const, d.arbiter),
    scheme: v.oneOf(o.scheme, '$.settings.scheme', ['log', 'checkpoint'] as const, d.scheme),
    heartbeatMs: v.num(o.heartbeatMs, '$.settings.heartbeatMs', 1, 10_000, false, d.heartbeatMs),
    failureTimeoutMs: v.num(o.failureTimeoutMs, '$.settings.failureTimeoutMs', 1, 100_000, false, d.failureTimeoutMs),
    harts: v.num(o.harts, '$.settings.harts', 1, 2, true, d.harts),
    spares: v.num(o.spares, '$.settings.spares', 0, 1, true, d.spares),
    checkpointMs: v.num(o.checkpointMs, '$.settings.checkpointMs', 1, 10_000, false, d.checkpointMs),
  };
}

function clientsOf(v: V, raw: unknown): ClientGroup[] {
  if (raw === undefined) return [{ workload: 'counter', count: 2, requests: 20, intervalMs: 2 }];
  if (!Array.isArray(raw)) {
    v.bad('$.clients', `expected an array, got ${kind(raw)}`);
    return [];
  }
  if (raw.length > 8) v.bad('$.clients', `at most 8 client groups, got ${raw.length}`);
  return raw.slice(0, 8).map((c, i) => {
    const p = `$.clients[${i}]`;
    const o = v.object(c, p, ['workload', 'count', 'requests', 'intervalMs']) ?? {};
    if (o.workload === undefined) v.bad(`${p}.workload`, 'missing: "counter" or "kv"');
    return {
      workload: v.oneOf(o.workload, `${p}.workload`, ['counter', 'kv'] as const, 'counter'),
      count: v.num(o.count, `${p}.count`, 1, 16, true, 1),
      requests: v.num(o.requests, `${p}.requests`, 0, 10_000, true, 10),
      intervalMs: v.num(o.intervalMs, `${p}.intervalMs`, 0, 10_000, false, 2),
    };
  });
}

function faultOf(v: V, raw: unknown, i: number): Fault | null {
  const p = `$.faults[${i}]`;
  if (!v.isObject(raw)) {
    v.bad(p, `expected an object, got ${kind(raw)}`);
    return null;
  }
  const action = raw.do;
  if (typeof action !== 'string' || !(action in FAULT_PARAMS)) {
    v.bad(`${p}.do`, `unknown action ${kind(action)} (one of: ${Object.keys(FAULT_PARAMS).join(', ')})`);
    return null;
  }
  const params = FAULT_PARAMS[action as FaultKind];
  v.object(raw, p, ['at', 'do', ...Object.keys(params)]);
  const at = v.object(raw.at, `${p}.at`, ['ms', 'primaryIcount', 'clientAcks']);
  if (!at) return null;
  const keys = Object.keys(at);
  if (keys.length !== 1) {
    v.bad(`${p}.at`, 'give exactly one of "ms", "primaryIcount", "clientAcks"');
    return null;
  }
  const k = keys[0]!;
  const when =
    k === 'ms'
      ? { ms: v.num(at.ms, `${p}.at.ms`, 0, 1e7, false, 0) }
      : k === 'primaryIcount'
        ? { primaryIcount: v.num(at.primaryIcount, `${p}.at.primaryIcount`, 0, 2 ** 53, true, 0) }
        : { clientAcks: v.num(at.clientAcks, `${p}.at.clientAcks`, 0, 1e6, true, 0) };
  const out: Record<string, unknown> = { at: when, do: action };
  for (const [name, t] of Object.entries(params)) {
    const val = raw[name];
    const path = `${p}.${name}`;
    if (val === undefined && FAULT_DEFAULTS[`${action}.${name}`] !== undefined) {
      out[name] = FAULT_DEFAULTS[`${action}.${name}`];
      continue;
    }
    if (val === undefined) {
      v.bad(path, `missing parameter "${name}" for ${action}`);
      continue;
    }
    switch (t) {
      case 'machine':
        out[name] = v.oneOf(val, path, MACHINES, 'primary');
        break;
      case 'direction':
        out[name] = v.oneOf(val, path, ['both', 'to-backup', 'to-primary'] as const, 'both');
        break;
      case 'ms':
        out[name] = v.num(val, path, 0, 1e6, false, 0);
        break;
      case 'rate':
        out[name] = v.num(val, path, 0, 1, false, 0);
        break;
      case 'factor':
        out[name] = v.num(val, path, 0.001, 1, false, 1);
        break;
      case 'source':
        out[name] = v.oneOf(val, path, SOURCES, 'seed');
        break;
    }
  }
  return out as unknown as Fault;
}

const TOP_FIELDS = ['$schema', 'name', 'description', 'program', 'source', 'settings', 'clients', 'faults', 'stop', 'seed', 'expect'];

/** Validate a parsed JSON value as a scenario. `name` is used when the file has none. */
export function parseScenario(raw: unknown, name = 'scenario'): ScenarioResult {
  const v = new V();
  const o = v.object(raw, '$', TOP_FIELDS);
  if (!o) return { ok: false, problems: v.problems };
  const program = v.str(o.program, '$.program');
  const source = v.str(o.source, '$.source');
  if ((program === null) === (source === null)) v.bad('$', 'give exactly one of "program" (a path relative to this file) or "source"');
  const settings = settingsOf(v, o.settings);
  const clients = clientsOf(v, o.clients);
  const faults: Fault[] = [];
  if (o.faults !== undefined && !Array.isArray(o.faults)) v.bad('$.faults', `expected an array, got ${kind(o.faults)}`);
  if (Array.isArray(o.faults)) {
    if (o.faults.length > 64) v.bad('$.faults', `at most 64 faults, got ${o.faults.length}`);
    o.faults.slice(0, 64).forEach((f, i) => {
      const fault = faultOf(v, f, i);
      if (fault) faults.push(fault);
    });
  }
  let stopMs = 300;
  if (o.stop !== undefined) {
    const s = v.object(o.stop, '$.stop', ['ms']);
    if (s) stopMs = v.num(s.ms, '$.stop.ms', 1, 600_000, false, stopMs);
  }
  const seed = v.num(o.seed, '$.seed', 0, 0xffff_ffff, true, 1);
  const expect: Record<string, Expectation> = {};
  if (o.expect !== undefined) {
    const e = v.object(o.expect, '$.expect', Object.keys(o.expect as object));
    if (e) Object.assign(expect, e);
  }
  if (v.problems.length > 0) return { ok: false, problems: v.problems };
  return {
    ok: true,
    scenario: {
      name: v.str(o.name, '$.name') ?? name,
      description: v.str(o.description, '$.description') ?? '',
      program,
      source,
      settings,
      clients,
      faults,
      stop: { ms: stopMs },
      seed,
      expect,
    },
  };
}

/** Parse JSON text, reporting a syntax error as a problem at `$`. */
export function parseScenarioText(text: string, name?: string): ScenarioResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '$', message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  return parseScenario(raw, name);
}

/** Compare a report against the expectations: the list of mismatches (empty = as expected). */
export function checkExpectations(report: unknown, expect: Readonly<Record<string, Expectation>>): string[] {
  const out: string[] = [];
  for (const [path, want] of Object.entries(expect)) {
    const got = path.split('.').reduce<unknown>((x, k) => (x !== null && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), report);
    if (want !== null && typeof want === 'object' && !Array.isArray(want)) {
      const r = want as { min?: number; max?: number };
      if (typeof got !== 'number' || (r.min !== undefined && got < r.min) || (r.max !== undefined && got > r.max)) {
        out.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      }
    } else if (JSON.stringify(got) !== JSON.stringify(want)) {
      out.push(`${path}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
  }
  return out;
}
