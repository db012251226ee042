/**
 * `npm run bench:web [-- --json] [--runs N] [--edits N] [--switches N] [--session N] [--no-baselines] [--port N] [--out-dir DIR] [--rebuild | --no-build]`
 *
 * The browser app in headless Chromium, served by `vite preview` (this repo's vite.config.ts, so the
 * same headers, compression and caching as `npm run preview`) from its own build directory:
 *  - N cold loads (a new browser profile each: empty HTTP cache) and, after each, a warm load (the
 *    browser restarted on the same profile: a second visit) and a returning load (restarted once
 *    more: a third visit, when Chromium also has its V8 code cache for the scripts). Per load, in ms
 *    from navigation start: the editor interactive (Monaco mounted with its input element and text),
 *    the solver ready (data-testid="solver-status" data-phase ready), the first check result shown
 *    (an early FAIL counts) and the first complete answer (the solver's).
 *  - Transfer per resource type from Resource Timing (the page's and the analysis worker's entries):
 *    raw (decoded) bytes, compressed (encoded body) bytes, bytes over the wire, served from network,
 *    revalidated (304) or from cache; cold against warm shows whether caching works. The bytes the
 *    server wrote to its sockets are a cross-check.
 *  - Re-check latency, CheckNoNewAccess in the diff view, timed until the verdict for that text is in
 *    the DOM (split into the UI's debounce and the check itself) and until the whole answer is:
 *    while editing corpus policies (src/fixtures/pairs, in file order; per pair four one-line edits
 *    of the new document through its Monaco model: paste an action, remove it, paste a statement,
 *    remove it), and switching pairs (both whole documents replaced per re-check).
 *  - Baselines, in the same run and measured the same way (cold, warm, returning; a new profile per
 *    run): two pages of this build built only for the bench (src/bench/baseline-*.html, a second
 *    Vite build into the same directory, never part of `npm run build`): a bare Monaco editor on the
 *    app's default document, and Z3 started in a bare worker as the analysis worker starts it, plus one
 *    trivial check. The app's figures are printed as ratios to them (p50 over p50), which move less
 *    than absolute times between machines: editor interactive / bare editor (target <= 1.2), first
 *    complete answer / (Z3 ready + 1 check) (target <= 1.3).
 *  - A long session: N checks in one page (each on a new text), the analysis worker's JS heap
 *    (measureUserAgentSpecificMemory, eager with --enable-blink-features=ForceEagerMeasureMemory,
 *    less Z3's fixed 2 GiB WASM memory, which it counts whole) and the renderer's resident memory
 *    (/proc: Z3's touched WASM pages included) after 50 checks and after N (target: +10 % at most).
 * Targets (issue: Performance) are printed next to the figures; missing one does not fail the run.
 * Exit status 2 when the bench itself cannot run (build, server, browser, a load that never finishes).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import type { Socket } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  chromium,
  type BrowserContext,
  type Page,
  type Request as PwRequest,
  type Worker as PwWorker,
} from '@playwright/test';
import { build as viteBuild, preview, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.ts';
import { ms, nonNegativeInt, summarize, table } from './stats.ts';
import {
  editAndWait,
  installLoadProbe,
  measureMemory,
  readFirstCheck,
  readLoadMarks,
  readNavigation,
  readPolicyDocument,
  readResources,
  type EditInput,
  type MemoryEntry,
} from './web-probe.ts';
import {
  analysisWorkerHeap,
  baselineTable,
  bytes,
  cacheStateOf,
  editTable,
  loadTable,
  memoryGrowth,
  memoryLine,
  ratioRows,
  ratioTable,
  shortUrl,
  transferReport,
  transferTable,
  type BaselineSample,
  type EditSample,
  type LoadKind,
  type MemoryGrowth,
  type MemoryPoint,
  type LoadSample,
  type ResourceEntry,
} from './web-report.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PAIRS_DIR = join(ROOT, 'src/fixtures/pairs');
const OUT_DIR = join(ROOT, '.bench-out');

interface Options {
  json: boolean;
  runs: number;
  edits: number;
  switches: number;
  session: number;
  baselines: boolean;
  port: number;
  outDir: string;
  build: 'auto' | 'always' | 'never';
  timeoutMs: number;
}

const USAGE = `Usage: npm run bench:web -- [--json] [--runs N] [--edits N] [--switches N] [--session N] [--no-baselines] [--port N] [--out-dir DIR] [--rebuild | --no-build]
  --json          also write .bench-out/web-<time>.json and .bench-out/web-latest.json
  --runs N        cold loads, each followed by a warm and a returning load (default 5)
  --edits N       measured re-checks while editing corpus policies, 4 per pair (default 24; 0 skips)
  --switches N    measured re-checks switching corpus pairs, both documents replaced (default 24)
  --session N     long session: N checks in one page, the worker's memory after 50 and after N (default 500; 0 skips)
  --no-baselines  skip the baseline pages (bare Monaco editor, Z3 in a bare worker) and the ratios
  --port N        port of the preview server (default 4180)
  --out-dir DIR   build directory (default dist-bench; never dist/, which others use)
  --rebuild       build even if DIR is newer than the sources (default: build only when stale)
  --no-build      use DIR as it is
  --timeout-ms N  per load and per re-check (default 90000)
Environment: CHROMIUM_PATH (default /usr/bin/chromium when present).
`;

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      runs: { type: 'string', default: '5' },
      edits: { type: 'string', default: '24' },
      switches: { type: 'string', default: '24' },
      session: { type: 'string', default: '500' },
      'no-baselines': { type: 'boolean', default: false },
      port: { type: 'string', default: '4180' },
      'out-dir': { type: 'string', default: 'dist-bench' },
      rebuild: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      'timeout-ms': { type: 'string', default: '90000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const outDir = values['out-dir'];
  if (outDir === 'dist' || outDir === 'dist/')
    throw new Error('--out-dir dist is the shared build: use your own');
  if (values.rebuild && values['no-build']) throw new Error('--rebuild and --no-build exclude each other');
  return {
    json: values.json,
    runs: Math.max(1, nonNegativeInt(values.runs, '--runs')),
    edits: nonNegativeInt(values.edits, '--edits'),
    switches: nonNegativeInt(values.switches, '--switches'),
    session: nonNegativeInt(values.session, '--session'),
    baselines: !values['no-baselines'],
    port: nonNegativeInt(values.port, '--port'),
    outDir,
    build: values.rebuild ? 'always' : values['no-build'] ? 'never' : 'auto',
    timeoutMs: nonNegativeInt(values['timeout-ms'], '--timeout-ms'),
  };
}

const progress = (l: string) => process.stderr.write(l + '\n');

// ---------------------------------------------------------------------------------------------------
// Build

/** The baseline pages: a second build of their own into the same directory (never in `npm run build`). */
const BASELINE_PAGES = {
  editor: 'src/bench/baseline-editor.html',
  z3: 'src/bench/baseline-z3.html',
} as const;

