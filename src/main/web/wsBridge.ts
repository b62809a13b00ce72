/**
 * LabApi over a WebSocket on 127.0.0.1: the transport of `npm run web` and of
 * the end-to-end tests. One JSON envelope per WebSocket message; every
 * incoming message is validated and answered, a malformed one with an error.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import type { Server } from 'node:http';
import { clientMessage, type ServerMessage } from '../../shared/labSchemas';
import type { LabServer } from '../lab/labServer';

export const labSocketPath = '/lab';
const maxMessageBytes = 4 * 1024 * 1024;
/** Bound on buffered outgoing bytes per client before events are dropped for it (counted). */
const maxBufferedBytes = 16 * 1024 * 1024;

export interface WsBridge {
  readonly clients: () => number;
  readonly droppedEvents: () => number;
  close(): Promise<void>;
}

export function attachWsBridge(http: Server, lab: LabServer): WsBridge {
  const wss = new WebSocketServer({ server: http, path: labSocketPath, maxPayload: maxMessageBytes });
  let dropped = 0;

  const send = (socket: WebSocket, message: ServerMessage): void => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  };

  wss.on('connection', (socket) => {
    const unsubscribe = lab.onEvent((event, payload) => {
      if (socket.bufferedAmount > maxBufferedBytes) {
        dropped++;
        return;
      }
      send(socket, { type: 'event', event, payload } as ServerMessage);
    });
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
    socket.on('message', (data, isBinary) => {
      void handle(socket, isBinary ? null : data.toString());
    });
  });

  async function handle(socket: WebSocket, text: string | null): Promise<void> {
    let raw: unknown;
    try {
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      send(socket, {
        type: 'reply',
        id,
        ok: false,
        error: { code: 'bad-request', message: 'malformed message: expected {"type":"call","id":N,"method":"…","params":{…}}' },
      });
      return;
    }
    const { id, method, params } = parsed.data;
    const outcome = await lab.dispatch(method, params);
    send(socket, outcome.ok ? { type: 'reply', id, ok: true, value: outcome.value } : { type: 'reply', id, ok: false, error: outcome.error });
  }

  return {
    clients: () => wss.clients.size,
    droppedEvents: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
