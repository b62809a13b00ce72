import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

describe('ftlab command', () => {
  it('prints usage with --help and exits 0', () => {
    const run = spawnSync(process.execPath, ['bin/ftlab.mjs', '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Usage: ftlab');
    expect(run.stdout).toContain('VMware FT');
  });

  it('rejects an unknown verb with a hint and a non-zero status', () => {
    const run = spawnSync(process.execPath, ['bin/ftlab.mjs', 'frobnicate'], { encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/unknown command|too many arguments/);
  });
});
