/** The Learn mode's snapshot fields: defaults, validation, and the round trip through a permalink. */
import { describe, expect, it } from 'vitest';
import { decodePermalink, encodePermalink } from './permalink.ts';
import { DEFAULT_SNAPSHOT, readSnapshot } from './snapshot.ts';

describe('snapshot: lesson and learnRequest', () => {
  it('default to empty and survive a permalink', () => {
    expect(DEFAULT_SNAPSHOT.lesson).toBe('');
    expect(DEFAULT_SNAPSHOT.learnRequest).toBe('');
    const req = JSON.stringify({
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::b',
      principal: 'anonymous',
    });
    const link = encodePermalink({
      ...DEFAULT_SNAPSHOT,
      mode: 'learn',
      lesson: 'public-bucket',
      learnRequest: req,
    });
    const back = decodePermalink(link);
    if (back.ok !== true) throw new Error('link did not decode');
    expect(back.snapshot).toMatchObject({ mode: 'learn', lesson: 'public-bucket', learnRequest: req });
  });
  it('keep the base value for invalid input', () => {
    const s = readSnapshot({ lesson: '<script>', learnRequest: 42 }, { ...DEFAULT_SNAPSHOT, lesson: 'x' });
    expect(s.lesson).toBe('x');
    expect(s.learnRequest).toBe('');
    expect(readSnapshot({ lesson: 'a'.repeat(65) }).lesson).toBe('');
  });
});
