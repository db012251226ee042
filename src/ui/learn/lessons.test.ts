/** The lessons load their example into Learn mode, keep other inputs, and their requests do what the text says. */
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../../evaluate/evaluate.ts';
import recommendationSeed from '../../fixtures/examples/recommendation-seed.json';
import { parsePolicy } from '../../policy/parse.ts';
import { DEFAULT_SNAPSHOT, type DocId } from '../../state/snapshot.ts';
import { formFromJson, readRequestForm } from '../../teach/request-form.ts';
import { LESSONS, TRIE_LESSON } from './lessons.ts';

const current = { ...DEFAULT_SNAPSHOT, unusedText: 'my unused list', timeoutMs: 30_000 };

function decision(text: string, learnRequest: string): string {
  const p = parsePolicy(text);
  const r = readRequestForm(formFromJson(learnRequest));
  if (!p.ok || !r.ok) throw new Error('lesson does not parse');
  return evaluatePolicy(p.policy, r.request).decision;
}

describe('lessons', () => {
  it('are the seed examples in teaching order, opened in Learn mode, other inputs kept', () => {
    expect(LESSONS.map((l) => [l.id, l.apply(current).check])).toEqual([
      ['public-bucket', 'CheckNoPublicAccess'],
      ['deny-notprincipal', 'CheckNoPublicAccess'],
      ['cross-account', 'NoAccessOutsideAccounts'],
      ['new-access', 'CheckNoNewAccess'],
      ['statement-1', 'CheckAccessNotGranted'],
    ]);
    for (const l of LESSONS) {
      const s = l.apply(current);
      expect(s).toMatchObject({
        mode: 'learn',
        lesson: l.id,
        unusedText: 'my unused list',
        timeoutMs: 30_000,
      });
      expect(l.text.length).toBeGreaterThanOrEqual(3);
    }
  });

  it("each lesson's request gets the decision its text describes", () => {
    const at = (id: string, doc: DocId = 'policy') => {
      const s = LESSONS.find((l) => l.id === id)!.apply(current);
      return decision(s.docs[doc], s.learnRequest);
    };
    expect(at('public-bucket')).toBe('Allowed');
    expect(at('deny-notprincipal')).toBe('ExplicitlyDenied');
    expect(at('cross-account')).toBe('Allowed');
    expect(at('new-access', 'new')).toBe('Allowed');
    expect(at('new-access', 'existing')).toBe('ImplicitlyDenied');
    expect(at('statement-1')).toBe('Allowed');
  });

  it('the trie lesson opens Least privilege with the worked example', () => {
    const s = TRIE_LESSON.apply(current);
    expect(s.mode).toBe('recommend');
    expect(JSON.parse(s.docs.policy)).toEqual(recommendationSeed.policyDocument);
    expect(JSON.parse(s.unusedText)).toEqual(recommendationSeed.unusedPermissions);
    expect(s.docs.existing).toBe(current.docs.existing);
  });
});
