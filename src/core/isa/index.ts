export * from './fields';
export * from './instruction';
export * from './opcodes';
export * from './registers';
export * from './csr';
export { decode } from './decode';
export { encode } from './encode';
export { disassemble, type DisassembleOptions } from './disassemble';
export * from './docs';
