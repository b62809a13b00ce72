/**
 * One contract suite, run against both server sides of LabApi: the WebSocket
 * bridge (npm run web) and the Electron IPC bridge (the app; Electron's
 * ipcMain is replaced by an in-process stand-in that structured-clones every
 * message, as Electron does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import WebSocket from 'ws';
import { createLab, type Lab } from '../../../src/main/lab/createLab';
import { startWebServer, type WebServer } from '../../../src/main/web/webServer';
import { labSocketPath } from '../../../src/main/web/wsBridge';
import { attachIpcBridge, ipcChannels, type IpcInvokeEventLike, type IpcMainLike } from '../../../src/main/ipc/ipcBridge';
import { createWsTransport, type WebSocketLike } from '../../../src/shared/wsTransport';
import { createLabClient, type LabTransport } from '../../../src/shared/labClient';
import { LabCallError, type FtEventView, type LabApi, type LabState, type LogEntryView, type RoundTrip } from '../../../src/shared/labApi';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tempDir } from '../../helpers/tmp';
import { loadRunTarget } from '../../../src/main/scenario/load';
import { recordSimulatedRunToFile } from '../../../src/main/recorder/recordSim';
import { simMachine } from '../../../src/core/sim/simMachine';

interface Side {
  readonly api: LabApi;
  /** Send raw, unvalidated input to the server side and return its reply. */
  readonly raw: (message: unknown) => Promise<unknown>;
  readonly close: () => Promise<void>;
}

async function wsSide(lab: Lab): Promise<Side> {
  const web: WebServer = await startWebServer({ lab: lab.server, staticDir: tempDir().dir });
  const url = `ws://127.0.0.1:${web.port}${labSocketPath}`;
  const transport = createWsTransport(new WebSocket(url) as unknown as WebSocketLike);
  await transport.opened;
  const rawSocket = new WebSocket(url);
  await new Promise((ok) => rawSocket.once('open', ok));
  return {
    api: createLabClient(transport),
    raw: (message) =>
      new Promise((resolve) => {
        rawSocket.once('message', (data) => resolve(JSON.parse(data.toString())));
        rawSocket.send(typeof message === 'string' ? message : JSON.stringify(message));
      }),
    close: async () => {
      transport.close();
      rawSocket.close();
      await web.close();
    },
  };
}

function ipcSide(lab: Lab, trustedUrl: string): Side {
  const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const rendererListeners = new Set<(message: unknown) => void>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => handlers.set(channel, listener),
    removeHandler: (channel) => handlers.delete(channel),
  };
  const detach = attachIpcBridge(
    ipcMain,
    lab.server,
    { isDestroyed: () => false, send: (_channel, message) => rendererListeners.forEach((l) => l(structuredClone(message))) },
    { isTrustedSender: (url) => url === trustedUrl },
  );
  const invoke = async (message: unknown, url = trustedUrl) => {
    const handler = handlers.get(ipcChannels.call)!;
    return structuredClone(await handler({ senderFrame: { url } }, structuredClone(message)));
  };
  // The same shape the preload exposes as window.ftlab.
  let nextId = 1;
  const transport: LabTransport = {
    call: (method, params) => invoke({ id: nextId++, method, params }) as ReturnType<LabTransport['call']>,
    subscribe: (event, listener) => {
      const l = (m: unknown) => {
        const message = m as { event: string; payload: unknown };
        if (message.event === event) listener(message.payload);
      };
      rendererListeners.add(l);
      return () => rendererListeners.delete(l);
    },
  };
  // The preload sends {id, method, params}: the WebSocket's `type` tag is not part of the IPC envelope.
  const raw = (message: unknown) => {
    if (message && typeof message === 'object' && (message as { type?: unknown }).type === 'call') {
      const { type: _type, ...envelope } = message as Record<string, unknown>;
      return invoke(envelope);
    }
    return invoke(message);
  };
  return { api: createLabClient(transport), raw, close: async () => detach(), invokeFrom: (message: unknown, url: string) => invoke(message, url) } as Side;
}

