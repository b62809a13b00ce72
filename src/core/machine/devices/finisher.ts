/**
 * SiFive test finisher at MemoryMap.finisherBase (QEMU virt "sifive_test"):
 * a 32-bit store to offset 0 with
 * - low half 0x5555 (FINISHER_PASS) → the machine halts with exit code 0;
 * - low half 0x3333 (FINISHER_FAIL) → halts with exit code `value >>> 16`;
 * - low half 0x7777 (FINISHER_RESET) → FT Lab has no reboot: halts with exit code 0.
 * Other values are ignored; reads return 0.
 */
export const FINISHER_SIZE = 0x1000;

export function finisherExitCode(value: number): number | null {
  switch (value & 0xffff) {
    case 0x5555: return 0;
    case 0x3333: return value >>> 16;
    case 0x7777: return 0;
    default: return null;
  }
}