/** Newest modification time of the inputs of the web build (test files and the rest of the bench excluded). */
function newestInput(): number {
  let newest = 0;
  const visit = (p: string): void => {
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p)) visit(join(p, name));
      return;
    }
    const rel = relative(ROOT, p);
    if ((rel.startsWith('src/bench/') && !rel.startsWith('src/bench/baseline-')) || /\.test\.tsx?$/.test(rel))
      return;
    newest = Math.max(newest, st.mtimeMs);
  };
  for (const p of ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'package-lock.json'])
    if (existsSync(join(ROOT, p))) visit(join(ROOT, p));
  return newest;
}

async function ensureBuild(o: Options): Promise<void> {
  const index = resolve(ROOT, o.outDir, 'index.html');
  const baselines = Object.values(BASELINE_PAGES).map((p) => resolve(ROOT, o.outDir, p));
  const fresh =
    existsSync(index) && baselines.every((b) => existsSync(b)) && statSync(index).mtimeMs > newestInput();
  if (o.build === 'never' || (o.build === 'auto' && fresh)) {
    if (!existsSync(index)) throw new Error(`${o.outDir}/index.html is missing (drop --no-build)`);
    progress(`using the build in ${o.outDir}/${fresh ? '' : ' (older than the sources)'}`);
    return;
  }
  progress(`building into ${o.outDir}/ ...`);
  const t0 = performance.now();
  const r = spawnSync(
    join(ROOT, 'node_modules/.bin/vite'),
    ['build', '--outDir', o.outDir, '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status ?? r.signal})`);
  // The baselines after the app, into the same directory (same server, headers and caching), as a
  // build of their own so that the app's chunks stay exactly those of `npm run build`.
  await viteBuild({
    root: ROOT,
    logLevel: 'warn',
    build: {
      outDir: o.outDir,
      emptyOutDir: false,
      rollupOptions: {
        input: Object.fromEntries(
          Object.entries(BASELINE_PAGES).map(([k, p]) => [`baseline-${k}`, join(ROOT, p)]),
        ),
      },
    },
  });
  progress(`built in ${ms(performance.now() - t0)} ms`);
}

// ---------------------------------------------------------------------------------------------------
// Server and browser

interface Served {
  server: PreviewServer;
  url: string;
  /** bytes written to all sockets so far */
  bytesWritten: () => number;
}

async function serve(o: Options): Promise<Served> {
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir: o.outDir },
    preview: { port: o.port, strictPort: true, host: '127.0.0.1' },
  });
  const sockets = new Set<Socket>();
  server.httpServer.on('connection', (s: Socket) => sockets.add(s));
  return {
    server,
    url: `http://127.0.0.1:${o.port}/`,
    bytesWritten: () => [...sockets].reduce((sum, s) => sum + s.bytesWritten, 0),
  };
}

