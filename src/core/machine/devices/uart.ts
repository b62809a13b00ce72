/**
 * NS16550A UART at MemoryMap.uartBase (QEMU virt), transmit only.
 *
 * | off | read                  | write                         |
 * |-----|-----------------------|-------------------------------|
 * | 0   | RBR: 0 (no input)     | THR: output one byte (DLL when LCR.DLAB) |
 * | 1   | IER (DLM when DLAB)   | IER (DLM when DLAB)           |
 * | 2   | IIR: 0xC1 (no interrupt, FIFOs on) | FCR: ignored      |
 * | 3   | LCR                   | LCR (bit 7 = DLAB)            |
 * | 4   | MCR                   | MCR                           |
 * | 5   | LSR: 0x60 (THR empty, transmitter idle: always ready) | ignored |
 * | 6   | MSR: 0                | ignored                       |
 * | 7   | SCR                   | SCR                           |
 *
 * Every transmitted byte is a guest output (HostPort.output, device 'uart').
 */
export const UART_SIZE = 0x100;

export class Uart {
  ier = 0;
  lcr = 0;
  mcr = 0;
  scr = 0;
  dll = 0;
  dlm = 0;

  constructor(private readonly emit: (byte: number) => void) {}

  read(off: number): number {
    const dlab = (this.lcr & 0x80) !== 0;
    switch (off) {
      case 0: return dlab ? this.dll : 0;
      case 1: return dlab ? this.dlm : this.ier;
      case 2: return 0xc1;
      case 3: return this.lcr;
      case 4: return this.mcr;
      case 5: return 0x60;
      case 7: return this.scr;
      default: return 0;
    }
  }

  write(off: number, value: number): void {
    const v = value & 0xff;
    const dlab = (this.lcr & 0x80) !== 0;
    switch (off) {
      case 0: if (dlab) this.dll = v; else this.emit(v); break;
      case 1: if (dlab) this.dlm = v; else this.ier = v & 0x0f; break;
      case 3: this.lcr = v; break;
      case 4: this.mcr = v & 0x1f; break;
      case 7: this.scr = v; break;
      default: break;
    }
  }

  save(): number[] {
    return [this.ier, this.lcr, this.mcr, this.scr, this.dll, this.dlm];
  }

  load(s: readonly number[]): void {
    [this.ier, this.lcr, this.mcr, this.scr, this.dll, this.dlm] = s as [number, number, number, number, number, number];
  }
}
