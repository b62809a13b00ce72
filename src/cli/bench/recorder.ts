/**
 * The recorder's figures (issue 6), for `ftlab bench --only recorder`:
 * - recorderEntriesPerSec: log entries per CPU second through SessionRecorder
 *   into SQLite, sustained, one row per entry (pre-built entries, so only
 *   the recorder is measured; SQLite runs on the same thread);
 * - recordingOnOffRatio: a logging primary's speed with the off-thread
 *   recorder attached (entries, outputs and checkpoints every
 *   CHECKPOINT_EVERY_DEFAULT instructions, snapshots packed in one buffer)
 *   over without it, from the CPU time of the primary's own thread
 *   (schedstat, ns): ONE machine alternates phases with the recorder off and
 *   on, each on-phase against the mean of the off-phases around it, median
 *   over `rounds` (the recorder worker's CPU is not counted, but it competes
 *   for the 2 cores). The guest reads the clock every 1,024 iterations
 *   (~0.4 M entries/s, within what SQLite takes); recordingOnOffRatioDense:
 *   the same every 256 (~1.7 M entries/s: more than the recorder writes, so
 *   the backlog grows and batches overflow the shared ring — shown, never
 *   dropped); recordingOnOffRatioAttributed: the same from the
 *   recording work on the primary's thread timed alone (sink per entry,
 *   snapshot + hand-over per checkpoint) — stable where the machine is shared;
 * - seekMsMax: worst seek (restore the nearest checkpoint + re-execute with
 *   the log), in CPU ms, over a recorded session of `sessionInstructions`
 *   instructions, probing just before checkpoints (the worst case) and
 *   random moments;
 * - dbBytesPerMillionEntries: file size of the entries-only database per
 *   million log entries.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble } from '../../core/asm/assemble';
import type { LogEntry } from '../../core/ft/protocol';
import type { ProgramImage } from '../../core/image';
import { Machine } from '../../core/machine/machine';
import { LoggingSolo } from '../../core/replay/loggingSolo';
import { openWorkspaceDb } from '../../main/db/workspaceDb';
import { OffThreadRecorder } from '../../main/recorder/offThreadRecorder';
import { CHECKPOINT_EVERY_DEFAULT, packedMachineCheckpoint, recordSoloRun } from '../../main/recorder/recordSolo';
import { SessionRecorder } from '../../main/recorder/sessionRecorder';
import { openReplayer } from '../../main/replay/replaySession';
import { openSessionFile } from '../../main/replay/sessions';
import { selfCpuSeconds } from './cpuTime';
import { threadCpuMs, threadSchedNs } from '../../main/engine/threadCpu';
import type { Bench, BenchContext, Figure } from './index';

export interface RecorderBenchOptions {
  readonly entries?: number;
  readonly onOffInstructions?: number;
  readonly rounds?: number;
  readonly sessionInstructions?: number;
  readonly checkpointEvery?: number;
  readonly seeks?: number;
}

export interface RecorderBench {
  readonly recorderEntriesPerSec: number;
  readonly recordingOnOffRatio: number;
  readonly seekMsMax: number;
  readonly seekMsMedian: number;
  readonly dbBytesPerMillionEntries: number;
  readonly detail: Record<string, number>;
}

export const recorderBench: Bench = {
  name: 'recorder',
  description: 'SQLite recorder: log entries per second, primary speed with recording on/off, seek time in a 10⁹-instruction session, bytes per million entries',
  async run(ctx: BenchContext): Promise<Record<string, Figure>> {
    const r = await benchRecorder({}, (m) => ctx.log(m));
    const { detail, ...figures } = r;
    return { ...figures, ...Object.fromEntries(Object.entries(detail).map(([k, v]) => [`recorder${k[0]!.toUpperCase()}${k.slice(1)}`, v])) };
  },
};

/**
 * A guest that reads the clock and entropy every `readsEvery` iterations (a power of two) and writes
 * memory: the log grows with its run.
 */
const workload = (readsEvery: number): string => `
        .equ UART, 0x10000000
        .text
        .globl _start
_start: la      s0, table
        li      s1, 0
        li      s2, 0
loop:   addi    s2, s2, 1
        andi    t0, s2, ${readsEvery - 1}
        bnez    t0, mix
        csrrw   t1, 0x015, zero
        add     s1, s1, t1
        csrr    t1, time
        xor     s1, s1, t1
        andi    t0, s2, 2047
        bnez    t0, mix
        li      t3, UART
        sb      s1, 0(t3)
mix:    andi    t0, s2, 1023
        slli    t0, t0, 2
        add     t0, s0, t0
        lw      t1, 0(t0)
        add     t1, t1, s1
        sw      t1, 0(t0)
        j       loop
        .data
table:  .space  4096
`;

