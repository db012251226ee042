/** The engine facade: one object per solver instance that runs any CheckRequest. */
import type { Catalog } from '../catalog/catalog.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { runCheck } from './checks.ts';
import { RunTestsRequest, type RunTestsOutcome, type TestResult } from './policy-tests.ts';
import { invalidRequest } from './request.ts';
import { runTests } from './run-tests.ts';
import { runScenarioCheck, type ScenarioOutcome } from './scenario.ts';
import type { CheckOptions, CheckOutcome, CheckRequest } from './types.ts';

export class Engine {
  constructor(
    readonly runner: SmtRunner,
    readonly catalog: Catalog,
  ) {}

  run(request: CheckRequest, opts: CheckOptions = {}): Promise<CheckOutcome> {
    return runCheck({ ...opts, runner: this.runner, catalog: this.catalog, request });
  }

  /** A check on scenarios (the whole authorization stack): scenario.ts ScenarioCheckRequest. */
  runScenario(request: unknown, opts: { timeoutMs?: number } = {}): Promise<ScenarioOutcome> {
    const o: Parameters<typeof runScenarioCheck>[0] = { runner: this.runner, catalog: this.catalog, request };
    if (opts.timeoutMs !== undefined) o.timeoutMs = opts.timeoutMs;
    return runScenarioCheck(o);
  }

  /**
   * Policy tests (policy-tests.ts) on named documents or a scenario; `onResult` hears each result
   * as it is known. A request of the wrong shape is a coded error, as a check's is.
   */
  async runTests(
    request: unknown,
    opts: { onResult?: (r: TestResult, index: number) => void } = {},
  ): Promise<RunTestsOutcome> {
    const parsed = RunTestsRequest.safeParse(request);
    if (!parsed.success) return { ok: false, error: invalidRequest(parsed.error) };
    const r = parsed.data;
    const o: Parameters<typeof runTests>[0] = {
      runner: this.runner,
      catalog: this.catalog,
      target: r.target,
      tests: r.tests,
    };
    if (r.timeoutMs !== undefined) o.timeoutMs = r.timeoutMs;
    if (opts.onResult) o.onResult = opts.onResult;
    return runTests(o);
  }
}
