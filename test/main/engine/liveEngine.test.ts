/**
 * The live engine with real worker threads and real MessageChannels: a
 * worker that throws or is terminated is a crash of that machine (the backup
 * takes over, the engine keeps serving); pause/step/resume; the log window
 * and the memory diff.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadProgram } from '../../../src/main/scenario/load';
import { LiveEngine } from '../../../src/main/engine/liveEngine';
import type { FtEventView, LabState } from '../../../src/shared/labApi';

const counter = loadProgram(join(__dirname, '../../../resources/scenarios/programs/counter.s'));
if (!counter.ok) throw new Error(counter.errors.join('\n'));
const image = counter.image;

async function until(what: string, cond: () => boolean, timeoutMs = 8000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('live engine', () => {
  let engine: LiveEngine;
  const timeline: FtEventView[] = [];
  let lastState: LabState | null = null;

  beforeAll(async () => {
    engine = new LiveEngine({ ftEvent: (e) => timeline.push(e), state: (s) => (lastState = s) });
    // The live defaults: the test host is shared; a stalled thread must not look dead.
    expect(engine.settings.failureTimeoutMs).toBeGreaterThanOrEqual(250);
    await engine.load({ file: 'counter.s', image, imageHash: 'test' });
    engine.configureClients({ workload: 'counter', count: 2, intervalMs: 2, requests: 1_000_000 });
    await engine.start();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('replicates: the backup follows the primary and every client gets answers', async () => {
    await until('20 client operations', () => engine.clientsView().completed >= 20);
    const s = engine.snapshotState();
    expect(s.machines.map((m) => [m.name, m.role])).toEqual([['A', 'primary'], ['B', 'backup'], ['C', 'spare']]);
    await until('log entries', () => engine.getLogWindow(undefined, 10).entries.length > 0);
    const win = engine.getLogWindow(undefined, 50, ['packet']);
    expect(win.entries.length).toBeGreaterThan(0);
    expect(win.entries.every((e) => e.kind === 'packet' && e.payloadHex !== undefined)).toBe(true);
    expect(lastState?.run).toBe('running');
  });

  it('pauses, steps exactly N primary instructions, and resumes', async () => {
    await engine.pause();
    await new Promise((r) => setTimeout(r, 50));
    const before = engine.primaryIcount();
    await engine.step(1);
    await until('status after the step', () => engine.primaryIcount() !== before || engine.snapshotState().machines[0]!.state === 'paused', 2000);
    expect(engine.state).toBe('paused');
    await engine.resume();
    expect(engine.state).toBe('running');
  });

  it('memory diff: page hashes first, the same memory on primary and backup when in step', async () => {
    await engine.pause();
    await new Promise((r) => setTimeout(r, 100));
    const d = await engine.memoryDiff({ pagesMax: 2 });
    expect(d.left.name).toBe('A');
    expect(d.right.name).toBe('B');
    expect(d.totalPages).toBeGreaterThan(0);
    if (d.left.icount === d.right.icount) expect(d.differingPages).toEqual([]);
    const forced = await engine.memoryDiff({ pages: [0] });
    expect(forced.pages).toHaveLength(1);
    expect(Buffer.from(forced.pages[0]!.leftBase64, 'base64').length).toBe(d.pageBytes);
    expect(forced.registers.find((r) => r.name === 'pc')).toBeDefined();
    await engine.resume();
  });

  it('a primary worker that throws is a crash of that machine: the backup goes live, the engine keeps serving', async () => {
    const before = engine.clientsView().completed;
    engine.throwIn('primary');
    await until('A crashed', () => engine.snapshotState().machines[0]!.state === 'crashed');
    expect(engine.snapshotState().machines[0]!.reason).toMatch(/threw|exited/);
    await until('B goes live', () => engine.primaryName() === 'B');
    await until('clients served again', () => engine.clientsView().completed > before + 10);
    expect(timeline.some((e) => e.type === 'failover' && e.node === 'B')).toBe(true);
    await until('C becomes the new backup by state transfer', () => engine.snapshotState().machines[2]!.role === 'backup');
    expect(timeline.some((e) => e.type === 'stateTransfer')).toBe(true);
  });

  it('a terminated backup worker is a crash too; a restart rejoins by state transfer', async () => {
    await engine.injectFault({ kind: 'crash', target: 'backup' });
    await until('C crashed', () => engine.snapshotState().machines[2]!.state === 'crashed');
    expect(engine.primaryName()).toBe('B');
    await engine.injectFault({ kind: 'restart', target: 'A' });
    await until('A rejoins as backup', () => engine.snapshotState().machines[0]!.role === 'backup', 10_000);
    const completed = engine.clientsView().completed;
    await until('still serving', () => engine.clientsView().completed > completed + 5);
    const v = engine.verdict(0);
    expect(v.splitBrain).toBe(false);
    expect(v.lostAckedOutputs).toBe(0);
    expect(v.linearizable).not.toBe(false);
  });

  it('refuses faults that make no sense now, without dying', async () => {
    await expect(engine.injectFault({ kind: 'restart', target: 'B' })).rejects.toThrow(/not crashed/);
    expect(engine.state).toBe('running');
  });
});

describe('live engine: run control on a compute-bound guest', () => {
  it('steps exactly N primary instructions while paused; speed limits the primary; the backup follows', async () => {
    const { assemble } = await import('../../../src/core/asm/assemble');
    const r = assemble('    .text\n    .globl _start\n_start:\n    addi t0, t0, 1\n    j _start\n', { file: 'busy.s' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const engine = new LiveEngine();
    try {
      await engine.load({ file: 'busy.s', image: r.image, imageHash: 'busy' });
      await engine.start({ paused: true });
      await new Promise((res) => setTimeout(res, 100));
      const at0 = engine.primaryIcount();
      await engine.step(1000);
      await until('status after the step', () => engine.primaryIcount() === at0 + 1000, 3000);
      expect(engine.state).toBe('paused');
      await engine.step(234);
      await until('second step', () => engine.primaryIcount() === at0 + 1234, 3000);
      // Speed: 2000 instructions per second for 0.5 s ⇒ about 1000 more.
      engine.setSpeed(2000);
      await engine.resume();
      await new Promise((res) => setTimeout(res, 500));
      await engine.pause();
      await new Promise((res) => setTimeout(res, 100));
      const ran = engine.primaryIcount() - (at0 + 1234);
      expect(ran).toBeGreaterThan(300);
      expect(ran).toBeLessThan(3000);
      await until('backup caught up', () => engine.snapshotState().machines[1]!.icount >= engine.primaryIcount() - 100, 3000);
    } finally {
      await engine.close();
    }
  });
});

describe('live engine: a long run keeps a bounded history for the checkers', () => {
  it('judges the first N operations, counts the rest, and says so in the verdict', async () => {
    const engine = new LiveEngine({}, { checkedOpsMax: 40 });
    try {
      await engine.load({ file: 'counter.s', image, imageHash: 'test' });
      engine.configureClients({ workload: 'counter', count: 2, intervalMs: 1, requests: 1_000_000 });
      await engine.start();
      await until('150 operations', () => engine.clientsView().completed >= 150, 20_000);
      const v = engine.verdict(0);
      expect(v.checkedOps).toBe(40);
      expect(v.linearizable).toBe(true);
      expect(v.lostAckedOutputs).toBe(0);
      expect(v.splitBrain).toBe(false);
      // Still counted past the bound.
      expect(engine.clientsView().completed).toBeGreaterThanOrEqual(150);
      expect(engine.checks.counts.released).toBeGreaterThanOrEqual(150);
      expect(engine.accepted().length).toBeLessThanOrEqual(2 * 40);
    } finally {
      await engine.close();
    }
  });

  it('a short run is judged whole (no bound in the verdict)', async () => {
    const engine = new LiveEngine();
    try {
      await engine.load({ file: 'counter.s', image, imageHash: 'test' });
      engine.configureClients({ workload: 'counter', count: 2, intervalMs: 2, requests: 1_000_000 });
      await engine.start();
      await until('20 operations', () => engine.clientsView().completed >= 20);
      expect(engine.verdict(0).checkedOps).toBeNull();
    } finally {
      await engine.close();
    }
  });
});

describe('live engine: drain', () => {
  // Reads the clock without pause: the primary logs all the time, so a batch is nearly always on its way to the host.
  const clock = loadProgram('clockloop.s', '        .text\n        .globl _start\n_start:\n        csrr t0, time\n        j _start\n');
  if (!clock.ok) throw new Error(clock.errors.join('\n'));

  it('pauses and waits for every observation: the counts read after it are what the recorder saw, and nothing arrives later', async () => {
    let recorded = 0;
    const engine = new LiveEngine({ record: (e) => void (e.type === 'logged' && recorded++) });
    try {
      await engine.load({ file: 'clockloop.s', image: clock.image, imageHash: 'test' });
      await engine.start();
      await until('1,000 log entries', () => recorded >= 1000);
      await engine.drain();
      const counted = engine.counters.logEntries;
      // Everything the primary shipped (its own count, reported when it paused).
      expect(counted).toBe(engine.primaryStatus()!.logEntries);
      await new Promise((r) => setTimeout(r, 150));
      expect(engine.state).toBe('paused');
      expect(recorded).toBe(counted);
      expect(engine.counters.logEntries).toBe(counted);
    } finally {
      await engine.close();
    }
  });

  it('never shows a backup ahead of its primary, though each reports on its own', async () => {
    const engine = new LiveEngine();
    try {
      await engine.load({ file: 'clockloop.s', image: clock.image, imageHash: 'test' });
      engine.setSpeed(20_000);
      await engine.start();
      const seen: [number, number, number][] = [];
      const t0 = Date.now();
      while (Date.now() - t0 < 600) {
        const [a, b] = engine.snapshotState().machines;
        if (a!.role === 'primary' && b!.role === 'backup') seen.push([a!.icount, b!.icount, b!.lagIcount]);
        await new Promise((r) => setTimeout(r, 3));
      }
      expect(seen.length).toBeGreaterThan(50);
      expect(seen.at(-1)![0]).toBeGreaterThan(1000);
      expect(seen.filter(([p, q]) => q > p)).toEqual([]);
      expect(seen.every(([p, q, lag]) => lag === p - q)).toBe(true);
    } finally {
      await engine.close();
    }
  });
});
