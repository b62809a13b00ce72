/**
 * What the editor's decorations depend on, as stable primitives. A watcher
 * whose getter builds a fresh array fires whenever any of its sources is
 * touched — the source map is replaced after every assembly — so the editor
 * watches these keys instead: equal keys, nothing to redraw.
 */
import type { SourceLines } from './sourceMap';

/** Everything the breakpoint glyphs show: each line, whether it holds code, and whether there is a source map at all. */
export function breakpointsKey(breakpoints: readonly number[], lines: SourceLines, mapped: boolean): string {
  const glyphs = breakpoints.map((line) => `${line}${lines.hasCode(line) ? '' : '?'}`);
  return `${mapped ? 'mapped' : 'unmapped'}:${glyphs.join(',')}`;
}
