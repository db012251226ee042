/** The engine facade: one object per solver instance that runs any CheckRequest. */
import type { Catalog } from '../catalog/catalog.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { Checker } from './checks.ts';
import type { CheckOptions, CheckOutcome, CheckRequest } from './types.ts';

export class Engine {
  private checker: Checker;
  constructor(
    readonly runner: SmtRunner,
    readonly catalog: Catalog,
  ) {
    this.checker = new Checker(runner, catalog);
  }

  run(req: CheckRequest, opts: CheckOptions = {}): Promise<CheckOutcome> {
    return this.checker.run(req, opts);
  }
}
