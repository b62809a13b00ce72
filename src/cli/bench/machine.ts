/**
 * Machine benchmarks: speed on the compute loop
 * (test/fixtures/machine/loop-long.elf, 300 M instructions) with the
 * interpreter (`mipsComputeLoop`) and the block engine
 * (`mipsComputeLoopBlocks`), and QEMU's speed on the same ELF in the same run
 * (long minus short loop, so QEMU's boot and exit are subtracted), plus
 * snapshot/hash costs of a 16 MiB machine. `mipsBusy…`: the FT scenarios'
 * compute-bound server (resources/scenarios/programs/busy.s: a loop of two
 * blocks with an MMIO poll every 2 k instructions), 10^8 instructions, both engines.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assemble } from '../../core/asm/assemble';
import { loadElf } from '../../core/elf/loadElf';
import type { ProgramImage } from '../../core/image';
import { Machine, type MachineEngine } from '../../core/machine/machine';
import { runSolo, SoloPort } from '../../core/machine/soloPort';
import { childrenCpuSeconds, selfCpuSeconds } from './cpuTime';
import type { Bench, BenchContext, Figure } from './index';

const QEMU = 'qemu-system-riscv32';
const QEMU_ARGS = ['-machine', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio',
  '-cpu', 'rv32,a=off,c=off,f=off,d=off', '-kernel'];

function image(path: string): ProgramImage {
  const r = loadElf(new Uint8Array(readFileSync(path)), path);
  if (!r.ok) throw new Error(`${path}: ${r.diagnostic.message}`);
  return r.image;
}

interface OurRun { icount: number; cpuS: number; wallS: number; uart: string; exitCode: number }

function runOurs(img: ProgramImage, engine: MachineEngine): OurRun {
  const bytes: number[] = [];
  const port = new SoloPort({ onOutput: (o) => { if (o.device === 'uart') bytes.push(...o.bytes); } });
  const m = new Machine({ port, engine });
  m.load(img);
  const c0 = selfCpuSeconds();
  const t0 = performance.now();
  const stop = runSolo(m, port, 2e9);
  const wallS = (performance.now() - t0) / 1000;
  const cpuS = selfCpuSeconds() - c0;
  return { icount: m.icount, cpuS, wallS, uart: Buffer.from(bytes).toString('latin1'), exitCode: stop.kind === 'halted' ? stop.exitCode : -1 };
}

/** CPU seconds for `steps` instructions of `img` (no halt expected). */
function runFor(img: ProgramImage, engine: MachineEngine, steps: number): number {
  const m = new Machine({ port: new SoloPort(), engine });
  m.load(img);
  const c0 = selfCpuSeconds();
  const stop = m.run(steps);
  const cpuS = selfCpuSeconds() - c0;
  if (stop.kind !== 'budget' || m.icount !== steps) throw new Error(`busy.s stopped early: ${stop.kind} at ${m.icount}`);
  return cpuS;
}

function runQemu(elf: string): { cpuS: number | null; wallS: number; uart: string; status: number | null } {
  const c0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = spawnSync(QEMU, [...QEMU_ARGS, elf], { encoding: 'latin1', timeout: 120_000 });
  const wallS = (performance.now() - t0) / 1000;
  const c1 = childrenCpuSeconds();
  if (r.error) throw r.error;
  return { cpuS: c0 === null || c1 === null ? null : c1 - c0, wallS, uart: r.stdout, status: r.status };
}

const round = (v: number, digits = 1): number => Number(v.toFixed(digits));

