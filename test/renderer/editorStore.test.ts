/**
 * The editor store outside a browser: what the editor pane watches (item:
 * watchers keyed on primitives) and lending the editor to another program
 * (a replayed session's, a scenario's) while keeping the student's.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { nextTick, watch } from 'vue';
import { useEditorStore } from '../../src/renderer/src/stores/editor';
import { breakpointsKey } from '../../src/renderer/src/editor/watchKeys';
import { SourceLines } from '../../src/renderer/src/editor/sourceMap';

beforeEach(() => setActivePinia(createPinia()));

describe('breakpointsKey (what the breakpoint glyphs depend on)', () => {
  const lines = new SourceLines([{ addr: 0x8000_0000, line: 2 }, { addr: 0x8000_0004, line: 3 }]);
  it('names each breakpoint and whether its line holds code', () => {
    expect(breakpointsKey([2, 5], lines, true)).toBe('mapped:2,5?');
    expect(breakpointsKey([], lines, false)).toBe('unmapped:');
  });
  it('is equal for an equal source map rebuilt from scratch', () => {
    const again = new SourceLines([{ addr: 0x8000_0000, line: 2 }, { addr: 0x8000_0004, line: 3 }]);
    expect(breakpointsKey([2, 3], again, true)).toBe(breakpointsKey([2, 3], lines, true));
  });
});

describe('the editor pane watches stable keys', () => {
  it('re-assembling to the same source map does not redraw the breakpoints; toggling one does', async () => {
    const program = useEditorStore();
    await program.assembleNow();
    program.toggleBreakpoint(1);
    await nextTick();
    let fired = 0;
    let firedArrayGetter = 0;
    watch(() => breakpointsKey(program.breakpoints, program.lines, program.sourceMap.length > 0), () => fired++);
    // The shape the pane used to watch: a fresh array each run.
    watch(() => [program.breakpoints.length, program.breakpoints.join(), program.sourceMap], () => firedArrayGetter++);
    await program.assembleNow(); // a new (equal) source map, as after every pause in typing
    await nextTick();
    expect(firedArrayGetter).toBe(1);
    expect(fired).toBe(0);
    program.toggleBreakpoint(2);
    await nextTick();
    expect(fired).toBe(1);
  });
});

describe('lending the editor to another program', () => {
  it("shows a scenario's program and gives the student's back, with its breakpoints and unsaved state", async () => {
    const program = useEditorStore();
    program.setProgram('mine.s', 'nop\n', { dirty: true });
    await nextTick();
    await Promise.resolve();
    program.toggleBreakpoint(1);
    program.showBorrowed('scenario', 'seed.s', 'csrr a0, seed\n');
    expect(program.borrowedFrom).toBe('scenario');
    expect(program.fileName).toBe('seed.s');
    expect(program.source).toBe('csrr a0, seed\n');
    expect(program.breakpoints).toEqual([]);
    // Another lender's restore does not touch it.
    program.restoreOwn('replay');
    expect(program.fileName).toBe('seed.s');
    program.restoreOwn('scenario');
    await nextTick();
    await Promise.resolve();
    expect(program.borrowedFrom).toBeNull();
    expect(program.fileName).toBe('mine.s');
    expect(program.source).toBe('nop\n');
    expect(program.breakpoints).toEqual([1]);
    expect(program.dirty).toBe(true);
  });

  it("keeps the student's program (not the first borrowed one) across two borrows", () => {
    const program = useEditorStore();
    program.setProgram('mine.s', 'nop\n');
    program.showBorrowed('scenario', 'seed.s', 'csrr a0, seed\n');
    program.showBorrowed('replay', 'counter.s', 'li a0, 1\n');
    program.restoreOwn();
    expect(program.source).toBe('nop\n');
    expect(program.borrowedFrom).toBeNull();
  });
});

describe('replacing the program', () => {
  it("drops the old text's source map at once (no replica highlighted on a wrong line before re-assembly)", async () => {
    const program = useEditorStore();
    program.setProgram('a.s', '_start:\n  nop\n  nop\n');
    await program.assembleNow();
    expect(program.lines.lineOf(0x8000_0004)).toBe(3);
    program.showBorrowed('scenario', 'b.s', '_start:\n  j _start\n');
    expect(program.sourceMap).toEqual([]);
    expect(program.lines.lineOf(0x8000_0004)).toBeUndefined();
    await program.assembleNow();
    expect(program.lines.lineOf(0x8000_0000)).toBe(2);
  });
});
