export { loadElf, type LoadElfResult } from './loadElf';
export { writeElf } from './writeElf';
