import { describe, expect, it } from 'vitest';
import { prng } from '../util/prng.ts';
import { arnMatches, globMatches, globToRegExp } from './glob.ts';

/**
 * Reference matcher, written independently of glob.ts: memoised recursion over (pattern, text)
 * positions. `segmentColons`: until that many literal `:` have been passed in the pattern, `*`/`?`
 * do not match `:`, except a `*` directly followed by `:` in the pattern (the last character of its
 * segment), which may (IAM User Guide, "Resource").
 */
function reference(pattern: string, text: string, segmentColons = 0): boolean {
  const p = [...pattern];
  const t = [...text];
  const colonsBefore: number[] = [];
  let c = 0;
  for (const ch of p) {
    colonsBefore.push(c);
    if (ch === ':') c++;
  }
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (t.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === t.length;
    else {
      const ch = p[i]!;
      const inSegment = colonsBefore[i]! < segmentColons && !(ch === '*' && p[i + 1] === ':');
      const any = (x: string | undefined) => x !== undefined && (!inSegment || x !== ':');
      if (ch === '*') r = go(i + 1, j) || (any(t[j]) && go(i, j + 1));
      else if (ch === '?') r = any(t[j]) && go(i + 1, j + 1);
      else r = t[j] === ch && go(i + 1, j + 1);
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

describe('glob matching', () => {
  it('patterns with more than three stars (the linear-time automaton) agree with a reference matcher', () => {
    const rand = prng(20261123);
    const alphabet = ['a', 'b', ':', '/', '*', '*', '*', '?', '😀'];
    const textAlphabet = ['a', 'b', ':', '/', '😀'];
    const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
    let automaton = 0;
    let matches = 0;
    for (let n = 0; n < 3000; n++) {
      const pattern = Array.from({ length: 4 + Math.floor(rand() * 12) }, () => pick(alphabet)).join('');
      const segment = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 3);
      if ([...pattern].filter((x) => x === '*').length > 3) automaton++;
      for (let k = 0; k < 8; k++) {
        const text = Array.from({ length: Math.floor(rand() * 14) }, () => pick(textAlphabet)).join('');
        const want = reference(pattern, text, segment);
        if (want) matches++;
        expect(globMatches(pattern, text, { segmentColons: segment }), `${pattern} ${text} ${segment}`).toBe(
          want,
        );
      }
    }
    // the sample exercised the automaton and both outcomes
    expect(automaton).toBeGreaterThan(500);
    expect(matches).toBeGreaterThan(300);
  });

  it('the automaton is reusable, case-insensitive on request, and fast on *?*?*?*?*?*a', () => {
    const m = globToRegExp('s3:*?*?*?*?*?*a', { caseInsensitive: true });
    expect(m).not.toBeInstanceOf(RegExp);
    const long = `s3:${'b'.repeat(5000)}`;
    expect(m.test(long)).toBe(false);
    expect(m.test(`${long}a`)).toBe(true);
    expect(m.test('s3:bbbbba')).toBe(true);
    expect(m.test('s3:bbbba')).toBe(false);
    expect(globMatches('S3:*?*?*?*?*?*A', 'S3:GETOBJECTA', { caseInsensitive: true })).toBe(true);
  });

  it('ARN patterns keep ? and inner stars within their segment for the first five segments', () => {
    const pattern = 'arn:*:*:*:*:*/*/*';
    expect(arnMatches(pattern, 'arn:aws:s3:::b/c/d')).toBe(true);
    expect(arnMatches(pattern, 'arn:aws:s3:::b/c')).toBe(false);
    // a `*` followed by more text in its segment stays within it (four stars: the automaton too)
    expect(arnMatches('arn:aws:ec2:us-*-1:*:instance/*', 'arn:aws:ec2:us-east-1:1:instance/i')).toBe(true);
    expect(arnMatches('arn:aws:ec2:us-*-1:*:instance/*', 'arn:aws:ec2:us-a:b-1:1:instance/i')).toBe(false);
    expect(arnMatches('arn:a*s:*:*:*:r', 'arn:a:s:s3:x:y:r')).toBe(false);
    expect(arnMatches('arn:a*s:*:*:*:r', 'arn:aws:s3:x:y:r')).toBe(true);
    // `?` is one character of its segment, never a colon
    expect(arnMatches('arn:aws:s3:us-east-?:*:r', 'arn:aws:s3:us-east-:1:r')).toBe(false);
    expect(arnMatches('arn:aws:s3:us-east-?:*:r', 'arn:aws:s3:us-east-1:1:r')).toBe(true);
  });

  it('a * that is the last character of an ARN segment can match beyond the colon (IAM "Resource")', () => {
    // Region and account stars end their segments: they may absorb whole extra segments.
    expect(arnMatches('arn:aws:s3:*:*:res', 'arn:aws:s3:x:y:z:res')).toBe(true);
    expect(arnMatches('arn:*:*:*:*:res', 'arn:aws:s3:x:y:z:res')).toBe(true);
    expect(arnMatches('arn:aws:iam::*:role/*', 'arn:aws:iam::1:2:role/a')).toBe(true);
    expect(
      arnMatches('arn:aws:ec2:*:123456789012:instance/*', 'arn:aws:ec2:a:b:123456789012:instance/i'),
    ).toBe(true);
    // ...but the rest of the pattern must still match after it
    expect(
      arnMatches('arn:aws:ec2:*:123456789012:instance/*', 'arn:aws:ec2:a:b:999999999999:instance/i'),
    ).toBe(false);
    expect(arnMatches('arn:aws:s3:*:*:res', 'arn:aws:s3:x:y:z:other')).toBe(false);
    // a star at the end of the service segment crosses too (`s3*:` is `s3` then anything)
    expect(arnMatches('arn:aws:s3*:::b', 'arn:aws:s3:x:::b')).toBe(true);
    expect(arnMatches('arn:aws:s3*:::b', 'arn:aws:s3:x::b')).toBe(false);
    // a resource with fewer than six segments still matches only `*`
    expect(arnMatches('arn:aws:s3:*:*:*', 'arn:aws:s3')).toBe(false);
  });
});
