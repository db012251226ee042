/**
 * The search: solves a question with the lazy solver and has the referee re-check every model it
 * decodes. First with actions from the catalog (realistic witnesses), then with a symbolic action so
 * the verdict does not depend on the catalog. With `exact`, finds every catalog action class that
 * has a solution (the exact list of newly granted actions).
 *
 * Catalog phase: each class of catalog actions (same signature over the action atoms) turns the
 * question into a residual formula over resources, principals and conditions. Classes whose
 * residual is FALSE have no solution; classes with the SAME residual (hash-consed formulas, so
 * the same object) have the same solutions. One solver scope enumerates groups of classes; each
 * model is decoded, confirmed by the evaluator, and then tried (with the action swapped) on every
 * other open group, so a solver round is needed only for a new shape of witness. Each counterexample
 * shown is then made realistic (realism.ts: the action's own resource type, values of each key's
 * type) where the model's literals and the referee allow it.
 */
import type { Catalog, CatalogAction } from '../catalog/catalog.ts';
import { EvaluationError } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';
import type { Encoder } from '../smt/encode.ts';
import { FALSE, TRUE, bvar, fand, fnot, substitute, type Formula } from '../smt/formula.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { actionClasses, catalogOnlyAtoms, serviceAxioms, type ActionClass } from '../smt/classes.ts';
import type { Deadline, Model } from '../smt/context.ts';
import { LazySolver } from '../smt/solve.ts';
import { decodeRequest } from './decode.ts';
import { RealisticPicker } from './realism.ts';
import type { EncodedQuestion } from './questions.ts';
import type { Referee } from './referee.ts';
import type { Counterexample, NewAccess, StatementRef } from './types.ts';

/** The search's verdict with its witnesses, before a check words it. */
export interface SearchResult {
  result: 'PASS' | 'FAIL' | 'UNKNOWN';
  counterexamples: Counterexample[];
  newAccess?: NewAccess;
  /** with `exact`: each class of newly granted catalog actions and the confirmed request it was found with */
  witnesses?: { actions: string[]; request: Request }[];
  /**
   * The catalog actions some request of the question can have (their class's residual question is
   * not FALSE), when the grouping finished: what a restriction of the question (service-aware.ts)
   * needs to consider, without grouping the catalog again.
   */
  candidates?: () => CatalogAction[];
  unknownReason?: string;
  stats: { elapsedMs: number; solverCalls: number };
}

export interface SearchOptions {
  runner: SmtRunner;
  catalog: Catalog;
  question: EncodedQuestion;
  /** re-checks every decoded model with the concrete evaluator */
  referee: Referee;
  deadline: Deadline;
  /** find every catalog action class with a solution (the exact list), not only the first */
  exact: boolean;
  /** with `exact`: called once with the first confirmed counterexample, while the list is computed */
  onFirst?: (ce: Counterexample, stats: SearchResult['stats']) => void;
  /** the question ranges over catalog actions only: no symbolic phase (policy tests' descriptions) */
  catalogOnly?: boolean;
}

type Found = { cls: ActionClass; ce: Counterexample };

