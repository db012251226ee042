/**
 * The one place that talks to Z3. Everything else builds SMT-LIB2 text and reads answers back, so
 * the same engine runs with z3-solver in Node and in a browser worker, and the exported script is the
 * exact text the solver ran.
 *
 * One Z3 context per runner, reused for every query: STACK-NOTES measured ~8.5 MB leaked per new
 * context, so queries are wrapped in push/pop (or reset) instead.
 */

/** The part of z3-solver's low-level API the runner needs (`(await init()).Z3`). */
export interface Z3LowLevel {
  mk_config(): unknown;
  mk_context_rc(cfg: never): unknown;
  del_config(cfg: never): void;
  eval_smtlib2_string(ctx: never, script: string): Promise<string>;
  interrupt(ctx: never): void;
  global_param_set(id: string, value: string): void;
}

export interface SmtRunner {
  /** Runs SMT-LIB2 commands in the persistent context and returns what Z3 printed. */
  run(script: string): Promise<string>;
  /** Number of `run` calls so far (for stats). */
  readonly calls: number;
  /**
   * Ask the running check to stop: a query under way answers `unknown`, and the interrupt is
   * remembered (`aborted`) until `resume()`, so one that lands between two queries is not lost.
   */
  interrupt(): void;
  /** an interrupt came since the last `resume()` */
  readonly aborted?: boolean;
  /** Forget a past interrupt: called as each check starts. */
  resume?(): void;
}

export function makeRunner(z3: Z3LowLevel): SmtRunner {
  const cfg = z3.mk_config();
  const ctx = z3.mk_context_rc(cfg as never);
  z3.del_config(cfg as never);
  let calls = 0;
  let aborted = false;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    get calls() {
      return calls;
    },
    get aborted() {
      return aborted;
    },
    resume() {
      aborted = false;
    },
    run(script: string): Promise<string> {
      // Z3 contexts are not re-entrant: serialise calls.
      const next = queue.then(() => {
        calls++;
        return z3.eval_smtlib2_string(ctx as never, script);
      });
      queue = next.catch(() => undefined);
      return next;
    },
    interrupt() {
      aborted = true;
      z3.interrupt(ctx as never);
    },
  };
}