/** Reads every 256 iterations: ~1.7 M log entries a second at ~2 G instructions/s, more than SQLite takes. */
const READS_EVERY_DENSE = 256;
/** Reads every 1,024 iterations: ~0.4 M log entries a second, within what the recorder sustains. */
const READS_EVERY = 1024;

function workloadImage(readsEvery = READS_EVERY_DENSE): ProgramImage {
  const r = assemble(workload(readsEvery), { file: 'recorder-bench.s' });
  const bad = r.diagnostics.find((d) => d.severity === 'error');
  if (bad) throw new Error(`bench workload: ${bad.message}`);
  return r.image;
}

/** Entries shaped like a real log: mostly reads, some outputs and heartbeats, a few packets and timers. */
function syntheticEntries(n: number): LogEntry[] {
  const out: LogEntry[] = new Array(n);
  const packet = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
  for (let i = 0; i < n; i++) {
    const seq = i + 1;
    const icount = i * 97;
    const r = i % 64;
    out[i] =
      r === 0 ? { kind: 'packet', seq, icount, bytes: packet }
      : r === 1 ? { kind: 'timer', seq, icount }
      : r < 6 ? { kind: 'heartbeat', seq, icount, released: i >> 4 }
      : r < 12 ? { kind: 'output', seq, icount, index: i }
      : { kind: 'nondet', seq, icount, source: r & 1 ? 'seed' : 'time', half: 'lo', value: (i * 2654435761) >>> 0 };
  }
  return out;
}

function entriesPerSec(dir: string, entries: readonly LogEntry[], tag: string): { perSec: number; perSecWall: number; bytes: number } {
  const file = join(dir, `entries-${tag}.sqlite`);
  const db = openWorkspaceDb(file);
  const rec = new SessionRecorder(db, { name: 'bench', engine: 'sim' }, { now: () => 0, flushRows: 65536, flushMs: 0 });
  const c0 = selfCpuSeconds();
  const t0 = performance.now();
  for (const entry of entries) rec.sink({ type: 'logged', node: 'A', entry });
  rec.finish();
  const cpu = selfCpuSeconds() - c0;
  const wall = (performance.now() - t0) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { perSec: entries.length / cpu, perSecWall: entries.length / wall, bytes: statSync(file).size };
}

function newHost(image: ProgramImage, emit: (ev: Parameters<typeof OffThreadRecorder.prototype.sink>[0]) => void, every: number, onCp?: (h: LoggingSolo) => void): LoggingSolo {
  return new LoggingSolo({
    machine: (port) => {
      const m = new Machine({ port });
      m.load(image);
      return m;
    },
    emit,
    checkpointEvery: every,
    onCheckpoint: onCp,
  });
}

/** The scheduler's run time of this thread in s (schedstat, ns), else 10 ms ticks. */
function threadCpuSeconds(): number {
  const ms = threadCpuMs();
  return ms !== null ? ms / 1000 : selfCpuSeconds();
}

interface OnOff {
  readonly ratio: number;
  readonly wallRatio: number;
  readonly offIps: number;
  readonly logged: number;
  readonly onInsns: number;
  readonly checkpoints: number;
  readonly backlogMax: number;
  readonly overflowBatches: number;
}

/**
 * ONE primary alternating phases with the off-thread recorder off and on (off,
 * on, off, … off), each on-phase against the mean of the off-phases around it,
 * median over `rounds`: V8 compiles a guest's hot region differently from one
 * Machine to the next (×2 apart at times), which comparing separate runs
 * measured instead (one such pair read 0.40).
 */
