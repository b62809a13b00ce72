import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeInto, Op, X_SCRATCH } from '../../../src/core/machine/decode';

describe('pre-decoder', () => {
  it('keeps the numeric case labels of the execute loop in sync with Op', () => {
    const src = readFileSync(join(__dirname, '../../../src/core/machine/cpu.ts'), 'utf8');
    const labels = [...src.matchAll(/case (\d+) \/\* ([A-Z0-9]+) \*\//g)];
    expect(labels.length).toBeGreaterThanOrEqual(47);
    for (const [, n, name] of labels) expect(Op[name as keyof typeof Op], name).toBe(Number(n));
  });

  it('specialises immediates to the address and redirects rd = x0', () => {
    const dec = new Int32Array(4);
    const imm = new Int32Array(4);
    decodeInto(dec, imm, 2, 0x00000097); // auipc x1, 0   at RAM + 8
    expect([dec[2] & 0xff, imm[2] >>> 0]).toEqual([Op.LI, 0x8000_0008]);
    decodeInto(dec, imm, 1, 0xff5ff06f); // jal x0, -12  at RAM + 4 → word -2
    expect([dec[1] & 0xff, (dec[1] >>> 8) & 63, imm[1]]).toEqual([Op.JAL, X_SCRATCH, -2]);
    decodeInto(dec, imm, 0, 0x0060006f); // jal x0, +6 (misaligned target)
    expect(dec[0] & 0xff).toBe(Op.SLOW);
  });
});
