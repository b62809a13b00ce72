/** Fuzzing, first half of the 1,000 seeds (split in two files so they run in parallel). */
import { describe, expect, it } from 'vitest';
import { describeFault } from '../../../src/core/sim/faultPlan';
import { fuzz } from '../../../src/core/sim/fuzz';
import { fuzzPrograms } from './helpers';

describe('fuzz (seeds 0..499)', () => {
  it('finds no safety violation with the output rule and an arbiter on', { timeout: 180_000 }, () => {
    const { programs, machineFor } = fuzzPrograms();
    let failovers = 0;
    const v = fuzz(0, 500, programs, machineFor, (r) => (failovers += r.report.failovers));
    expect(v.map((x) => `seed ${x.seed}: ${x.violations.join('; ')} ${x.minimalFaults.map(describeFault).join(', ')}`)).toEqual([]);
    expect(failovers).toBeGreaterThan(50); // the plans really do fail machines over
  });
});
