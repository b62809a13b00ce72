/**
 * What the toolbar, the menus and the keyboard shortcuts do: one place, so a
 * button and its shortcut can never disagree.
 */
import { useLabStore } from '../stores/lab';
import { useEditorStore } from '../stores/editor';
import { isElf, useFileAccess } from './useFileAccess';
import { bytesToBase64 } from '../util/base64';

export function useWorkbenchActions() {
  const lab = useLabStore();
  const program = useEditorStore();
  const files = useFileAccess();

  /** Load the editor's program (or the opened ELF) and start it on primary + backup. */
  async function runProgram(options: { paused?: boolean } = {}): Promise<void> {
    lab.scenario = null;
    lab.scenarioProgram = null;
    lab.scenarioSource = null;
    // Run means the student's program: give it back if the editor was showing the scenario's.
    program.restoreOwn('scenario');
    if (lab.liveAvailable === false) {
      // The live engine is not there yet: fall back to the skeleton round trip.
      await lab.run(program.source, program.fileName);
      return;
    }
    if (program.elf) {
      const loaded = await lab.load({ format: 'elf', file: program.elf.name, bytesBase64: bytesToBase64(program.elf.bytes) });
      if (!loaded?.ok) return;
    } else {
      await program.assembleNow();
      if (program.errorCount > 0) {
        lab.actionError = `${program.fileName} has ${program.problems}: fix ${program.errorCount === 1 ? 'it' : 'them'} before running`;
        return;
      }
      const loaded = await lab.load({ format: 'asm', file: program.fileName, source: program.source });
      if (!loaded) return;
      if (!loaded.ok) {
        program.diagnostics = loaded.diagnostics;
        return;
      }
    }
    if (program.breakpointAddresses.length) await lab.setBreakpoints(program.breakpointAddresses);
    await lab.start(options.paused ?? false);
  }

  async function pauseOrResume(): Promise<void> {
    if (lab.runState === 'running') await lab.pause();
    else if (lab.runState === 'paused') await lab.resume();
    else await runProgram();
  }

  async function step(count = 1): Promise<void> {
    if (lab.runState === 'running') await lab.pause();
    if (lab.runState === 'empty' || lab.runState === 'loaded' || lab.runState === 'stopped') await runProgram({ paused: true });
    await lab.step(count);
  }

  async function openExample(name: string): Promise<void> {
    const example = await lab.call('readExample', { name });
    if (example) program.setProgram(example.name, example.source);
  }

  /** Load a built-in scenario (program, settings, clients, fault plan) and run it. */
  async function openScenario(name: string): Promise<void> {
    program.restoreOwn('scenario');
    const loaded = await lab.loadScenario(name);
    if (!loaded) return;
    if (!loaded.ok) {
      program.diagnostics = loaded.diagnostics;
      return;
    }
    // Show the scenario's program when it is one of the examples (same file name).
    const state = await lab.call('getState', {});
    const programFile = state?.program?.file ?? '';
    const file = programFile.split('/').pop();
    if (file && lab.examples.some((e) => e.name === file)) await openExample(file);
    const isExample = !!file && lab.examples.some((e) => e.name === file);
    lab.scenario = name;
    lab.scenarioProgram = isExample ? null : programFile;
    lab.scenarioSource = isExample ? null : loaded.programSource ?? null;
    await lab.start(false);
  }

  async function openFile(): Promise<void> {
    try {
      const file = await files.open('.s,.S,.asm,.elf,.o,application/octet-stream,text/plain');
      if (!file) return;
      if (isElf(file.bytes)) program.setElf(file.name, file.bytes);
      else program.setProgram(file.name, file.text());
    } catch (err) {
      lab.actionError = err instanceof Error ? err.message : String(err);
    }
  }

  async function openElf(): Promise<void> {
    try {
      const file = await files.open('.elf,application/x-elf,application/octet-stream,*');
      if (!file) return;
      if (!isElf(file.bytes)) {
        lab.actionError = `${file.name} is not an ELF file (no \\x7fELF magic number)`;
        return;
      }
      program.setElf(file.name, file.bytes);
    } catch (err) {
      lab.actionError = err instanceof Error ? err.message : String(err);
    }
  }

  /** Puts the running scenario's own program in the editor (the student's is kept). */
  function showScenarioProgram(): void {
    if (!lab.scenarioProgram || lab.scenarioSource === null) return;
    program.showBorrowed('scenario', lab.scenarioProgram.split('/').pop() ?? 'scenario.s', lab.scenarioSource);
  }

  function save(): void {
    if (program.elf) return;
    const name = /\.(s|S|asm)$/.test(program.fileName) ? program.fileName : `${program.fileName}.s`;
    files.save(name, program.source, 'text/x-asm');
    program.markSaved(name);
  }

  return { runProgram, pauseOrResume, step, openExample, openScenario, showScenarioProgram, openFile, openElf, save };
}
