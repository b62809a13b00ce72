import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fuzzCommand } from '../../src/cli/commands/fuzz';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('ftlab fuzz', () => {
  it('--json prints runs, no violations and a rate; exit 0', () => {
    const out: string[] = [];
    const code = fuzzCommand({ seeds: '12', from: '100', json: true }, (s) => out.push(s), () => {});
    expect(code).toBe(0);
    const r = JSON.parse(out.join(''));
    expect(r.runs).toHaveLength(12);
    expect(r.runs[0].seed).toBe(100);
    expect(r.violations).toEqual([]);
    expect(r.seedsPerSec).toBeGreaterThan(0);
  });

  it('prints one line per run and a total', () => {
    const out: string[] = [];
    fuzzCommand({ seeds: '3' }, (s) => out.push(s), () => {});
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^seed 0 \w+ (test-and-set|view-service)\/(log|checkpoint) failovers=\d+ linearizable=\w+ ok/);
    expect(out[3]).toMatch(/^3 seeds from 0: 0 violation\(s\)/);
  });

  it('rejects bad options', () => {
    const err: string[] = [];
    expect(fuzzCommand({ seeds: '0' }, () => {}, (s) => err.push(s))).toBe(1);
    expect(err[0]).toMatch(/--seeds/);
  });

  it('runs as the real command', () => {
    const r = spawnSync('node', [`${root}bin/ftlab.mjs`, 'fuzz', '--seeds', '2', '--from', '7'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/2 seeds from 7: 0 violation/);
  }, 60_000);
});
