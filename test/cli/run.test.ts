import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/commands/run';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scenario = (name: string) => `${root}resources/scenarios/${name}.json`;

async function run(file: string, opts: Parameters<typeof runCommand>[1]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(file, opts, (s) => out.push(s), (s) => err.push(s));
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('ftlab run --sim', () => {
  it('prints the JSON summary with every documented field, byte-for-byte reproducible', async () => {
    const a = await run(scenario('output-rule-off-crash'), { sim: true, json: true });
    const b = await run(scenario('output-rule-off-crash'), { sim: true, json: true });
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const r = JSON.parse(a.out);
    expect(r.engine).toBe('sim');
    expect(r.seed).toBe(1);
    expect(r.instructions).toEqual(expect.objectContaining({ primary: expect.any(Number), backup: expect.any(Number) }));
    expect(r.log).toEqual(expect.objectContaining({ entries: expect.any(Number), bytes: expect.any(Number) }));
    expect(r.outputs).toEqual(expect.objectContaining({ released: expect.any(Number), discardedDuplicates: expect.any(Number) }));
    expect(typeof r.failovers).toBe('number');
    expect(typeof r.splitBrain).toBe('boolean');
    expect(r.linearizable).toBe(false);
    expect(typeof r.lostAckedOutputs).toBe('number');
    expect(typeof r.diverged).toBe('boolean');
  });

  it('--seed changes the run; a bare .s file runs with default clients', async () => {
    const a = await run(scenario('lossy-log'), { sim: true, json: true, seed: '2' });
    expect(JSON.parse(a.out).seed).toBe(2);
    const p = await run(`${root}resources/examples/kv.s`, { sim: true, json: true });
    expect(p.code).toBe(0);
    const r = JSON.parse(p.out);
    expect(r.clients.completed).toBe(40);
    expect(r.linearizable).toBe(true);
  });

  it('human output ends with the expected verdict', async () => {
    const r = await run(scenario('split-brain-test-and-set'), { sim: true });
    expect(r.out).toMatch(/splitBrain +false/);
    expect(r.out).toMatch(/expected verdict: as expected/);
  });

  it('reports bad files and bad options with status 1', async () => {
    const missing = await run(`${root}nope.json`, { sim: true });
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read/);
    const seed = await run(scenario('lossy-log'), { sim: true, seed: 'x' });
    expect(seed.code).toBe(1);
    expect(seed.err).toMatch(/--seed/);
  });

  it('runs as the real command', () => {
    const out = execFileSync('node', [`${root}bin/ftlab.mjs`, 'run', scenario('duplicate-after-failover'), '--sim', '--json'], { encoding: 'utf8' });
    expect(JSON.parse(out).outputs.discardedDuplicates).toBeGreaterThan(0);
    const bad = spawnSync('node', [`${root}bin/ftlab.mjs`, 'run', `${root}package.json`, '--sim'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/\$: unknown field|give exactly one of/);
  }, 60_000);
});
