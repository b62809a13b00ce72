export { assemble, asmOk, type AsmOptions, type AsmResult, type SourceMapEntry } from './assemble';
export { ALL_MNEMONICS, PSEUDO_MNEMONICS } from './instructions';
export { DIRECTIVE_NAMES } from './directives';
