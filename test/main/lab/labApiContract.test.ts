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
import { readFileSync } from 'node:fs';
import { tempDir } from '../../helpers/tmp';

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
    expect(events).toEqual(expect.arrayContaining(['log-shipped', 'log-acked', 'recorded']));
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
    await side.api.setSettings({ heartbeatMs: 10, failureTimeoutMs: 100 });
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
