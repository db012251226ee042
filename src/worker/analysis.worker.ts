/**
 * The analysis worker: boots Z3 once, then runs one check at a time through the engine facade.
 * A thin switch over the protocol; all logic lives in the engine.
 *
 * Z3 in a module worker needs four things (see docs: STACK-NOTES): a cross-origin-isolated page,
 * `z3-built.js` evaluated as a classic script in global scope with `global` defined, the absolute
 * URL of that script for the pthread workers, and the hashed URL of the .wasm file.
 */
import z3ScriptUrl from 'z3-solver/build/z3-built.js?url';
import z3WasmUrl from 'z3-solver/build/z3-built.wasm?url';
import type { Engine } from '../checks/engine.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { FromWorkerSchema, ToWorkerSchema, type FromWorker, type ToWorker } from './protocol.ts';
import { withHeapStrings, type Z3Init } from '../smt/heap-strings.ts';
import { EarlyAnswers } from './early.ts';

type CheckMsg = Extract<ToWorker, { kind: 'check' }>;
type ScenarioMsg = Extract<ToWorker, { kind: 'scenario' }>;
type TestsMsg = Extract<ToWorker, { kind: 'tests' }>;
type Job = CheckMsg | ScenarioMsg | TestsMsg;

const started = performance.now();
const post = (msg: FromWorker): void => {
  // Validate our own output too: a schema drift shows up here, next to its cause.
  self.postMessage(FromWorkerSchema.parse(msg));
};

let engine: Engine | undefined;
let runner: SmtRunner | undefined;
const queue: Job[] = [];
let current: Job | undefined;
const cancelled = new Set<number>();

/**
 * Before Z3 has started (a second or more), a check that can fail without the solver says so. The
 * early stage only ever adds an answer: one that throws is no early answer (the check then runs in
 * full and reports bad input with its code), so no document can stop the solver from starting.
 */
const early = new EarlyAnswers(
  (id, response) => post({ kind: 'preliminary', id, outcome: { ok: true, response } }),
  (id, error) => console.error(`The early answer to check ${id} failed; the full check runs.`, error),
);
const answerEarly = (): void => {
  if (!engine) early.tryQueued(queue.filter((m): m is CheckMsg => m.kind === 'check'));
};

async function boot(): Promise<void> {
  post({ kind: 'status', phase: 'loading', message: 'Loading the Z3 solver…' });
  if (!self.crossOriginIsolated) {
    throw new Error(
      'This page is not cross-origin isolated, so Z3 cannot use SharedArrayBuffer. Serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.',
    );
  }
  const g = globalThis as unknown as Record<string, unknown>;
  g.global = globalThis;
  const absScript = new URL(z3ScriptUrl, self.location.href).href;
  const absWasm = new URL(z3WasmUrl, self.location.href).href;
  // The catalog and the early answers do not wait for Z3.
  const catalogLoaded = Promise.all([
    import('../catalog/catalog.ts'),
    import('../checks/early.ts'),
    import('../checks/guess.ts'),
  ]).then(async ([{ loadDefaultCatalog }, { earlyAnswer }, { GUESS_LIMITS }]) => {
    const catalog = await loadDefaultCatalog();
    // Z3 needs a second or more yet: the first guess (cold JIT, empty caches) may take its time.
    early.ready((request) => earlyAnswer(catalog, request, { ...GUESS_LIMITS, maxMs: 300 }));
    return catalog;
  });
  // Start-up waits for the catalog, never for the answers about the queued documents.
  void catalogLoaded.then(answerEarly, () => undefined);
  const scriptText = await (await fetch(absScript)).text();
  // Indirect eval: runs the Emscripten script in global scope so it defines `initZ3` there.
  (0, eval)(scriptText);
  const [{ init }, { makeRunner }, { Engine }] = await Promise.all([
    import('z3-solver'),
    import('../smt/runner.ts'),
    import('../checks/engine.ts'),
  ]);
  const [z3, catalog] = await Promise.all([
    init({
      mainScriptUrlOrBlob: absScript,
      locateFile: (path: string) => (path.endsWith('.wasm') ? absWasm : new URL(path, absScript).href),
    } as never),
    catalogLoaded,
  ]);
  runner = makeRunner(withHeapStrings(z3 as unknown as Z3Init) as never);
  engine = new Engine(runner, catalog);
  let version: string | undefined;
  try {
    version = (z3 as unknown as { Z3: { get_full_version(): string } }).Z3.get_full_version();
  } catch {
    version = undefined;
  }
  post({
    kind: 'status',
    phase: 'ready',
    elapsedMs: Math.round(performance.now() - started),
    z3Version: version,
  });
}

