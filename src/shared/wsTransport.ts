/**
 * The client side of LabApi over a WebSocket. Works with the browser's
 * WebSocket (renderer in `npm run web`) and with the `ws` package (tests, CLI).
 */
import type { LabEventName, LabMethodName, Unsubscribe } from './labApi';
import type { CallOutcome, LabTransport } from './labClient';
import type { ServerMessage } from './labSchemas';

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const openState = 1;
/** Bound on calls awaiting a reply. */
const maxInFlight = 1024;

export interface WsTransport extends LabTransport {
  readonly opened: Promise<void>;
  close(): void;
}

export function createWsTransport(socket: WebSocketLike): WsTransport {
  let nextId = 1;
  const inFlight = new Map<number, (outcome: CallOutcome) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const opened = new Promise<void>((resolve, reject) => {
    if (socket.readyState === openState) resolve();
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('cannot connect to the FT Lab engine')));
  });
  socket.addEventListener('close', () => {
    for (const settle of inFlight.values()) {
      settle({ ok: false, error: { code: 'engine-error', message: 'connection to the engine closed' } });
    }
    inFlight.clear();
  });
  socket.addEventListener('message', (event) => {
    let message: ServerMessage;
    try {
      message = JSON.parse(String(event.data)) as ServerMessage;
    } catch {
      return;
    }
    if (message.type === 'reply') {
      const settle = inFlight.get(message.id);
      if (!settle) return;
      inFlight.delete(message.id);
      settle(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
    } else if (message.type === 'event') {
      for (const listener of listeners.get(message.event) ?? []) listener(message.payload);
    }
  });
  return {
    opened,
    async call(method: LabMethodName, params: unknown): Promise<CallOutcome> {
      await opened;
      if (inFlight.size >= maxInFlight) {
        return { ok: false, error: { code: 'engine-error', message: 'too many calls in flight' } };
      }
      const id = nextId++;
      return new Promise<CallOutcome>((resolve) => {
        inFlight.set(id, resolve);
        socket.send(JSON.stringify({ type: 'call', id, method, params }));
      });
    },
    subscribe(event: LabEventName, listener: (payload: unknown) => void): Unsubscribe {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    close: () => socket.close(),
  };
}
