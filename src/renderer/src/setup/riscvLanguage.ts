/** The RISC-V assembly language for Monaco: tokens for highlighting. */
import type * as Monaco from 'monaco-editor';

export const riscvLanguageId = 'riscv-asm';

const registerNames = [
  ...Array.from({ length: 32 }, (_, i) => `x${i}`),
  'zero', 'ra', 'sp', 'gp', 'tp', 'fp',
  ...Array.from({ length: 7 }, (_, i) => `t${i}`),
  ...Array.from({ length: 12 }, (_, i) => `s${i}`),
  ...Array.from({ length: 8 }, (_, i) => `a${i}`),
];

export function registerRiscvLanguage(monaco: typeof Monaco): void {
  monaco.languages.register({ id: riscvLanguageId, extensions: ['.s', '.S', '.asm'], aliases: ['RISC-V assembly'] });
  monaco.languages.setMonarchTokensProvider(riscvLanguageId, {
    ignoreCase: true,
    registers: registerNames,
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/\/\/.*$/, 'comment'],
        [/^\s*[A-Za-z_.$][\w.$]*:/, 'type.identifier'],
        [/^\s*\d+:/, 'type.identifier'],
        [/\.[A-Za-z_][\w]*/, 'keyword.directive'],
        [/%(hi|lo|pcrel_hi|pcrel_lo)\b/, 'keyword'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/'([^'\\]|\\.)'/, 'string'],
        [/-?0x[0-9a-fA-F]+\b/, 'number.hex'],
        [/-?\d+[bf]?\b/, 'number'],
        [/[A-Za-z_][\w.]*/, { cases: { '@registers': 'variable.predefined', '@default': 'identifier' } }],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration(riscvLanguageId, {
    comments: { lineComment: '#' },
    brackets: [['(', ')']],
  });
}