/** A single-policy check, with its preliminary answer. */
async function runCheckJob(eng: Engine, next: CheckMsg, t0: number): Promise<void> {
  const outcome = await eng.run(next.request, {
    timeoutMs: next.timeoutMs,
    ...(next.record ? { record: true } : {}),
    // The page shows the service-aware reading next to the verdict when the two differ.
    serviceAware: true,
    onPreliminary: (response) => {
      if (!cancelled.has(next.id) && early.mayAnnounce(next.id))
        post({ kind: 'preliminary', id: next.id, outcome: { ok: true, response } });
    },
  });
  if (cancelled.delete(next.id)) post({ kind: 'cancelled', id: next.id });
  else post({ kind: 'result', id: next.id, outcome, elapsedMs: Math.round(performance.now() - t0) });
}

/** A scenario check (no early answer: the early stage knows single-policy checks only). */
async function runScenarioJob(eng: Engine, next: ScenarioMsg, t0: number): Promise<void> {
  const outcome = await eng.runScenario(next.request, { timeoutMs: next.timeoutMs });
  if (cancelled.delete(next.id)) post({ kind: 'cancelled', id: next.id });
  else post({ kind: 'scenario-result', id: next.id, outcome, elapsedMs: Math.round(performance.now() - t0) });
}

/** Policy tests: each result goes to the page as it is known, then the suite's outcome. */
async function runTestsJob(eng: Engine, next: TestsMsg, t0: number): Promise<void> {
  const outcome = await eng.runTests(next.request, {
    onResult: (result, index) => {
      if (!cancelled.has(next.id)) post({ kind: 'test-result', id: next.id, index, result });
    },
  });
  if (cancelled.delete(next.id)) post({ kind: 'cancelled', id: next.id });
  else post({ kind: 'tests-result', id: next.id, outcome, elapsedMs: Math.round(performance.now() - t0) });
}

async function pump(): Promise<void> {
  if (current || !engine) return;
  const next = queue.shift();
  if (!next) return;
  current = next;
  post({ kind: 'started', id: next.id });
  const t0 = performance.now();
  // The engine answers UNKNOWN at its own budget; this interrupt is a second line in case it does not.
  const backstop = setTimeout(() => runner?.interrupt(), next.timeoutMs + 1000);
  try {
    if (next.kind === 'scenario') await runScenarioJob(engine, next, t0);
    else if (next.kind === 'tests') await runTestsJob(engine, next, t0);
    else await runCheckJob(engine, next, t0);
  } catch (e) {
    post({ kind: 'failure', id: next.id, message: e instanceof Error ? e.message : String(e) });
  } finally {
    clearTimeout(backstop);
    early.forget(next.id);
    current = undefined;
  }
  void pump();
}

self.onmessage = (ev: MessageEvent<unknown>) => {
  const parsed = ToWorkerSchema.safeParse(ev.data);
  if (!parsed.success) {
    // Answer what can be answered: a request with an id gets a failure instead of silence.
    const id = (ev.data as { id?: unknown } | null)?.id;
    if (typeof id === 'number')
      post({
        kind: 'failure',
        id,
        message: `The analysis worker refused the request: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || 'message'}: ${i.message}`)
          .join('; ')}`,
      });
    return;
  }
  const msg = parsed.data;
  switch (msg.kind) {
    case 'check':
    case 'scenario':
    case 'tests':
      queue.push(msg);
      answerEarly();
      void pump();
      break;
    case 'cancel': {
      const i = queue.findIndex((m) => m.id === msg.id);
      if (i >= 0) {
        queue.splice(i, 1);
        early.forget(msg.id);
        post({ kind: 'cancelled', id: msg.id });
      } else if (current?.id === msg.id) {
        cancelled.add(msg.id);
        runner?.interrupt();
      }
      break;
    }
  }
};

boot().then(
  () => void pump(),
  (e: unknown) =>
    post({ kind: 'status', phase: 'failed', message: e instanceof Error ? e.message : String(e) }),
);
