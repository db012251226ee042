/** Exercise links: a round trip keeps every field; a bad link is a clear message, never a crash. */
import * as lzNamespace from 'lz-string';
import { describe, expect, it } from 'vitest';
import { EXERCISES, shareable } from '../teach/exercises.ts';
import { decodeExerciseLink, encodeExerciseLink } from './exerciseLink.ts';

const lz = (lzNamespace as typeof lzNamespace & { default?: typeof lzNamespace }).default ?? lzNamespace;
const link = (value: unknown): string => '#x=' + lz.compressToEncodedURIComponent(JSON.stringify(value));

describe('exercise links', () => {
  it('round trip: every built-in exercise, its hidden suite included, without its solution', () => {
    for (const e of EXERCISES) {
      const hash = encodeExerciseLink(shareable(e));
      expect(hash.startsWith('#x=')).toBe(true);
      expect(decodeExerciseLink(hash)).toEqual({ ok: true, exercise: shareable(e) });
      expect(hash).not.toContain(encodeURIComponent(e.solution));
    }
  });

  it("a teacher's own exercise travels as written", () => {
    const mine = {
      id: 'no-deletes',
      title: 'No deletes',
      task: 'Allow `s3:*` on `my-bucket` but never a delete.',
      target: { kind: 'policy' as const, policyType: 'IDENTITY_POLICY' as const },
      start: '{"Version":"2012-10-17","Statement":[]}',
      hint: [],
      suite: { tests: [{ name: 'no deletes', expect: 'never-allowed' as const, actions: ['s3:Delete*'] }] },
    };
    expect(decodeExerciseLink(encodeExerciseLink(mine))).toEqual({ ok: true, exercise: mine });
  });

  it('is not a state permalink, and a state permalink is not an exercise link', () => {
    expect(decodeExerciseLink('#p=abc')).toEqual({ ok: 'none' });
    expect(decodeExerciseLink('')).toEqual({ ok: 'none' });
  });

  it('a bad link says what is wrong', () => {
    const good = shareable(EXERCISES[0]!);
    expect(decodeExerciseLink('#x=%%%not-lz')).toMatchObject({ ok: false });
    expect(decodeExerciseLink('#x=' + lz.compressToEncodedURIComponent('{not json'))).toEqual({
      ok: false,
      error: 'The link is damaged: it is not valid JSON.',
    });
    expect(decodeExerciseLink(link({ v: 1 }))).toEqual({ ok: false, error: 'The link holds no exercise.' });
    expect(decodeExerciseLink(link({ v: 9, exercise: good }))).toEqual({
      ok: false,
      error: 'The exercise link has an unsupported version (9).',
    });
    const noTests = { ...good, suite: { tests: [] } };
    expect(decodeExerciseLink(link({ v: 1, exercise: noTests }))).toEqual({
      ok: false,
      error: 'The exercise in this link is not valid: suite: an exercise needs at least one test',
    });
    const badTest = { ...good, suite: { tests: [{ name: 'x', expect: 'maybe-allowed' }] } };
    expect(decodeExerciseLink(link({ v: 1, exercise: badTest }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The exercise in this link is not valid: suite\.tests\[0\]/),
    });
    const extra = { ...good, solution: '{}' };
    expect(decodeExerciseLink(link({ v: 1, exercise: extra }))).toMatchObject({ ok: false });
    const scpWithoutLevels = {
      ...good,
      target: { kind: 'scenario', answerIn: 'scp', scenario: { callerAccount: '111122223333' } },
    };
    expect(decodeExerciseLink(link({ v: 1, exercise: scpWithoutLevels }))).toEqual({
      ok: false,
      error:
        'The exercise in this link is not valid: target.scenario.scps: the answer is an SCP, so the scenario needs at least one SCP level',
    });
    expect(decodeExerciseLink('#x=' + 'A'.repeat(400_001))).toEqual({
      ok: false,
      error: 'The link is too long to be a playground link.',
    });
  });
});
