/** Every diagnostic: message, position (line, column, endColumn) and hint. */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/core/asm/assemble';
import type { Diagnostic } from '../../../src/core/diagnostic';

function diags(src: string): Diagnostic[] {
  return assemble(src, { file: 'test.s' }).diagnostics;
}

function one(src: string): Diagnostic {
  const d = diags(src);
  expect(d, JSON.stringify(d)).toHaveLength(1);
  expect(d[0]!.file).toBe('test.s');
  expect(d[0]!.hint).toBeTruthy();
  return d[0]!;
}

/** [line, column, endColumn] of a diagnostic. */
const pos = (d: Diagnostic): [number, number, number] => [d.line, d.column, d.endColumn];

describe('assembler diagnostics', () => {
  it('unknown mnemonic, with a suggestion', () => {
    const d = one('  addd a0, a1, a2\n');
    expect(d.message).toBe("unknown instruction 'addd'");
    expect(d.hint).toMatch(/did you mean 'add/);
    expect(pos(d)).toEqual([1, 3, 7]);
  });

  it('upper-case mnemonic suggests lower case', () => {
    expect(one('ADDI a0, a0, 1').hint).toMatch(/'addi'/);
  });

  it('bad register', () => {
    const d = one('add a0, a1, x32\n');
    expect(d.message).toBe("bad register 'x32'");
    expect(d.hint).toMatch(/x0–x31/);
    expect(pos(d)).toEqual([1, 13, 16]);
    expect(one('add a0, A1, a2').hint).toMatch(/'a1'/);
    expect(one('lw a0, 4(q7)').message).toBe("bad base register 'q7'");
    expect(one('sub a0, a1, 5').message).toBe("expected a register, found '5'");
  });

  it('immediate out of range with the range in the hint', () => {
    const d = one('addi a0, a0, 2048');
    expect(d.message).toBe('immediate out of range: 2048');
    expect(d.hint).toContain('-2048..2047');
    expect(pos(d)).toEqual([1, 14, 18]);
    expect(one('slli a0, a0, 32').hint).toContain('0..31');
    expect(one('lui a0, 0x100000').hint).toContain('0..1048575');
    expect(one('lw a0, -2049(sp)').hint).toContain('-2048..2047');
    expect(one('csrrwi a0, mstatus, 32').hint).toContain('0..31');
    expect(one('csrr a0, 4096').hint).toContain('0..0xfff');
  });

  it('branch and jump targets out of range', () => {
    const far = `beq a0, a1, far\n.space 5000\nfar: nop\n`;
    const d = one(far);
    expect(d.message).toMatch(/branch target out of range/);
    expect(d.hint).toMatch(/-4096..4094/);
    expect(one('j far\n.space 0x100000\nfar: nop\n').hint).toMatch(/call|tail/);
  });

  it('undefined label', () => {
    const d = one('  j nowhere\n');
    expect(d.message).toBe("undefined symbol 'nowhere'");
    expect(pos(d)).toEqual([1, 5, 12]);
    expect(one('beqz a0, 1f\n').message).toBe("undefined local label '1f'");
    expect(one('1: nop\nbeqz a0, 2b\n').message).toBe("undefined local label '2b'");
    expect(one('.word missing + 4').message).toBe("undefined symbol 'missing'");
  });

  it('duplicate label', () => {
    const d = one('loop: nop\nloop: nop\n');
    expect(d.message).toBe("duplicate label 'loop'");
    expect(d.hint).toContain('line 1');
    expect(pos(d)).toEqual([2, 1, 5]);
  });

  it('bad directive', () => {
    const d = one('  .wrod 5\n');
    expect(d.message).toBe("unknown directive '.wrod'");
    expect(pos(d)).toEqual([1, 3, 8]);
    expect(one('.section .weird').message).toBe("unsupported section '.weird'");
    expect(one('.option rvc').message).toMatch(/compressed/);
    expect(one('.align 40').message).toMatch(/alignment out of range/);
    expect(one('.balign 3').message).toMatch(/power of two/);
    expect(one('.ascii 5').message).toMatch(/string in double quotes/);
    expect(one('.word').message).toMatch(/takes 1/);
  });

  it('unterminated string', () => {
    const d = one('.asciz "hello\n');
    expect(d.message).toBe('unterminated string');
    expect(pos(d)).toEqual([1, 8, 14]);
  });

  it('wrong operand count names the syntax', () => {
    const d = one('add a0, a1');
    expect(d.message).toBe('add takes 3 operands, found 2');
    expect(d.hint).toBe('write: add rd, rs1, rs2');
    expect(one('ret a0').message).toMatch(/takes 0/);
  });

  it('li needs a constant; labels are addresses', () => {
    const d = one('li a0, here\nhere: nop\n');
    expect(d.message).toMatch(/li needs a constant.*'here'/);
    expect(d.hint).toMatch(/la/);
  });

  it('expression errors', () => {
    expect(one('.word 1 / 0').message).toBe('division by zero');
    expect(one('addi a0, a0, (1 + 2').message).toBe("expected ')'");
    expect(one('.word 5 6').message).toMatch(/unexpected '6'/);
    expect(one('addi a0, a0, %foo(x)').message).toMatch(/unknown relocation/);
    expect(one('addi a0, a0, %pcrel_lo(x)\nx: nop').message).toMatch(/%pcrel_lo must name the label of an auipc/);
  });

  it('.bss holds only zeros', () => {
    expect(one('.bss\nnop').message).toBe('instruction in .bss');
    expect(one('.bss\n.word 5').message).toBe('non-zero value in .bss');
    expect(diags('.bss\n.word 0\n.space 4')).toEqual([]);
  });

  it('unknown CSR', () => {
    const d = one('csrr a0, mfoo');
    expect(d.message).toBe("unknown CSR 'mfoo'");
    expect(d.hint).toMatch(/mhostid/);
  });

  it('warnings do not make the program unusable', () => {
    const d = diags('li a0, 0x100000000\n.byte 300\n');
    expect(d.map((x) => x.severity)).toEqual(['warning', 'warning']);
  });

  it('reports several errors at once with correct line:col, in order', () => {
    const src = [
      '    .text', //              1
      'start:', //                 2
      '    addi a0, a0, 99999', // 3
      '    bogus t0', //           4
      '    lw   t1, 0(t9)', //     5
      '    .half "x"', //          6
      'start:', //                 7
      '    j    missing', //       8
      '    mv   a0', //            9
      '    sw   a0, 0(sp)', //     10 (fine)
    ].join('\n');
    const d = diags(src);
    expect(d.map((x) => [x.line, x.column, x.message])).toEqual([
      [3, 18, 'immediate out of range: 99999'],
      [4, 5, "unknown instruction 'bogus'"],
      [5, 16, "bad base register 't9'"],
      [6, 11, 'a string is not allowed here'],
      [7, 1, "duplicate label 'start'"],
      [8, 10, "undefined symbol 'missing'"],
      [9, 10, 'mv takes 2 operands, found 1'],
    ]);
    for (const x of d) {
      expect(x.severity).toBe('error');
      expect(x.endColumn).toBeGreaterThan(x.column);
      expect(x.hint).toBeTruthy();
    }
  });

  it('never throws, whatever the input', () => {
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const pieces = ['addi', 'a0', ',', '(', ')', '%hi', '1f', '1:', 'x:', '.word', '"s', "'", '.align', '99999', '-', '<<', '#', '/*', '*/', ';', '\n', ' ', '.equ', 'li', 'la', 'x'];
    for (let k = 0; k < 300; k++) {
      let s = '';
      for (let j = 0; j < 30; j++) s += pieces[rnd(pieces.length)] + ' ';
      expect(() => assemble(s, { file: 'fuzz.s' })).not.toThrow();
    }
  });
});

describe('assembler behaviour details', () => {
  it('source map maps each word of a pseudo-instruction to its line', () => {
    const r = assemble('nop\nli a0, 0x12345678\ncall f\nf: ret\n', { file: 't.s' });
    expect(r.sourceMap).toEqual([
      { addr: 0x80000000, line: 1 },
      { addr: 0x80000004, line: 2 },
      { addr: 0x80000008, line: 2 },
      { addr: 0x8000000c, line: 3 },
      { addr: 0x80000010, line: 3 },
      { addr: 0x80000014, line: 4 },
    ]);
  });

  it('comments, ; separators and block comments', () => {
    const r = assemble('nop # c\nnop; nop /* x\n y */ nop\n', { file: 't.s' });
    expect(r.diagnostics).toEqual([]);
    expect(r.image.segments[0]!.bytes.length).toBe(16);
  });

  it('entry is _start if defined, else the start of .text; tohost is found', () => {
    expect(assemble('nop\n_start: nop', { file: 't.s' }).image.entry).toBe(0x80000004);
    expect(assemble('nop', { file: 't.s' }).image.entry).toBe(0x80000000);
    const r = assemble('nop\n.data\ntohost: .word 0', { file: 't.s' });
    expect(r.image.tohost).toBe(0x80000004);
  });
});
