/** Protocol settings: switches a student flips, and bounds. All times in milliseconds. */
import type { NondetSource } from '../machine/hostPort';
import { defaultFlowControl, type FlowControlSettings } from './flowControl';

export type ArbiterKind = 'test-and-set' | 'view-service' | 'none';
export type SchemeKind = 'log' | 'checkpoint';

export interface FtSettings {
  /** Hold outputs until the backup acknowledged the log up to them. */
  outputRule: boolean;
  arbiter: ArbiterKind;
  scheme: SchemeKind;
  /** Send a heartbeat entry (and the backup an ack) after this much silence. */
  heartbeatMs: number;
  /** Silence after which the partner is presumed dead. */
  failureTimeoutMs: number;
  /** Non-deterministic sources the primary logs ("forget to log seed" removes one). */
  loggedSources: NondetSource[];
  /** Remus checkpoint interval (scheme checkpoint). */
  checkpointMs: number;
  /** Granularity of execution slices. */
  tickMs: number;
  /** Re-send unacknowledged log entries after this long without progress. */
  retransmitMs: number;
  batchEntriesMax: number;
  /**
   * Log entries without an output behind them may wait this long in the
   * primary's batch before it is sent (0: sent at the end of every slice). An
   * output always sends the batch at once: it waits only for its own ack.
   */
  logFlushMs: number;
  /** Input packets the primary hands to the guest's NIC per slice (the NIC queues up to 16). */
  inputsPerTick: number;
  eventBufferEntries: number;
  heldOutputsMax: number;
  /** Input packets queued at a machine before it drops more (a NIC ring). */
  inputQueueMax: number;
  flow: FlowControlSettings;
}

export const ALL_SOURCES: readonly NondetSource[] = ['cycle', 'time', 'seed', 'hostid', 'mtime'];

export function defaultSettings(): FtSettings {
  return {
    outputRule: true,
    arbiter: 'test-and-set',
    scheme: 'log',
    heartbeatMs: 5,
    failureTimeoutMs: 30,
    loggedSources: [...ALL_SOURCES],
    checkpointMs: 10,
    tickMs: 1,
    retransmitMs: 10,
    batchEntriesMax: 256,
    logFlushMs: 0,
    inputsPerTick: 1,
    eventBufferEntries: 4096,
    heldOutputsMax: 256,
    inputQueueMax: 64,
    flow: { ...defaultFlowControl },
  };
}
