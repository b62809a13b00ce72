import { describe, expect, it } from 'vitest';
import { verdictText } from '../../src/renderer/src/machines/verdict';
import type { VerdictView } from '../../src/shared/labApi';

const base: VerdictView = { linearizable: true, splitBrain: false, lostAckedOutputs: 0, diverged: false, witness: [] };

describe('verdict text', () => {
  it('reads a clean run as linearizable, an anomaly as such', () => {
    expect(verdictText(base)).toMatchObject({ tone: 'ok', title: 'Linearizable' });
    expect(verdictText({ ...base, splitBrain: true, lostAckedOutputs: 2 })).toMatchObject({ tone: 'bad', title: 'Anomaly' });
    expect(verdictText({ ...base, lostAckedOutputs: 2 }).detail).toContain('2 acknowledged outputs lost');
  });

  it('says when a long run was judged only on its first operations', () => {
    const t = verdictText({ ...base, checkedOps: 100_000 });
    expect(t.tone).toBe('ok');
    expect(t.detail).toContain('first 100,000 operations');
    expect(verdictText({ ...base, checkedOps: null }).detail).not.toContain('first');
  });
});