export async function search(o: SearchOptions): Promise<SearchResult> {
  const { catalog, question: q, referee: confirm, deadline, exact, onFirst } = o;
  const started = Date.now();
  const solver = new LazySolver(o.runner, q.enc, q.background, deadline, catalogActions(catalog));
  const computed = actionClasses(q.enc, catalog.actions, deadline);
  const groups = computed && residualGroups(q.enc, q.root, computed.classes, deadline);
  const counterexamples: Counterexample[] = [];
  const found: Found[] = [];
  const finish = (
    result: 'PASS' | 'FAIL' | 'UNKNOWN',
    unknownReason?: string,
    newAccess?: NewAccess,
  ): SearchResult => {
    const r: SearchResult = {
      result,
      counterexamples,
      stats: { elapsedMs: Date.now() - started, solverCalls: solver.calls },
    };
    if (unknownReason) r.unknownReason = unknownReason;
    if (computed && groups)
      r.candidates = () =>
        [...groups.values()].flatMap((members) => members.flatMap((c) => computed.classes[c]!.actions));
    if (newAccess) {
      r.newAccess = newAccess;
      r.witnesses = found.map((f) => ({
        actions: f.cls.actions.map((a) => a.display),
        request: f.ce.request,
      }));
    }
    return r;
  };
  const disagree = (req: Request, why: string): SearchResult => {
    if (q.enc.approximate) {
      return finish(
        'UNKNOWN',
        `The solver's request could not be confirmed by the concrete evaluator (${why}); the model over-approximates keys used with several value types: ${q.enc.approximations.join(', ')}.`,
      );
    }
    // Never shown as a result: a disagreement is a bug in the encoder or the evaluator.
    throw new Error(`Solver and concrete evaluator disagree: ${why}. Request: ${JSON.stringify(req)}`);
  };
  if (!computed || !groups) return finish('UNKNOWN', 'timeout (grouping the catalog actions)');
  const { classes } = computed;
  const open = new Set(groups.keys());
  const groupOfClass = new Map<number, number>();
  for (const [g, members] of groups) for (const c of members) groupOfClass.set(c, g);
  const excluded = new Set(classes.map((_, i) => i).filter((i) => !groupOfClass.has(i)));
  let disagreement: { why: string; request: Request } | undefined;
  let reported = false;
  /**
   * Records every class of group g as solved by the model's request (swapping in each class's
   * action). The counterexamples shown are made realistic for their action (realism.ts).
   */
  const record = (g: number, req: Request, pickers: () => RealisticPicker[]): boolean => {
    const solved: Found[] = [];
    for (const c of groups.get(g)!) {
      const cls = classes[c]!;
      const request = { ...req, action: cls.actions[0]!.display };
      const checked = confirm(request);
      if (typeof checked === 'string') return false;
      solved.push({ cls, ce: { request, ...checked } });
    }
    open.delete(g);
    for (const s of solved) {
      found.push(s);
      if (counterexamples.length < 3 || (!exact && counterexamples.length === 0))
        counterexamples.push(realistic(confirm, pickers(), s.ce));
    }
    return true;
  };
  const enumerated = await solver.enumerate(q.root, { classes, excluded }, (model) => {
    const cls = classes[model.cls!]!;
    const g = groupOfClass.get(model.cls!)!;
    const request = decodeRequest(q.enc, model, cls.actions[0]!.display);
    const pickers = lazyPickers(q.enc, model);
    const checked = confirm(request);
    if (typeof checked === 'string') {
      disagreement = { why: checked, request };
      return 'stop';
    }
    if (!record(g, request, pickers)) {
      disagreement = {
        why: `another action of the class group of ${cls.actions[0]!.display} is not allowed with the same request`,
        request,
      };
      return 'stop';
    }
    if (!exact) return 'stop';
    if (onFirst && !reported && counterexamples[0]) {
      reported = true;
      onFirst(counterexamples[0], { elapsedMs: Date.now() - started, solverCalls: solver.calls });
    }
    // The same witness, with another group's action, often works there too: no solver round.
    const before = new Set(open);
    for (const h of before) record(h, request, pickers);
    const closed = [g, ...[...before].filter((h) => !open.has(h))];
    return { classes: closed.flatMap((h) => groups.get(h)!) };
  });
  if (disagreement !== undefined) return disagree(disagreement.request, disagreement.why);
  if (enumerated.status === 'unknown')
    return finish(
      found.length ? 'FAIL' : 'UNKNOWN',
      enumerated.reason,
      exact ? newAccessList(found, false, started, true) : undefined,
    );
  if (found.length && !exact) return finish('FAIL');
  if (o.catalogOnly) return finish(found.length ? 'FAIL' : 'PASS');
  // Symbolic phase: an action outside the catalog (so no atom that only names catalog actions
  // holds), with a signature no catalog action has.
  const extra = fand(
    serviceAxioms(q.enc),
    ...catalogOnlyAtoms(q.enc, (k) => catalog.action(k) !== undefined).map((a) => fnot(bvar(a.name))),
    ...found.map((f) => fnot(sigFormula(q.enc, f.cls))),
  );
  const sym = await solver.solve(q.root, { extra });
  if (sym.status === 'unknown')
    return finish(
      found.length ? 'FAIL' : 'UNKNOWN',
      sym.reason,
      exact ? newAccessList(found, false, started, true) : undefined,
    );
  let outside = false;
  if (sym.status === 'sat') {
    outside = true;
    const request = decodeRequest(q.enc, sym.model, sym.model.strings.get('action') ?? 'example:action');
    const ce: Counterexample = { request, grantedBy: [], actionOutsideCatalog: true };
    const checked = confirm(request);
    if (typeof checked === 'string') return disagree(request, checked);
    Object.assign(ce, checked);
    if (counterexamples.length < 4)
      counterexamples.push(realistic(confirm, lazyPickers(q.enc, sym.model)(), ce));
  }
  const newAccess = exact ? newAccessList(found, outside, started, false) : undefined;
  return finish(found.length || outside ? 'FAIL' : 'PASS', undefined, newAccess);
}

