/** The fuzzer's checks can fail: unsafe switches produce violations, and the plan is minimised. */
import { describe, expect, it } from 'vitest';
import { minimiseFaults } from '../../../src/core/sim/fuzz';
import { runScenario } from '../../../src/core/sim/runner';
import { DEFAULT_SCENARIO_SETTINGS, type Scenario } from '../../../src/core/sim/scenario';
import { simMachine } from '../../../src/core/sim/simMachine';
import { programImage } from './helpers';

describe('violations are caught and minimised', () => {
  it('switching arbitration off under a cut log gives split brain; judged strictly it is a violation, minimised to its cause', () => {
    const machine = simMachine(programImage('counter'), 1);
    const sc: Scenario = {
      name: 't', description: '', program: 'counter', source: null,
      settings: { ...DEFAULT_SCENARIO_SETTINGS },
      clients: [{ workload: 'counter', count: 3, requests: 40, intervalMs: 1 }],
      faults: [
        { at: { ms: 1 }, do: 'slow-backup', factor: 0.5 },
        { at: { ms: 2 }, do: 'arbitration-off' },
        { at: { ms: 3 }, do: 'duplicate-log', rate: 0.1 },
        { at: { ms: 10 }, do: 'cut-log', direction: 'both' },
      ],
      stop: { ms: 250 }, seed: 3, expect: {},
    };
    const r = runScenario(sc, { machine });
    expect(r.splitBrain).toBe(true);
    expect(r.violations).toEqual([]); // no arbiter: split brain is the expected anomaly, not a violation
    expect(runScenario(sc, { machine, judgeAsSafe: true }).violations).toContain('split brain with an arbiter');
    expect(minimiseFaults(sc, machine, true).map((f) => f.do)).toEqual(['arbitration-off', 'cut-log']);
  });

  it('a lost acknowledged output is a violation, and the fault plan is minimised to what causes it', () => {
    const machine = simMachine(programImage('counter'), 1);
    const sc: Scenario = {
      name: 't', description: '', program: 'counter', source: null,
      settings: { ...DEFAULT_SCENARIO_SETTINGS },
      clients: [{ workload: 'counter', count: 2, requests: 30, intervalMs: 2 }],
      faults: [
        { at: { ms: 0 }, do: 'output-rule-off' },
        { at: { ms: 5 }, do: 'reorder-log', ms: 0 },
        { at: { clientAcks: 10 }, do: 'cut-log', direction: 'both' },
        { at: { ms: 16 }, do: 'slow-backup', factor: 0.9 },
        { at: { ms: 18 }, do: 'crash-primary' },
      ],
      stop: { ms: 400 }, seed: 1, expect: {},
    };
    // Judged under the switches actually in force, an anomaly with the rule off is no violation…
    expect(runScenario(sc, { machine }).violations).toEqual([]);
    // …judged as if the rule were on, it is.
    const strict = runScenario(sc, { machine, judgeAsSafe: true });
    expect(strict.violations.join(' ')).toMatch(/acknowledged output\(s\) lost/);
    const minimal = minimiseFaults(sc, machine, true).map((f) => f.do);
    expect(minimal).toEqual(['output-rule-off', 'cut-log', 'crash-primary']);
  });
});
