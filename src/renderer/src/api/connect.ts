/**
 * Picks the LabApi transport: the preload bridge inside Electron, otherwise a
 * WebSocket to the server that served this page (`npm run web`).
 */
import type { LabApi } from '../../../shared/labApi';
import { createLabClient } from '../../../shared/labClient';
import { createWsTransport } from '../../../shared/wsTransport';

export async function connectLab(): Promise<LabApi> {
  if (window.ftlab) return createLabClient(window.ftlab);
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const transport = createWsTransport(new WebSocket(`${scheme}://${location.host}/lab`));
  await transport.opened;
  return createLabClient(transport);
}
