import { describe, expect, it } from 'vitest';
import { checkExpectations, parseScenario, parseScenarioText } from '../../../src/core/sim/scenario';

const good = {
  name: 'x',
  program: 'programs/counter.s',
  settings: { outputRule: false, arbiter: 'view-service', scheme: 'checkpoint', heartbeatMs: 5, failureTimeoutMs: 30, harts: 1 },
  clients: [{ workload: 'kv', count: 2, requests: 10, intervalMs: 1 }],
  faults: [
    { at: { ms: 10 }, do: 'cut-log', direction: 'to-backup' },
    { at: { primaryIcount: 500 }, do: 'crash-primary' },
    { at: { clientAcks: 3 }, do: 'forget-to-log', source: 'seed' },
  ],
  stop: { ms: 100 },
  seed: 9,
  expect: { linearizable: false },
};

describe('scenario schema', () => {
  it('accepts the documented shape', () => {
    const r = parseScenario(good);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scenario.settings.arbiter).toBe('view-service');
      expect(r.scenario.faults[0]).toEqual({ at: { ms: 10 }, do: 'cut-log', direction: 'to-backup' });
      expect(r.scenario.seed).toBe(9);
    }
  });

  it('reports unknown fields and bad values with their JSON path', () => {
    const bad = {
      ...good,
      colour: 'red',
      settings: { ...good.settings, arbiter: 'paxos', heartbeatMs: -1, turbo: true },
      clients: [{ workload: 'counter', count: 1.5, requests: 3, intervalMs: 1, extra: 1 }],
      faults: [{ at: { ms: 1, clientAcks: 2 }, do: 'crash-primary' }, { at: { ms: 1 }, do: 'explode' }, { at: { ms: 1 }, do: 'drop-log', rate: 2 }, { at: { ms: 1 }, do: 'drop-log' }],
    };
    const r = parseScenario(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining([
      '$.colour', '$.settings.arbiter', '$.settings.heartbeatMs', '$.settings.turbo', '$.clients[0].count', '$.clients[0].extra',
      '$.faults[0].at', '$.faults[1].do', '$.faults[2].rate', '$.faults[3].rate',
    ]));
    expect(r.problems.find((p) => p.path === '$.settings.arbiter')!.message).toMatch(/"test-and-set", "view-service", "none".*"paxos"/);
  });

  it('needs exactly one of program and source; reports JSON syntax errors', () => {
    expect(parseScenario({ clients: [] }).ok).toBe(false);
    expect(parseScenario({ program: 'a.s', source: 'nop' }).ok).toBe(false);
    expect(parseScenario({ source: 'nop' }).ok).toBe(true);
    const r = parseScenarioText('{ "program": ');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]!.path).toBe('$');
  });

  it('checks expectations: exact values, ranges, dotted paths', () => {
    const report = { linearizable: false, outputs: { discardedDuplicates: 2 }, roles: { C: 'primary' } };
    expect(checkExpectations(report, { linearizable: false, 'outputs.discardedDuplicates': { min: 1 }, 'roles.C': 'primary' })).toEqual([]);
    expect(checkExpectations(report, { linearizable: true, 'outputs.discardedDuplicates': { max: 1 } })).toHaveLength(2);
  });
});
