/**
 * Pure helpers of the web benchmark (`npm run bench:web`): classifying the resources a page load
 * fetched (from Resource Timing entries), adding up their sizes, and formatting the report.
 */
import { ms, summarize, table, type TimeSummary } from './stats.ts';

/** One Resource Timing entry (the page's, or one of its workers'), reduced to what the bench uses. */
export interface ResourceEntry {
  url: string;
  /** 'page' (the document's timeline, including worker scripts) or the worker's script URL */
  context: string;
  initiatorType: string;
  /** bytes on the wire as the browser reports them: body + a flat 300 B for headers; 0 from cache */
  transferSize: number;
  /** the body as it travelled (compressed if Content-Encoding was used) */
  encodedBodySize: number;
  /** the body after decoding */
  decodedBodySize: number;
  startTime: number;
  responseEnd: number;
}

export type ResourceKind = 'document' | 'script' | 'wasm' | 'css' | 'font' | 'json' | 'other';
const RESOURCE_KINDS: readonly ResourceKind[] = [
  'document',
  'script',
  'wasm',
  'json',
  'css',
  'font',
  'other',
];

/** How a response was obtained: over the network, from the HTTP cache, or from it after a 304. */
export type CacheState = 'network' | 'revalidated' | 'cache';

export function kindOf(url: string): ResourceKind {
  const path = new URL(url).pathname.toLowerCase();
  if (path.endsWith('/') || path.endsWith('.html')) return 'document';
  if (/\.(?:m?js)$/.test(path)) return 'script';
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.css')) return 'css';
  if (path.endsWith('.json')) return 'json';
  if (/\.(?:ttf|otf|woff2?)$/.test(path)) return 'font';
  return 'other';
}

/**
 * Resource Timing: transferSize is 0 for a response served from the cache, 300 (the flat header
 * estimate) for one revalidated with a 304, and body + 300 for one fetched over the network.
 */
export function cacheStateOf(e: Pick<ResourceEntry, 'transferSize' | 'encodedBodySize'>): CacheState {
  if (e.transferSize === 0) return 'cache';
  if (e.transferSize === 300 && e.encodedBodySize > 0) return 'revalidated';
  return 'network';
}

interface TransferTotals {
  requests: number;
  network: number;
  revalidated: number;
  cache: number;
  /** decoded bytes of every response (what the page got) */
  raw: number;
  /** bodies as sent by the server (compressed where it compressed), for every response */
  encoded: number;
  /** bytes over the wire according to the browser: bodies actually transferred + 300 B per request */
  transfer: number;
}

const emptyTotals = (): TransferTotals => ({
  requests: 0,
  network: 0,
  revalidated: 0,
  cache: 0,
  raw: 0,
  encoded: 0,
  transfer: 0,
});

export interface TransferReport {
  byKind: Record<ResourceKind, TransferTotals>;
  total: TransferTotals;
}

export function transferReport(entries: readonly ResourceEntry[]): TransferReport {
  const byKind = Object.fromEntries(RESOURCE_KINDS.map((k) => [k, emptyTotals()])) as Record<
    ResourceKind,
    TransferTotals
  >;
  const total = emptyTotals();
  for (const e of entries) {
    const state = cacheStateOf(e);
    for (const t of [byKind[kindOf(e.url)], total]) {
      t.requests++;
      t[state]++;
      t.raw += e.decodedBodySize;
      t.encoded += e.encodedBodySize;
      t.transfer += e.transferSize;
    }
  }
  return { byKind, total };
}

/** The path of a same-origin URL relative to the site root, for reports. */
export function shortUrl(url: string, origin: string): string {
  return url.startsWith(origin) ? url.slice(origin.length).replace(/^\//, '') || '/' : url;
}

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}

export function transferTable(r: TransferReport): string {
  const row = (name: string, t: TransferTotals): string[] => [
    name,
    String(t.requests),
    `${t.network}/${t.revalidated}/${t.cache}`,
    bytes(t.raw),
    bytes(t.encoded),
    t.raw > 0 ? `${((100 * t.encoded) / t.raw).toFixed(0)} %` : '-',
    bytes(t.transfer),
  ];
  return table(
    ['type', 'requests', 'net/304/cache', 'raw', 'compressed', 'ratio', 'over the wire'],
    [
      ...RESOURCE_KINDS.filter((k) => r.byKind[k].requests > 0).map((k) => row(k, r.byKind[k])),
      row('total', r.total),
    ],
  );
}

