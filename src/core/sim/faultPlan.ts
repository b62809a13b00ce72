/**
 * Faults are data (TigerBeetle's VOPR habit): a plan is a list of actions,
 * each triggered at a virtual time, at a primary icount, or after N client
 * acknowledgements. The simulator applies them to the network, the hosts and
 * the settings — the protocol code has no `if (fault)` anywhere.
 */
import type { NondetSource } from '../machine/hostPort';

export type FaultAt =
  | { readonly ms: number }
  | { readonly primaryIcount: number }
  | { readonly clientAcks: number };

export type MachineRef = 'primary' | 'backup' | 'A' | 'B' | 'C' | 'crashed';

export type FaultAction =
  | { readonly do: 'crash-primary' }
  | { readonly do: 'crash-backup' }
  | { readonly do: 'crash'; readonly target: MachineRef }
  | { readonly do: 'crash-arbiter' }
  | { readonly do: 'restart'; readonly target: MachineRef }
  | { readonly do: 'cut-log'; readonly direction: 'both' | 'to-backup' | 'to-primary' }
  | { readonly do: 'heal-log' }
  | { readonly do: 'cut-arbiter'; readonly target: MachineRef }
  | { readonly do: 'heal-arbiter'; readonly target: MachineRef }
  | { readonly do: 'delay-log'; readonly ms: number }
  | { readonly do: 'drop-log'; readonly rate: number }
  | { readonly do: 'duplicate-log'; readonly rate: number }
  | { readonly do: 'reorder-log'; readonly ms: number }
  | { readonly do: 'normal-log' }
  | { readonly do: 'slow-backup'; readonly factor: number }
  | { readonly do: 'output-rule-off' }
  | { readonly do: 'output-rule-on' }
  | { readonly do: 'arbitration-off' }
  | { readonly do: 'forget-to-log'; readonly source: NondetSource };

export type FaultKind = FaultAction['do'];

export type Fault = { readonly at: FaultAt } & FaultAction;

/** Parameters each action takes (name → kind), for validation and for the UI. */
export const FAULT_PARAMS: Readonly<Record<FaultKind, Readonly<Record<string, 'machine' | 'direction' | 'ms' | 'rate' | 'factor' | 'source'>>>> = {
  'crash-primary': {},
  'crash-backup': {},
  crash: { target: 'machine' },
  'crash-arbiter': {},
  restart: { target: 'machine' },
  'cut-log': { direction: 'direction' },
  'heal-log': {},
  'cut-arbiter': { target: 'machine' },
  'heal-arbiter': { target: 'machine' },
  'delay-log': { ms: 'ms' },
  'drop-log': { rate: 'rate' },
  'duplicate-log': { rate: 'rate' },
  'reorder-log': { ms: 'ms' },
  'normal-log': {},
  'slow-backup': { factor: 'factor' },
  'output-rule-off': {},
  'output-rule-on': {},
  'arbitration-off': {},
  'forget-to-log': { source: 'source' },
};

/** Defaults for optional parameters. */
export const FAULT_DEFAULTS: Readonly<Record<string, unknown>> = { 'cut-log.direction': 'both', 'restart.target': 'crashed' };

/** Faults that switch safety off (the fuzzer never uses them; anomalies are expected with them). */
export const UNSAFE_FAULTS: ReadonlySet<FaultKind> = new Set(['output-rule-off', 'arbitration-off', 'forget-to-log']);

export function describeFault(f: Fault): string {
  const at = 'ms' in f.at ? `${f.at.ms}ms` : 'primaryIcount' in f.at ? `icount ${f.at.primaryIcount}` : `${f.at.clientAcks} acks`;
  const params = Object.entries(f)
    .filter(([k]) => k !== 'at' && k !== 'do')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `@${at} ${f.do}${params ? ' ' + params : ''}`;
}
