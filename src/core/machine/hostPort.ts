/**
 * The boundary of non-determinism (VMware FT §2.1): everything the guest can
 * observe that does not follow from its own instructions passes through here.
 *
 * - reads of cycle/time/seed/host-id CSRs and of the CLINT's mtime register:
 *   `nondetRead` — the primary's host answers from the real (or simulated)
 *   host and *records* the value; the backup's host *supplies* the logged one;
 * - interrupts and incoming packets are pushed by the host with
 *   `Machine.deliver()` at an exact icount (between instructions);
 * - outputs (UART bytes, transmitted packets) leave through `output`, so the
 *   FT layer can hold them (output rule) or discard them (backup).
 *
 * Everything else the machine does is a pure function of its state.
 */
export type NondetSource = 'cycle' | 'time' | 'seed' | 'hostid' | 'mtime';

export type MachineOutput =
  | { readonly device: 'uart'; readonly icount: number; readonly bytes: Uint8Array }
  | { readonly device: 'nic'; readonly icount: number; readonly bytes: Uint8Array };

export interface HostPort {
  /**
   * A non-deterministic read at instruction count `icount` (the value of
   * instret before the reading instruction retires). 32-bit sources return
   * an unsigned 32-bit number; `mtime`/`cycle`/`time` return the low or high
   * half according to `half`.
   */
  nondetRead(source: NondetSource, half: 'lo' | 'hi', icount: number): number;
  /** The guest produced an output. */
  output(out: MachineOutput): void;
}

/** Events a host injects into the machine between two instructions. */
export type InjectedEvent =
  /** Machine timer interrupt: sets mip.MTIP (cleared when the guest writes mtimecmp). */
  | { readonly kind: 'timer' }
  /**
   * A packet from the network: the VMM copies `bytes` into the NIC's receive
   * buffer in guest memory (bounce buffer) and raises the receive interrupt.
   */
  | { readonly kind: 'packet'; readonly bytes: Uint8Array };