async function onOff(dir: string, image: ProgramImage, tag: string, phase: number, rounds: number, every: number): Promise<OnOff> {
  let recording = false;
  let recordedEntries = 0;
  let checkpoints = 0;
  let host: LoggingSolo | null = null;
  const rec = await OffThreadRecorder.open(join(dir, `onoff-${tag}.sqlite`), { name: 'on', engine: 'sim' }, { now: () => (host?.machine.icount ?? 0) / 1e5 });
  host = newHost(
    image,
    (ev) => {
      if (!recording) return;
      if (ev.type === 'logged') recordedEntries++;
      rec.sink(ev);
    },
    every,
    (h) => {
      if (!recording) return;
      checkpoints++;
      rec.checkpoint(h.node, packedMachineCheckpoint(h.machine, h.outputs));
    },
  );
  host.run(Math.min(phase, 20_000_000)); // warm-up: the guest's hot code compiled
  const offPhases: { cpu: number; wall: number }[] = [];
  const onPhases: { cpu: number; wall: number }[] = [];
  let logged = 0;
  let onInsns = 0;
  for (let k = 0; k < 2 * rounds + 1; k++) {
    recording = k % 2 === 1;
    const i0 = host.machine.icount;
    const l0 = host.logged;
    const c0 = threadCpuSeconds();
    const t0 = performance.now();
    host.run(i0 + phase);
    const cpu = threadCpuSeconds() - c0;
    const wall = performance.now() - t0;
    (recording ? onPhases : offPhases).push({ cpu: Math.max(1e-6, cpu), wall });
    if (recording) {
      logged += host.logged - l0;
      onInsns += host.machine.icount - i0;
    }
  }
  recording = false;
  const stats = await rec.finish();
  if (stats.committed.logEntries !== recordedEntries) throw new Error(`recorder lost entries: ${stats.committed.logEntries} of ${recordedEntries}`);
  const median = (xs: number[]): number => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  return {
    ratio: median(onPhases.map((on, k) => (offPhases[k]!.cpu + offPhases[k + 1]!.cpu) / 2 / on.cpu)),
    wallRatio: median(onPhases.map((on, k) => (offPhases[k]!.wall + offPhases[k + 1]!.wall) / 2 / on.wall)),
    offIps: phase / Math.min(...offPhases.map((p) => p.cpu)),
    logged,
    onInsns,
    checkpoints,
    backlogMax: rec.backlog.entriesMax,
    // Batches that found the shared ring full (copied to the worker instead): the worker fell that far behind.
    overflowBatches: rec.backlog.overflowBatches,
  };
}

