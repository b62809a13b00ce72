import { describe, expect, it } from 'vitest';
import { loadRunTarget } from '../../../src/main/scenario/load';
import { runScenario } from '../../../src/core/sim/runner';
import { simMachine } from '../../../src/core/sim/simMachine';
import { scenariosDir } from './helpers';

describe('determinism', () => {
  for (const f of ['lossy-log.json', 'new-backup-state-transfer.json', 'view-service-failover.json']) {
    it(`${f}: same seed ⇒ identical JSON; another seed ⇒ another run`, () => {
      const l = loadRunTarget(scenariosDir + f);
      if (!l.ok) throw new Error();
      const run = (seed: number) => JSON.stringify(runScenario(l.scenario, { machine: simMachine(l.image, 1), seed }));
      const a = run(7);
      expect(run(7)).toBe(a);
      expect(run(8)).not.toBe(a);
    });
  }
});
