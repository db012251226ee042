/**
 * The early witness (guess.ts) over the real corpus: every request it returns is one the new policy
 * allows and the old does not (by the evaluator); it returns nothing for a pair that passes; and with
 * time enough it finds a witness for every pair marked FAIL.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/model.ts';
import { GUESS_LIMITS, guessNewAccess } from './guess.ts';

interface Pair {
  expected?: { result?: 'PASS' | 'FAIL' };
  old: unknown;
  new: unknown;
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'pairs');
const pairs = readdirSync(dir)
  .filter((f) => /^\d{3}_.*\.json$/.test(f))
  .sort()
  .map((f) => ({ f, pair: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Pair }));

const parse = (doc: unknown): Policy => {
  const p = parsePolicy(JSON.stringify(doc));
  if (!p.ok) throw new Error('corpus policy does not parse');
  return p.policy;
};

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

describe('early witness of new access', () => {
  const unhurried = { ...GUESS_LIMITS, maxTries: 1_000_000, maxMs: 60_000 };

  it('finds a confirmed witness for every corpus pair marked FAIL, and none for those marked PASS', () => {
    const missed: string[] = [];
    let fails = 0;
    let passes = 0;
    for (const { f, pair } of pairs) {
      const result = pair.expected?.result;
      if (!result) continue;
      const [oldP, newP] = [parse(pair.old), parse(pair.new)];
      const request = guessNewAccess(catalog, oldP, newP, unhurried);
      if (result === 'PASS') {
        passes++;
        expect(request, f).toBeUndefined();
        continue;
      }
      fails++;
      if (!request) {
        missed.push(f);
        continue;
      }
      expect(evaluatePolicy(newP, request).decision, f).toBe('Allowed');
      expect(evaluatePolicy(oldP, request).decision, f).not.toBe('Allowed');
    }
    expect(fails).toBe(106);
    expect(passes).toBeGreaterThan(0);
    expect(missed).toEqual([]);
  }, 60_000);

  it('gives up within its budget (never a long pause before the solver starts)', () => {
    const { pair } = pairs.find((p) => p.f.startsWith('000_'))!;
    const [oldP, newP] = [parse(pair.old), parse(pair.new)];
    const t = Date.now();
    guessNewAccess(catalog, oldP, newP, { ...GUESS_LIMITS, maxMs: 1 });
    // One pattern's candidates may be prepared after the budget is spent; never the whole policy.
    expect(Date.now() - t).toBeLessThan(50);
  });

  it('ignores Deny and NotAction statements of the new policy (a Deny grants nothing)', () => {
    const doc = (statements: unknown[]) => parse({ Version: '2012-10-17', Statement: statements });
    const old = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    const next = doc([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
    ]);
    expect(guessNewAccess(catalog, old, next, unhurried)).toBeUndefined();
    const wider = doc([{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }]);
    const r = guessNewAccess(catalog, old, wider, unhurried);
    expect(r?.action.toLowerCase()).not.toBe('s3:getobject');
    expect(r?.resource).toBe('arn:aws:s3:::b/example');
  });
});
