/**
 * The page's side of the analysis worker. Keeps only the latest request per view (a newer request
 * supersedes and cancels the older one, whose promise settles with `superseded`), and guards the
 * worker with a watchdog: a check that outlives its budget by WATCHDOG_GRACE_MS, or a worker that
 * crashes, gets the worker terminated and replaced (up to five times in a row; then the solver is
 * `failed` until `restart()`). A worker's start-up depends on nothing the page sends it, so a fresh
 * one starts whatever the documents say. Page state lives in the store, so nothing is lost.
 */
import type { CheckOutcome, CheckRequest } from '../checks/types.ts';
import type { ScenarioCheckRequest, ScenarioOutcome } from '../checks/scenario-request.ts';
import type { RunTestsOutcome, RunTestsRequest, TestResult } from '../checks/policy-tests.ts';
import { FromWorkerSchema, type ToWorker } from './protocol.ts';

export const WATCHDOG_GRACE_MS = 5000;
const ANSWERED_BY = { result: 'check', 'scenario-result': 'scenario check', 'tests-result': 'test run' };
const BOOT_LIMIT_MS = 60_000;

export type SolverStatus =
  | { phase: 'not-isolated' }
  | { phase: 'loading'; message?: string }
  | { phase: 'ready'; bootMs?: number; z3Version?: string }
  | { phase: 'checking' }
  | { phase: 'failed'; message: string };

export type Answer =
  | { kind: 'result'; outcome: CheckOutcome; elapsedMs: number }
  | { kind: 'superseded' }
  | { kind: 'cancelled' }
  | { kind: 'failure'; message: string };

/** A scenario check's answer: as Answer, with the scenario outcome. */
export type ScenarioAnswer =
  | Exclude<Answer, { kind: 'result' }>
  | {
      kind: 'result';
      outcome: ScenarioOutcome;
      elapsedMs: number;
    };

/** Policy tests' answer: as Answer, with the suite's outcome. */
export type TestsAnswer =
  Exclude<Answer, { kind: 'result' }> | { kind: 'result'; outcome: RunTestsOutcome; elapsedMs: number };

/** What settles a pending request: a check's, a scenario check's or the tests' answer (its own method says which). */
type AnyAnswer = Answer | ScenarioAnswer | TestsAnswer;

interface Pending {
  id: number;
  view: string;
  timeoutMs: number;
  resolve: (a: AnyAnswer) => void;
  /** the kind of message that answers it: a check's `result`, a scenario check's `scenario-result`, the tests' `tests-result` */
  answeredBy: 'result' | 'scenario-result' | 'tests-result';
  onPreliminary?: (outcome: CheckOutcome) => void;
  onTestResult?: (result: TestResult, index: number) => void;
  watchdog: ReturnType<typeof setTimeout>;
}

export interface ClientOptions {
  /** creates the worker (tests and the app pass the Vite worker constructor) */
  spawn: () => Worker;
  onStatus: (s: SolverStatus) => void;
  isolated: boolean;
}

