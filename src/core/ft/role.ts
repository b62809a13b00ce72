/** What a role (primary, backup, checkpointing primary/backup) gets from the VMM hosting it. */
import type { MachineOutput, NondetSource } from '../machine/hostPort';
import type { Clock, HostEnv, Transport } from './env';
import type { EventSink } from './events';
import type { Message, NodeId, View } from './protocol';
import type { ReplicaMachine } from './replicaMachine';
import type { FtSettings } from './settings';

/** An output a backup produced and discarded; re-sent if it goes live and the primary may not have sent it. */
export interface KeptOutput {
  readonly index: number;
  readonly device: 'uart' | 'nic';
  readonly bytes: Uint8Array;
  readonly icount: number;
}

export interface ReplicaContext {
  readonly id: NodeId;
  readonly clock: Clock;
  readonly transport: Transport;
  readonly env: HostEnv;
  readonly emit: EventSink;
  readonly settings: FtSettings;
  readonly machine: ReplicaMachine;
  readonly arbiterNode: NodeId;
  /** Outputs produced so far: the output sequence number, replicated with the machine state. */
  outputs: number;
  /** Latest view heard from the view service (view-service arbiter only). */
  readonly view: View | null;
  /** Where a guest's NIC packet goes (the client named in it), or null if it names none. */
  route(bytes: Uint8Array): NodeId | null;
  /** This machine won arbitration (or was promoted): it is the only live one from now on. */
  goLiveAlone(epoch: number, resend: readonly KeptOutput[]): void;
  halt(reason: string): void;
  /** The primary finished a state transfer to `to` (view service: it may now acknowledge the view). */
  stateTransferDone(to: NodeId): void;
}

export interface RoleLogic {
  readonly role: 'primary' | 'backup';
  readonly epoch: number;
  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number;
  output(out: MachineOutput): void;
  /** One execution slice and the protocol's periodic work. */
  tick(): void;
  onMessage(from: NodeId, msg: Message): void;
  /** A client packet reached this machine (only a primary takes it). */
  onInput(bytes: Uint8Array): void;
}
