import { describe, expect, it } from 'vitest';
import {
  analysisWorkerHeap,
  cacheStateOf,
  kindOf,
  memoryGrowth,
  memoryLine,
  ratioRows,
  ratioTable,
  transferReport,
  Z3_WASM_MEMORY,
  type BaselineSample,
  type LoadSample,
  type ResourceEntry,
} from './web-report.ts';

const entry = (url: string, transferSize: number, encoded: number, decoded: number): ResourceEntry => ({
  url,
  context: 'page',
  initiatorType: 'script',
  transferSize,
  encodedBodySize: encoded,
  decodedBodySize: decoded,
  startTime: 0,
  responseEnd: 1,
});

describe('web bench report', () => {
  it('classifies resources by path', () => {
    expect(kindOf('http://h/')).toBe('document');
    expect(kindOf('http://h/assets/index-AbCdEf12.js')).toBe('script');
    expect(kindOf('http://h/assets/z3-built-AbCdEf12.wasm?x=1')).toBe('wasm');
    expect(kindOf('http://h/assets/catalog-AbCdEf12.json')).toBe('json');
    expect(kindOf('http://h/assets/codicon-AbCdEf12.ttf')).toBe('font');
    expect(kindOf('http://h/favicon.ico')).toBe('other');
  });

  it('tells network, revalidated and cached responses apart (Resource Timing)', () => {
    expect(cacheStateOf({ transferSize: 1300, encodedBodySize: 1000 })).toBe('network');
    expect(cacheStateOf({ transferSize: 300, encodedBodySize: 1000 })).toBe('revalidated');
    expect(cacheStateOf({ transferSize: 0, encodedBodySize: 1000 })).toBe('cache');
  });

  it('adds up sizes per type and in total', () => {
    const r = transferReport([
      entry('http://h/a-AbCdEf12.js', 1300, 1000, 4000),
      entry('http://h/b-AbCdEf12.js', 0, 500, 2000),
      entry('http://h/z-AbCdEf12.wasm', 300, 700, 9000),
    ]);
    expect(r.byKind.script).toMatchObject({
      requests: 2,
      network: 1,
      cache: 1,
      raw: 6000,
      encoded: 1500,
      transfer: 1300,
    });
    expect(r.total).toMatchObject({
      requests: 3,
      network: 1,
      revalidated: 1,
      cache: 1,
      raw: 15000,
      transfer: 1600,
    });
  });

  const load = (kind: LoadSample['kind'], editor: number, answer: number): LoadSample => ({
    kind,
    marks: { editor, answer },
    domContentLoaded: 0,
    load: 0,
    serverBytes: 0,
    resources: [],
    transfer: transferReport([]),
  });

  it('divides the p50 of each figure by the p50 of its baseline, per load kind, against the targets', () => {
    const loads = [
      load('cold', 1100, 3000),
      load('cold', 1300, 2000),
      load('cold', 1200, 2600),
      load('warm', 900, 1500),
    ];
    const baselines: BaselineSample[] = [
      { kind: 'cold', page: 'editor', editor: 1000 },
      { kind: 'cold', page: 'editor', editor: 900 },
      { kind: 'cold', page: 'editor', editor: 1100 },
      { kind: 'cold', page: 'z3', z3Ready: 1500, z3Checked: 2000 },
      { kind: 'warm', page: 'editor', editor: 800 },
      // no Z3 baseline for warm loads: no ratio, no verdict
    ];
    const rows = ratioRows(loads, baselines);
    const row = (label: string, kind: string) =>
      rows.find((r) => r.label.startsWith(label) && r.kind === kind);
    expect(row('editor', 'cold')).toMatchObject({ app: 1200, baseline: 1000, ratio: 1.2, met: true });
    expect(row('editor', 'warm')).toMatchObject({ app: 900, baseline: 800, met: true });
    expect(row('first complete', 'cold')).toMatchObject({ app: 2600, baseline: 2000, ratio: 1.3, met: true });
    expect(row('first complete', 'warm')).toMatchObject({ app: 1500, met: undefined });
    expect(row('first complete', 'warm')?.baseline).toBeNaN();
    expect(row('editor', 'returning')).toBeUndefined();
    const missed = ratioRows([load('cold', 1300, 2700)], baselines);
    expect(missed.map((r) => r.met)).toEqual([false, false]);
    const text = ratioTable(rows);
    expect(text).toContain('1.20x');
    expect(text).toContain('<= 1.3x met');
    expect(ratioTable(missed)).toContain('<= 1.2x missed');
  });

  it("takes the analysis worker's heap from the memory breakdown, less Z3's fixed WASM memory", () => {
    const MiB = 2 ** 20;
    const entry = (url: string, bytes: number) => ({
      bytes,
      types: ['JavaScript'],
      attribution: [{ url, scope: 'DedicatedWorkerGlobalScope' }],
    });
    const breakdown = [
      entry('http://h/assets/z3-built-AbCdEf12.js', Z3_WASM_MEMORY + 3 * MiB),
      entry('http://h/assets/editor.worker-AbCdEf12.js', 2 * MiB),
      entry('http://h/assets/analysis.worker-AbCdEf12.js', Z3_WASM_MEMORY + 15 * MiB),
    ];
    expect(analysisWorkerHeap(breakdown)).toBe(15 * MiB);
    expect(analysisWorkerHeap(breakdown.slice(0, 2))).toBeUndefined();
  });

  it('compares the memory after the last checks with after the first ones (10 % allowed)', () => {
    const g = memoryGrowth({ checks: 50, bytes: 100 }, { checks: 500, bytes: 110 });
    expect(g.growth).toBeCloseTo(0.1);
    expect(g.met).toBe(true);
    expect(memoryGrowth({ checks: 50, bytes: 100 }, { checks: 500, bytes: 111 }).met).toBe(false);
    expect(memoryGrowth({ checks: 50, bytes: 100 }, { checks: 500, bytes: 90 }).met).toBe(true);
    expect(memoryLine(memoryGrowth({ checks: 50, bytes: 2048 }, { checks: 500, bytes: 3072 }), 'heap')).toBe(
      'heap: 2.0 KiB after 50 checks, 3.0 KiB after 500: +50.0 % (<= +10 % missed)',
    );
  });
});
