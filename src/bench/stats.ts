/** Small pure helpers for the benchmark report. */

export interface TimeSummary {
  n: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
  total: number;
}

/** Nearest-rank percentile (p in 0..100) of an ascending-sorted list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? NaN;
}

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export function summarize(times: readonly number[]): TimeSummary {
  const sorted = [...times].sort((a, b) => a - b);
  const total = sorted.reduce((s, t) => s + t, 0);
  return {
    n: sorted.length,
    median: median(sorted),
    p95: percentile(sorted, 95),
    max: sorted.length ? (sorted[sorted.length - 1] ?? NaN) : NaN,
    mean: sorted.length ? total / sorted.length : NaN,
    total,
  };
}

export function ms(x: number): string {
  if (Number.isNaN(x)) return '-';
  return x >= 100 ? x.toFixed(0) : x.toFixed(1);
}

/** A plain-text table with left-aligned first column and right-aligned others. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

/** A command-line value that must be a non-negative integer (the benchmarks' numeric flags). */
export function nonNegativeInt(s: string, flag: string): number {
  if (!/^\d+$/.test(s)) throw new Error(`${flag} expects a non-negative integer, got '${s}'`);
  return Number(s);
}
