/** Plain helpers for the topology view: labels, colours and the channel's moving entries. */
import type { LabState, MachineName, MachineView } from '../../../shared/labApi';

export const machineNames: readonly MachineName[] = ['A', 'B', 'C'];

export function machineByName(state: LabState | null, name: MachineName): MachineView | null {
  return state?.machines.find((m) => m.name === name) ?? null;
}

export function stateLabel(m: MachineView): string {
  switch (m.state) {
    case 'running': return m.role === 'backup' ? 'replaying' : 'running';
    case 'live': return 'live (alone)';
    case 'stalled': return 'stalled — waiting for the backup';
    case 'idle': return 'idle spare';
    default: return m.state;
  }
}

/** How many dots travel along the channel: more entries per second, more dots (bounded). */
export function channelDots(entriesPerSec: number, cut: boolean): number {
  if (cut || entriesPerSec <= 0) return 0;
  return Math.min(6, 1 + Math.floor(Math.log10(1 + entriesPerSec)));
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return n.toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