const counterSource = readFileSync(join(__dirname, '../../../resources/scenarios/programs/counter.s'), 'utf8');

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sides: Array<[string, (lab: Lab) => Promise<Side> | Side]> = [
  ['websocket', wsSide],
  ['electron ipc', (lab) => ipcSide(lab, 'file:///app/index.html')],
];

describe.each(sides)('LabApi contract over %s', (name, makeSide) => {
  let lab: Lab;
  let side: Side;
  const tmp = tempDir();

  beforeAll(async () => {
    mkdirSync(join(tmp.dir, 'resources', 'examples'), { recursive: true });
    writeFileSync(join(tmp.dir, 'resources', 'examples', 'tiny.s'), '# tiny: one instruction\n    nop\n');
    writeFileSync(join(tmp.dir, 'resources', 'examples', 'notes.txt'), 'not an example');
    lab = createLab({
      dbPath: join(tmp.dir, 'workspace.sqlite'),
      transport: name === 'websocket' ? 'websocket' : 'ipc',
      version: 'test',
      resourcesDir: join(tmp.dir, 'resources'),
    });
    side = await makeSide(lab);
  });
  afterAll(async () => {
    await side.close();
    await lab.close();
    tmp.cleanup();
  });

  it('answers getInfo with the database and schema', async () => {
    const info = await side.api.getInfo({});
    expect(info.dbPath).toBe(join(tmp.dir, 'workspace.sqlite'));
    expect(info.schemaVersion).toBeGreaterThanOrEqual(1);
  });

  it('runs a program through primary → logging channel → backup → ack → SQLite, with events', async () => {
    const events: string[] = [];
    const messages: string[] = [];
    const trips: RoundTrip[] = [];
    const off1 = side.api.onEngineEvent((e) => {
      events.push(e.kind);
      messages.push(e.message);
    });
    const off2 = side.api.onRoundTrip((t) => trips.push(t));
    const result = await side.api.run({ source: 'li a0, 42\n', file: 'answer.s' });
    off1();
    off2();
    expect(result.ok).toBe(true);
    const trip = result.roundTrip!;
    expect(trip.primaryDigest).toMatch(/^[0-9a-f]{8}$/);
    expect(trip.backupDigest).toBe(trip.primaryDigest);
    expect(trip.bytes).toBe(new TextEncoder().encode('li a0, 42\n').length);
    expect(trip.recordedEntries).toBe(1);
    // In causal order: shipped by the primary, acknowledged by the backup, then recorded.
    expect(events.filter((k) => k !== 'worker-started')).toEqual(['log-shipped', 'log-acked', 'recorded']);
    expect(messages).toContain(`log entry #${trip.seq} shipped (${trip.bytes} bytes)`);
    expect(trips.map((t) => t.sessionId)).toContain(trip.sessionId);
    const sessions = await side.api.listSessions({});
    expect(sessions.find((s) => s.id === trip.sessionId)).toMatchObject({ status: 'complete', logEntries: 1 });
  });

  it('different programs give different digests', async () => {
    const a = await side.api.run({ source: 'nop\n', file: 'a.s' });
    const b = await side.api.run({ source: 'nop\nnop\n', file: 'b.s' });
    expect(a.roundTrip!.primaryDigest).not.toBe(b.roundTrip!.primaryDigest);
  });

  it('rejects bad params with a located error, and keeps serving', async () => {
    const bad = side.api.run({ source: 42 as unknown as string, file: 'x.s' });
    await expect(bad).rejects.toBeInstanceOf(LabCallError);
    await expect(bad).rejects.toMatchObject({ code: 'bad-request', path: 'params.source' });
    await expect(side.api.run({ source: 'x', file: 'x.s', extra: 1 } as never)).rejects.toMatchObject({ code: 'bad-request' });
    expect((await side.api.getInfo({})).schemaVersion).toBeGreaterThanOrEqual(1);
  });

  it('lists and reads the examples, refusing paths outside the folder', async () => {
    expect(await side.api.listExamples({})).toEqual([{ name: 'tiny.s', title: 'tiny: one instruction' }]);
    expect((await side.api.readExample({ name: 'tiny.s' })).source).toContain('nop');
    await expect(side.api.readExample({ name: '../workspace.sqlite' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(side.api.readExample({ name: 'missing.s' })).rejects.toMatchObject({ code: 'engine-error' });
  });

  it('answers malformed envelopes and unknown methods with errors, never a crash', async () => {
    const unknown = (await side.raw({ type: 'call', id: 7, method: 'formatDisk', params: {} })) as Record<string, unknown>;
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    const garbage = (await side.raw(name === 'websocket' ? 'not json{' : { nonsense: true })) as Record<string, unknown>;
    expect(garbage).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const proto = (await side.raw({ type: 'call', id: 8, method: '__proto__', params: {} })) as Record<string, unknown>;
    expect(proto).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect((await side.api.getInfo({})).version).toBe('test');
  });
});

describe.each(sides)('LabApi live engine over %s', (name, makeSide) => {
  let lab: Lab;
  let side: Side;
  const tmp = tempDir();

  beforeAll(async () => {
    mkdirSync(join(tmp.dir, 'resources', 'scenarios', 'programs'), { recursive: true });
    writeFileSync(join(tmp.dir, 'resources', 'scenarios', 'programs', 'counter.s'), counterSource);
    writeFileSync(
      join(tmp.dir, 'resources', 'scenarios', 'crash.json'),
      JSON.stringify({ description: 'crash the primary', program: 'programs/counter.s', clients: [{ workload: 'counter', count: 1, requests: 5, intervalMs: 2 }], faults: [], stop: { ms: 100 }, expect: { failovers: 1 } }),
    );
    lab = createLab({
      dbPath: join(tmp.dir, 'workspace.sqlite'),
      transport: name === 'websocket' ? 'websocket' : 'ipc',
      version: 'test',
      resourcesDir: join(tmp.dir, 'resources'),
    });
    side = await makeSide(lab);
  });
  afterAll(async () => {
    await side.close();
    await lab.close();
    tmp.cleanup();
  });

  it('reports assembler errors from loadProgram as diagnostics, not failures', async () => {
    const r = await side.api.loadProgram({ format: 'asm', file: 'bad.s', source: 'frobnicate x1\n' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', line: 1 });
    expect(r.imageHash).toBeNull();
    const elf = await side.api.loadProgram({ format: 'elf', file: 'x.elf', bytesBase64: Buffer.from('not an elf').toString('base64') });
    expect(elf.ok).toBe(false);
    expect(elf.diagnostics).toHaveLength(1);
  });

  it('refuses malformed params of every live method with a located error, and keeps serving', async () => {
    const bad: Array<[keyof LabApi, unknown, string]> = [
      ['loadProgram', { format: 'pdf', file: 'x' }, 'params.format'],
      ['loadProgram', { format: 'elf', file: 'x.elf', bytesBase64: '***' }, 'params.bytesBase64'],
      ['step', { count: 0 }, 'params.count'],
      ['step', { count: 1.5 }, 'params.count'],
      ['setSpeed', { ips: -5 }, 'params.ips'],
      ['setSettings', { arbiter: 'coin-flip' }, 'params.arbiter'],
      ['setSettings', { heartbeatMs: 0 }, 'params.heartbeatMs'],
      ['injectFault', { action: { kind: 'meteor' } }, 'params.action.kind'],
      ['injectFault', { action: { kind: 'crash', target: 'Z' } }, 'params.action.target'],
      ['injectFault', { action: { kind: 'dropLog', probability: 2 } }, 'params.action.probability'],
      ['clients', { action: 'start', count: 1000 }, 'params.count'],
      ['getLogWindow', { count: 0 }, 'params.count'],
      ['memoryDiff', { pages: ['a'] }, 'params.pages.0'],
      ['loadScenario', { name: '../x.json' }, 'params.name'],
      ['start', { paused: 'yes' }, 'params.paused'],
      ['pause', { now: true }, 'params'],
    ];
    for (const [method, params, path] of bad) {
      const call = (side.api[method] as (p: unknown) => Promise<unknown>)(params);
      await expect(call, `${String(method)} ${JSON.stringify(params)}`).rejects.toMatchObject({ code: 'bad-request', path });
    }
    await expect(side.api.start({})).rejects.toMatchObject({ code: 'engine-error' }); // nothing loaded
    await expect(side.api.injectFault({ action: { kind: 'healLog' } })).rejects.toMatchObject({ code: 'engine-error' });
    expect((await side.api.getInfo({})).version).toBe('test');
  });

  it('loads, starts, streams state, log entries and timeline events, injects a crash, diffs memory, stops', async () => {
    const states: LabState[] = [];
    const entries: LogEntryView[] = [];
    const timeline: FtEventView[] = [];
    const offs = [
      side.api.onState((s) => states.push(s)),
      side.api.onLogEntries((b) => entries.push(...b.entries)),
      side.api.onFtEvent((e) => timeline.push(e)),
    ];
    const loaded = await side.api.loadProgram({ format: 'asm', file: 'counter.s', source: counterSource });
    expect(loaded.ok).toBe(true);
    expect(loaded.imageHash).toMatch(/^[0-9a-f]{16}$/);
    expect(loaded.symbols.some((x) => x.name === '_start')).toBe(true);
    expect(loaded.sourceMap.length).toBeGreaterThan(0);
    // A timeout a loaded test machine cannot mistake a slow thread for a dead one with (100 ms did: the new backup was dropped).
    await side.api.setSettings({ heartbeatMs: 10, failureTimeoutMs: 1000 });
    const { sessionId } = await side.api.start({});
    expect(sessionId).toBeGreaterThan(0);
    await side.api.clients({ action: 'start', workload: 'counter', count: 2, intervalMs: 2 });
    await until('clients served', async () => (await side.api.getState({})).clients.completed >= 10);
    await until('state events', () => states.length >= 3 && entries.length > 0);
    const s = await side.api.getState({});
    expect(s.run).toBe('running');
    expect(s.sessionId).toBe(sessionId);
    expect(s.machines.map((m) => m.role)).toEqual(['primary', 'backup', 'spare']);
    const win = await side.api.getLogWindow({ count: 20, kinds: ['packet'] });
    expect(win.entries.every((e) => e.kind === 'packet')).toBe(true);
    await side.api.injectFault({ action: { kind: 'crash', target: 'primary' } });
    await until('failover', async () => (await side.api.getState({})).machines[1]!.role === 'primary');
    await until('new backup by state transfer', async () => (await side.api.getState({})).machines[2]!.role === 'backup');
    expect(timeline.some((e) => e.type === 'failover')).toBe(true);
    expect(timeline.some((e) => e.type === 'fault')).toBe(true);
    await side.api.pause({});
    const diff = await side.api.memoryDiff({});
    expect(diff.left.name).toBe('B');
    expect(diff.right.name).toBe('C');
    await side.api.resume({});
    await side.api.stop({});
    expect((await side.api.getState({})).run).toBe('stopped');
    const sessions = await side.api.listSessions({});
    expect(sessions.find((x) => x.id === sessionId)).toMatchObject({ engine: 'live', status: 'complete' });
    expect(sessions.find((x) => x.id === sessionId)!.logEntries).toBeGreaterThan(0);
    for (const off of offs) off();
  });

  it('lists and loads the built-in scenarios', async () => {
    const list = await side.api.listScenarios({});
    expect(list).toEqual([{ name: 'crash.json', title: 'crash the primary', expected: '{"failovers":1}' }]);
    const r = await side.api.loadScenario({ name: 'crash.json' });
    expect(r.ok).toBe(true);
    // The scenario's own program text, for the editor (the workbench shows it on request).
    expect(r.programSource).toBe(counterSource);
    await expect(side.api.loadScenario({ name: 'missing.json' })).rejects.toMatchObject({ code: 'engine-error' });
  });
});

describe('electron ipc bridge', () => {
  it('refuses calls from frames that are not the app', async () => {
    const tmp = tempDir();
    const lab = createLab({ dbPath: join(tmp.dir, 'w.sqlite'), transport: 'ipc', version: 'test', resourcesDir: tmp.dir });
    const side = ipcSide(lab, 'file:///app/index.html') as Side & { invokeFrom: (m: unknown, url: string) => Promise<unknown> };
    expect(await side.invokeFrom({ id: 1, method: 'getInfo', params: {} }, 'file:///app/index.html')).toMatchObject({ ok: true });
    expect(await side.invokeFrom({ id: 2, method: 'getInfo', params: {} }, 'https://evil.example/')).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('untrusted') },
    });
    await side.close();
    await lab.close();
    tmp.cleanup();
  });
});

describe.each(sides)('LabApi saved sessions and replay over %s', (name, makeSide) => {
  let lab: Lab;
  let side: Side;
  const tmp = tempDir();
  const dbPath = () => join(tmp.dir, 'workspace.sqlite');
  let failover = 0;
  let unlogged = 0;

  beforeAll(async () => {
    for (const scenario of ['output-rule-on-crash.json', 'unlogged-seed.json']) {
      const loaded = loadRunTarget(join('resources/scenarios', scenario));
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      const r = recordSimulatedRunToFile(dbPath(), loaded.scenario, { machine: simMachine(loaded.image, loaded.scenario.settings.harts), image: loaded.image });
      if (!r.ok) throw new Error(r.error);
      if (scenario.startsWith('output')) failover = r.sessionId;
      else unlogged = r.sessionId;
    }
    lab = createLab({ dbPath: dbPath(), transport: name === 'websocket' ? 'websocket' : 'ipc', version: 'test', resourcesDir: join(tmp.dir, 'resources') });
    side = await makeSide(lab);
  });
  afterAll(async () => {
    await side.close();
    await lab.close();
    tmp.cleanup();
  });

  it('lists sessions with program, status and verdict; renames; refuses an empty name', async () => {
    const list = await side.api.listSessions({});
    const s = list.find((x) => x.id === failover)!;
    expect(s).toMatchObject({ engine: 'sim', status: 'complete', program: 'counter.s', verdict: { linearizable: true, text: 'linearizable' } });
    expect(list.find((x) => x.id === unlogged)!.verdict).toMatchObject({ diverged: true, text: expect.stringContaining('diverged') });
    expect(await side.api.renameSession({ sessionId: failover, name: 'crash demo' })).toMatchObject({ id: failover, name: 'crash demo' });
    await expect(side.api.renameSession({ sessionId: failover, name: '   ' })).rejects.toMatchObject({ code: 'bad-request', path: 'params.name' });
    await expect(side.api.renameSession({ sessionId: 999, name: 'x' })).rejects.toMatchObject({ code: 'engine-error', message: expect.stringContaining('no session 999') });
  });

  it('opens a replay with its markers, scrubs by time and icount, steps both ways, diffs memory of the moment', async () => {
    const { info, moment } = await side.api.openReplay({ sessionId: failover });
    expect(info.nodes.filter((n) => n.replayable).map((n) => n.name)).toEqual(['A', 'B']);
    expect(info.markers.map((m) => m.category)).toEqual(expect.arrayContaining(['fault', 'failover', 'transfer']));
    expect(info.endIcount).toBeGreaterThan(info.startIcount);
    expect(moment.node).toBe('A');
    expect(moment.machines.find((m) => m.name === 'A')).toMatchObject({ role: 'primary', icount: 0 });

    const early = await side.api.seekReplay({ timeUs: 10_000 });
    expect(early.node).toBe('A');
    expect(early.icount).toBeGreaterThan(0);
    expect(early.machines.find((m) => m.name === 'A')!.registers).toHaveLength(32);
    expect(early.log.entries.some((e) => !e.future)).toBe(true);
    expect(early.outputs.released).toBeGreaterThan(0);

    const late = await side.api.seekReplay({ timeUs: info.durationUs });
    expect(late.node).toBe('B');
    expect(late.machines.find((m) => m.name === 'A')!.role).toBe('crashed');
    expect(late.machines.find((m) => m.name === 'B')!.role).toBe('primary');
    expect(late.markersPassed).toBe(info.markers.length);
    expect(late.outputs.released).toBeGreaterThan(early.outputs.released);

    const at = await side.api.seekReplay({ icount: 2000, node: 'B' });
    expect(at).toMatchObject({ node: 'B', icount: 2000 });
    const fwd = await side.api.stepReplay({ count: 5, direction: 'forward' });
    expect(fwd.icount).toBe(2005);
    const back = await side.api.stepReplay({ count: 100, direction: 'back' });
    expect(back.icount).toBe(1905);
    expect(back.timeUs).toBeLessThanOrEqual(fwd.timeUs);

    const diff = await side.api.replayMemoryDiff({ left: 'A', right: 'B', pagesMax: 2 });
    expect(diff.left.name).toBe('A');
    expect(diff.right).toMatchObject({ name: 'B', icount: 1905 });
    expect(diff.registers.map((r) => r.name)[0]).toBe('pc');
  });

  it('plays forward with replayMoment events and pauses', async () => {
    await side.api.seekReplay({ icount: 1000, node: 'B' });
    const moments: number[] = [];
    const off = side.api.onReplayMoment((m) => moments.push(m.icount));
    await side.api.playReplay({ ips: 20_000 });
    await until('replay frames', () => moments.length >= 2);
    const paused = await side.api.pauseReplay({});
    off();
    expect(paused.playing).toBe(false);
    expect(paused.icount).toBeGreaterThan(1000);
    expect(moments[1]!).toBeGreaterThan(moments[0]!);
  });

  it('verifies a replay with progress events; an unlogged read is the first mismatch with its icount', async () => {
    const progress: string[] = [];
    const off = side.api.onProgress((p) => progress.push(`${p.task}:${p.fraction}`));
    const ok = await side.api.verifyReplay({});
    expect(ok).toMatchObject({ verified: true, firstMismatch: null });
    expect(progress).toContain('verify:0');
    expect(progress.at(-1)).toBe('verify:1');
    await side.api.openReplay({ sessionId: unlogged });
    const bad = await side.api.verifyReplay({});
    off();
    expect(bad.verified).toBe(false);
    expect(bad.firstMismatch).toMatchObject({ kind: 'unlogged-read', node: 'A' });
    expect(bad.firstMismatch!.icount).toBeGreaterThan(0);
  });

  it('exports a session as a standalone file that opens read-only and replays', async () => {
    const downloaded = await side.api.exportSession({ sessionId: failover });
    expect(downloaded.fileName).toMatch(/^crash-demo-\d+\.sqlite$/);
    expect(Buffer.from(downloaded.bytesBase64!, 'base64').subarray(0, 15).toString()).toBe('SQLite format 3');
    const path = join(tmp.dir, 'exported.sqlite');
    expect(await side.api.exportSession({ sessionId: failover, path })).toMatchObject({ path, bytesBase64: null });
    await expect(side.api.exportSession({ sessionId: failover, path })).rejects.toMatchObject({ code: 'engine-error', message: expect.stringContaining('already exists') });
    const opened = await side.api.openSessionFile({ path });
    expect(opened.sessions.map((s) => s.id)).toEqual([failover]);
    const uploaded = await side.api.openSessionFile({ name: 'mine.sqlite', bytesBase64: downloaded.bytesBase64! });
    expect(uploaded.sessions.map((s) => s.name)).toEqual(['crash demo']);
    const { info } = await side.api.openReplay({ sessionId: failover, file: uploaded.file });
    expect(info.file).toBe(uploaded.file);
    expect((await side.api.verifyReplay({})).verified).toBe(true);
  });

  it('names the problem of every bad file, leaves it untouched, and keeps serving', async () => {
    const notSqlite = join(tmp.dir, 'notes.sqlite');
    writeFileSync(notSqlite, 'just some text, not a database at all'.repeat(10));
    const foreign = join(tmp.dir, 'other.sqlite');
    const other = new Database(foreign);
    other.exec('CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES (\'x\')');
    other.close();
    const newer = join(tmp.dir, 'newer.sqlite');
    copyFileSync(join(tmp.dir, 'exported.sqlite'), newer);
    const nd = new Database(newer);
    nd.pragma('user_version = 99');
    nd.close();
    const truncated = join(tmp.dir, 'truncated.sqlite');
    writeFileSync(truncated, readFileSync(join(tmp.dir, 'exported.sqlite')).subarray(0, 60));
    const cases: Array<[string, RegExp]> = [
      [notSqlite, /not an SQLite database/],
      [foreign, /another program/],
      [newer, /newer FT Lab/],
      [truncated, /truncated/],
      [join(tmp.dir, 'missing.sqlite'), /no such file/],
    ];
    for (const [file, message] of cases) {
      const before = existsSync(file) ? readFileSync(file) : null;
      await expect(side.api.openSessionFile({ path: file }), file).rejects.toMatchObject({ code: 'engine-error', message: expect.stringMatching(message) });
      if (before) expect(readFileSync(file).equals(before)).toBe(true);
    }
    await expect(side.api.openSessionFile({ name: 'junk.sqlite', bytesBase64: Buffer.from('junk').toString('base64') })).rejects.toMatchObject({ message: expect.stringMatching(/not an SQLite database/) });
    await expect(side.api.openReplay({ sessionId: 1, file: notSqlite })).rejects.toMatchObject({ code: 'engine-error' });
    expect((await side.api.listSessions({})).length).toBe(2);
  });

  it('refuses malformed params of every session and replay method with a located error', async () => {
    const bad: Array<[keyof LabApi, unknown, string]> = [
      ['renameSession', { sessionId: 0, name: 'x' }, 'params.sessionId'],
      ['deleteSession', { sessionId: 'one' }, 'params.sessionId'],
      ['exportSession', { sessionId: 1, path: 'relative/out.sqlite' }, 'params.path'],
      ['openSessionFile', { path: 'x.sqlite' }, 'params.path'],
      ['openSessionFile', { name: '../../etc/passwd', bytesBase64: 'AA==' }, 'params.name'],
      ['openReplay', { sessionId: 1.5 }, 'params.sessionId'],
      ['seekReplay', { icount: -1 }, 'params.icount'],
      ['seekReplay', { icount: 5, node: 'Z' }, 'params.node'],
      ['stepReplay', { count: 1, direction: 'sideways' }, 'params.direction'],
      ['stepReplay', { count: 0, direction: 'forward' }, 'params.count'],
      ['playReplay', { ips: 0 }, 'params.ips'],
      ['verifyReplay', { fast: true }, 'params'],
      ['replayMemoryDiff', { pages: [-1] }, 'params.pages.0'],
    ];
    for (const [method, params, path] of bad) {
      const call = (side.api[method] as (p: unknown) => Promise<unknown>)(params);
      await expect(call, `${String(method)} ${JSON.stringify(params)}`).rejects.toMatchObject({ code: 'bad-request', path: expect.stringContaining(path) });
    }
    expect((await side.api.getInfo({})).version).toBe('test');
  });

  it('deletes a session (and closes its replay)', async () => {
    await side.api.openReplay({ sessionId: unlogged });
    expect(await side.api.deleteSession({ sessionId: unlogged })).toEqual({ ok: true });
    await expect(side.api.seekReplay({ timeUs: 0 })).rejects.toMatchObject({ message: expect.stringContaining('no replay is open') });
    expect((await side.api.listSessions({})).map((s) => s.id)).toEqual([failover]);
    await expect(side.api.openReplay({ sessionId: unlogged })).rejects.toMatchObject({ message: expect.stringContaining(`no session ${unlogged}`) });
  });
});