export class AnalysisClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly latestByView = new Map<string, number>();
  private base: SolverStatus = { phase: 'loading' };
  private bootTimer: ReturnType<typeof setTimeout> | undefined;
  private bootStarted = 0;
  restarts = 0;

  constructor(private readonly opts: ClientOptions) {
    if (!opts.isolated) {
      this.base = { phase: 'not-isolated' };
      opts.onStatus(this.base);
      return;
    }
    this.start();
  }

  private start(): void {
    this.bootStarted = performance.now();
    const w = this.opts.spawn();
    this.worker = w;
    this.setBase({ phase: 'loading', message: 'Loading the Z3 solver…' });
    w.onmessage = (ev: MessageEvent<unknown>) => this.receive(w, ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      this.replace(`The analysis worker crashed: ${ev.message || 'unknown error'}`);
    };
    w.onmessageerror = () => this.replace('The analysis worker sent an unreadable message.');
    clearTimeout(this.bootTimer);
    this.bootTimer = setTimeout(() => {
      if (this.base.phase === 'loading')
        this.fail(`The solver did not start within ${BOOT_LIMIT_MS / 1000} s.`);
    }, BOOT_LIMIT_MS);
  }

  private setBase(s: SolverStatus): void {
    this.base = s;
    this.emit();
  }

  private emit(): void {
    if (this.base.phase === 'ready' && this.pending.size > 0) this.opts.onStatus({ phase: 'checking' });
    else this.opts.onStatus(this.base);
  }

  private fail(message: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.settleAll({ kind: 'failure', message });
    this.setBase({ phase: 'failed', message });
  }

  private receive(from: Worker, data: unknown): void {
    if (from !== this.worker) return; // a message from a worker we already replaced
    const parsed = FromWorkerSchema.safeParse(data);
    if (!parsed.success) {
      console.error('Rejected a malformed worker message', parsed.error);
      return;
    }
    const msg = parsed.data;
    switch (msg.kind) {
      case 'status':
        if (msg.phase === 'ready') {
          clearTimeout(this.bootTimer);
          this.setBase({
            phase: 'ready',
            bootMs: Math.round(performance.now() - this.bootStarted),
            z3Version: msg.z3Version,
          });
        } else if (msg.phase === 'failed') {
          clearTimeout(this.bootTimer);
          this.fail(msg.message ?? 'The solver failed to start.');
        } else this.setBase({ phase: 'loading', message: msg.message });
        break;
      case 'started': {
        // The budget counts from the moment the worker starts the check, not from when it was queued.
        const p = this.pending.get(msg.id);
        if (p) {
          clearTimeout(p.watchdog);
          p.watchdog = this.watchdog(p.timeoutMs);
        }
        break;
      }
      case 'preliminary':
        this.pending.get(msg.id)?.onPreliminary?.(msg.outcome);
        break;
      case 'test-result':
        this.pending.get(msg.id)?.onTestResult?.(msg.result, msg.index);
        break;
      case 'result':
      case 'scenario-result':
      case 'tests-result': {
        // An answer of another kind would reach a caller that reads it as its own: a failure instead.
        const expected = this.pending.get(msg.id)?.answeredBy;
        if (expected && expected !== msg.kind)
          this.settle(msg.id, {
            kind: 'failure',
            message: `The analysis worker answered a ${ANSWERED_BY[expected]} with a ${msg.kind} message.`,
          });
        // The outcome is of the kind the request expects (checked above).
        else
          this.settle(msg.id, {
            kind: 'result',
            outcome: msg.outcome,
            elapsedMs: msg.elapsedMs,
          } as AnyAnswer);
        break;
      }
      case 'cancelled':
        this.settle(msg.id, { kind: 'cancelled' });
        break;
      case 'failure':
        this.settle(msg.id, { kind: 'failure', message: msg.message });
        break;
    }
  }

  private settle(id: number, a: AnyAnswer): void {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.watchdog);
    this.pending.delete(id);
    if (this.latestByView.get(p.view) === id) this.latestByView.delete(p.view);
    p.resolve(a);
    this.emit();
  }

  private settleAll(a: Answer): void {
    for (const id of [...this.pending.keys()]) this.settle(id, a);
  }

  /** Terminates the worker and starts a fresh one; pending checks settle with a failure. */
  private replace(reason: string): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.settleAll({ kind: 'failure', message: reason });
    this.restarts++;
    if (this.restarts > 5) {
      this.setBase({ phase: 'failed', message: `${reason} (gave up after ${this.restarts - 1} restarts)` });
      return;
    }
    this.start();
  }

  private send(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  /** Runs a check for `view`; any earlier check for the same view is cancelled and settles as superseded. */
  check(
    view: string,
    request: CheckRequest,
    timeoutMs: number,
    opts: {
      record?: boolean;
      /** CheckNoNewAccess: the FAIL verdict, before the exact list is done (not for a superseded check) */
      onPreliminary?: (outcome: CheckOutcome) => void;
    } = {},
  ): Promise<Answer> {
    return this.submit(
      view,
      timeoutMs,
      (id) => ({ kind: 'check', id, request, timeoutMs, ...(opts.record ? { record: true } : {}) }),
      'result',
      opts.onPreliminary,
    ) as Promise<Answer>;
  }

  /**
   * Runs a scenario check (the whole authorization stack) for `view`, with the same rules as `check`:
   * latest wins per view, cancel, watchdog. The worker answers it with a `scenario-result`.
   */
  checkScenario(view: string, request: ScenarioCheckRequest, timeoutMs: number): Promise<ScenarioAnswer> {
    return this.submit(
      view,
      timeoutMs,
      (id) => ({
        kind: 'scenario',
        id,
        request,
        timeoutMs,
      }),
      'scenario-result',
    ) as Promise<ScenarioAnswer>;
  }

  /**
   * Runs policy tests for `view` (latest wins, cancel, watchdog, as `check`): `onResult` hears each
   * test's result as the worker knows it; the promise settles with the suite's outcome. `timeoutMs`
   * bounds the whole suite (the request's own `timeoutMs` bounds each test).
   */
  runTests(
    view: string,
    request: RunTestsRequest,
    timeoutMs: number,
    onResult?: (result: TestResult, index: number) => void,
  ): Promise<TestsAnswer> {
    return this.submit(
      view,
      timeoutMs,
      (id) => ({ kind: 'tests', id, request, timeoutMs }),
      'tests-result',
      undefined,
      onResult,
    ) as Promise<TestsAnswer>;
  }

  private submit(
    view: string,
    timeoutMs: number,
    message: (id: number) => ToWorker,
    answeredBy: Pending['answeredBy'],
    onPreliminary?: (outcome: CheckOutcome) => void,
    onTestResult?: (result: TestResult, index: number) => void,
  ): Promise<AnyAnswer> {
    const prev = this.latestByView.get(view);
    if (prev !== undefined) {
      this.send({ kind: 'cancel', id: prev });
      this.settle(prev, { kind: 'superseded' });
    }
    if (!this.worker || this.base.phase === 'failed' || this.base.phase === 'not-isolated') {
      const message =
        this.base.phase === 'not-isolated'
          ? 'The page is not cross-origin isolated, so the solver cannot run.'
          : this.base.phase === 'failed'
            ? this.base.message
            : 'The solver is not running.';
      return Promise.resolve({ kind: 'failure', message });
    }
    const id = this.nextId++;
    this.latestByView.set(view, id);
    return new Promise<AnyAnswer>((resolve) => {
      // Until the worker says it started this check, a backstop allows for booting Z3 and for every
      // check queued ahead of it; the real watchdog is armed on 'started'.
      const bootAllowance = this.base.phase === 'loading' ? BOOT_LIMIT_MS : 0;
      const ahead = [...this.pending.values()].reduce((t, p) => t + p.timeoutMs + WATCHDOG_GRACE_MS, 0);
      const watchdog = this.watchdog(timeoutMs + bootAllowance + ahead);
      this.pending.set(id, {
        id,
        view,
        timeoutMs,
        resolve,
        answeredBy,
        watchdog,
        ...(onPreliminary ? { onPreliminary } : {}),
        ...(onTestResult ? { onTestResult } : {}),
      });
      this.send(message(id));
      this.emit();
    });
  }

  private watchdog(timeoutMs: number): ReturnType<typeof setTimeout> {
    return setTimeout(() => {
      this.replace(
        `The solver did not answer within ${Math.round((timeoutMs + WATCHDOG_GRACE_MS) / 1000)} s; its worker was restarted.`,
      );
    }, timeoutMs + WATCHDOG_GRACE_MS);
  }

  /** Cancels the running check for `view` (the solver is interrupted; the promise settles as cancelled). */
  cancel(view: string): void {
    const id = this.latestByView.get(view);
    if (id === undefined) return;
    this.send({ kind: 'cancel', id });
    this.settle(id, { kind: 'cancelled' });
  }

  /**
   * Kills and respawns the worker, with a fresh budget of automatic restarts; pending checks settle
   * with a failure. The page's "Restart the solver" control (ui/panels/StatusIndicator.tsx, shown
   * while the solver has failed) calls it, then runs the current check again.
   */
  restart(): void {
    this.restarts = 0;
    this.replace('The solver was restarted.');
  }

  dispose(): void {
    clearTimeout(this.bootTimer);
    this.settleAll({ kind: 'cancelled' });
    this.worker?.terminate();
    this.worker = undefined;
  }
}
