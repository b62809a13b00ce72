/**
 * Integer register names (RISC-V unprivileged spec, chapter 2 and the
 * psABI register table). x8 has two ABI names: s0 and fp; we print s0 as
 * GNU objdump does.
 */
export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

const BY_NAME: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (let i = 0; i < 32; i++) {
    m.set(`x${i}`, i);
    m.set(ABI_NAMES[i]!, i);
  }
  m.set('fp', 8);
  return m;
})();

/** Register number for `x5`, `t0`, `fp`, ... (case-sensitive like GNU as), or undefined. */
export function parseRegister(name: string): number | undefined {
  return BY_NAME.get(name);
}

export function registerName(n: number): string {
  return ABI_NAMES[n & 31]!;
}
