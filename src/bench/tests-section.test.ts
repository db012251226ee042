import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { createNodeEngine } from '../checks/node.ts';
import { readTestSuite } from '../checks/policy-tests.ts';
import type { BenchContext } from './sections.ts';
import { BENCH_TESTS, benchSuite, kindOf, testsSection } from './tests-section.ts';

describe('the policy-tests bench section', () => {
  it('50 tests of every kind, passing and failing, with principals and fixed context', () => {
    expect(BENCH_TESTS).toHaveLength(50);
    const file = readTestSuite(JSON.stringify({ tests: BENCH_TESTS.map(({ want: _w, ...t }) => t) }));
    expect(file.ok).toBe(true);
    for (const kind of ['never', 'sometimes', 'always', 'decision'])
      for (const want of ['pass', 'fail'])
        expect(
          BENCH_TESTS.some((t) => kindOf(t) === kind && t.want === want),
          `${kind} ${want}`,
        ).toBe(true);
    const context = BENCH_TESTS.flatMap((t) =>
      'context' in t && t.context ? Object.entries(t.context) : [],
    );
    const keys = new Set(context.map(([k]) => k));
    for (const k of [
      'aws:SourceIp',
      'aws:RequestedRegion',
      'aws:MultiFactorAuthPresent',
      'aws:TagKeys',
      's3express:SessionMode',
    ])
      expect(keys.has(k), k).toBe(true);
    expect(context.some(([, v]) => Array.isArray(v))).toBe(true);
    expect(BENCH_TESTS.filter((t) => 'principals' in t && t.principals).length).toBeGreaterThanOrEqual(5);
    expect(benchSuite({ filter: 'ARTIFACT', limit: 2 }).map((t) => t.name)).toEqual([
      'reads artifacts',
      'the deploy role reads artifacts',
    ]);
  });

  it('runs a filtered suite through the engine with the expected answers', async () => {
    const [engine, catalog] = await Promise.all([createNodeEngine(), loadDefaultCatalog()]);
    const lines: string[] = [];
    const ctx: BenchContext = {
      engine,
      catalog,
      timeoutMs: 20_000,
      filter: 'artifact',
      log: (l = '') => lines.push(l),
      progress: () => {},
    };
    const res = await testsSection.run(ctx);
    expect(res.mismatches, lines.join('\n')).toBe(0);
    const json = res.json as { tests: number; results: { status: string }[]; warmMs: number[] };
    expect(json.tests).toBe(4);
    expect(json.results.map((r) => r.status)).toEqual(['pass', 'pass', 'fail', 'pass']);
    expect(json.warmMs).toHaveLength(3);
    expect(lines.join('\n')).toMatch(
      /target: the whole suite <= 1000 ms \(warm median, wall time\): (met|MISSED)/,
    );
  }, 120_000);
});
