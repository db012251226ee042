/** The engine facade: one object per solver instance that runs any CheckRequest. */
import type { Catalog } from '../catalog/catalog.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { runCheck } from './checks.ts';
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
}