/**
 * A confirmed counterexample made realistic (realism.ts: a bold picker, then a careful one): the
 * first realistic request the referee confirms too, with the referee's own reasons for it; else the
 * counterexample as the solver's strings gave it. Realism never changes what the search finds.
 */
function realistic(confirm: Referee, pickers: RealisticPicker[], ce: Counterexample): Counterexample {
  const tried = new Set<string>([JSON.stringify(ce.request)]);
  for (const picker of pickers) {
    const request = picker.request(ce.request);
    const key = JSON.stringify(request);
    if (tried.has(key)) continue;
    tried.add(key);
    let checked: ReturnType<Referee>;
    try {
      checked = confirm(request);
    } catch (e) {
      // A realistic pick the evaluator refuses (keys that cannot occur with its caller) is no
      // counterexample: keep the solver's own request, which the referee already confirmed.
      if (e instanceof EvaluationError) continue;
      throw e;
    }
    if (typeof checked === 'string') continue;
    const out: Counterexample = { ...ce, request, grantedBy: checked.grantedBy };
    if (checked.whyNot) out.whyNot = checked.whyNot;
    else delete out.whyNot;
    return out;
  }
  return ce;
}

/** The pickers for one model, built when a counterexample is first shown. */
function lazyPickers(enc: Encoder, m: Model): () => RealisticPicker[] {
  let made: RealisticPicker[] | undefined;
  return () => (made ??= [new RealisticPicker(enc, m, true), new RealisticPicker(enc, m)]);
}

const catalogKeys = new WeakMap<Catalog, { keys: readonly string[]; has: (key: string) => boolean }>();

/** The catalog's action names, sorted by code unit (the symbolic phase searches outside them). */
function catalogActions(catalog: Catalog): { keys: readonly string[]; has: (key: string) => boolean } {
  let hit = catalogKeys.get(catalog);
  if (!hit) {
    const keys = catalog.actions.map((a) => a.key.toLowerCase());
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const set = new Set(keys);
    hit = { keys, has: (k) => set.has(k.toLowerCase()) };
    catalogKeys.set(catalog, hit);
  }
  return hit;
}

/** The exact list of newly granted catalog actions, by service, each with its granting statements. */
function newAccessList(found: Found[], outside: boolean, started: number, partial: boolean): NewAccess {
  const byService = new Map<string, { action: string; statements: StatementRef[] }[]>();
  let count = 0;
  for (const f of found)
    for (const a of f.cls.actions) {
      const list = byService.get(a.service) ?? [];
      list.push({ action: a.display, statements: f.ce.grantedBy });
      byService.set(a.service, list);
      count++;
    }
  const services = [...byService.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([service, actions]) => ({
      service,
      actions: actions.sort((x, y) => (x.action < y.action ? -1 : 1)),
    }));
  const na: NewAccess = { services, count, outsideCatalog: outside, elapsedMs: Date.now() - started };
  if (outside && count === 0)
    na.note = 'New access only for actions outside the catalog (for example actions AWS may add later).';
  else if (outside) na.note = 'Some new access is for actions outside the catalog.';
  if (partial) na.note = 'The list is incomplete: the solver stopped before it was finished.';
  return na;
}

/**
 * Catalog classes grouped by the residual question once their action atoms are fixed; classes whose
 * residual is FALSE have no solution and are left out. Keyed by the residual's formula id.
 */
function residualGroups(
  enc: Encoder,
  root: Formula,
  classes: ActionClass[],
  deadline: Deadline,
): Map<number, number[]> | undefined {
  const atoms = enc.dims.get('action')!.atoms;
  const groups = new Map<number, number[]>();
  for (const [i, cls] of classes.entries()) {
    if ((i & 63) === 63 && deadline.expired()) return undefined;
    const map = new Map<string, Formula>(atoms.map((a, j) => [a.name, cls.sig[j] ? TRUE : FALSE]));
    const residual = substitute(root, map);
    if (residual === FALSE) continue;
    const list = groups.get(residual.id);
    if (list) list.push(i);
    else groups.set(residual.id, [i]);
  }
  return groups;
}

function sigFormula(enc: Encoder, cls: ActionClass): Formula {
  const atoms = enc.dims.get('action')!.atoms;
  return fand(...atoms.map((a, j) => (cls.sig[j] ? bvar(a.name) : fnot(bvar(a.name)))));
}
