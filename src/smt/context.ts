/**
 * What the lazy solver's parts share (solve.ts, realize.ts, bindings.ts, joint.ts): the skeleton's
 * model, the answers that are not answers (Unknown: the check answers UNKNOWN; Undecided: this model
 * is set aside), the check's deadline, and one context per solver: its Z3 calls within the deadline
 * and their counts, and the phase it is in (catalog actions, or a symbolic action outside them).
 */
import type { Literal } from './atoms.ts';
import type { Encoder } from './encode.ts';
import type { Formula } from './formula.ts';
import type { SmtRunner } from './runner.ts';

export interface Model {
  bools: Map<string, boolean>;
  reals: Map<string, string>;
  /** witness string per dimension name */
  strings: Map<string, string>;
  cls?: number;
}

/** A check's time budget; `stop` ends it early (a cancel: the runner's remembered interrupt). */
export class Deadline {
  constructor(
    readonly at: number,
    private readonly stop: () => boolean = () => false,
  ) {}
  remaining(): number {
    return this.stop() ? 0 : Math.max(0, this.at - Date.now());
  }
  expired(): boolean {
    return this.stop() || Date.now() >= this.at;
  }
}

/** No answer: the check answers UNKNOWN with the message as its reason. */
export class Unknown extends Error {}

/**
 * A model the theory could not decide (policy variables beyond what variables.ts decides exactly):
 * the skeleton is told to look elsewhere; only if nothing else is found is the answer UNKNOWN.
 */
export class Undecided extends Unknown {
  constructor(
    message: string,
    readonly lits: Literal[],
  ) {
    super(message);
  }
}

/** The catalog's action keys (lower case, sorted), for the symbolic phase. */
export interface CatalogActions {
  keys: readonly string[];
  has: (key: string) => boolean;
}

/** One solver's Z3 context and counters, shared by its parts. */
export class SolverContext {
  calls = 0;
  /** membership questions answered by the automata / by Z3 */
  readonly membership = { automata: 0, z3: 0, samples: 0 };
  /** set during the symbolic phase: the action is a string outside the catalog */
  symbolicAction = false;
  /** Z3 reports unsat cores in this context (set before the first scope; undefined: not asked) */
  unsatCores: boolean | undefined;
  private definitions = 0;

  constructor(
    readonly runner: SmtRunner,
    readonly enc: Encoder,
    readonly deadline: Deadline,
    readonly catalogActions?: CatalogActions,
  ) {}

  /** A number for the names of fresh definitions, unique in this Z3 context. */
  nextDefinition(): number {
    return this.definitions++;
  }

  /** One Z3 call, within the deadline (and within `capMs` when given). */
  async z3(script: string, capMs = Infinity): Promise<string> {
    if (this.deadline.expired()) throw new Unknown('timeout');
    this.calls++;
    const raw = await this.runner.run(
      `(set-option :timeout ${Math.max(1, Math.floor(Math.min(capMs, this.deadline.remaining())))})\n${script}`,
    );
    // A (get-value) sent with its (check-sat) in one call has no model after unsat: expected.
    const out = raw.replace(/^\(error "line \d+ column \d+: model is not available"\)\n?/m, '');
    if (/\(error/.test(out)) throw new Error(`Z3 rejected the script: ${out.slice(0, 500)}`);
    return out;
  }
}

/** The name of a presence flag (a Boolean variable), or '' for a constant. */
export function usedName(f: Formula): string {
  return f.k === 'var' ? f.name : '';
}

export function presenceValue(f: Formula, model: Model): boolean {
  if (f.k === 'const') return f.v;
  if (f.k === 'var') return model.bools.get(f.name) ?? false;
  return false;
}
