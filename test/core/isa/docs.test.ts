import { describe, expect, it } from 'vitest';
import { ALL_MNEMONICS, PSEUDO_MNEMONICS } from '../../../src/core/asm';
import { CSR, csrIsNondeterministic } from '../../../src/core/isa/csr';
import { CSR_DOCS, csrDoc, instructionDoc, INSTRUCTION_DOCS } from '../../../src/core/isa/docs';
import { MNEMONICS, SPEC_BY_OP } from '../../../src/core/isa/opcodes';

describe('isa docs', () => {
  it('documents every mnemonic the assembler accepts, with its format', () => {
    for (const m of ALL_MNEMONICS) {
      const d = instructionDoc(m);
      expect(d, m).toBeDefined();
      expect(d!.summary.length, m).toBeGreaterThan(5);
      expect(d!.syntax.startsWith(m), m).toBe(true);
    }
    for (const m of MNEMONICS) expect([m, INSTRUCTION_DOCS[m]!.format]).toEqual([m, SPEC_BY_OP.get(m)!.format]);
    for (const m of PSEUDO_MNEMONICS) expect(instructionDoc(m)!.expands, m).toBeTruthy();
  });

  it('documents every CSR with its number, and says why time/cycle/seed/mhostid are non-deterministic', () => {
    for (const [name, num] of Object.entries(CSR)) {
      expect([name, csrDoc(name)?.number]).toEqual([name, num]);
      expect(Boolean(csrDoc(name)!.nondeterministic), name).toBe(csrIsNondeterministic(num));
    }
    expect(Object.keys(CSR_DOCS).sort()).toEqual(Object.keys(CSR).sort());
    for (const n of ['time', 'cycle', 'seed', 'mhostid']) expect(csrDoc(n)!.nondeterministic).toMatch(/primary/);
    expect(CSR.mhostid).toBe(0xfc0);
    expect(CSR.seed).toBe(0x015);
  });

  it('has no entries for unknown names', () => {
    expect(instructionDoc('toString')).toBeUndefined();
    expect(csrDoc('constructor')).toBeUndefined();
  });
});
