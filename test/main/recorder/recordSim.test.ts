import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { FtEvent } from '../../../src/core/ft/events';
import { simMachine } from '../../../src/core/sim/simMachine';
import { loadRunTarget } from '../../../src/main/scenario/load';
import { openWorkspaceDb } from '../../../src/main/db/workspaceDb';
import { recordSimulatedRun, recordSimulatedRunToFile } from '../../../src/main/recorder/recordSim';
import { readFileSync, writeFileSync } from 'node:fs';
import { verifySession } from '../../../src/main/replay/replaySession';
import { listSessions } from '../../../src/main/replay/sessions';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('ftlab-recsim-');
afterAll(() => tmp.cleanup());

function record(db: ReturnType<typeof openWorkspaceDb>, scenario: string) {
  const loaded = loadRunTarget(join('resources/scenarios', scenario));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const counts = { logged: 0, outputs: 0, other: 0 };
  const r = recordSimulatedRun(db, loaded.scenario, {
    machine: simMachine(loaded.image, loaded.scenario.settings.harts),
    image: loaded.image,
    checkpointEvery: 50_000,
    onEvent: (_t: number, ev: FtEvent) => {
      if (ev.type === 'logged') counts.logged++;
      else if (ev.type === 'output') counts.outputs++;
      else if (ev.type !== 'logSent' && ev.type !== 'replayed') counts.other++;
    },
  });
  return { ...r, counts };
}

describe('recording a simulated run', () => {
  const db = openWorkspaceDb(join(tmp.dir, 'sim.sqlite'));
  afterAll(() => db.close());

  it('records every entry, output and event of a failover run, and the primary’s track replays as recorded', () => {
    const r = record(db, 'output-rule-on-crash.json');
    expect(r.stats.committed.logEntries).toBe(r.counts.logged);
    expect(r.stats.committed.outputs).toBe(r.counts.outputs);
    expect(r.stats.committed.events).toBe(r.counts.other);
    expect(r.counts.logged).toBeGreaterThanOrEqual(r.report.log.entries);
    expect(r.stats.committed.checkpoints).toBeGreaterThan(0);
    const s = listSessions(db).find((x) => x.id === r.sessionId)!;
    expect(s).toMatchObject({ status: 'complete', engine: 'sim', seed: r.report.seed });
    expect((s.verdict as { linearizable: unknown }).linearizable).toBe(r.report.linearizable);
    const v = verifySession(db, r.sessionId);
    expect(v.firstMismatch).toBeNull();
    expect(v.verified).toBe(true);
    expect(v.nodes[0]!.node).toBe('A');
    expect(v.nodes[0]!.entriesReplayed).toBeGreaterThan(0);
  });

  it('a run with the seed unlogged does not replay: the first mismatch is the seed read', () => {
    const r = record(db, 'unlogged-seed.json');
    expect(r.report.diverged).toBe(true);
    const v = verifySession(db, r.sessionId);
    expect(v.verified).toBe(false);
    expect(v.firstMismatch).toMatchObject({ kind: 'unlogged-read', node: 'A' });
    expect(v.firstMismatch!.detail).toMatch(/^seed\./);
  });

  it('skips the stretch a primary ran without a backup (nothing logged) and verifies the rest', () => {
    const r = record(db, 'split-brain-test-and-set.json');
    const v = verifySession(db, r.sessionId);
    expect(v.firstMismatch).toBeNull();
    const a = v.nodes.find((n) => n.node === 'A')!;
    expect(a.gaps.length).toBe(1);
    expect(a.gaps[0]!.toIcount).toBeGreaterThan(a.gaps[0]!.fromIcount);
    expect(a.icount).toBe(a.endIcount);
  });

  it('a multicore run (interleaving not logged) does not replay as recorded', () => {
    const r = record(db, 'multicore.json');
    const v = verifySession(db, r.sessionId);
    expect(v.verified).toBe(false);
    expect(v.firstMismatch).not.toBeNull();
  });

  it('records into a file for `ftlab run --db`, and refuses a file that is not a workspace without touching it', () => {
    const loaded = loadRunTarget('resources/scenarios/output-rule-on-crash.json');
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const opts = { machine: simMachine(loaded.image, 1), image: loaded.image };
    const file = join(tmp.dir, 'run.sqlite');
    const r = recordSimulatedRunToFile(file, loaded.scenario, opts);
    expect(r.ok).toBe(true);
    const bad = join(tmp.dir, 'notes.sqlite');
    writeFileSync(bad, 'not a database\n'.repeat(20));
    const before = readFileSync(bad);
    const refused = recordSimulatedRunToFile(bad, loaded.scenario, opts);
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/not an SQLite database/) });
    expect(readFileSync(bad).equals(before)).toBe(true);
  });
});
