/**
 * The built-in scenarios (resources/scenarios), run live: real worker threads,
 * real MessageChannels, real timers. Verdicts must agree with the simulator's
 * expectations: safety holds when it is on (linearizable, no split brain with
 * an arbiter, no acknowledged output lost), and the anomaly is found when it
 * is switched off. Live timing is not the simulator's: an anomaly the
 * simulator shows as a non-linearizable history may show live as acknowledged
 * outputs lost — both are the anomaly.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadRunTarget } from '../../../src/cli/scenario/load';
import { runScenarioLive, type LiveRunSummary } from '../../../src/main/engine/runScenarioLive';

/** Durations ×3: the test host is shared and loaded; verdicts depend on event order, not on absolute times. */
const TIME_SCALE = 3;
const dir = join(__dirname, '../../../resources/scenarios');
const scenarios = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();

function get(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** Fields the live summary does not report (the simulator's re-execution and view-service internals). */
const simOnly = /^(checkpoints|viewService|divergence\.|clients\.completedAfterLastFault)/;

function checkExpectations(s: LiveRunSummary, expectations: Record<string, unknown>): void {
  const anomaly = s.linearizable === false || s.lostAckedOutputs > 0 || s.splitBrain;
  for (const [path, want] of Object.entries(expectations)) {
    if (simOnly.test(path)) continue;
    const got = get(s, path);
    const where = `${path} (summary: ${JSON.stringify({ lin: s.linearizable, lost: s.lostAckedOutputs, sb: s.splitBrain, fo: s.failovers, roles: s.roles, faults: s.faults })})`;
    if (path === 'linearizable' && want === false) expect(anomaly, where).toBe(true);
    else if (path === 'linearizable' && want === true) expect(got, where).not.toBe(false);
    else if (path === 'lostAckedOutputs' && typeof want === 'object') expect(anomaly, where).toBe(true);
    else if (path === 'failovers' && typeof want === 'number') {
      if (want === 0) expect(got, where).toBe(0);
      else expect(got as number, where).toBeGreaterThanOrEqual(1);
    } else if (want && typeof want === 'object' && !Array.isArray(want)) {
      const range = want as { min?: number; max?: number };
      if (range.min !== undefined) expect(got as number, where).toBeGreaterThanOrEqual(range.min);
      if (range.max !== undefined) expect(got as number, where).toBeLessThanOrEqual(range.max);
    } else expect(got, where).toEqual(want);
  }
}

describe('built-in scenarios, live', () => {
  it('finds every built-in scenario', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });

  for (const name of scenarios) {
    it(`${name}: live verdicts agree with the expected ones`, async () => {
      const loaded = loadRunTarget(join(dir, name));
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const s = await runScenarioLive(loaded.scenario, { image: loaded.image, file: loaded.programFile, timeScale: TIME_SCALE });
      expect(s.engine).toBe('live');
      expect(s.instructions.primary).toBeGreaterThan(0);
      checkExpectations(s, loaded.scenario.expect as Record<string, unknown>);
    }, 30_000);
  }
});
