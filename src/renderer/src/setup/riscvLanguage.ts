/**
 * The RISC-V assembly language for Monaco: highlighting (mnemonics,
 * pseudo-instructions, registers, CSRs, directives, labels, numbers,
 * comments), hovers from the ISA docs table, go to a label's definition, and
 * completion. Registered once by setup/monaco.ts.
 */
import type * as Monaco from 'monaco-editor';
import { baseMnemonics, csrNames, directives, pseudoMnemonics, registerNames } from '../editor/vocabulary';
import { hoverMarkdown } from '../editor/hover';
import { resolveLabel, findLabelDefinitions } from '../editor/labels';
import { docsLookup, loadDocs } from '../editor/coreModules';

export const riscvLanguageId = 'riscv-asm';

/** Words include dots (fence.i, zext.b, .text) and `$`. */
const wordPattern = /(-?\d*\.\d\w*)|([.A-Za-z_$][\w.$]*)|(\d+[bf])/g;

export function registerRiscvLanguage(monaco: typeof Monaco): void {
  monaco.languages.register({ id: riscvLanguageId, extensions: ['.s', '.S', '.asm'], aliases: ['RISC-V assembly'] });
  monaco.languages.setMonarchTokensProvider(riscvLanguageId, {
    ignoreCase: true,
    instructions: baseMnemonics,
    pseudos: pseudoMnemonics,
    registers: registerNames,
    csrs: csrNames,
    directives,
    tokenizer: {
      root: [
        [/#.*$/, 'comment'],
        [/\/\/.*$/, 'comment'],
        [/\/\*/, 'comment', '@blockComment'],
        [/^\s*[A-Za-z_.$][\w.$]*:/, 'type.identifier'],
        [/^\s*\d+:/, 'type.identifier'],
        [/\.[A-Za-z_][\w]*/, { cases: { '@directives': 'keyword.directive', '@default': 'keyword.directive.unknown' } }],
        [/%(hi|lo|pcrel_hi|pcrel_lo)\b/, 'keyword.reloc'],
        [/"([^"\\]|\\.)*"/, 'string'],
        [/'([^'\\]|\\.)'/, 'string'],
        [/-?0x[0-9a-fA-F_]+\b/, 'number.hex'],
        [/-?0b[01_]+\b/, 'number.binary'],
        [/\d+[bf]\b/, 'type.identifier.local'],
        [/-?\d+\b/, 'number'],
        [
          /[A-Za-z_$][\w.$]*/,
          {
            cases: {
              '@instructions': 'keyword.instruction',
              '@pseudos': 'keyword.pseudo',
              '@registers': 'variable.predefined',
              '@csrs': 'constant.csr',
              '@default': 'identifier',
            },
          },
        ],
      ],
      blockComment: [
        [/[^*]+/, 'comment'],
        [/\*\//, 'comment', '@pop'],
        [/\*/, 'comment'],
      ],
    },
  });
  monaco.languages.setLanguageConfiguration(riscvLanguageId, {
    comments: { lineComment: '#', blockComment: ['/*', '*/'] },
    brackets: [['(', ')']],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '"', close: '"' },
    ],
    wordPattern,
  });

  void loadDocs();
  monaco.languages.registerHoverProvider(riscvLanguageId, {
    provideHover(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const paragraphs = hoverMarkdown(word.word, docsLookup());
      if (paragraphs) return { range, contents: paragraphs.map((value) => ({ value })) };
      const def = resolveLabel(model.getValue(), word.word, position.lineNumber);
      if (def) return { range, contents: [{ value: `**${def.name}** — label defined on line ${def.line} (Ctrl+click to go there)` }] };
      return null;
    },
  });

  monaco.languages.registerDefinitionProvider(riscvLanguageId, {
    provideDefinition(model, position) {
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const def = resolveLabel(model.getValue(), word.word, position.lineNumber);
      if (!def) return null;
      return {
        uri: model.uri,
        range: new monaco.Range(def.line, def.column, def.line, def.column + def.name.length),
      };
    },
  });

  monaco.languages.registerCompletionItemProvider(riscvLanguageId, {
    triggerCharacters: ['.'],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const kinds = monaco.languages.CompletionItemKind;
      const item = (label: string, kind: Monaco.languages.CompletionItemKind, detail: string) => ({ label, kind, detail, insertText: label, range });
      const labels = [...new Set(findLabelDefinitions(model.getValue()).map((d) => d.name).filter((n) => !/^\d+$/.test(n)))];
      return {
        suggestions: [
          ...baseMnemonics.map((m) => item(m, kinds.Keyword, 'instruction')),
          ...pseudoMnemonics.map((m) => item(m, kinds.Snippet, 'pseudo-instruction')),
          ...registerNames.map((r) => item(r, kinds.Variable, 'register')),
          ...csrNames.map((c) => item(c, kinds.Constant, 'CSR')),
          ...directives.map((d) => item(d, kinds.Module, 'directive')),
          ...labels.map((l) => item(l, kinds.Reference, 'label')),
        ],
      };
    },
  });
}

/** Editor colour themes: the base themes plus FT Lab's token colours. */
export function defineFtLabThemes(monaco: typeof Monaco): void {
  monaco.editor.defineTheme('ftlab-light', {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'keyword.instruction', foreground: '0b5cad', fontStyle: 'bold' },
      { token: 'keyword.pseudo', foreground: '6f42c1', fontStyle: 'bold' },
      { token: 'keyword.directive', foreground: '8a5a00' },
      { token: 'keyword.directive.unknown', foreground: 'aa3333' },
      { token: 'variable.predefined', foreground: '116644' },
      { token: 'constant.csr', foreground: 'b4531c' },
      { token: 'type.identifier', foreground: '8b1d6b', fontStyle: 'bold' },
      { token: 'number', foreground: '098658' },
      { token: 'number.hex', foreground: '098658' },
      { token: 'comment', foreground: '6a737d', fontStyle: 'italic' },
    ],
    colors: {},
  });
  monaco.editor.defineTheme('ftlab-dark', {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'keyword.instruction', foreground: '6cb6ff', fontStyle: 'bold' },
      { token: 'keyword.pseudo', foreground: 'c39bff', fontStyle: 'bold' },
      { token: 'keyword.directive', foreground: 'e0b060' },
      { token: 'keyword.directive.unknown', foreground: 'ff8080' },
      { token: 'variable.predefined', foreground: '7ee2b8' },
      { token: 'constant.csr', foreground: 'ffa657' },
      { token: 'type.identifier', foreground: 'f778ba', fontStyle: 'bold' },
      { token: 'number', foreground: 'b5cea8' },
      { token: 'number.hex', foreground: 'b5cea8' },
      { token: 'comment', foreground: '8b949e', fontStyle: 'italic' },
    ],
    colors: { 'editor.background': '#1b1e24' },
  });
}
