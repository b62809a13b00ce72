/**
 * The connection to the engine and everything it tells us: the live state
 * (≤30 Hz), the timeline of FT events, the recent log entries and the series
 * the plots draw. Actions are thin wrappers over LabApi that turn a failure
 * into a message the UI shows (never an unhandled rejection).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, triggerRef } from 'vue';
import type {
  EngineEvent,
  EngineInfo,
  ExampleInfo,
  FaultAction,
  FtEventView,
  LabApi,
  LabMethods,
  LabState,
  LiveSettings,
  LoadResult,
  ProgramInput,
  RoundTrip,
  ScenarioInfo,
  SessionSummary,
} from '../../../shared/labApi';
import { connectLab } from '../api/connect';
import { LogBuffer } from '../log/logBuffer';
import { LogHistory } from '../log/logHistory';
import { SeriesRecorder } from '../plots/series';

/** Bound on the engine events and timeline events kept on screen. */
const maxEvents = 200;
const maxTimeline = 20_000;

export type CallName = keyof LabMethods;

export const useLabStore = defineStore('lab', () => {
  const api = shallowRef<LabApi | null>(null);
  const info = ref<EngineInfo | null>(null);
  const connectionError = ref<string | null>(null);
  const running = ref(false);
  const lastTrip = ref<RoundTrip | null>(null);
  const runError = ref<string | null>(null);
  const events = ref<EngineEvent[]>([]);

  const state = shallowRef<LabState | null>(null);
  const timeline = shallowRef<FtEventView[]>([]);
  const log = new LogBuffer();
  /** Bumped when new log entries arrive (the buffer itself is not reactive: it may hold a million rows). */
  const logVersion = ref(0);
  /** The rows older than the buffer holds, fetched back from the engine while the student scrolls up to them. */
  const logHistory = new LogHistory(
    (p) => (api.value ? api.value.getLogWindow(p) : Promise.reject(new Error('not connected'))),
    { onChange: () => logVersion.value++ },
  );
  const series = new SeriesRecorder();
  const seriesVersion = ref(0);
  const lastLoad = shallowRef<LoadResult | null>(null);
  /** The engine method being waited for, for progress indicators. */
  const busy = ref<CallName | null>(null);
  /** The last failed action, shown in the status bar until the next one succeeds. */
  const actionError = ref<string | null>(null);
  const examples = ref<ExampleInfo[]>([]);
  const scenarios = ref<ScenarioInfo[]>([]);
  const sessions = ref<SessionSummary[]>([]);
  const liveAvailable = ref<boolean | null>(null);
  /** The moment the panels point at on the timeline (seconds into the run); null = now. */
  const cursorSec = ref<number | null>(null);
  /** The built-in scenario being run, if any. */
  const scenario = ref<string | null>(null);
  /** The scenario's program when the editor cannot show it (not one of the examples). */
  const scenarioProgram = ref<string | null>(null);
  /** That program's text (assembly), which the editor shows on request; null for an ELF. */
  const scenarioSource = ref<string | null>(null);
  /** The log entry chosen in the log table. */
  const selectedSeq = ref<number | null>(null);

  const machines = computed(() => state.value?.machines ?? []);
  const primary = computed(() => machines.value.find((m) => m.role === 'primary') ?? null);
  const backup = computed(() => machines.value.find((m) => m.role === 'backup') ?? null);
  const runState = computed(() => state.value?.run ?? 'empty');
  const settings = computed<LiveSettings | null>(() => state.value?.settings ?? null);

  function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
  }

  /** Calls the engine; on failure records the message and resolves to null. */
  async function call<K extends CallName>(name: K, params: LabMethods[K]['params']): Promise<LabMethods[K]['result'] | null> {
    const lab = api.value;
    if (!lab) {
      actionError.value = 'Not connected to the engine';
      return null;
    }
    busy.value = name;
    try {
      const fn = lab[name] as (p: LabMethods[K]['params']) => Promise<LabMethods[K]['result']>;
      const result = await fn(params);
      actionError.value = null;
      return result;
    } catch (err) {
      actionError.value = `${name}: ${message(err)}`;
      return null;
    } finally {
      if (busy.value === name) busy.value = null;
    }
  }

  function acceptState(next: LabState): void {
    const prev = state.value;
    if (prev && next.sessionId !== prev.sessionId) resetRun();
    state.value = next;
    series.record(next);
    seriesVersion.value++;
  }

  function selectLogEntry(seq: number, icount: number): void {
    selectedSeq.value = seq;
    cursorSec.value = series.timeOfIcount(icount) ?? null;
  }

  function resetRun(): void {
    cursorSec.value = null;
    selectedSeq.value = null;
    timeline.value = [];
    log.clear();
    logHistory.reset();
    logVersion.value++;
    series.clear();
    seriesVersion.value++;
  }

  async function connect(): Promise<void> {
    try {
      const lab = await connectLab();
      api.value = lab;
      lab.onEngineEvent((event) => {
        events.value.push(event);
        if (events.value.length > maxEvents) events.value.splice(0, events.value.length - maxEvents);
      });
      lab.onState(acceptState);
      lab.onLogEntries((batch) => {
        log.append(batch.epoch, batch.entries, batch.total);
        logHistory.setAnchor(log.get(0));
        logVersion.value++;
      });
      lab.onFtEvent((event) => {
        const list = timeline.value;
        list.push(event);
        if (list.length > maxTimeline) list.splice(0, list.length - maxTimeline);
        triggerRef(timeline);
      });
      info.value = await lab.getInfo({});
      examples.value = [...(await lab.listExamples({}))];
      // Optional parts of the engine: a failure here means "not available yet", not an error.
      lab.listScenarios({}).then((s) => (scenarios.value = [...s]), () => undefined);
      lab.getState({}).then(
        (s) => {
          liveAvailable.value = true;
          acceptState(s);
        },
        () => (liveAvailable.value = false),
      );
      void refreshSessions();
    } catch (err) {
      connectionError.value = message(err);
    }
  }

  async function refreshSessions(): Promise<void> {
    const list = await api.value?.listSessions({}).catch(() => null);
    if (list) sessions.value = [...list];
  }

  /** Skeleton round trip: primary → logging channel → backup → ack → SQLite. */
  async function run(source: string, file: string): Promise<void> {
    if (!api.value || running.value) return;
    running.value = true;
    runError.value = null;
    try {
      const result = await api.value.run({ source, file });
      lastTrip.value = result.roundTrip;
    } catch (err) {
      runError.value = message(err);
    } finally {
      running.value = false;
    }
  }

  async function load(input: ProgramInput): Promise<LoadResult | null> {
    const result = await call('loadProgram', input);
    if (result) lastLoad.value = result;
    return result;
  }

  async function loadScenario(name: string): Promise<LoadResult | null> {
    const result = await call('loadScenario', { name });
    if (result) lastLoad.value = result;
    return result;
  }

  async function start(paused = false): Promise<boolean> {
    const result = await call('start', { paused });
    if (result) resetRun();
    return result !== null;
  }

  const pause = () => call('pause', {});
  const resume = () => call('resume', {});
  const stop = async () => {
    const r = await call('stop', {});
    void refreshSessions();
    return r;
  };
  const step = async (count: number) => {
    const s = await call('step', { count });
    if (s) acceptState(s);
    return s;
  };
  const setSpeed = (ips: number | 'max') => call('setSpeed', { ips });
  const setSettings = (patch: Partial<LiveSettings>) => call('setSettings', patch);
  const inject = (action: FaultAction) => call('injectFault', { action });
  const restoreRedundancy = () => call('restoreRedundancy', {});
  const setBreakpoints = (addrs: readonly number[]) => call('setBreakpoints', { addrs });

  return {
    api, info, connectionError, running, lastTrip, runError, events,
    state, timeline, log, logHistory, logVersion, series, seriesVersion, lastLoad, busy, actionError,
    examples, scenarios, scenario, scenarioProgram, scenarioSource, sessions, liveAvailable, cursorSec, selectedSeq, selectLogEntry,
    machines, primary, backup, runState, settings,
    connect, call, run, load, loadScenario, start, pause, resume, stop, step, setSpeed, setSettings,
    inject, restoreRedundancy, setBreakpoints, refreshSessions,
  };
});
