/**
 * Live engine benchmarks (issue 5): real worker threads, a real
 * MessageChannel, real time.
 *
 * - ftOverheadRatio: compute-bound primary (busy.s) instructions per CPU
 *   second of its thread (schedstat, ns) with a backup attached over alone —
 *   the FT work the primary does. ONE primary thread is measured in
 *   alternating phases (alone, backup attached by state transfer, backup
 *   crashed and alone again, …), each attached phase against the mean of the
 *   alone phases around it, median over PHASE_PAIRS; the same with ≥ 10,000
 *   packets a second arriving (ftOverheadRatioPackets); and both per
 *   wall-clock second (…Wall: on two shared cores the backup's thread and the
 *   engine host compete with the primary's for a core, and flow control holds
 *   the primary to the backup's speed).
 * - outputRuleLatencyUs{Median,P99}: how long the output rule held outputs
 *   (counter server, closed-loop clients), pooled over LATENCY_RUNS runs.
 * - logEntriesPerSec: a guest reading `cycle` in a loop (one log entry per
 *   read), primary → backup, sustained.
 * - failoverMs: primary crash → the backup releases its first output, against
 *   failureTimeoutMs.
 */
import { resolve } from 'node:path';
import { assemble } from '../../core/asm/assemble';
import type { ProgramImage } from '../../core/image';
import { LiveEngine } from '../../main/engine/liveEngine';
import { loadProgram } from '../../main/scenario/load';
import type { MachineName } from '../../shared/labApi';
import type { Bench, BenchContext, Figure } from './index';

const RUN_MS = 1200;
/** Alone / attached phase pairs on one primary. */
const PHASE_PAIRS = 4;
/** Fresh engines the output-rule latency is pooled over. */
const LATENCY_RUNS = 3;
const PACKETS_PER_SEC = 12_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function image(ctx: BenchContext, rel: string): ProgramImage {
  const p = loadProgram(resolve(ctx.root, rel));
  if (!p.ok) throw new Error(p.errors.join('\n'));
  return p.image;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Resolves when `cond` holds (polled every 5 ms), or rejects after `ms`. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`live bench: timed out waiting for ${what}`);
    await sleep(5);
  }
}

interface Phase {
  readonly ips: number;
  readonly ipsCpu: number;
}

/** The primary's instructions per wall and per CPU second over `ms` (its thread's CPU time from schedstat, in ns). */
async function measurePhase(engine: LiveEngine, ms: number): Promise<Phase> {
  await sleep(40); // a fresh status report
  const s0 = engine.primaryStatus();
  const t0 = performance.now();
  await sleep(ms);
  await sleep(40);
  const s1 = engine.primaryStatus();
  if (!s0 || !s1) throw new Error('live bench: no primary');
  const dt = (performance.now() - t0) / 1000;
  const di = s1.icount - s0.icount;
  const dc = s0.cpuMs !== null && s1.cpuMs !== null ? s1.cpuMs - s0.cpuMs : NaN;
  return { ips: di / dt, ipsCpu: dc > 0 ? (di * 1000) / dc : NaN };
}

/**
 * FT overhead on ONE primary thread: it runs alone, then with a backup attached
 * (state transfer to a spare), then alone again (the backup crashes; the
 * primary wins test-and-set), and so on — each phase measured over RUN_MS. The
 * same thread with the same compiled guest code is compared with itself: V8
 * compiles a guest's hot region differently from one thread to the next
 * (±40 % here), which comparing two separate runs would measure instead.
 */
