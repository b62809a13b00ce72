/**
 * Messages between the engine host and the replica workers, and between the
 * primary and the backup over the logging channel (a MessageChannel). Each is a
 * discriminated union on `type`; every switch over them is exhaustive.
 */
export type Role = 'primary' | 'backup';

/** Engine → replica worker. */
export type HostToReplica =
  | { readonly type: 'program'; readonly seq: number; readonly source: string }
  | { readonly type: 'crash' };

/** Replica worker → engine. */
export type ReplicaToHost =
  | { readonly type: 'ready'; readonly role: Role }
  | { readonly type: 'shipped'; readonly seq: number; readonly bytes: number }
  | {
      readonly type: 'acked';
      readonly seq: number;
      readonly bytes: number;
      readonly primaryDigest: string;
      readonly backupDigest: string;
      readonly ackLatencyUs: number;
    }
  | { readonly type: 'received'; readonly seq: number; readonly digest: string };

/** Primary → backup over the logging channel. */
export type LogChannelMessage =
  | { readonly type: 'log'; readonly seq: number; readonly payload: Uint8Array }
  | { readonly type: 'ack'; readonly seq: number; readonly digest: string };

export function assertNever(value: never, what: string): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
