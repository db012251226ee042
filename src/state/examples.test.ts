import { describe, expect, it } from 'vitest';
import { EXAMPLES, withExample } from './examples.ts';
import { DEFAULT_SNAPSHOT, readSnapshot } from './snapshot.ts';

describe('examples', () => {
  it('every seed case becomes an example with its documents', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(9);
    for (const ex of EXAMPLES) {
      const texts = Object.values(ex.snapshot.docs);
      expect(
        texts.some((t) => t.includes('Statement')),
        ex.name,
      ).toBe(true);
    }
  });

  it("loading one replaces the documents and check settings, and keeps the other modes' inputs", () => {
    const current = readSnapshot({
      ...DEFAULT_SNAPSHOT,
      mode: 'recommend',
      timeoutMs: 30_000,
      unusedText: '[{"serviceNamespace":"s3","actions":["GetObject"]}]',
      recommendChoices: { '0|s3:Get*': ['s3:GetObject*'] },
    });
    expect(Object.keys(current.recommendChoices)).toHaveLength(1);
    expect(current.mode).toBe('recommend');
    const ex = EXAMPLES.find((e) => e.check === 'CheckNoNewAccess')!;
    const next = withExample(current, ex);
    expect(next.docs).toEqual(ex.snapshot.docs);
    expect(next.check).toBe('CheckNoNewAccess');
    expect(next.mode).toBe('check');
    expect(next.timeoutMs).toBe(30_000);
    expect(next.unusedText).toBe(current.unusedText);
    expect(next.recommendChoices).toEqual(current.recommendChoices);
  });
});
