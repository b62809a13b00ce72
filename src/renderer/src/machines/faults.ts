/**
 * Every fault button and safety switch, with the one line that says which
 * lecture concept it demonstrates. Plain data: the fault panel renders it and
 * the unit test checks every FaultAction kind has a button.
 */
import type { FaultAction, FaultKind, NondetSourceName } from '../../../shared/labApi';

export interface FaultButton {
  readonly id: string;
  readonly label: string;
  readonly explains: string;
  readonly action: FaultAction;
  readonly shortcut?: string;
  readonly danger?: boolean;
}

export const faultButtons: readonly FaultButton[] = [
  { id: 'crash-primary', label: 'Crash primary', danger: true, shortcut: 'Alt+1', action: { kind: 'crash', target: 'primary' },
    explains: 'Fail-stop: the backup hears no heartbeat, replays what it has, then goes live and takes the clients.' },
  { id: 'crash-backup', label: 'Crash backup', danger: true, shortcut: 'Alt+2', action: { kind: 'crash', target: 'backup' },
    explains: 'The primary goes on alone — no redundancy until a new backup is made by state transfer.' },
  { id: 'cut-log', label: 'Cut logging channel', danger: true, shortcut: 'Alt+3', action: { kind: 'cutLog', direction: 'both' },
    explains: 'Both machines alive but deaf to each other: each thinks the other died. Who may go live? (split brain)' },
  { id: 'cut-log-acks', label: 'Cut acks only', action: { kind: 'cutLog', direction: 'backup-to-primary' },
    explains: 'The backup still gets the log but its acks are lost: held outputs wait forever (output rule).' },
  { id: 'heal-log', label: 'Heal logging channel', action: { kind: 'healLog' },
    explains: 'Reconnect: a machine that went live must not accept the old primary back without state transfer.' },
  { id: 'cut-arbiter-primary', label: 'Cut primary from arbiter', action: { kind: 'cutArbiter', target: 'primary' },
    explains: 'The primary cannot reach test-and-set / the view service: it must not stay live on its own word.' },
  { id: 'cut-arbiter-backup', label: 'Cut backup from arbiter', action: { kind: 'cutArbiter', target: 'backup' },
    explains: 'The backup cannot ask to go live: if the primary then dies, nobody serves (availability lost, safety kept).' },
  { id: 'heal-arbiter-primary', label: 'Heal primary ↔ arbiter', action: { kind: 'healArbiter', target: 'primary' },
    explains: 'The primary can reach the arbiter again.' },
  { id: 'heal-arbiter-backup', label: 'Heal backup ↔ arbiter', action: { kind: 'healArbiter', target: 'backup' },
    explains: 'The backup can reach the arbiter again.' },
  { id: 'crash-arbiter', label: 'Crash arbiter', danger: true, action: { kind: 'crashArbiter' },
    explains: 'The view service is a single point of failure: with it gone, no failover can be decided.' },
  { id: 'restart-A', label: 'Restart A', action: { kind: 'restart', target: 'A' },
    explains: 'Fail-recover: A comes back empty, having missed updates; it may rejoin only by state transfer.' },
  { id: 'restart-B', label: 'Restart B', action: { kind: 'restart', target: 'B' },
    explains: 'Fail-recover: B comes back empty, having missed updates; it may rejoin only by state transfer.' },
];

export interface SliderFault {
  readonly id: string;
  readonly label: string;
  readonly explains: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly unit: string;
  readonly action: (v: number) => FaultAction;
}

export const sliderFaults: readonly SliderFault[] = [
  { id: 'delay-log', label: 'Delay log messages', unit: 'ms', min: 0, max: 500, step: 10, action: (ms) => ({ kind: 'delayLog', ms }),
    explains: 'Acks come later: the backup lags and every output waits longer (output-rule latency).' },
  { id: 'drop-log', label: 'Drop log messages', unit: '%', min: 0, max: 50, step: 1, action: (p) => ({ kind: 'dropLog', probability: p / 100 }),
    explains: 'Lost entries must be resent: the backup may never skip one (it would diverge).' },
  { id: 'slow-backup', label: 'Backup host speed', unit: '×', min: 0.05, max: 1, step: 0.05, action: (factor) => ({ kind: 'slowBackup', factor }),
    explains: 'A slow backup falls behind; flow control must slow the primary so failover stays quick.' },
];

export const nondetSources: readonly { readonly source: NondetSourceName; readonly what: string }[] = [
  { source: 'seed', what: 'entropy (seed CSR)' },
  { source: 'time', what: 'wall clock (time CSR)' },
  { source: 'cycle', what: 'cycle counter' },
  { source: 'hostid', what: 'host id (mhostid)' },
  { source: 'mtime', what: 'timer device (CLINT mtime)' },
];

/** Every kind of FaultAction the panel can produce (to check none is missing). */
export function faultKindsCovered(): Set<FaultKind> {
  const kinds = new Set<FaultKind>(faultButtons.map((b) => b.action.kind));
  for (const s of sliderFaults) kinds.add(s.action(0).kind);
  kinds.add('forgetToLog');
  kinds.add('rememberToLog');
  kinds.add('outputRule');
  kinds.add('arbiter');
  return kinds;
}
