import { Command, CommanderError } from 'commander';
import { commands } from './commands/index';

export function buildProgram(): Command {
  const program = new Command('ftlab')
    .description(
      'FT Lab headless: assemble and run RISC-V guest programs, replicate them the way VMware FT does, ' +
        'inject faults, record sessions to SQLite and replay them.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run ftlab --help for usage)');
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram().exitOverride();
  try {
    await program.parseAsync(argv as string[]);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}
