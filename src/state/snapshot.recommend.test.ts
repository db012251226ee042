import { describe, expect, it } from 'vitest';
import { decodePermalink, encodePermalink } from './permalink.ts';
import { DEFAULT_SNAPSHOT, pickSnapshot, readSnapshot } from './snapshot.ts';

describe('least-privilege snapshot fields', () => {
  it('default to empty and are copied when valid', () => {
    expect(DEFAULT_SNAPSHOT.unusedText).toBe('');
    expect(DEFAULT_SNAPSHOT.recommendChoices).toEqual({});
    const s = readSnapshot({
      unusedText: '[{"serviceNamespace": "s3", "actions": ["GetObject"]}]',
      recommendChoices: { '1|s3:Get*': ['s3:GetObject', 's3:GetMulti'] },
    });
    expect(s.unusedText).toContain('GetObject');
    expect(s.recommendChoices).toEqual({ '1|s3:Get*': ['s3:GetObject', 's3:GetMulti'] });
  });

  it('keep the base value when a field is invalid', () => {
    const base = {
      ...DEFAULT_SNAPSHOT,
      unusedText: 'kept',
      recommendChoices: { '0|NotAction': ['iam:'] },
    };
    for (const bad of [
      { unusedText: 42, recommendChoices: { '1|s3:Get*': 's3:GetObject' } },
      { unusedText: 'x'.repeat(200_001), recommendChoices: { notAKey: ['s3:GetObject'] } },
      { recommendChoices: [['1|s3:Get*', ['s3:GetObject']]] },
    ]) {
      const s = readSnapshot(bad, base);
      expect(s.unusedText).toBe('kept');
      expect(s.recommendChoices).toEqual({ '0|NotAction': ['iam:'] });
    }
  });

  it('never lets a hostile key reach the prototype', () => {
    const s = readSnapshot({
      recommendChoices: JSON.parse('{"__proto__": ["x"], "1|s3:Get*": ["s3:GetObject"]}'),
    });
    expect(Object.getPrototypeOf(s.recommendChoices)).toBe(Object.prototype);
    expect(Object.keys(s.recommendChoices)).toEqual(['1|s3:Get*']);
  });

  it('travel in a permalink', () => {
    const snap = {
      ...DEFAULT_SNAPSHOT,
      mode: 'recommend' as const,
      unusedText: '[{"serviceNamespace": "lambda", "actions": ["GetFunction"]}]',
      recommendChoices: { '1|s3:Get*': ['s3:GetObjectVersion', 's3:GetObject$'] },
    };
    const back = decodePermalink(encodePermalink(snap));
    expect(back.ok).toBe(true);
    if (back.ok !== true) return;
    expect(pickSnapshot(back.snapshot)).toEqual(pickSnapshot(snap));
  });
});
