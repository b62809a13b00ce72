/** Every built-in scenario gives its expected verdict in the simulator. */
import { describe, expect, it } from 'vitest';
import { loadRunTarget } from '../../../src/main/scenario/load';
import { runScenario } from '../../../src/core/sim/runner';
import { checkExpectations } from '../../../src/core/sim/scenario';
import { simMachine } from '../../../src/core/sim/simMachine';
import { builtinScenarioFiles, scenariosDir } from './helpers';

const files = builtinScenarioFiles();

describe('built-in scenarios', () => {
  it('cover every anomaly of the notes', () => {
    for (const name of [
      'output-rule-off-crash', 'output-rule-on-crash', 'split-brain-no-arbiter', 'split-brain-test-and-set', 'unlogged-seed',
      'multicore', 'duplicate-after-failover', 'new-backup-state-transfer', 'view-service-waits-for-ack', 'view-service-crash',
    ]) {
      expect(files).toContain(`${name}.json`);
    }
  });

  for (const f of files) {
    it(`${f} gives its expected verdict`, () => {
      const l = loadRunTarget(scenariosDir + f);
      if (!l.ok) throw new Error(l.errors.join('\n'));
      expect(Object.keys(l.scenario.expect).length).toBeGreaterThan(0);
      const r = runScenario(l.scenario, { machine: simMachine(l.image, l.scenario.settings.harts) });
      expect(checkExpectations(r, l.scenario.expect)).toEqual([]);
      expect(r.truncated).toBe(false);
    });
  }

  it('the unlogged seed divergence is pinned to the csrr seed instruction', () => {
    const l = loadRunTarget(`${scenariosDir}unlogged-seed.json`);
    if (!l.ok) throw new Error();
    const r = runScenario(l.scenario, { machine: simMachine(l.image, 1) });
    const seg = l.image.segments.find((s) => r.divergence!.pc >= s.addr && r.divergence!.pc < s.addr + s.bytes.length)!;
    const off = r.divergence!.pc - seg.addr;
    const word = (seg.bytes[off]! | (seg.bytes[off + 1]! << 8) | (seg.bytes[off + 2]! << 16) | (seg.bytes[off + 3]! << 24)) >>> 0;
    expect(word >>> 20).toBe(0x015); // csrrs rd, seed, x0
    expect(word & 0x7f).toBe(0x73);
  });

  it('compares the log and checkpoint schemes on the same program (bytes, latency)', () => {
    const l = loadRunTarget(`${scenariosDir}checkpoint-scheme.json`);
    if (!l.ok) throw new Error();
    const base = { ...l.scenario, faults: [] };
    const logRun = runScenario({ ...base, settings: { ...base.settings, scheme: 'log' } }, { machine: simMachine(l.image, 1) });
    const ckRun = runScenario(base, { machine: simMachine(l.image, 1) });
    expect(logRun.log.bytes).toBeGreaterThan(0);
    expect(ckRun.checkpoints.bytes).toBeGreaterThan(logRun.log.bytes);
    expect(ckRun.outputLatencyMs.median).toBeGreaterThan(logRun.outputLatencyMs.median);
  });
});
