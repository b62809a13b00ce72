/**
 * The built-in scenarios (resources/scenarios), run live: real worker threads,
 * real MessageChannels, real timers. Verdicts are checked strictly, exactly as
 * `ftlab run SCENARIO.json` (live) checks them: the same `expect` block the
 * simulator must meet — linearizable with the output rule, no split brain with
 * an arbiter, no acknowledged output lost, and the anomaly found when safety
 * is switched off.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunTarget } from '../../../src/main/scenario/load';
import { checkExpectations } from '../../../src/core/sim/scenario';
import { autoTimeScale, runScenarioLive } from '../../../src/main/engine/runScenarioLive';

const dir = join(__dirname, '../../../resources/scenarios');
const scenarios = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();

describe('built-in scenarios, live', () => {
  it('finds every built-in scenario', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(16);
  });

  for (const name of scenarios) {
    it(`${name}: live verdicts are the expected ones`, async () => {
      const loaded = loadRunTarget(join(dir, name));
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      // The default time scale of `ftlab run` (failure timeout ≥ 250 ms): the host is shared and loaded.
      const s = await runScenarioLive(loaded.scenario, { image: loaded.image, file: loaded.programFile });
      expect(s.engine).toBe('live');
      expect(s.timeScale).toBe(autoTimeScale(loaded.scenario));
      expect(s.instructions.primary).toBeGreaterThan(0);
      const summary = { lin: s.linearizable, lost: s.lostAckedOutputs, sb: s.splitBrain, fo: s.failovers, roles: s.roles, faults: s.faults, div: s.divergence };
      expect(checkExpectations(s, loaded.scenario.expect), JSON.stringify(summary)).toEqual([]);
    }, 60_000);
  }
});
