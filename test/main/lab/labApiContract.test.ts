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
import { LabCallError, type LabApi, type RoundTrip } from '../../../src/shared/labApi';
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
