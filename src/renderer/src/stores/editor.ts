/**
 * The program being edited: its text (or an opened ELF), the assembler's
 * diagnostics and source map (recomputed while typing, debounced), and the
 * breakpoints set in the gutter.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { Diagnostic } from '../../../core/diagnostic';
import { loadAssembler } from '../editor/coreModules';
import { SourceLines, type SourceMapEntry } from '../editor/sourceMap';
import { summarizeDiagnostics } from '../editor/markers';
import { defaultProgram, defaultProgramName } from '../editor/defaultProgram';

/** How long typing must pause before the assembler runs again. */
const assembleDebounceMs = 250;

export interface ElfProgram {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Who lent the editor the program it shows instead of the student's. */
export type BorrowedFrom = 'replay' | 'scenario';

interface OwnProgram {
  readonly name: string;
  readonly text: string;
  readonly dirty: boolean;
  readonly elf: ElfProgram | null;
  readonly breakpoints: readonly number[];
}

export const useEditorStore = defineStore('editor', () => {
  const source = ref(defaultProgram);
  const fileName = ref(defaultProgramName);
  /** Set when the student opened an ELF instead of writing assembly. */
  const elf = shallowRef<ElfProgram | null>(null);
  const dirty = ref(false);
  const diagnostics = shallowRef<readonly Diagnostic[]>([]);
  const sourceMap = shallowRef<readonly SourceMapEntry[]>([]);
  const assembling = ref(false);
  const assemblerReady = ref(false);
  /** Breakpoints as 1-based source lines. */
  const breakpoints = ref<number[]>([]);

  const lines = computed(() => new SourceLines(sourceMap.value));
  const errorCount = computed(() => diagnostics.value.filter((d) => d.severity === 'error').length);
  const problems = computed(() => summarizeDiagnostics(diagnostics.value));
  const breakpointAddresses = computed(() =>
    breakpoints.value.map((l) => lines.value.addressOf(l)).filter((a): a is number => a !== undefined),
  );

  let timer: ReturnType<typeof setTimeout> | undefined;
  let generation = 0;

  async function assembleNow(): Promise<void> {
    const mine = ++generation;
    assembling.value = true;
    try {
      const assemble = await loadAssembler();
      assemblerReady.value = true;
      if (mine !== generation) return;
      const result = assemble(source.value, { file: fileName.value });
      diagnostics.value = result.diagnostics;
      sourceMap.value = result.sourceMap;
    } finally {
      if (mine === generation) assembling.value = false;
    }
  }

  function scheduleAssemble(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void assembleNow(), assembleDebounceMs);
  }

  watch(source, () => {
    dirty.value = true;
    scheduleAssemble();
  });
  scheduleAssemble();

  /** Replaces the program; `dirty` says whether it has unsaved edits (opening a file is not an edit). */
  function setProgram(name: string, text: string, options: { dirty?: boolean } = {}): void {
    elf.value = null;
    fileName.value = name;
    // The old text's source map would point replicas at wrong lines until the new text is assembled.
    if (text !== source.value) sourceMap.value = [];
    source.value = text;
    breakpoints.value = [];
    // After the source watcher (queued first) has marked the change as an edit.
    queueMicrotask(() => (dirty.value = options.dirty ?? false));
  }

  function setElf(name: string, bytes: Uint8Array): void {
    elf.value = { name, bytes };
    fileName.value = name;
    breakpoints.value = [];
  }

  /** The student's own program while the editor shows a borrowed one (a replayed session's, a scenario's): nothing is lost. */
  const own = shallowRef<OwnProgram | null>(null);
  const borrowedFrom = ref<BorrowedFrom | null>(null);

  /** Shows another program in the editor, keeping the student's (only the first borrow keeps it). */
  function showBorrowed(from: BorrowedFrom, name: string, text: string): void {
    if (!own.value) {
      own.value = { name: fileName.value, text: source.value, dirty: dirty.value, elf: elf.value, breakpoints: [...breakpoints.value] };
    }
    borrowedFrom.value = from;
    setProgram(name, text);
  }

  /** Gives the student's program back; with `from`, only if that lender's program is shown. */
  function restoreOwn(from?: BorrowedFrom): void {
    const kept = own.value;
    if (!kept || (from && borrowedFrom.value !== from)) return;
    own.value = null;
    borrowedFrom.value = null;
    setProgram(kept.name, kept.text, { dirty: kept.dirty });
    if (kept.elf) setElf(kept.elf.name, kept.elf.bytes);
    breakpoints.value = [...kept.breakpoints];
  }

  function toggleBreakpoint(line: number): void {
    const i = breakpoints.value.indexOf(line);
    if (i >= 0) breakpoints.value.splice(i, 1);
    else breakpoints.value.push(line);
  }

  function markSaved(name: string): void {
    fileName.value = name;
    dirty.value = false;
  }

  return {
    source, fileName, elf, dirty, diagnostics, sourceMap, assembling, assemblerReady, breakpoints, borrowedFrom,
    lines, errorCount, problems, breakpointAddresses,
    assembleNow, setProgram, setElf, showBorrowed, restoreOwn, toggleBreakpoint, markSaved,
  };
});