export async function benchRecorder(opts: RecorderBenchOptions = {}, log: (m: string) => void = () => {}): Promise<RecorderBench> {
  const dir = mkdtempSync(join(tmpdir(), 'ftlab-bench-rec-'));
  try {
    const detail: Record<string, number> = {};
    // 1. Raw recorder throughput (best of two).
    const n = opts.entries ?? 2_000_000;
    log(`recorder: ${n} log entries into SQLite (twice)…`);
    const entries = syntheticEntries(n);
    const a = entriesPerSec(dir, entries, 'a');
    const b = entriesPerSec(dir, entries, 'b');
    const recorderEntriesPerSec = Math.max(a.perSec, b.perSec);
    detail.entriesPerSecWall = Math.round(Math.max(a.perSecWall, b.perSecWall));
    const dbBytesPerMillionEntries = Math.round(a.bytes / (n / 1e6));

    // 2. The primary with recording on (off-thread) over off: at a log rate the recorder sustains,
    // and at one beyond it (the backlog grows; batches overflow the shared ring).
    // Phases of 2·10⁸ instructions (≈ 0.1 s of CPU at 2·10⁹/s): shorter ones moved ±10 % with a GC or the worker's timing.
    const phase = Math.max(1_000_000, opts.onOffInstructions ?? 200_000_000);
    const every = opts.checkpointEvery ?? CHECKPOINT_EVERY_DEFAULT;
    const rounds = opts.rounds ?? 7;
    log(`recorder: primary with recording off/on, ${rounds} pairs of phases of ${phase} instructions on one machine, two log rates…`);
    const main = await onOff(dir, workloadImage(READS_EVERY), 'main', phase, rounds, every);
    const dense = await onOff(dir, workloadImage(READS_EVERY_DENSE), 'dense', phase, rounds, every);
    const logged = main.logged;
    const onInsns = main.onInsns;
    const checkpoints = main.checkpoints;
    const offIps = main.offIps;
    const insnsPerOn = onInsns / Math.max(1, rounds);
    detail.onOffBacklogEntriesMax = main.backlogMax;
    detail.onOffRingOverflowBatches = main.overflowBatches;
    detail.primaryIpsOff = Math.round(offIps);
    detail.recordingOnOffRatioWall = Number(main.wallRatio.toFixed(3));
    detail.onOffLogEntriesPerSec = Math.round((logged / onInsns) * offIps);
    detail.recordingOnOffRatioDense = Number(dense.ratio.toFixed(3));
    detail.onOffDenseLogEntriesPerSec = Math.round((dense.logged / dense.onInsns) * dense.offIps);
    detail.onOffDenseBacklogEntriesMax = dense.backlogMax;
    detail.onOffDenseRingOverflowBatches = dense.overflowBatches;

    // The same overhead, attributed: what recording adds on the primary's thread per second of its
    // execution (the sink for each entry, a snapshot and a hand-over per checkpoint), timed alone.
    const probe = await OffThreadRecorder.open(join(dir, 'probe.sqlite'), { name: 'probe', engine: 'sim' }, { now: () => 0 });
    const sample = syntheticEntries(200_000);
    let c0 = threadCpuSeconds();
    const ns0 = threadSchedNs();
    for (const entry of sample) probe.sink({ type: 'logged', node: 'A', entry });
    const sinkSecPerEntry = (threadCpuSeconds() - c0) / sample.length;
    const ns1 = threadSchedNs();
    // The same loop on the scheduler's nanosecond clock (the figure above counts 10 ms ticks: steps of 50 ns per entry).
    if (ns0 !== null && ns1 !== null) detail.sinkNsPerEntrySched = Math.round((ns1 - ns0) / sample.length);
    const cpHost = newHost(workloadImage(READS_EVERY), () => {}, 0);
    cpHost.run(1_000_000);
    const w0 = performance.now(); // too short for 10 ms CPU ticks: wall time on an otherwise idle thread
    const cpNs0 = threadSchedNs();
    for (let i = 0; i < 200; i++) probe.checkpoint('A', packedMachineCheckpoint(cpHost.machine, 0));
    probe.handOver();
    const checkpointSec = (performance.now() - w0) / 1000 / 200;
    const cpNs1 = threadSchedNs();
    if (cpNs0 !== null && cpNs1 !== null) detail.checkpointUsOnPrimarySched = Math.round((cpNs1 - cpNs0) / 200 / 1000);
    await probe.finish();
    const perSecOfPrimary = (logged / onInsns) * offIps * sinkSecPerEntry + (checkpoints / rounds / insnsPerOn) * offIps * checkpointSec;
    detail.recordingOnOffRatioAttributed = Number((1 / (1 + perSecOfPrimary)).toFixed(4));
    if (detail.sinkNsPerEntrySched !== undefined && detail.checkpointUsOnPrimarySched !== undefined) {
      const perSecSched =
        (logged / onInsns) * offIps * detail.sinkNsPerEntrySched * 1e-9 + (checkpoints / rounds / insnsPerOn) * offIps * detail.checkpointUsOnPrimarySched * 1e-6;
      detail.recordingOnOffRatioAttributedSched = Number((1 / (1 + perSecSched)).toFixed(4));
    }
    detail.sinkNsPerEntry = Math.round(sinkSecPerEntry * 1e9);
    detail.checkpointUsOnPrimary = Math.round(checkpointSec * 1e6);
    const recordingOnOffRatio = main.ratio;

    // 3. Seek over a long recorded session.
    const sessionInsns = opts.sessionInstructions ?? 1_000_000_000;
    log(`recorder: recording a session of ${sessionInsns} instructions, then seeking in it…`);
    const file = join(dir, 'long.sqlite');
    const db = openWorkspaceDb(file);
    let t0 = performance.now();
    const run = recordSoloRun(db, { name: 'long', engine: 'sim' }, { image: workloadImage(READS_EVERY_DENSE), instructions: sessionInsns, checkpointEvery: every, sliceInstructions: 1_000_000 });
    detail.longRecordSec = Number(((performance.now() - t0) / 1000).toFixed(1));
    detail.checkpointEvery = every;
    detail.longLogEntries = run.logged;
    detail.longCheckpoints = run.checkpoints;
    db.close();
    detail.longDbBytes = statSync(file).size;
    const ro = openSessionFile(file);
    const r = openReplayer(ro, run.sessionId);
    const cps = r.track.checkpoints;
    const targets: number[] = [];
    const probes = opts.seeks ?? 20;
    let x = 12345;
    for (let i = 0; i < probes; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      if (i % 2 === 0 && cps.length > 1) targets.push(cps[1 + (x % (cps.length - 1))]!.icount - 1); // worst: just before a checkpoint
      else targets.push(x % sessionInsns);
    }
    r.seek(cps[Math.min(1, cps.length - 1)]!.icount); // warm up (JIT) before measuring
    const times: number[] = [];
    const walls: number[] = [];
    for (const t of targets) {
      r.seek(0); // start elsewhere so every probe restores a checkpoint
      const c0 = selfCpuSeconds();
      t0 = performance.now();
      const res = r.seek(t);
      times.push((selfCpuSeconds() - c0) * 1000);
      walls.push(performance.now() - t0);
      if (res.icount !== Math.min(t, r.endIcount)) throw new Error(`seek to ${t} reached ${res.icount}`);
    }
    detail.seekMsMaxWall = Number(Math.max(...walls).toFixed(1));
    if (process.env.FTLAB_BENCH_SEEKS) log(`seeks (CPU ms): ${times.map((t, i) => `${targets[i]}:${t.toFixed(0)}`).join(' ')}`);
    ro.close();
    times.sort((p, q) => p - q);
    return {
      recorderEntriesPerSec: Math.round(recorderEntriesPerSec),
      recordingOnOffRatio: Number(recordingOnOffRatio.toFixed(3)),
      seekMsMax: Number(times[times.length - 1]!.toFixed(1)),
      seekMsMedian: Number(times[Math.floor(times.length / 2)]!.toFixed(1)),
      dbBytesPerMillionEntries,
      detail,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
