import { describe, expect, it } from 'vitest';
import { cacheStateOf, kindOf, transferReport, type ResourceEntry } from './web-report.ts';

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
});
