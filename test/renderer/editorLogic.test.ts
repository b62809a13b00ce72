import { describe, expect, it } from 'vitest';
import { findLabelDefinitions, resolveLabel } from '../../src/renderer/src/editor/labels';
import { diagnosticsToMarkers, MarkerSeverity, summarizeDiagnostics } from '../../src/renderer/src/editor/markers';
import { SourceLines } from '../../src/renderer/src/editor/sourceMap';
import { hoverMarkdown } from '../../src/renderer/src/editor/hover';
import { adaptDocs } from '../../src/renderer/src/editor/docsAdapter';
import { classifyWord, registerRole } from '../../src/renderer/src/editor/vocabulary';
import type { Diagnostic } from '../../src/core/diagnostic';

const source = ['_start:', '1:  addi a0, a0, 1   # x: not a label', '    bnez a0, 1b', 'a: b: nop', '    j 1f', '1:  j _start', 'msg: .asciz "a: b"'].join('\n');

describe('labels', () => {
  it('finds every label, several per line, not inside comments or strings', () => {
    expect(findLabelDefinitions(source).map((d) => `${d.name}@${d.line}:${d.column}`)).toEqual([
      '_start@1:1', '1@2:1', 'a@4:1', 'b@4:4', '1@6:1', 'msg@7:1',
    ]);
  });
  it('resolves symbols and GNU local labels in the right direction', () => {
    expect(resolveLabel(source, '_start', 6)?.line).toBe(1);
    expect(resolveLabel(source, '1b', 3)?.line).toBe(2);
    expect(resolveLabel(source, '1f', 5)?.line).toBe(6);
    expect(resolveLabel(source, '1b', 6)?.line).toBe(6);
    expect(resolveLabel(source, 'nowhere', 1)).toBeUndefined();
  });
});

describe('markers', () => {
  const d = (over: Partial<Diagnostic>): Diagnostic => ({ severity: 'error', file: 'a.s', line: 3, column: 5, endColumn: 9, message: 'bad', ...over });
  it('maps diagnostics to Monaco markers with the hint on a second line', () => {
    const [m] = diagnosticsToMarkers([d({ hint: 'do this' })], () => 20);
    expect(m).toMatchObject({ severity: MarkerSeverity.Error, startLineNumber: 3, startColumn: 5, endColumn: 9, message: 'bad\ndo this' });
  });
  it('underlines the rest of the line for a zero-width diagnostic, and line 1 for a positionless one', () => {
    expect(diagnosticsToMarkers([d({ endColumn: 5 })], () => 12)[0]).toMatchObject({ startColumn: 5, endColumn: 13 });
    expect(diagnosticsToMarkers([d({ line: 0, column: 0, endColumn: 0, severity: 'warning' })], () => 4)[0]).toMatchObject({
      severity: MarkerSeverity.Warning, startLineNumber: 1, startColumn: 1, endColumn: 5,
    });
  });
  it('summarises', () => {
    expect(summarizeDiagnostics([])).toBe('no problems');
    expect(summarizeDiagnostics([d({}), d({}), d({ severity: 'warning' })])).toBe('2 errors, 1 warning');
  });
});

describe('source map', () => {
  const lines = new SourceLines([
    { addr: 0x8000_0000, line: 4 },
    { addr: 0x8000_0004, line: 5 },
    { addr: 0x8000_0008, line: 5 },
  ]);
  it('maps pc → line and line → first address', () => {
    expect(lines.lineOf(0x8000_0008)).toBe(5);
    expect(lines.lineOf(0x8000_0010)).toBeUndefined();
    expect(lines.addressOf(5)).toBe(0x8000_0004);
    expect(lines.hasCode(3)).toBe(false);
    expect(lines.nearestCodeLine(1, 10)).toBe(4);
  });
});

describe('hover', () => {
  const docs = adaptDocs({
    INSTRUCTION_DOCS: { addi: { syntax: 'addi rd, rs1, imm', format: 'I', summary: 'Add immediate.', extension: 'I' }, li: { syntax: 'li rd, imm', format: 'I', summary: 'Load a constant.', expands: 'addi rd, x0, imm', extension: 'pseudo' } },
    CSR_DOCS: { seed: { number: 0x15, summary: 'Entropy source.', readOnly: false, nondeterministic: 'true randomness from the host' } },
    instructionDoc: (m: string) => (m === 'ecall' ? { syntax: 'ecall', summary: 'Environment call.' } : undefined),
  });
  it('documents an instruction with syntax and format', () => {
    const md = hoverMarkdown('ADDI', docs)!.join('\n');
    expect(md).toContain('**addi** — instruction · I · I-type');
    expect(md).toContain('addi rd, rs1, imm');
  });
  it('shows what a pseudo-instruction expands to', () => {
    expect(hoverMarkdown('li', docs)!.join('\n')).toContain('Expands to: `addi rd, x0, imm`');
  });
  it('explains why a CSR is non-deterministic, with or without the docs table', () => {
    expect(hoverMarkdown('seed', docs)!.join('\n')).toMatch(/Non-deterministic input.*true randomness.*primary logs/s);
    expect(hoverMarkdown('mhostid', undefined)!.join('\n')).toMatch(/different on the primary and the backup/);
    expect(hoverMarkdown('mscratch', undefined)!.join('\n')).not.toMatch(/Non-deterministic/);
  });
  it('describes registers and directives, and nothing for a plain symbol', () => {
    expect(hoverMarkdown('sp', docs)).toEqual(['**sp** — register x2', 'stack pointer']);
    expect(hoverMarkdown('x10', docs)![1]).toMatch(/argument/);
    expect(hoverMarkdown('.asciz', docs)![1]).toMatch(/NUL-terminated/);
    expect(hoverMarkdown('loop', docs)).toBeUndefined();
    expect(hoverMarkdown('ecall', docs)!.join('\n')).toContain('Environment call.');
  });
  it('classifies words', () => {
    expect(classifyWord('fence.i')).toBe('instruction');
    expect(classifyWord('bnez')).toBe('pseudo');
    expect(classifyWord('fp')).toBe('register');
    expect(classifyWord('x32')).toBeUndefined();
    expect(classifyWord('time')).toBe('csr');
    expect(registerRole('zero')).toMatch(/zero/);
  });
});
