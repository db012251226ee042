/**
 * The engine facade: one object per solver instance that runs any CheckRequest.
 * (Implementation in progress: the lead is writing the encoder; the signature is stable.)
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { SmtRunner } from '../smt/runner.ts';
import type { CheckOptions, CheckOutcome, CheckRequest } from './types.ts';

export class Engine {
  constructor(
    readonly runner: SmtRunner,
    readonly catalog: Catalog,
  ) {}

  async run(req: CheckRequest, _opts: CheckOptions = {}): Promise<CheckOutcome> {
    return { ok: false, error: { code: 'NOT_READY', message: `${req.check} is not wired yet` } };
  }
}