export const machineBench: Bench = {
  name: 'machine',
  description: 'RV32IM interpreter MIPS on the compute loop, vs QEMU TCG on the same ELF; snapshot/hash costs',
  async run(ctx: BenchContext): Promise<Record<string, Figure>> {
    const fixtures = join(ctx.root, 'test/fixtures/machine');
    const long = join(fixtures, 'loop-long.elf');
    const short = join(fixtures, 'loop-short.elf');
    const longImg = image(long);
    const shortImg = image(short);

    ctx.log('machine: compute loop on FT Lab, interpreter and block engine alternately (best of 2 each)…');
    const interp: OurRun[] = [];
    const blocks: OurRun[] = [];
    for (let k = 0; k < 2; k++) {
      interp.push(runOurs(longImg, 'interpreter'));
      blocks.push(runOurs(longImg, 'blocks'));
    }
    const fastest = (runs: OurRun[]): OurRun => runs.reduce((a, b) => (a.icount / a.cpuS >= b.icount / b.cpuS ? a : b));
    const best = fastest(interp);
    const bestBlocks = fastest(blocks);
    const shortOurs = runOurs(shortImg, 'interpreter');
    const out: Record<string, Figure> = {
      computeLoopInstructions: best.icount,
      mipsComputeLoop: round(best.icount / best.cpuS / 1e6),
      mipsComputeLoopWall: round(best.icount / best.wallS / 1e6),
      mipsComputeLoopBlocks: round(bestBlocks.icount / bestBlocks.cpuS / 1e6),
      mipsComputeLoopBlocksWall: round(bestBlocks.icount / bestBlocks.wallS / 1e6),
      ratioBlocksVsInterpreter: round((bestBlocks.icount / bestBlocks.cpuS) / (best.icount / best.cpuS), 2),
      computeLoopBlocksMatchesInterpreter: bestBlocks.icount === best.icount && bestBlocks.uart === best.uart &&
        bestBlocks.exitCode === best.exitCode,
    };

    ctx.log('machine: busy.s (two-block loop + MMIO poll), both engines alternately (best of 2 each)…');
    const busyPath = join(ctx.root, 'resources/scenarios/programs/busy.s');
    const busy = assemble(readFileSync(busyPath, 'utf8'), { file: busyPath });
    if (busy.diagnostics.some((d) => d.severity === 'error')) throw new Error('busy.s does not assemble');
    const busySteps = 100_000_000;
    const busyCpu = { interpreter: Infinity, blocks: Infinity };
    for (let k = 0; k < 2; k++) {
      busyCpu.interpreter = Math.min(busyCpu.interpreter, runFor(busy.image, 'interpreter', busySteps));
      busyCpu.blocks = Math.min(busyCpu.blocks, runFor(busy.image, 'blocks', busySteps));
    }
    out.mipsBusy = round(busySteps / busyCpu.interpreter / 1e6);
    out.mipsBusyBlocks = round(busySteps / busyCpu.blocks / 1e6);

    const hasQemu = spawnSync(QEMU, ['--version']).status === 0;
    if (hasQemu) {
      ctx.log('machine: compute loop on QEMU (long − short, best of 2)…');
      const qs = runQemu(short);
      const ql = [runQemu(long), runQemu(long)];
      const ql1 = ql.reduce((a, b) => ((a.cpuS ?? a.wallS) <= (b.cpuS ?? b.wallS) ? a : b));
      const insns = best.icount - shortOurs.icount;
      const dCpu = ql1.cpuS !== null && qs.cpuS !== null ? ql1.cpuS - qs.cpuS : null;
      const dWall = ql1.wallS - qs.wallS;
      out.qemuMipsComputeLoop = dCpu !== null && dCpu > 0 ? round(insns / dCpu / 1e6) : null;
      out.qemuMipsComputeLoopWall = dWall > 0 ? round(insns / dWall / 1e6) : null;
      out.ratioVsQemu = typeof out.qemuMipsComputeLoop === 'number'
        ? round((out.mipsComputeLoop as number) / out.qemuMipsComputeLoop, 3) : null;
      out.ratioBlocksVsQemu = typeof out.qemuMipsComputeLoop === 'number'
        ? round((out.mipsComputeLoopBlocks as number) / out.qemuMipsComputeLoop, 3) : null;
      out.computeLoopMatchesQemu = ql1.uart === best.uart && ql1.status === best.exitCode;
    } else {
      ctx.log(`machine: ${QEMU} not installed, QEMU figures skipped (Debian: apt-get install qemu-system-misc)`);
    }

    ctx.log('machine: snapshot / state hash…');
    const m = new Machine({ port: new SoloPort() });
    m.load(longImg);
    m.run(1_000_000);
    let t = performance.now();
    const h = m.stateHash();
    out.stateHashFirstMs = round(performance.now() - t, 2);
    t = performance.now();
    for (let k = 0; k < 100; k++) m.stateHash();
    out.stateHashCleanUs = round(((performance.now() - t) / 100) * 1000, 1);
    t = performance.now();
    const snap = m.snapshot();
    out.snapshotMs = round(performance.now() - t, 2);
    t = performance.now();
    const copy = Machine.fromSnapshot(structuredClone(snap), new SoloPort());
    out.restoreMs = round(performance.now() - t, 2);
    out.snapshotRoundTripHashEqual = copy.stateHash() === h;
    return out;
  },
};