/** Milestones of one page load, in ms from navigation start (the page's performance.now()). */
export interface LoadMarks {
  /** the Monaco editor is in the DOM with its input element and rendered text */
  editor?: number;
  /** the solver status shows ready (or already checking) */
  solver?: number;
  /** the first verdict (or input/run error) is in the DOM: an early FAIL counts */
  result?: number;
  resultKind?: string;
  /** the first complete answer (the solver's, the results panel no longer running) is in the DOM */
  answer?: number;
  /** the solver failed or the page is not isolated */
  solverFailed?: string;
}

export type LoadKind = 'cold' | 'warm' | 'returning';

export interface LoadSample {
  /** cold: empty cache; warm: the browser restarted on the same profile (2nd visit); returning: once more (3rd visit, when Chromium uses its V8 code cache for the scripts) */
  kind: LoadKind;
  marks: LoadMarks;
  /** PerformanceNavigationTiming, ms from navigation start */
  domContentLoaded: number;
  load: number;
  /** the worker's own boot time as it reports it (worker created -> Z3 and catalog ready) */
  workerBootMs?: number;
  /** when the first check was started (page time) and how long the worker took for it */
  firstCheckStartedAt?: number;
  firstCheckEngineMs?: number;
  /** bytes the server wrote to its sockets during this load (headers included) */
  serverBytes: number;
  resources: ResourceEntry[];
  transfer: TransferReport;
}

export interface EditSample {
  name: string;
  /**
   * edit -> verdict for that text in the DOM (what the user waits for; includes the UI's debounce):
   * a FAIL shows before its exact newly-granted list is done
   */
  totalMs: number;
  /** edit -> the whole answer in the DOM (with the exact list) */
  completeMs?: number;
  /** edit -> check sent (the UI's debounce) */
  debounceMs: number;
  /** check sent -> verdict in the DOM */
  checkMs: number;
  /** the worker's own time for the check */
  engineMs?: number;
  result: string;
}

interface Target {
  label: string;
  limitMs: number;
}

const TARGETS = {
  editor: { label: '<= 1000', limitMs: 1000 },
  result: { label: '<= 2500', limitMs: 2500 },
  recheck: { label: 'p50 <= 100', limitMs: 100 },
} satisfies Record<string, Target>;

function verdictOf(value: number, target: Target | undefined): string {
  if (!target || Number.isNaN(value)) return '';
  return `${target.label} ${value <= target.limitMs ? 'met' : 'missed'}`;
}

/** p50 / p95 per milestone for cold and warm loads, with the targets. */
export function loadTable(samples: readonly LoadSample[]): string {
  const pick = (kind: LoadKind, f: (s: LoadSample) => number | undefined): TimeSummary =>
    summarize(
      samples
        .filter((s) => s.kind === kind)
        .map(f)
        .filter((x): x is number => x !== undefined),
    );
  const rows: [string, (s: LoadSample) => number | undefined, Target | undefined][] = [
    ['editor interactive', (s) => s.marks.editor, TARGETS.editor],
    ['solver ready', (s) => s.marks.solver, undefined],
    ['first result shown', (s) => s.marks.result, TARGETS.result],
    ['  first complete answer shown', (s) => s.marks.answer, undefined],
    ['  first check started', (s) => s.firstCheckStartedAt, undefined],
    ['  first check, in worker', (s) => s.firstCheckEngineMs, undefined],
    ['  worker boot (its own clock)', (s) => s.workerBootMs, undefined],
    ['DOMContentLoaded', (s) => s.domContentLoaded, undefined],
    ['load event', (s) => s.load, undefined],
  ];
  const kinds = (['cold', 'warm', 'returning'] as const).filter((k) => samples.some((s) => s.kind === k));
  return table(
    ['ms from navigation start', ...kinds.flatMap((k) => [`${k} p50`, `${k} p95`]), 'target (p50)'],
    rows.map(([label, f, target]) => {
      const byKind = kinds.map((k) => pick(k, f));
      return [
        label,
        ...byKind.flatMap((x) => [ms(x.median), ms(x.p95)]),
        target ? byKind.map((x) => verdictOf(x.median, target)).join(' / ') : '',
      ];
    }),
  );
}

