/**
 * LabApi over Electron IPC: the transport of the desktop app. The preload
 * exposes `invoke('lab:call', envelope)` and a `lab:event` subscription through
 * contextBridge; this side validates every envelope and answers every call.
 *
 * Typed against the small part of Electron it uses so the contract tests can
 * drive it without launching Electron.
 */
import { callEnvelope } from '../../shared/labSchemas';
import type { CallOutcome } from '../../shared/labClient';
import type { LabServer } from '../lab/labServer';

export const ipcChannels = { call: 'lab:call', event: 'lab:event' } as const;

export interface IpcInvokeEventLike {
  readonly senderFrame?: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, message: unknown): void;
}

export interface IpcBridgeOptions {
  /** Only frames whose URL passes this check may call (the app's own renderer). */
  readonly isTrustedSender: (url: string) => boolean;
}

export function attachIpcBridge(ipc: IpcMainLike, lab: LabServer, target: EventTarget, options: IpcBridgeOptions): () => void {
  ipc.handle(ipcChannels.call, async (event, raw): Promise<CallOutcome> => {
    const url = event.senderFrame?.url ?? '';
    if (!options.isTrustedSender(url)) {
      return { ok: false, error: { code: 'bad-request', message: 'call from an untrusted frame refused' } };
    }
    const parsed = callEnvelope.safeParse(raw);
    if (!parsed.success) {
      return { ok: false, error: { code: 'bad-request', message: 'malformed call: expected {id, method, params}' } };
    }
    return lab.dispatch(parsed.data.method, parsed.data.params);
  });
  const unsubscribe = lab.onEvent((event, payload) => {
    if (!target.isDestroyed()) target.send(ipcChannels.event, { type: 'event', event, payload });
  });
  return () => {
    unsubscribe();
    ipc.removeHandler(ipcChannels.call);
  };
}
