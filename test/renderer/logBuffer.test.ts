import { describe, expect, it } from 'vitest';
import { LogBuffer } from '../../src/renderer/src/log/logBuffer';
import type { LogEntryView } from '../../src/shared/labApi';

const kinds = ['nondet', 'packet', 'timer', 'output', 'heartbeat'] as const;
function entries(from: number, n: number): LogEntryView[] {
  return Array.from({ length: n }, (_, i) => ({ epoch: 1, seq: from + i, icount: (from + i) * 10, kind: kinds[(from + i) % 5]!, text: `#${from + i}` }));
}

describe('LogBuffer', () => {
  it('holds rows in order and reads them back', () => {
    const b = new LogBuffer();
    b.append(1, entries(1, 10_000), 10_000);
    expect(b.length).toBe(10_000);
    expect(b.get(0)).toMatchObject({ seq: 1, kind: 'packet', text: '#1' });
    expect(b.get(9_999)).toMatchObject({ seq: 10_000, icount: 100_000 });
    expect(b.get(10_000)).toBeUndefined();
  });

  it('stays bounded with a million entries, keeping the newest', () => {
    const b = new LogBuffer(100_000);
    for (let s = 1; s <= 1_000_000; s += 50_000) b.append(1, entries(s, 50_000), s + 49_999);
    expect(b.length).toBeLessThanOrEqual(100_000 + 4096);
    expect(b.length).toBeGreaterThanOrEqual(100_000);
    expect(b.get(b.length - 1)!.seq).toBe(1_000_000);
    expect(b.droppedRows + b.length).toBe(1_000_000);
    expect(b.engineTotal).toBe(1_000_000);
  });

  it('filters by kind, incrementally and across dropped rows', () => {
    const b = new LogBuffer(8192);
    b.append(1, entries(1, 100));
    b.setFilter(['packet', 'timer']);
    expect(b.visibleLength).toBe(40);
    expect(b.visible(0)!.seq).toBe(1);
    expect(b.visible(1)!.seq).toBe(2);
    expect(b.visible(2)!.seq).toBe(6);
    b.append(1, entries(101, 20_000));
    let expected = 0;
    for (let i = 0; i < b.length; i++) if (['packet', 'timer'].includes(b.get(i)!.kind)) expected++;
    expect(b.visibleLength).toBe(expected);
    expect(['packet', 'timer']).toContain(b.visible(b.visibleLength - 1)!.kind);
    b.setFilter(null);
    expect(b.visibleLength).toBe(b.length);
  });

  it('finds the row at an instruction count', () => {
    const b = new LogBuffer();
    b.append(1, entries(1, 100));
    expect(b.visible(b.visibleIndexAtIcount(555))!.seq).toBe(55);
    expect(b.visibleIndexAtIcount(1)).toBe(-1);
  });
});