export function editTable(edits: readonly EditSample[], withTarget = true): string {
  const target = withTarget ? TARGETS.recheck : undefined;
  const rows: [string, (e: EditSample) => number | undefined, Target | undefined][] = [
    ['edit -> verdict shown', (e) => e.totalMs, target],
    ['  debounce (edit -> check sent)', (e) => e.debounceMs, undefined],
    ['  check sent -> verdict shown', (e) => e.checkMs, target],
    ['  check, in worker', (e) => e.engineMs, undefined],
    ['edit -> whole answer shown', (e) => e.completeMs, undefined],
  ];
  return table(
    ['re-check latency (ms)', 'n', 'p50', 'p95', 'max', 'target'],
    rows.map(([label, f, target]) => {
      const s = summarize(edits.map(f).filter((x): x is number => x !== undefined));
      return [label, String(s.n), ms(s.median), ms(s.p95), ms(s.max), verdictOf(s.median, target)];
    }),
  );
}

// ---------------------------------------------------------------------------------------------------
// Baselines: figures as ratios to what this build is bounded by on the same machine, in the same run

/**
 * One load of a baseline page of this build (cold, warm or returning like the app's), in ms from
 * navigation start: the bare Monaco editor on the app's default document (`editor`), or Z3 started in
 * a bare worker (`z3Ready`) and its answer to one trivial check (`z3Checked`).
 */
export interface BaselineSample {
  kind: LoadKind;
  page: 'editor' | 'z3';
  editor?: number;
  z3Ready?: number;
  z3Checked?: number;
  /** the bare worker's own clock: worker start -> Z3 ready */
  workerBootMs?: number;
}

interface RatioTarget {
  label: string;
  limit: number;
}

const RATIO_TARGETS = {
  /** the app's editor interactive against the bare editor's */
  editor: { label: '<= 1.2x', limit: 1.2 },
  /** the app's first complete answer against Z3 ready + one trivial check in a bare worker */
  answer: { label: '<= 1.3x', limit: 1.3 },
} satisfies Record<string, RatioTarget>;

/** The long session: the worker's memory after the last check against after the first ones. */
const MEMORY_TARGET = { label: '<= +10 %', limit: 0.1 };

export interface RatioRow {
  label: string;
  kind: LoadKind;
  /** p50 of the app's figure and of its baseline's, ms */
  app: number;
  baseline: number;
  /** app / baseline (NaN when either is missing) */
  ratio: number;
  target: RatioTarget;
  met: boolean | undefined;
}

const p50 = (xs: (number | undefined)[]): number =>
  summarize(xs.filter((x): x is number => x !== undefined)).median;

/**
 * Per load kind the app was measured in: the app's p50 over its baseline's p50, against the ratio
 * targets (no verdict without a baseline of that kind).
 */
export function ratioRows(loads: readonly LoadSample[], baselines: readonly BaselineSample[]): RatioRow[] {
  const rows: RatioRow[] = [];
  const specs: [
    string,
    RatioTarget,
    (s: LoadSample) => number | undefined,
    BaselineSample['page'],
    (b: BaselineSample) => number | undefined,
  ][] = [
    [
      'editor interactive / bare editor',
      RATIO_TARGETS.editor,
      (s) => s.marks.editor,
      'editor',
      (b) => b.editor,
    ],
    [
      'first complete answer / Z3 ready + 1 check',
      RATIO_TARGETS.answer,
      (s) => s.marks.answer,
      'z3',
      (b) => b.z3Checked,
    ],
  ];
  for (const [label, target, app, page, base] of specs)
    for (const kind of ['cold', 'warm', 'returning'] as const) {
      const a = p50(loads.filter((s) => s.kind === kind).map(app));
      const b = p50(baselines.filter((s) => s.kind === kind && s.page === page).map(base));
      if (Number.isNaN(a)) continue;
      const ratio = a / b;
      rows.push({
        label,
        kind,
        app: a,
        baseline: b,
        ratio,
        target,
        met: Number.isFinite(ratio) ? ratio <= target.limit : undefined,
      });
    }
  return rows;
}

