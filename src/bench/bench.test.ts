import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { statementsOf, withoutOneStatement, type Doc } from './derive.ts';
import { median, percentile, summarize } from './stats.ts';

describe('stats', () => {
  it('computes median, nearest-rank p95 and max', () => {
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    const xs = Array.from({ length: 100 }, (_v, i) => i + 1);
    expect(percentile(xs, 95)).toBe(95);
    expect(summarize([5, 1, 3])).toMatchObject({ n: 3, median: 3, max: 5, total: 9 });
    expect(summarize([]).n).toBe(0);
  });
});

describe('withoutOneStatement', () => {
  it('drops the Allow statement with the most actions', () => {
    const doc: Doc = {
      Statement: [
        { Effect: 'Allow', Action: ['a:X'], Resource: '*' },
        { Effect: 'Deny', Action: ['a:X', 'a:Y', 'a:Z'], Resource: '*' },
        { Sid: 'Big', Effect: 'Allow', Action: ['a:X', 'a:Y'], Resource: '*' },
      ],
    };
    const r = withoutOneStatement(doc);
    expect(statementsOf(r.doc).map((s) => s.Effect)).toEqual(['Allow', 'Deny']);
    expect(r.removed).toContain('statement 2 (Big)');
  });

  it('drops the last action of a single statement', () => {
    const r = withoutOneStatement({ Statement: { Effect: 'Allow', Action: ['a:X', 'a:Y'], Resource: '*' } });
    expect(r.doc.Statement).toEqual([{ Effect: 'Allow', Action: ['a:X'], Resource: '*' }]);
  });

  it('works on every largest-policy fixture', () => {
    const dir = fileURLToPath(new URL('../fixtures/largest/', import.meta.url));
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const { document } = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { document: Doc };
      const r = withoutOneStatement(document);
      expect(JSON.stringify(r.doc).length, f).toBeLessThan(JSON.stringify(document).length);
    }
  });
});
