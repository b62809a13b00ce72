/**
 * The LabApi handlers of the live engine: loading programs (assembly or ELF)
 * and built-in scenarios, run control, faults, clients, observation — and
 * recording every run through the session recorder.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assemble } from '../../core/asm/assemble';
import { loadElf } from '../../core/elf/loadElf';
import type { ProgramImage } from '../../core/image';
import type { Db } from '../db/workspaceDb';
import { loadRunTarget } from '../scenario/load';
import { SessionRecorder } from '../recorder/sessionRecorder';
import { LiveEngine } from '../engine/liveEngine';
import { applyScenarioSettings, driveFaultPlan, liveScenario, planFaults, type FaultPlanRun, type PlannedFault } from '../engine/runScenarioLive';
import type { LabServer, LabHandlers } from './labServer';
import type { LoadResult, ProgramInput, ScenarioInfo } from '../../shared/labApi';

export function imageHash(image: ProgramImage): string {
  const h = createHash('sha256');
  h.update(`entry:${image.entry}`);
  for (const s of image.segments) {
    h.update(`seg:${s.addr}:${s.bytes.length}:${s.zeroFill ?? 0}`);
    h.update(s.bytes);
  }
  return h.digest('hex').slice(0, 16);
}

function symbolsOf(image: ProgramImage): { name: string; addr: number }[] {
  return [...image.symbols].map(([name, addr]) => ({ name, addr })).slice(0, 5000);
}

export type LiveHandlers = Pick<
  LabHandlers,
  | 'listScenarios' | 'loadScenario' | 'loadProgram' | 'start' | 'pause' | 'resume' | 'step' | 'stop' | 'setSpeed'
  | 'setSettings' | 'injectFault' | 'restoreRedundancy' | 'clients' | 'setBreakpoints' | 'getState' | 'getLogWindow' | 'memoryDiff'
>;

export class LiveLab {
  readonly engine: LiveEngine;
  private recorder: SessionRecorder | null = null;
  private sessionId: number | null = null;
  private source: string | null = null;
  private plan: readonly PlannedFault[] = [];
  private planRun: FaultPlanRun | null = null;

  constructor(
    private readonly db: Db,
    server: LabServer,
    private readonly scenariosDir: string,
  ) {
    this.engine = new LiveEngine({
      state: (s) => server.emit('state', { ...s, sessionId: this.sessionId }),
      logEntries: (b) => server.emit('logEntries', b),
      ftEvent: (e) => server.emit('ftEvent', e),
      record: (ev) => this.recorder?.onEvent(ev),
      clientOp: (op) => {
        if (op.kind === 'invoke') this.recorder?.clientInvoke(op.id, op.client, op.op, op.input);
        else this.recorder?.clientComplete(op.id, op.output);
      },
      checkpoint: (node, cp) => this.recorder?.checkpoint(node, cp),
    });
  }

  private async loadImage(input: ProgramInput): Promise<LoadResult> {
    if (input.format === 'asm') {
      const r = assemble(input.source, { file: input.file });
      const ok = !r.diagnostics.some((d) => d.severity === 'error');
      if (!ok) return { ok, diagnostics: r.diagnostics, imageHash: null, entry: null, symbols: [], sourceMap: [] };
      const hash = imageHash(r.image);
      this.source = input.source;
      await this.engine.load({ file: input.file, image: r.image, imageHash: hash });
      return { ok, diagnostics: r.diagnostics, imageHash: hash, entry: r.image.entry, symbols: symbolsOf(r.image), sourceMap: r.sourceMap };
    }
    const r = loadElf(new Uint8Array(Buffer.from(input.bytesBase64, 'base64')), input.file);
    if (!r.ok) return { ok: false, diagnostics: [r.diagnostic], imageHash: null, entry: null, symbols: [], sourceMap: [] };
    const hash = imageHash(r.image);
    this.source = null;
    await this.engine.load({ file: input.file, image: r.image, imageHash: hash });
    return { ok: true, diagnostics: [], imageHash: hash, entry: r.image.entry, symbols: symbolsOf(r.image), sourceMap: [] };
  }

  private async listScenarios(): Promise<ScenarioInfo[]> {
    let names: string[];
    try {
      names = (await readdir(this.scenariosDir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return [];
    }
    const out: ScenarioInfo[] = [];
    for (const name of names) {
      try {
        const json = JSON.parse(await readFile(join(this.scenariosDir, name), 'utf8')) as { description?: string; expect?: unknown };
        out.push({ name, title: json.description ?? name, expected: JSON.stringify(json.expect ?? {}) });
      } catch {
        out.push({ name, title: `${name} (unreadable)`, expected: '' });
      }
    }
    return out;
  }

  private async loadScenario(name: string): Promise<LoadResult> {
    const loaded = loadRunTarget(join(this.scenariosDir, name));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    // As `ftlab run` runs it live: every duration stretched (failure timeout ≥ 250 ms), faults in the simulator's order.
    const { sc, k } = liveScenario(loaded.scenario);
    const hash = imageHash(loaded.image);
    await this.engine.load({ file: loaded.programFile, image: loaded.image, imageHash: hash });
    applyScenarioSettings(this.engine, sc);
    this.plan = planFaults(loaded.scenario, loaded.image, k);
    // Recorded with the session (replay can show it) and returned for the editor.
    this.source = loaded.scenario.source ?? null;
    return {
      ok: true, diagnostics: [], imageHash: hash, entry: loaded.image.entry, symbols: symbolsOf(loaded.image), sourceMap: [],
      programSource: this.source,
    };
  }

  /** A scenario's fault plan, on the run's clock: acks and icounts trigger exactly (shared with `ftlab run`). */
  private schedulePlan(): void {
    if (this.plan.length === 0) return;
    this.planRun = driveFaultPlan(this.engine, this.plan);
    this.planRun.done.catch(() => undefined);
  }

  private finishRecording(): void {
    const recorder = this.recorder;
    this.recorder = null;
    if (!recorder) return;
    try {
      recorder.finish(this.engine.verdict(0), this.engine.counters);
    } catch {
      recorder.abandon();
    }
  }

  private async stop(): Promise<void> {
    this.planRun?.cancel();
    this.planRun = null;
    await this.engine.stop();
    this.finishRecording();
  }

  handlers(): LiveHandlers {
    const e = this.engine;
    return {
      listScenarios: () => this.listScenarios(),
      loadScenario: async ({ name }) => {
        await this.stop();
        return this.loadScenario(name);
      },
      loadProgram: async (input) => {
        await this.stop();
        this.plan = [];
        return this.loadImage(input);
      },
      start: async ({ paused }) => {
        const program = e.loaded;
        if (!program) throw new Error('load a program first');
        await this.stop();
        this.recorder = new SessionRecorder(
          this.db,
          { name: `${program.file} (live)`, engine: 'live', programFile: program.file, programSource: this.source, imageHash: program.imageHash, settings: e.settings },
          { now: () => e.nowMs() },
        );
        this.sessionId = this.recorder.sessionId;
        try {
          await e.start({ paused });
        } catch (err) {
          this.finishRecording();
          throw err;
        }
        this.schedulePlan();
        return { sessionId: this.sessionId };
      },
      pause: async () => {
        await e.pause();
        return { ok: true };
      },
      resume: async () => {
        await e.resume();
        return { ok: true };
      },
      step: async ({ count }) => {
        await e.step(count);
        return { ...e.snapshotState(), sessionId: this.sessionId };
      },
      stop: async () => {
        await this.stop();
        return { ok: true };
      },
      setSpeed: async ({ ips }) => {
        e.setSpeed(ips);
        return { ok: true };
      },
      setSettings: async (patch) => e.setSettings(patch),
      injectFault: async ({ action }) => {
        await e.injectFault(action);
        this.recorder?.fault(action.kind, action);
        return { ok: true };
      },
      restoreRedundancy: async () => ({ backup: e.restoreRedundancy() }),
      clients: async (p) => e.clientsControl(p),
      setBreakpoints: async ({ addrs }) => {
        e.setBreakpoints(addrs);
        return { ok: true };
      },
      getState: async () => ({ ...e.snapshotState(), sessionId: this.sessionId }),
      getLogWindow: async ({ fromSeq, count, kinds }) => e.getLogWindow(fromSeq, count, kinds),
      memoryDiff: (p) => e.memoryDiff(p),
    };
  }

  async close(): Promise<void> {
    await this.stop();
    await this.engine.close();
  }
}