function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}x` : '-';
}

export function ratioTable(rows: readonly RatioRow[]): string {
  return table(
    ['p50 against the baseline', 'load', 'app ms', 'baseline ms', 'ratio', 'target'],
    rows.map((r) => [
      r.label,
      r.kind,
      ms(r.app),
      ms(r.baseline),
      ratio(r.ratio),
      r.met === undefined ? '' : `${r.target.label} ${r.met ? 'met' : 'missed'}`,
    ]),
  );
}

/** The baselines' own figures (p50 / p95 per load kind). */
export function baselineTable(baselines: readonly BaselineSample[]): string {
  const rows: [string, BaselineSample['page'], (b: BaselineSample) => number | undefined][] = [
    ['bare editor interactive', 'editor', (b) => b.editor],
    ['bare worker: Z3 ready', 'z3', (b) => b.z3Ready],
    ['bare worker: + 1 trivial check', 'z3', (b) => b.z3Checked],
    ['  bare worker boot (its own clock)', 'z3', (b) => b.workerBootMs],
  ];
  const kinds = (['cold', 'warm', 'returning'] as const).filter((k) => baselines.some((b) => b.kind === k));
  return table(
    ['baseline, ms from navigation start', ...kinds.flatMap((k) => [`${k} p50`, `${k} p95`])],
    rows.map(([label, page, f]) => [
      label,
      ...kinds.flatMap((k) => {
        const s = summarize(
          baselines
            .filter((b) => b.kind === k && b.page === page)
            .map(f)
            .filter((x): x is number => x !== undefined),
        );
        return [ms(s.median), ms(s.p95)];
      }),
    ]),
  );
}

/** The worker's memory at a point of the long session (bytes; see web.ts, measureSession). */
export interface MemoryPoint {
  checks: number;
  bytes: number;
}

export interface MemoryGrowth {
  first: MemoryPoint;
  last: MemoryPoint;
  /** (last - first) / first */
  growth: number;
  met: boolean;
}

export function memoryGrowth(first: MemoryPoint, last: MemoryPoint): MemoryGrowth {
  const growth = (last.bytes - first.bytes) / first.bytes;
  return { first, last, growth, met: growth <= MEMORY_TARGET.limit };
}

export function memoryLine(g: MemoryGrowth, what: string): string {
  const pct = `${g.growth >= 0 ? '+' : ''}${(100 * g.growth).toFixed(1)} %`;
  return (
    `${what}: ${bytes(g.first.bytes)} after ${g.first.checks} checks, ${bytes(g.last.bytes)} after ${g.last.checks}: ` +
    `${pct} (${MEMORY_TARGET.label} ${g.met ? 'met' : 'missed'})`
  );
}

/** One entry of performance.measureUserAgentSpecificMemory()'s breakdown. */
export interface MemoryBreakdownEntry {
  bytes: number;
  types: string[];
  attribution: { url: string; scope: string }[];
}

/**
 * Z3's WASM memory: z3-solver's build fixes it at INITIAL_MEMORY = 2 GiB, shared with its pthread
 * workers, and measureUserAgentSpecificMemory() counts all of it in the analysis worker (and again
 * in each pthread worker) however little is used.
 */
export const Z3_WASM_MEMORY = 2 ** 31;

/** The analysis worker's own JavaScript heap: its breakdown entry less Z3's fixed WASM memory. */
export function analysisWorkerHeap(breakdown: readonly MemoryBreakdownEntry[]): number | undefined {
  const entry = breakdown.find((e) =>
    e.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope' && /analysis/.test(a.url)),
  );
  if (!entry) return undefined;
  return entry.bytes >= Z3_WASM_MEMORY ? entry.bytes - Z3_WASM_MEMORY : entry.bytes;
}
