import type { LabTransport } from './labClient';

/** What the preload exposes as `window.ftlab` (a LabTransport over Electron IPC). */
export type PreloadBridge = LabTransport;

declare global {
  interface Window {
    readonly ftlab?: PreloadBridge;
  }
}