function chromiumVersion(): string {
  const path = chromiumPath();
  if (!path) return 'Playwright default';
  try {
    return execFileSync(path, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return path;
  }
}

function launch(userDataDir: string, extraArgs: string[] = []): Promise<BrowserContext> {
  const executablePath = chromiumPath();
  return chromium.launchPersistentContext(userDataDir, {
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 1280, height: 720 },
    ...(executablePath ? { executablePath } : {}),
  });
}

function withTimeout<T>(p: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  return Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), timeoutMs))]);
}

/** The page's requests still waiting for their answer; `idle` resolves when there are none. */
function trackRequests(page: Page): { idle(timeoutMs: number): Promise<void> } {
  const inFlight = new Set<PwRequest>();
  let waiters: (() => void)[] = [];
  const done = (r: PwRequest): void => {
    inFlight.delete(r);
    if (inFlight.size > 0) return;
    for (const w of waiters) w();
    waiters = [];
  };
  page.on('request', (r) => inFlight.add(r));
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    idle(timeoutMs) {
      if (inFlight.size === 0) return Promise.resolve();
      const pending = new Promise<void>((r) => waiters.push(r));
      return withTimeout(
        pending.then(() => true),
        timeoutMs,
        false,
      ).then((ok) => {
        if (!ok)
          throw new Error(
            `requests still unanswered after ${timeoutMs} ms: ${[...inFlight].map((r) => r.url()).join(', ')}`,
          );
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Loads

/** One navigation in a browser started on `userDataDir`: milestones and everything fetched. */
async function measureLoad(
  o: Options,
  served: Served,
  userDataDir: string,
  kind: LoadKind,
): Promise<LoadSample> {
  const ctx = await launch(userDataDir);
  try {
    await ctx.addInitScript(installLoadProbe);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    const workers: PwWorker[] = [];
    page.on('worker', (w) => workers.push(w));
    const requests = trackRequests(page);
    const bytes0 = served.bytesWritten();
    await page.goto(served.url, { waitUntil: 'commit', timeout: o.timeoutMs });
    await page.waitForFunction(
      () => (window as unknown as { __benchMarks?: { done?: boolean } }).__benchMarks?.done === true,
      undefined,
      { timeout: o.timeoutMs, polling: 50 },
    );
    // Lazy loads (the page's catalog after first paint, fonts) may finish after the first result:
    // Resource Timing is read once the fonts are in and no request is still waiting for its answer.
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await requests.idle(o.timeoutMs);
    const marks = await page.evaluate(readLoadMarks);
    delete (marks as { done?: boolean }).done;
    if (marks.solverFailed) throw new Error(`${kind} load: solver ${marks.solverFailed}`);
    const nav = await page.evaluate(readNavigation);
    const first = await page.evaluate(readFirstCheck);
    appDocument ??= await page.evaluate(readPolicyDocument);
    const resources: ResourceEntry[] = [nav.entry, ...(await page.evaluate(readResources, 'page'))];
    // Z3's pthread workers block in Atomics.wait and never answer an evaluate; they fetch nothing
    // but their script, which is in the analysis worker's timeline.
    for (const w of workers)
      if (!/z3-built/.test(w.url()))
        resources.push(...(await withTimeout(w.evaluate(readResources, w.url()), 5000, [])));
    return {
      kind,
      marks,
      domContentLoaded: nav.domContentLoaded,
      load: nav.load,
      ...(first.workerBootMs !== undefined ? { workerBootMs: first.workerBootMs } : {}),
      ...(first.startedAt !== undefined ? { firstCheckStartedAt: first.startedAt } : {}),
      ...(first.engineMs !== undefined ? { firstCheckEngineMs: first.engineMs } : {}),
      serverBytes: served.bytesWritten() - bytes0,
      resources,
      transfer: transferReport(resources),
    };
  } finally {
    await ctx.close();
  }
}

/** The document the app showed on its first load: the baseline editor shows the same. */
let appDocument: string | undefined;

// ---------------------------------------------------------------------------------------------------
// Baselines

/**
 * One load of a baseline page, in a browser started on `userDataDir` like the app's loads: the bare
 * Monaco editor (timed by the app's own probe) or Z3 in a bare worker (the page's own marks).
 */
async function measureBaseline(
  o: Options,
  served: Served,
  userDataDir: string,
  kind: LoadKind,
  page: BaselineSample['page'],
): Promise<BaselineSample> {
  const ctx = await launch(userDataDir);
  try {
    await ctx.addInitScript(installLoadProbe);
    await ctx.addInitScript((doc: string) => {
      (window as { __benchDocument?: string }).__benchDocument = doc;
    }, appDocument ?? '{}');
    const p = ctx.pages()[0] ?? (await ctx.newPage());
    const requests = trackRequests(p);
    await p.goto(new URL(BASELINE_PAGES[page], served.url).href, {
      waitUntil: 'commit',
      timeout: o.timeoutMs,
    });
    if (page === 'editor') {
      await p.waitForFunction(
        () =>
          (window as unknown as { __benchMarks?: { editor?: number } }).__benchMarks?.editor !== undefined,
        undefined,
        { timeout: o.timeoutMs, polling: 50 },
      );
      const marks = await p.evaluate(readLoadMarks);
      await requests.idle(o.timeoutMs);
      return { kind, page, ...(marks.editor !== undefined ? { editor: marks.editor } : {}) };
    }
    type Marks = Omit<BaselineSample, 'kind' | 'page'> & { answer?: string; failed?: string };
    await p.waitForFunction(
      () => {
        const b = (window as unknown as { __benchBaseline?: Marks }).__benchBaseline;
        return b?.z3Checked !== undefined || b?.failed !== undefined;
      },
      undefined,
      { timeout: o.timeoutMs, polling: 50 },
    );
    const m = await p.evaluate(
      () => (window as unknown as { __benchBaseline?: Marks }).__benchBaseline ?? {},
    );
    if (m.failed) throw new Error(`${kind} Z3 baseline: ${m.failed}`);
    if (m.answer !== 'sat') throw new Error(`${kind} Z3 baseline: the trivial check answered ${m.answer}`);
    await requests.idle(o.timeoutMs);
    return {
      kind,
      page,
      ...(m.z3Ready !== undefined ? { z3Ready: m.z3Ready } : {}),
      ...(m.z3Checked !== undefined ? { z3Checked: m.z3Checked } : {}),
      ...(m.workerBootMs !== undefined ? { workerBootMs: m.workerBootMs } : {}),
    };
  } finally {
    await ctx.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Re-checks

interface PairFile {
  name: string;
  oldVersion: string;
  newVersion: string;
  old: unknown;
  new: unknown;
}

/** The corpus pairs, in file order, each as the two documents the diff view shows. */
function corpusPairs(timeoutMs: number): EditInput[] {
  const files = readdirSync(PAIRS_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'INDEX.json')
    .sort();
  if (files.length < 2) throw new Error(`need at least two pairs in ${PAIRS_DIR}`);
  return files.map((f) => {
    const p = JSON.parse(readFileSync(join(PAIRS_DIR, f), 'utf8')) as PairFile;
    return {
      name: `${p.name} ${p.oldVersion}->${p.newVersion}`,
      existing: JSON.stringify(p.old, null, 2),
      next: JSON.stringify(p.new, null, 2),
      timeoutMs,
    };
  });
}

function pairInputs(count: number, timeoutMs: number): EditInput[] {
  const pairs = corpusPairs(timeoutMs);
  // Consecutive edits always differ (the list cycles when count exceeds it).
  return Array.from({ length: count }, (_v, i) => pairs[i % pairs.length]!);
}

/** The lines the editing scenario pastes: a new action in a list, and a new statement. */
const NEW_ACTION = '        "s3:PutBucketPolicy",\n';
const NEW_STATEMENT =
  '    {\n      "Effect": "Allow",\n      "Action": "iam:PassRole",\n      "Resource": "*"\n    },\n';

/**
 * Editing a corpus policy: per pair (file order, pairs whose new policy has an Action list), the pair
 * is opened (not measured), then four measured edits of its new document: paste an action into the
 * first Action list, remove it, paste a statement at the top, remove it.
 */
function editingInputs(count: number, timeoutMs: number): { input: EditInput; measured: boolean }[] {
  const steps: { input: EditInput; measured: boolean }[] = [];
  let measured = 0;
  for (const pair of corpusPairs(timeoutMs)) {
    if (measured >= count) break;
    const { name, existing, next } = pair;
    const actionAt = next.indexOf('"Action": [\n');
    const statementAt = next.indexOf('"Statement": [\n');
    if (actionAt < 0 || statementAt < 0) continue;
    steps.push({ input: pair, measured: false });
    const paste = (at: number, text: string, what: string): void => {
      const changed = next.slice(0, at) + text + next.slice(at);
      const add = { offset: at, deleteCount: 0, insert: text };
      const remove = { offset: at, deleteCount: text.length, insert: '' };
      steps.push({
        input: { name: `${name}: paste ${what}`, existing, next: changed, edit: add, timeoutMs },
        measured: true,
      });
      steps.push({
        input: { name: `${name}: remove ${what}`, existing, next, edit: remove, timeoutMs },
        measured: true,
      });
    };
    paste(actionAt + '"Action": [\n'.length, NEW_ACTION, 'an action');
    paste(statementAt + '"Statement": [\n'.length, NEW_STATEMENT, 'a statement');
    measured += 4;
  }
  return steps;
}

/** The app loaded (its load probe done) in CheckNoNewAccess's diff editor, in a fresh page of `ctx`. */
async function openDiffCheck(ctx: BrowserContext, o: Options, served: Served): Promise<Page> {
  await ctx.addInitScript(installLoadProbe);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(served.url, { timeout: o.timeoutMs });
  await page.waitForFunction(
    () => (window as unknown as { __benchMarks?: { done?: boolean } }).__benchMarks?.done === true,
    undefined,
    { timeout: o.timeoutMs, polling: 50 },
  );
  await page.getByTestId('check-select').selectOption('CheckNoNewAccess');
  await page.getByTestId('diff-editor').waitFor({ timeout: o.timeoutMs });
  return page;
}

async function measureEdits(
  o: Options,
  served: Served,
): Promise<{ edits: EditSample[]; switches: EditSample[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-web-edit-'));
  const ctx = await launch(dir);
  try {
    const page = await openDiffCheck(ctx, o, served);
    const edits: EditSample[] = [];
    for (const { input, measured } of editingInputs(o.edits, o.timeoutMs)) {
      const s = await page.evaluate(editAndWait, input);
      if (!measured) continue;
      edits.push(s);
      if (s.totalMs > 2000) progress(`edit ${edits.length}: ${s.name}: ${s.result} in ${ms(s.totalMs)} ms`);
    }
    // Switching pairs: both documents replaced per re-check. The first is not measured when it is
    // the page's first use of the diff editor and of this check kind.
    const inputs = pairInputs(o.switches + 1, o.timeoutMs);
    const measured = inputs.slice(1);
    if (!edits.length && inputs[0]) await page.evaluate(editAndWait, inputs[0]);
    const switches: EditSample[] = [];
    for (const [i, input] of measured.entries()) {
      const s = await page.evaluate(editAndWait, input);
      switches.push(s);
      if (s.totalMs > 2000) progress(`switch ${i + 1}: ${s.name}: ${s.result} in ${ms(s.totalMs)} ms`);
    }
    return { edits, switches };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Long session

/** Chromium resolves measureUserAgentSpecificMemory() at once (after a GC) instead of at its next GC. */
const EAGER_MEMORY = ['--enable-blink-features=ForceEagerMeasureMemory'];

/**
 * The resident memory of the page's renderer process (Linux: /proc): the page and its workers,
 * including the pages of Z3's WASM memory actually touched, which measureUserAgentSpecificMemory()
 * cannot tell (it counts the whole fixed 2 GiB). The renderer is found below the browser process
 * started on `userDataDir`; with several, the largest.
 */
function rendererRss(userDataDir: string): number | undefined {
  const procs = new Map<number, { ppid: number; cmd: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${name}/status`, 'utf8'))?.[1]);
      procs.set(Number(name), { ppid, cmd });
    } catch {
      // gone meanwhile
    }
  }
  const browser = [...procs].find(
    ([, p]) => p.cmd.includes(`--user-data-dir=${userDataDir}`) && !p.cmd.includes('--type='),
  );
  if (!browser) return undefined;
  const below = (pid: number): boolean => {
    for (let p = procs.get(pid); p; p = procs.get(p.ppid)) if (p.ppid === browser[0]) return true;
    return false;
  };
  let best: number | undefined;
  for (const [pid, p] of procs) {
    if (!p.cmd.includes('--type=renderer') || !below(pid)) continue;
    try {
      const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
      if (Number.isFinite(kib)) best = Math.max(best ?? 0, kib * 1024);
    } catch {
      // gone meanwhile
    }
  }
  return best;
}

interface SessionReport {
  /** bytes: the analysis worker's JavaScript heap; rss: the renderer process's resident memory */
  points: (MemoryPoint & { rss?: number; total: number; breakdown: MemoryEntry[] })[];
  growth?: MemoryGrowth;
  rssGrowth?: MemoryGrowth;
  checkMs: number[];
  error?: string;
}

/**
 * N CheckNoNewAccess checks in one page, each on a new text (the smallest corpus pair, its new
 * document with a statement on a bucket named after the check's number, so no answer repeats), the
 * worker's memory measured after 50 and after N.
 */
async function measureSession(o: Options, served: Served): Promise<SessionReport> {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bench-web-session-')));
  const ctx = await launch(dir, EAGER_MEMORY);
  try {
    const page = await openDiffCheck(ctx, o, served);
    const pair = corpusPairs(o.timeoutMs)
      .filter((p) => p.next.includes('"Statement": [\n'))
      .sort((a, b) => a.existing.length + a.next.length - (b.existing.length + b.next.length))[0];
    if (!pair) throw new Error('no corpus pair with a Statement list');
    const at = pair.next.indexOf('"Statement": [\n') + '"Statement": [\n'.length;
    const input = (i: number): EditInput => ({
      ...pair,
      name: `${pair.name} #${i}`,
      next:
        pair.next.slice(0, at) +
        `    {\n      "Effect": "Allow",\n      "Action": "s3:GetObject",\n      "Resource": "arn:aws:s3:::bench-session-${i}/*"\n    },\n` +
        pair.next.slice(at),
    });
    await page.evaluate(editAndWait, { ...pair, name: pair.name });
    const first = Math.min(50, o.session);
    const points: SessionReport['points'] = [];
    const checkMs: number[] = [];
    for (let i = 1; i <= o.session; i++) {
      const s = await page.evaluate(editAndWait, input(i));
      checkMs.push(s.completeMs ?? s.totalMs);
      if (i % 100 === 0) progress(`session: ${i}/${o.session} checks`);
      if (i !== first && i !== o.session) continue;
      const m = await page.evaluate(measureMemory);
      if ('error' in m) return { points, checkMs, error: m.error };
      const heap = analysisWorkerHeap(m.breakdown);
      if (heap === undefined) return { points, checkMs, error: 'no analysis worker in the memory breakdown' };
      const rss = rendererRss(dir);
      points.push({
        checks: i,
        bytes: heap,
        ...(rss !== undefined ? { rss } : {}),
        total: m.bytes,
        breakdown: m.breakdown,
      });
      progress(
        `session: after ${i} checks, analysis worker heap ${bytes(heap)}, renderer resident ${bytes(rss ?? NaN)}`,
      );
    }
    const [a, b] = [points[0], points[points.length - 1]];
    if (!a || !b || a === b) return { points, checkMs };
    return {
      points,
      checkMs,
      growth: memoryGrowth(a, b),
      ...(a.rss && b.rss
        ? { rssGrowth: memoryGrowth({ checks: a.checks, bytes: a.rss }, { checks: b.checks, bytes: b.rss }) }
        : {}),
    };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Report

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return undefined;
  }
}

function largestTable(sample: LoadSample, origin: string): string {
  const rows = [...sample.resources]
    .sort((a, b) => b.decodedBodySize - a.decodedBodySize)
    .slice(0, 8)
    .map((e) => [
      shortUrl(e.url, origin),
      e.context === 'page' ? 'page' : 'worker',
      cacheStateOf(e),
      bytes(e.decodedBodySize),
      bytes(e.encodedBodySize),
      // Worker scripts and cache hits can lack timing details in another context's timeline.
      e.responseEnd >= e.startTime && e.responseEnd > 0 ? ms(e.responseEnd - e.startTime) : '-',
    ]);
  return table(['largest responses', 'fetched by', 'from', 'raw', 'compressed', 'fetch ms'], rows);
}

function totalsLine(samples: LoadSample[], kind: LoadKind): string {
  const xs = samples.filter((s) => s.kind === kind);
  const median = (f: (s: LoadSample) => number) => {
    const v = xs.map(f).sort((a, b) => a - b);
    return v[Math.floor((v.length - 1) / 2)] ?? NaN;
  };
  const t = xs[0]?.transfer.total;
  return (
    `${kind}: ${bytes(median((s) => s.transfer.total.transfer))} over the wire (browser), ` +
    `${bytes(median((s) => s.serverBytes))} written by the server; ` +
    `${t ? `${t.requests} responses: ${t.network} network, ${t.revalidated} revalidated (304), ${t.cache} from cache` : ''}`
  );
}

async function main(): Promise<number> {
  const o = parseOptions(process.argv.slice(2));
  await ensureBuild(o);
  const served = await serve(o);
  const origin = new URL(served.url).origin;
  const lines: string[] = [];
  const log = (l = '') => {
    lines.push(l);
    process.stdout.write(l + '\n');
  };
  const t0 = performance.now();
  const loadNow = () => loadavg()[0]?.toFixed(1) ?? '?';
  const load0 = loadNow();
  try {
    const loads: LoadSample[] = [];
    for (let i = 0; i < o.runs; i++) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-web-'));
      try {
        for (const kind of ['cold', 'warm', 'returning'] as const) {
          const s = await measureLoad(o, served, dir, kind);
          loads.push(s);
          progress(
            `run ${i + 1}/${o.runs} ${kind}: editor ${ms(s.marks.editor ?? NaN)} ms, solver ${ms(s.marks.solver ?? NaN)} ms, ` +
              `result ${ms(s.marks.result ?? NaN)} ms (${s.marks.resultKind ?? '?'}), ${bytes(s.transfer.total.transfer)} transferred`,
          );
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // The baselines in the same run, like the app's loads: per run a new profile, cold, warm, returning.
    const baselines: BaselineSample[] = [];
    for (let i = 0; o.baselines && i < o.runs; i++)
      for (const page of ['editor', 'z3'] as const) {
        const dir = mkdtempSync(join(tmpdir(), 'bench-web-baseline-'));
        try {
          for (const kind of ['cold', 'warm', 'returning'] as const) {
            const b = await measureBaseline(o, served, dir, kind, page);
            baselines.push(b);
            progress(
              `run ${i + 1}/${o.runs} baseline ${page} ${kind}: ` +
                (page === 'editor'
                  ? `editor ${ms(b.editor ?? NaN)} ms`
                  : `Z3 ready ${ms(b.z3Ready ?? NaN)} ms, checked ${ms(b.z3Checked ?? NaN)} ms`),
            );
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    const { edits, switches } =
      o.edits > 0 || o.switches > 0 ? await measureEdits(o, served) : { edits: [], switches: [] };
    const session = o.session > 0 ? await measureSession(o, served) : undefined;

    log(`# Web benchmark: ${o.outDir}/ via vite preview (vite.config.ts), headless ${chromiumVersion()}`);
    log(
      `commit ${gitCommit() ?? '?'}   node ${process.version}   ${cpus().length} cores   load average ${load0} at start, ${loadNow()} at end`,
    );
    log(
      `${o.runs} cold + ${o.runs} warm + ${o.runs} returning loads   ${edits.length} re-checks while editing   ${switches.length} pair switches`,
    );
    log();
    log(loadTable(loads));
    log();
    if (baselines.length) {
      log(
        'Baselines of this build, same run (a bare Monaco editor on the same document; Z3 in a bare worker):',
      );
      log(baselineTable(baselines));
      log();
      log('The figures as ratios to their baselines (p50 over p50; what moves less between machines):');
      log(ratioTable(ratioRows(loads, baselines)));
      log();
    }
    const recheckReport = (title: string, samples: EditSample[], withTarget: boolean): void => {
      if (samples.length === 0) return;
      log(title);
      log(editTable(samples, withTarget));
      const results = new Map<string, number>();
      for (const e of samples) results.set(e.result, (results.get(e.result) ?? 0) + 1);
      log(`verdicts: ${[...results].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      log();
    };
    recheckReport(
      'CheckNoNewAccess re-checks while editing corpus policies (one pasted or removed line in the new document):',
      edits,
      true,
    );
    recheckReport(
      'CheckNoNewAccess re-checks switching corpus pairs (both whole documents replaced):',
      switches,
      false,
    );
    const cold = loads.find((s) => s.kind === 'cold');
    const warm = loads.find((s) => s.kind === 'warm');
    if (cold) {
      log('Transfer, cold load (empty cache):');
      log(transferTable(cold.transfer));
      log();
      log(largestTable(cold, origin));
      log();
    }
    if (warm) {
      log('Transfer, warm load (same profile, browser restarted):');
      log(transferTable(warm.transfer));
      log();
    }
    if (session) {
      log(`Long session: ${session.checkMs.length} CheckNoNewAccess checks in one page, each on a new text:`);
      const s = summarize(session.checkMs);
      log(`check -> whole answer shown: p50 ${ms(s.median)} ms, p95 ${ms(s.p95)} ms`);
      if (session.error) log(`worker memory: not measured (${session.error})`);
      if (session.growth)
        log(
          memoryLine(
            session.growth,
            "the analysis worker's JS heap (measureUserAgentSpecificMemory, less Z3's fixed 2 GiB)",
          ),
        );
      if (session.rssGrowth)
        log(
          memoryLine(
            session.rssGrowth,
            "the renderer's resident memory (/proc; page, workers, Z3's touched WASM pages)",
          ),
        );
      log();
    }
    log(totalsLine(loads, 'cold'));
    log(totalsLine(loads, 'warm'));
    log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    if (o.json) {
      mkdirSync(OUT_DIR, { recursive: true });
      const date = new Date().toISOString();
      const body =
        JSON.stringify(
          {
            date,
            commit: gitCommit(),
            node: process.version,
            chromium: chromiumVersion(),
            cores: cpus().length,
            options: o,
            loads: loads.map((s) => ({
              ...s,
              resources: s.resources.map((e) => ({ ...e, url: shortUrl(e.url, origin) })),
            })),
            baselines,
            edits,
            switches,
            session,
            report: lines.join('\n'),
          },
          null,
          2,
        ) + '\n';
      const file = join(OUT_DIR, `web-${date.replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, body);
      writeFileSync(join(OUT_DIR, 'web-latest.json'), body);
      progress(`wrote ${file} (and web-latest.json)`);
    }
    return 0;
  } finally {
    await served.server.close();
  }
}

main().then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (e: unknown) => {
    process.stderr.write(`bench:web: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(2);
  },
);
