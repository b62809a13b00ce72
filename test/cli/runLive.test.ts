/**
 * `ftlab run` without `--sim`: the same scenario runs live (worker threads, a
 * real MessageChannel, real time) and prints the same JSON summary, with
 * engine "live"; the scenario's expected verdict decides the exit status.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../helpers/tmp';

const root = resolve(__dirname, '../..');

function ftlab(args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/ftlab.mjs'), ...args], { encoding: 'utf8', cwd: root, timeout: 60_000 });
}

describe('ftlab run (live)', () => {
  const tmp = tempDir();
  mkdirSync(join(tmp.dir, 'programs'), { recursive: true });
  copyFileSync(join(root, 'resources/scenarios/programs/counter.s'), join(tmp.dir, 'programs/counter.s'));

  it('runs a scenario live with a primary crash in real time: same summary shape, engine "live", expected verdict holds', () => {
    // Generous timings: the host is shared; a stalled thread must not look like a dead machine.
    const scenario = {
      name: 'live-crash',
      program: 'programs/counter.s',
      settings: { heartbeatMs: 10, failureTimeoutMs: 100 },
      clients: [{ workload: 'counter', count: 2, requests: 40, intervalMs: 3 }],
      faults: [{ at: { ms: 150 }, do: 'crash-primary' }],
      stop: { ms: 700 },
      expect: { failovers: 1, linearizable: true, lostAckedOutputs: 0, splitBrain: false, violations: [] },
    };
    const file = join(tmp.dir, 'live-crash.json');
    writeFileSync(file, JSON.stringify(scenario));
    const run = ftlab(['run', file, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, unknown> & { instructions: { primary: number }; roles: Record<string, string>; faults: string[] };
    expect(report.engine).toBe('live');
    for (const key of ['seed', 'instructions', 'log', 'outputs', 'failovers', 'splitBrain', 'linearizable', 'lostAckedOutputs', 'diverged']) {
      expect(report, key).toHaveProperty(key);
    }
    expect(report.instructions.primary).toBeGreaterThan(0);
    expect(report.roles.A).toBe('crashed');
    expect(report.faults[0]).toMatch(/crash-primary/);
  }, 60_000);

  it('exits 1 when the live run contradicts the expected verdict', () => {
    const scenario = {
      name: 'live-wrong-expectation',
      program: 'programs/counter.s',
      settings: { heartbeatMs: 10, failureTimeoutMs: 100 },
      clients: [{ workload: 'counter', count: 1, requests: 10, intervalMs: 3 }],
      faults: [],
      stop: { ms: 200 },
      expect: { failovers: 1 },
    };
    const file = join(tmp.dir, 'wrong.json');
    writeFileSync(file, JSON.stringify(scenario));
    const run = ftlab(['run', file, '--json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).engine).toBe('live');
    expect(run.stderr).toMatch(/failovers: expected 1, got 0/);
  }, 60_000);

  it('`ftlab run SCENARIO --db FILE` (live) records a session that `ftlab replay --verify` verifies', () => {
    const db = join(tmp.dir, 'live.sqlite');
    const run = ftlab(['run', 'resources/scenarios/output-rule-on-crash.json', '--json', '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { engine: string; failovers: number; log: { entries: number } };
    expect(report).toMatchObject({ engine: 'live', failovers: 1 });
    const replay = ftlab(['replay', db, '--verify', '--json']);
    expect(replay.status).toBe(0);
    const v = JSON.parse(replay.stdout) as { verified: boolean; firstMismatch: unknown; logEntries: number; checkpoints: number; sessions: { engine: string }[] };
    expect(v.firstMismatch).toBeNull();
    expect(v.verified).toBe(true);
    expect(v.sessions[0]!.engine).toBe('live');
    expect(v.logEntries).toBe(report.log.entries);
    expect(v.checkpoints).toBeGreaterThan(0);
  }, 60_000);
});