async function overhead(ctx: BenchContext, img: ProgramImage, packetsPerSec: number) {
  const engine = new LiveEngine();
  const alone: Phase[] = [];
  const attached: Phase[] = [];
  let packets = 0;
  let logged = 0;
  try {
    engine.setSettings({ autoRestoreBackup: false, heartbeatMs: 5, failureTimeoutMs: 1000 });
    await engine.load({ file: 'busy.s', image: img, imageHash: 'bench' });
    await engine.start({ solo: true });
    let sent = 0;
    const tag = new Uint8Array([0xfe, 0, 0, 1, 0, 0, 0, 0, 0]);
    // Open loop: packets at a steady rate measured by the clock, whatever the timer granularity.
    let pumping = packetsPerSec > 0;
    const pumpStart = performance.now();
    const pumpLoop = (): void => {
      if (!pumping) return;
      const due = Math.floor(((performance.now() - pumpStart) * packetsPerSec) / 1000);
      for (; sent < due; sent++) engine.injectPacket(tag);
      setTimeout(pumpLoop, 0.2);
    };
    pumpLoop();
    await sleep(400); // warm-up: the guest's hot code compiled
    const hasBackup = (): boolean => {
      const st = engine.primaryStatus();
      return st !== null && st.backup !== null && st.ackedSeq >= 0;
    };
    const crashed: MachineName[] = [];
    for (let k = 0; k < PHASE_PAIRS; k++) {
      alone.push(await measurePhase(engine, RUN_MS));
      // Attach the spare, or else restart a crashed machine (it rejoins by state transfer).
      if (engine.restoreRedundancy() === null) {
        const again = crashed.shift();
        if (again === undefined) throw new Error('live bench: no machine to attach');
        await engine.injectFault({ kind: 'restart', target: again });
      }
      await until(hasBackup, 5000, 'the backup to attach');
      await sleep(200);
      const s0 = sent;
      const l0 = engine.counters.logEntries;
      const t0 = performance.now();
      attached.push(await measurePhase(engine, RUN_MS));
      const dt = (performance.now() - t0) / 1000;
      packets = Math.max(packets, (sent - s0) / dt);
      logged = Math.max(logged, (engine.counters.logEntries - l0) / dt);
      const backup = engine.primaryStatus()?.backup as MachineName | null | undefined;
      if (!backup) throw new Error('live bench: the backup left early');
      crashed.push(backup);
      await engine.injectFault({ kind: 'crash', target: backup });
      await until(() => engine.primaryStatus()?.backup === null, 5000, 'the primary to go on alone');
      await sleep(100);
    }
    alone.push(await measurePhase(engine, RUN_MS));
    pumping = false;
  } finally {
    await engine.close();
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // Each attached phase against the mean of the alone phases around it.
  const ratios = attached.map((a, k) => a.ipsCpu / mean([alone[k]!.ipsCpu, alone[k + 1]!.ipsCpu]));
  const ratiosWall = attached.map((a, k) => a.ips / mean([alone[k]!.ips, alone[k + 1]!.ips]));
  const med = (xs: readonly number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  ctx.log(
    `live: ${packetsPerSec ? `${packetsPerSec} packets/s ` : ''}alone ${alone.map((p) => Math.round(p.ipsCpu / 1e6)).join('/')} M/cpu-s, ` +
      `with backup ${attached.map((p) => Math.round(p.ipsCpu / 1e6)).join('/')} M/cpu-s`,
  );
  return {
    ratio: med(ratios),
    ratioWall: med(ratiosWall),
    alone: mean(alone.map((p) => p.ips)),
    attached: mean(attached.map((p) => p.ips)),
    packets,
    logged,
  };
}

/** Output-rule hold times (µs) pooled over LATENCY_RUNS runs of RUN_MS (each a fresh engine). */
async function outputLatency(img: ProgramImage): Promise<{ median: number; p99: number; n: number }> {
  const held: number[] = [];
  for (let k = 0; k < LATENCY_RUNS; k++) {
    const engine = new LiveEngine();
    try {
      engine.setSettings({ autoRestoreBackup: false, heartbeatMs: 20, failureTimeoutMs: 2000 });
      await engine.load({ file: 'counter.s', image: img, imageHash: 'bench' });
      engine.configureClients({ workload: 'counter', count: 2, intervalMs: 1, requests: 1_000_000 });
      await engine.start();
      await sleep(RUN_MS);
      for (const ms of engine.checks.heldMs) held.push(ms * 1000);
    } finally {
      await engine.close();
    }
  }
  held.sort((a, b) => a - b);
  return { median: percentile(held, 0.5), p99: percentile(held, 0.99), n: held.length };
}

async function logRate(): Promise<number> {
  const r = assemble('    .text\n    .globl _start\n_start:\n    csrr t0, cycle\n    add t1, t1, t0\n    j _start\n', { file: 'reads.s' });
  const engine = new LiveEngine();
  try {
    engine.setSettings({ autoRestoreBackup: false, heartbeatMs: 20, failureTimeoutMs: 2000, loggedSources: ['cycle', 'time', 'seed', 'hostid', 'mtime'] });
    await engine.load({ file: 'reads.s', image: r.image, imageHash: 'bench' });
    await engine.start();
    await sleep(300);
    const e0 = engine.counters.logEntries;
    const t0 = performance.now();
    await sleep(RUN_MS);
    return (engine.counters.logEntries - e0) / ((performance.now() - t0) / 1000);
  } finally {
    await engine.close();
  }
}

async function failover(img: ProgramImage, failureTimeoutMs: number): Promise<number> {
  const engine = new LiveEngine();
  try {
    engine.setSettings({ autoRestoreBackup: false, heartbeatMs: 5, failureTimeoutMs });
    await engine.load({ file: 'counter.s', image: img, imageHash: 'bench' });
    engine.configureClients({ workload: 'counter', count: 2, intervalMs: 1, requests: 1_000_000 });
    await engine.start();
    await sleep(300);
    const crashAt = engine.nowMs();
    await engine.injectFault({ kind: 'crash', target: 'primary' });
    const t0 = performance.now();
    while (performance.now() - t0 < 3000) {
      const b = engine.checks.records.get('B');
      const first = b?.releases.find((r) => r.t > crashAt);
      if (first) return first.t - crashAt;
      await sleep(2);
    }
    return NaN;
  } finally {
    await engine.close();
  }
}

export const liveBench: Bench = {
  name: 'live',
  description: 'live engine: FT overhead (alone vs with backup, with packets), output-rule latency, log entries/s, failover time',
  async run(ctx: BenchContext): Promise<Record<string, Figure>> {
    const busy = image(ctx, 'resources/scenarios/programs/busy.s');
    const counter = image(ctx, 'resources/scenarios/programs/counter.s');
    ctx.log('live: FT overhead, compute-bound…');
    const cpu = await overhead(ctx, busy, 0);
    ctx.log(`live: FT overhead with ${PACKETS_PER_SEC} packets/s…`);
    const pk = await overhead(ctx, busy, PACKETS_PER_SEC);
    ctx.log('live: output-rule latency…');
    const lat = await outputLatency(counter);
    ctx.log('live: log entries per second…');
    const rate = await logRate();
    ctx.log('live: failover…');
    const failureTimeoutMs = 30;
    const fo = await failover(counter, failureTimeoutMs);
    const r2 = (x: number) => Math.round(x * 1000) / 1000;
    return {
      ftOverheadRatio: r2(cpu.ratio),
      ftOverheadRatioWall: r2(cpu.ratioWall),
      primaryIpsAlone: Math.round(cpu.alone),
      primaryIpsWithBackup: Math.round(cpu.attached),
      ftOverheadRatioPackets: r2(pk.ratio),
      ftOverheadRatioPacketsWall: r2(pk.ratioWall),
      packetsArrivingPerSec: Math.round(pk.packets),
      packetsLoggedPerSec: Math.round(pk.logged),
      outputRuleLatencyUsMedian: Math.round(lat.median),
      outputRuleLatencyUsP99: Math.round(lat.p99),
      outputRuleSamples: lat.n,
      logEntriesPerSec: Math.round(rate),
      failoverMs: r2(fo),
      failoverTimeoutMs: failureTimeoutMs,
    };
  },
};
