/**
 * Reads the ISA documentation module (src/core/isa/docs.ts) into a DocLookup,
 * whatever reasonable shape its table has: a lookup function, a Map, a record
 * keyed by name, or an array of entries with a name.
 */
import type { DocEntry, DocLookup } from './hover';

type Loose = Record<string, unknown>;

const pick = (o: Loose, ...keys: string[]): string | undefined => {
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' && v.trim()) return v;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length) return v.join('\n');
  }
  return undefined;
};

export function normalizeDoc(name: string, raw: unknown): DocEntry | undefined {
  if (typeof raw === 'string') return { name, summary: raw };
  if (!raw || typeof raw !== 'object') return undefined;
  const o = raw as Loose;
  const num = o.number ?? o.csr ?? o.address;
  return {
    name: pick(o, 'name', 'mnemonic') ?? name,
    summary: pick(o, 'summary', 'description', 'doc', 'text', 'what', 'brief'),
    syntax: pick(o, 'syntax', 'usage', 'form', 'assembly', 'example'),
    format: pick(o, 'format', 'type'),
    expansion: pick(o, 'expansion', 'expandsTo', 'expands', 'becomes'),
    operation: pick(o, 'operation', 'semantics', 'pseudocode', 'effect'),
    encoding: pick(o, 'encoding', 'bits', 'layout'),
    extension: pick(o, 'extension', 'ext'),
    nondeterministic: pick(o, 'nondeterministic', 'nondet', 'whyNondeterministic', 'nondeterminism', 'ft', 'why'),
    number: typeof num === 'number' ? num : undefined,
  };
}

function entryName(o: unknown): string | undefined {
  if (!o || typeof o !== 'object') return undefined;
  const r = o as Loose;
  const n = r.name ?? r.mnemonic;
  return typeof n === 'string' ? n.toLowerCase() : undefined;
}

export function adaptDocs(mod: Record<string, unknown>): DocLookup | undefined {
  const tables: Array<Map<string, unknown>> = [];
  const fns: Array<(n: string) => unknown> = [];
  for (const value of Object.values(mod)) {
    if (typeof value === 'function') fns.push(value as (n: string) => unknown);
    else if (value instanceof Map) {
      tables.push(new Map([...value].map(([k, v]) => [String(k).toLowerCase(), v])));
    } else if (Array.isArray(value)) {
      const m = new Map<string, unknown>();
      for (const e of value) {
        const n = entryName(e);
        if (n) m.set(n, e);
      }
      if (m.size) tables.push(m);
    } else if (value && typeof value === 'object') {
      const m = new Map<string, unknown>();
      for (const [k, v] of Object.entries(value as Loose)) if (v && (typeof v === 'object' || typeof v === 'string')) m.set(k.toLowerCase(), v);
      if (m.size) tables.push(m);
    }
  }
  if (!tables.length && !fns.length) return undefined;
  return (name) => {
    const n = name.toLowerCase();
    for (const t of tables) {
      const hit = t.get(n);
      if (hit !== undefined) return normalizeDoc(n, hit);
    }
    for (const f of fns) {
      if (f.length !== 1) continue;
      try {
        const hit = f(n);
        if (hit) return normalizeDoc(n, hit);
      } catch {
        // Not a lookup function; try the next.
      }
    }
    return undefined;
  };
}
