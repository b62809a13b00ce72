/**
 * A replica machine in its own worker thread. It receives one end of the
 * logging channel (a MessageChannel port) in workerData. The skeleton payload:
 * the primary ships the program as a log entry, the backup recomputes its
 * digest and acknowledges on the same channel.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { assertNever, type HostToReplica, type LogChannelMessage, type ReplicaToHost, type Role } from '../../shared/workerProtocol';
import { digestHex } from './digest';

interface ReplicaWorkerData {
  readonly role: Role;
  readonly logPort: MessagePort;
}

const { role, logPort } = workerData as ReplicaWorkerData;
const host = parentPort;
if (!host) throw new Error('replicaWorker must run in a worker thread');

const toHost = (message: ReplicaToHost): void => host.postMessage(message);
const shippedAt = new Map<number, { at: number; digest: string; bytes: number }>();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

host.on('message', (message: HostToReplica) => {
  switch (message.type) {
    case 'program': {
      if (role !== 'primary') return;
      const payload = encoder.encode(message.source);
      const digest = digestHex(payload);
      const bytes = payload.byteLength; // read before the buffer is transferred (and detached)
      shippedAt.set(message.seq, { at: performance.now(), digest, bytes });
      const entry: LogChannelMessage = { type: 'log', seq: message.seq, payload };
      logPort.postMessage(entry, [payload.buffer]);
      toHost({ type: 'shipped', seq: message.seq, bytes });
      return;
    }
    case 'crash':
      throw new Error(`${role} crashed on request`);
    default:
      assertNever(message, 'host message');
  }
});

logPort.on('message', (message: LogChannelMessage) => {
  switch (message.type) {
    case 'log': {
      if (role !== 'backup') return;
      const digest = digestHex(message.payload);
      // Decoding proves the backup holds the same program, not just the same bytes count.
      void decoder.decode(message.payload);
      logPort.postMessage({ type: 'ack', seq: message.seq, digest } satisfies LogChannelMessage);
      return;
    }
    case 'ack': {
      if (role !== 'primary') return;
      const shipped = shippedAt.get(message.seq);
      if (!shipped) return;
      shippedAt.delete(message.seq);
      toHost({
        type: 'acked',
        seq: message.seq,
        bytes: shipped.bytes,
        primaryDigest: shipped.digest,
        backupDigest: message.digest,
        ackLatencyUs: Math.round((performance.now() - shipped.at) * 1000),
      });
      return;
    }
    default:
      assertNever(message, 'log channel message');
  }
});

toHost({ type: 'ready', role });
