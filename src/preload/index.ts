/**
 * Preload (sandboxed, CommonJS): exposes exactly two functions to the
 * renderer — a call and an event subscription on the LabApi channels. Never
 * raw ipcRenderer. The renderer builds the typed LabApi on top of these.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { PreloadBridge } from '../shared/preloadBridge';

const callChannel = 'lab:call';
const eventChannel = 'lab:event';
let nextId = 1;

const bridge: PreloadBridge = {
  call: (method, params) => ipcRenderer.invoke(callChannel, { id: nextId++, method, params }),
  subscribe: (event, listener) => {
    const handler = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message && message.event === event) listener(message.payload);
    };
    ipcRenderer.on(eventChannel, handler);
    return () => {
      ipcRenderer.removeListener(eventChannel, handler);
    };
  },
};

contextBridge.exposeInMainWorld('ftlab', bridge);
