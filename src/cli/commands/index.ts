import type { Command } from 'commander';
import { register as asm } from './asm';
import { register as exec } from './exec';
import { register as bench } from './bench';
import { register as replay } from './replay';
import { register as run } from './run';
import { register as fuzzCmd } from './fuzz';

/** One file per verb; each registers its sub-command on the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: readonly RegisterCommand[] = [
  asm,
  exec,
  bench,
  replay,
  run,
  fuzzCmd,
];
