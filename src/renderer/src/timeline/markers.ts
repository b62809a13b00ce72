/** Timeline markers: which FT events get one, in which category and colour. */
import type { FtEventView } from '../../../shared/labApi';

export type MarkerCategory = 'fault' | 'failover' | 'transfer' | 'divergence' | 'other';

export function markerCategory(type: FtEventView['type']): MarkerCategory | null {
  switch (type) {
    case 'fault':
    case 'crash':
      return 'fault';
    case 'failover':
      return 'failover';
    case 'stateTransfer':
    case 'stateInstalled':
      return 'transfer';
    case 'divergence':
    case 'invariant':
      return 'divergence';
    case 'arbitration':
    case 'view':
    case 'role':
    case 'suspect':
    case 'guestStopped':
    case 'run':
      return 'other';
    case 'checkpoint':
    case 'stall':
      return null;
    default: {
      const never: never = type;
      return never;
    }
  }
}

export interface Marker {
  readonly atMs: number;
  readonly category: MarkerCategory;
  readonly text: string;
  /** Position along the timeline, 0..1. */
  readonly x: number;
}

/** Markers for the events in [0, durationMs], at most `max` (the most recent when more). */
export function layoutMarkers(events: readonly FtEventView[], durationMs: number, max = 400): Marker[] {
  const out: Marker[] = [];
  const span = Math.max(1, durationMs);
  for (let i = events.length - 1; i >= 0 && out.length < max; i--) {
    const e = events[i]!;
    const category = markerCategory(e.type);
    if (!category) continue;
    out.push({ atMs: e.atMs, category, text: `${(e.atMs / 1000).toFixed(2)} s · ${e.node ? `${e.node}: ` : ''}${e.text}`, x: Math.min(1, Math.max(0, e.atMs / span)) });
  }
  return out.reverse();
}
