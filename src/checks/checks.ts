/**
 * The checks: each builds one question (a formula whose solutions are requests that break the
 * property), asks the lazy solver, decodes a model into a concrete request and has the concrete
 * evaluator confirm it before anything is reported.
 */
import type { Catalog } from '../catalog/catalog.ts';
import {
  GUESS_LIMITS,
  guessAccessGranted,
  guessNewAccess,
  guessOutsiderAccess,
  type GuessLimits,
} from './guess.ts';
import { EvaluationError, evaluatePolicy } from '../evaluate/evaluate.ts';
import { arnMatches, globMatches } from '../policy/glob.ts';
import type { PolicyType, Principal, Request } from '../evaluate/request.ts';
import type { Policy } from '../policy/model.ts';
import { FALSE, TRUE, bvar, fand, fnot, substitute, type Formula } from '../smt/formula.ts';
import {
  Encoder,
  EncodingError,
  PRINCIPAL_ACCOUNT,
  PRINCIPAL_ARN,
  type PolicyEncoding,
} from '../smt/encode.ts';
import {
  InputProblem,
  accessNotGrantedQuestion,
  noNewAccessQuestion,
  outsidersQuestion,
  parseCheck,
  type ParsedCheck,
  type OutsidersOptions,
} from './questions.ts';
import type { SmtRunner } from '../smt/runner.ts';
import {
  Deadline,
  LazySolver,
  actionClasses,
  catalogOnlyAtoms,
  presenceValue,
  serviceAxioms,
  type ActionClass,
  type Model,
} from '../smt/solve.ts';
import { formatDate, formatIp } from '../smt/values.ts';
import type {
  AccessSpec,
  CheckOptions,
  CheckOutcome,
  CheckRequest,
  CheckResponse,
  CompareResponse,
  Counterexample,
  NewAccess,
  Reason,
  StatementRef,
} from './types.ts';

const MESSAGES = {
  noNewAccessPass: 'The modified permissions grant no new access compared to your existing policy.',
  noNewAccessFail: 'The modified permissions grant new access compared to your existing policy.',
  notGrantedPass: 'The policy document does not grant access to perform the listed actions or resources.',
  notGrantedFail:
    'The policy document grants access to perform one or more of the listed actions or resources.',
  notGrantedFailActions: 'The policy document grants access to perform one or more of the listed actions.',
  publicPass: 'The resource policy does not grant public access for the given resource type.',
  publicFail: 'The resource policy grants public access for the given resource type.',
  outsidePass: 'The policy grants no access to principals outside the trusted accounts.',
  outsideFail: 'The policy grants access to principals outside the trusted accounts.',
  unknown: 'The analysis could not reach a verdict within its limits.',
};

interface Question {
  enc: Encoder;
  root: Formula;
  background: Formula;
  /** the documents, to evaluate counterexamples concretely */
  docs: { name: string; policy: Policy; enc: PolicyEncoding }[];
  /** expected concrete outcome of a counterexample; throws when the evaluator disagrees */
  confirm: (req: Request) => { grantedBy: StatementRef[]; whyNot?: Counterexample['whyNot'] } | string;
  principalMatters: boolean;
}

function ref(document: string, policy: Policy, index: number): StatementRef {
  const sid = policy.statements.find((s) => s.index === index)?.sid;
  return sid === undefined
    ? { document, statementIndex: index }
    : { document, statementIndex: index, statementId: sid };
}

type Confirm = Question['confirm'];

/** CheckNoNewAccess's referee: the new policy allows the request and the old one does not. */
function noNewAccessConfirm(
  catalog: Catalog,
  oldP: Policy,
  newP: Policy,
  oldName: string,
  newName: string,
): Confirm {
  return (req) => {
    const n = evaluatePolicy(newP, req, { catalog, brief: true });
    const o = evaluatePolicy(oldP, req, { catalog, brief: true });
    if (n.decision !== 'Allowed') return `the ${newName} policy does not allow it (${n.decision})`;
    if (o.decision === 'Allowed') return `the ${oldName} policy allows it too`;
    return {
      grantedBy: n.allowedBy.map((i) => ref(newName, newP, i)),
      whyNot:
        o.decision === 'ExplicitlyDenied'
          ? { kind: 'deniedBy', statements: o.deniedBy.map((i) => ref(oldName, oldP, i)) }
          : { kind: 'noMatchingAllow' },
    };
  };
}

/**
 * The referee of the single-policy checks: the policy allows the request. That it is an access the
 * question asks about holds by construction (in the question's formula or in guess.ts) for the
 * outside callers; CheckAccessNotGranted's referee checks its property itself (notGrantedConfirm).
 */
function allowsConfirm(catalog: Catalog, p: Policy, property: string): Confirm {
  return (req) => {
    const r = evaluatePolicy(p, req, { catalog, brief: true });
    if (r.decision !== 'Allowed') return `the policy does not allow it (${r.decision})`;
    return {
      grantedBy: r.allowedBy.map((i) => ref('policy', p, i)),
      whyNot: { kind: 'property', text: property },
    };
  };
}

const NOT_GRANTED_PROPERTY = 'the request performs a listed action or touches a listed resource';

/**
 * CheckAccessNotGranted's referee checks the property too: the policy allows the request, and the
 * request is one of the listed accesses (a listed action, on a listed resource when resources are
 * listed), matched as a statement's Action and Resource are.
 */
function notGrantedConfirm(catalog: Catalog, p: Policy, access: AccessSpec[]): Confirm {
  const allows = allowsConfirm(catalog, p, NOT_GRANTED_PROPERTY);
  const listed = (req: Request): boolean =>
    access.some(
      (a) =>
        (!a.actions?.length ||
          a.actions.some((x) => globMatches(x, req.action, { caseInsensitive: true }))) &&
        (!a.resources?.length || a.resources.some((x) => arnMatches(x, req.resource))),
    );
  return (req) => (listed(req) ? allows(req) : 'the request is none of the listed accesses');
}
const outsidersProperty = (o: OutsidersOptions): string =>
  o.publicMode
    ? 'the caller is outside every account the policy names'
    : 'the caller is outside the trusted accounts';

/** How a check words its answer: Access Analyzer's messages and the reason per granting statement. */
interface Wording {
  pass: string;
  fail: string;
  reasons: (granting: StatementRef[]) => Reason[];
}

const NO_NEW_ACCESS_WORDING: Wording = {
  pass: MESSAGES.noNewAccessPass,
  fail: MESSAGES.noNewAccessFail,
  reasons: (refs) =>
    statementReasons(refs, (g) => `New access in the statement with index: ${g.statementIndex}.`),
};

function notGrantedWording(access: AccessSpec[]): Wording {
  const onlyActions = access.every((a) => !a.resources?.length);
  const prefix = onlyActions
    ? 'One or more of the listed actions in the statement with index'
    : 'One or more of the listed actions or resources in the statement with index';
  return {
    pass: MESSAGES.notGrantedPass,
    fail: onlyActions ? MESSAGES.notGrantedFailActions : MESSAGES.notGrantedFail,
    reasons: (refs) => statementReasons(refs, (g) => `${prefix}: ${g.statementIndex}.`),
  };
}

function outsidersWording(o: OutsidersOptions): Wording {
  const what = o.publicMode ? 'Public access' : 'Access from outside the trusted accounts';
  return {
    pass: o.publicMode ? MESSAGES.publicPass : MESSAGES.outsidePass,
    fail: o.publicMode ? MESSAGES.publicFail : MESSAGES.outsideFail,
    reasons: (refs) =>
      statementReasons(refs, (g) =>
        g.statementId !== undefined
          ? `${what} granted in the following statement with sid: ${g.statementId}.`
          : `${what} granted in the following statement with index: ${g.statementIndex}.`,
      ),
  };
}

/** The answer in a check's words; `granting` adds statements beyond the counterexamples' own. */
function answer(out: AskResult, w: Wording, granting: StatementRef[] = []): CheckResponse {
  const refs = [...out.counterexamples.flatMap((c) => c.grantedBy), ...granting];
  return respond(out, w.reasons(refs), w.pass, w.fail);
}

function respond(out: AskResult, reasons: Reason[], pass: string, fail: string): CheckResponse {
  const base = { reasons, counterexamples: out.counterexamples, stats: out.stats };
  const r: CheckResponse =
    out.result === 'FAIL'
      ? { result: 'FAIL', message: fail, ...base }
      : out.result === 'PASS'
        ? { result: 'PASS', message: pass, ...base, reasons: [] }
        : {
            result: 'UNKNOWN',
            message: MESSAGES.unknown,
            ...base,
            unknownReason: out.unknownReason ?? 'unknown',
          };
  if (out.newAccess) r.newAccess = out.newAccess;
  return r;
}

/**
 * An early FAIL without the solver (guess.ts): a request shaped by the policy that the evaluator
 * confirms, for every check but compare. Undefined when none is found within `limits`, and when the
 * evaluator rejects the input (a malformed condition value): the full check reports that input
 * error with its code, as it does without an early stage.
 */
function earlyFail(
  catalog: Catalog,
  c: ParsedCheck,
  started: number,
  limits: GuessLimits = GUESS_LIMITS,
): { ce: Counterexample; response: CheckResponse } | undefined {
  try {
    const plan = earlyPlan(catalog, c, limits);
    if (!plan?.request) return undefined;
    const checked = plan.confirm(plan.request);
    if (typeof checked === 'string') return undefined;
    const ce: Counterexample = { request: plan.request, ...checked };
    const stats = { elapsedMs: Date.now() - started, solverCalls: 0 };
    return { ce, response: answer({ result: 'FAIL', counterexamples: [ce], stats }, plan.wording) };
  } catch (e) {
    if (e instanceof EvaluationError) return undefined;
    throw e;
  }
}

/** Per check: the guessed request, its referee, and the wording of the answer. */
function earlyPlan(
  catalog: Catalog,
  c: ParsedCheck,
  limits: GuessLimits,
): { request: Request | undefined; confirm: Confirm; wording: Wording } | undefined {
  switch (c.kind) {
    case 'noNewAccess':
      return {
        request: guessNewAccess(catalog, c.existing, c.next, limits),
        confirm: noNewAccessConfirm(catalog, c.existing, c.next, 'existing', 'new'),
        wording: NO_NEW_ACCESS_WORDING,
      };
    case 'accessNotGranted':
      return {
        request: guessAccessGranted(catalog, c.policy, c.access, limits),
        confirm: notGrantedConfirm(catalog, c.policy, c.access),
        wording: notGrantedWording(c.access),
      };
    case 'outsiders':
      return {
        request: guessOutsiderAccess(catalog, c.policy, c.options, limits),
        confirm: allowsConfirm(catalog, c.policy, outsidersProperty(c.options)),
        wording: outsidersWording(c.options),
      };
    case 'compare':
      return undefined;
  }
}

/**
 * The early answer to a check, without a solver (so before Z3 has started): a FAIL with one
 * evaluator-confirmed counterexample, or undefined. Bad input is left to the full check to report.
 * While Z3 starts there is time to spare: `limits` can be wider than the re-check's.
 */
export function earlyAnswer(
  catalog: Catalog,
  req: CheckRequest,
  limits: GuessLimits = GUESS_LIMITS,
): CheckResponse | undefined {
  let c: ParsedCheck;
  try {
    c = parseCheck(req);
  } catch {
    return undefined;
  }
  return earlyFail(catalog, c, Date.now(), limits)?.response;
}

/**
 * A confirmed early witness against the solver's answer: a PASS, or a complete exact list without
 * its action, is a bug in the encoder or the evaluator and fails loudly; an UNKNOWN becomes a FAIL.
 */
function reconcile(out: AskResult, early: Counterexample | undefined): void {
  if (!early) return;
  if (out.result !== 'UNKNOWN' && !out.unknownReason) {
    const action = early.request.action.toLowerCase();
    const listed = out.newAccess?.services.some((sv) =>
      sv.actions.some((x) => x.action.toLowerCase() === action),
    );
    if (out.result === 'PASS' || (out.newAccess && !listed))
      throw new Error(
        `Solver and concrete evaluator disagree: the solver answered ${out.result}${out.result === 'FAIL' ? ' without this action in the exact list' : ''}, but the evaluator confirms the request. Request: ${JSON.stringify(early.request)}`,
      );
  }
  if (out.result === 'UNKNOWN') {
    // The solver ran out before its first witness, but the early one is confirmed: still a FAIL
    // (the unknown reason stays: an exact list is then incomplete).
    out.result = 'FAIL';
    out.counterexamples.push(early);
  }
}

export class Checker {
  constructor(
    readonly runner: SmtRunner,
    readonly catalog: Catalog,
  ) {}

  catalogKeys?: { keys: readonly string[]; has: (key: string) => boolean };

  /** The catalog's action names, sorted by code unit (the symbolic phase searches outside them). */
  private catalogActions(): { keys: readonly string[]; has: (key: string) => boolean } {
    if (!this.catalogKeys) {
      const keys = this.catalog.actions.map((a) => a.key.toLowerCase());
      keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const set = new Set(keys);
      this.catalogKeys = { keys, has: (k) => set.has(k.toLowerCase()) };
    }
    return this.catalogKeys;
  }

  async run(req: CheckRequest, opts: CheckOptions = {}): Promise<CheckOutcome> {
    if (opts.record) {
      // The same check on a runner that writes down every command and answer.
      const recorder = recordingRunner(this.runner);
      const checker = new Checker(recorder.runner, this.catalog);
      checker.catalogKeys = this.catalogActions();
      const out = await checker.run(req, { ...opts, record: false });
      if (out.ok) out.response.transcript = recorder.transcript(req.check);
      return out;
    }
    const started = Date.now();
    const deadline = new Deadline(started + (opts.timeoutMs ?? 10_000));
    try {
      const response = await this.dispatch(req, deadline, opts.onPreliminary);
      return { ok: true, response };
    } catch (e) {
      if (e instanceof InputProblem) return { ok: false, error: e.error };
      if (e instanceof EncodingError) return { ok: false, error: { code: e.code, message: e.message } };
      throw e;
    }
  }

  private async dispatch(
    req: CheckRequest,
    deadline: Deadline,
    onPreliminary?: (r: CheckResponse) => void,
  ): Promise<CheckResponse | CompareResponse> {
    const c = parseCheck(req);
    // The early FAIL comes before any solver call; then each check starts from an empty solver
    // context, so one check's failure cannot leak into the next.
    const wantsEarly = c.kind !== 'compare' && (c.kind !== 'noNewAccess' || c.exactNewAccess);
    const early = wantsEarly && onPreliminary ? this.early(c, onPreliminary) : undefined;
    await this.runner.run('(reset)');
    switch (c.kind) {
      case 'noNewAccess':
        return this.noNewAccess(
          c.existing,
          c.next,
          c.policyType,
          deadline,
          c.exactNewAccess,
          'existing',
          'new',
          early ? undefined : onPreliminary,
          early,
        );
      case 'accessNotGranted':
        return this.accessNotGranted(c.policy, c.access, c.policyType, deadline, early);
      case 'outsiders':
        return this.outsiders(c.policy, deadline, c.options, early);
      case 'compare': {
        const { a, b } = c;
        const started = Date.now();
        const aNotB = await this.noNewAccess(b, a, c.policyType, deadline, false, 'b', 'a');
        const bNotA = await this.noNewAccess(a, b, c.policyType, deadline, false, 'a', 'b');
        const r =
          aNotB.result === 'UNKNOWN' || bNotA.result === 'UNKNOWN'
            ? 'UNKNOWN'
            : aNotB.result === 'PASS' && bNotA.result === 'PASS'
              ? 'EQUIVALENT'
              : aNotB.result === 'FAIL' && bNotA.result === 'PASS'
                ? 'MORE_PERMISSIVE'
                : aNotB.result === 'PASS'
                  ? 'LESS_PERMISSIVE'
                  : 'INCOMPARABLE';
        const message = {
          EQUIVALENT: 'Policy A and policy B allow exactly the same requests.',
          MORE_PERMISSIVE: 'Policy A allows every request policy B allows, and more.',
          LESS_PERMISSIVE: 'Policy B allows every request policy A allows, and more.',
          INCOMPARABLE: 'Each policy allows some request the other does not.',
          UNKNOWN: MESSAGES.unknown,
        }[r];
        return {
          result: r,
          message,
          aNotB,
          bNotA,
          stats: {
            elapsedMs: Date.now() - started,
            solverCalls: aNotB.stats.solverCalls + bNotA.stats.solverCalls,
          },
        };
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private async noNewAccess(
    oldP: Policy,
    newP: Policy,
    policyType: PolicyType,
    deadline: Deadline,
    exact: boolean,
    oldName: string,
    newName: string,
    onPreliminary?: (r: CheckResponse) => void,
    /** a confirmed witness found before the solver ran (already announced) */
    early?: Counterexample,
  ): Promise<CheckResponse> {
    const confirm = noNewAccessConfirm(this.catalog, oldP, newP, oldName, newName);
    const first =
      exact && onPreliminary
        ? (ce: Counterexample, stats: AskResult['stats']): void =>
            onPreliminary(answer({ result: 'FAIL', counterexamples: [ce], stats }, NO_NEW_ACCESS_WORDING))
        : undefined;
    const { enc, root, background, eNew, eOld } = noNewAccessQuestion(this.catalog, oldP, newP, policyType, {
      old: oldName,
      new: newName,
    });
    const q: Question = {
      enc,
      root,
      background,
      docs: [
        { name: newName, policy: newP, enc: eNew },
        { name: oldName, policy: oldP, enc: eOld },
      ],
      principalMatters: policyType === 'RESOURCE_POLICY',
      confirm,
    };
    const out = await this.ask(q, deadline, exact, first);
    reconcile(out, early);
    // Every statement that grants a newly allowed action is a reason, not only the witnesses'.
    const granting = (out.newAccess?.services ?? []).flatMap((sv) => sv.actions.flatMap((x) => x.statements));
    return answer(out, NO_NEW_ACCESS_WORDING, granting);
  }

  private async accessNotGranted(
    p: Policy,
    access: AccessSpec[],
    policyType: PolicyType,
    deadline: Deadline,
    early?: Counterexample,
  ): Promise<CheckResponse> {
    const { enc, root, background, e } = accessNotGrantedQuestion(this.catalog, p, access, policyType);
    const q: Question = {
      enc,
      root,
      background,
      docs: [{ name: 'policy', policy: p, enc: e }],
      principalMatters: policyType === 'RESOURCE_POLICY',
      confirm: notGrantedConfirm(this.catalog, p, access),
    };
    const out = await this.ask(q, deadline, false);
    reconcile(out, early);
    return answer(out, notGrantedWording(access));
  }

  /** CheckNoPublicAccess and NoAccessOutsideAccounts: is some request from an outsider allowed? */
  private async outsiders(
    p: Policy,
    deadline: Deadline,
    o: OutsidersOptions,
    early?: Counterexample,
  ): Promise<CheckResponse> {
    const { enc, root, background, e } = outsidersQuestion(this.catalog, p, o);
    const q: Question = {
      enc,
      root,
      background,
      docs: [{ name: 'policy', policy: p, enc: e }],
      principalMatters: true,
      confirm: allowsConfirm(this.catalog, p, outsidersProperty(o)),
    };
    const out = await this.ask(q, deadline, false);
    reconcile(out, early);
    return answer(out, outsidersWording(o));
  }

  // ---------------------------------------------------------------------------------------------

  /** The early FAIL for this check, announced at once; the full check then reconciles with it. */
  private early(c: ParsedCheck, onPreliminary: (r: CheckResponse) => void): Counterexample | undefined {
    const found = earlyFail(this.catalog, c, Date.now());
    if (found) onPreliminary(found.response);
    return found?.ce;
  }

  /**
   * Solves the question: first with actions from the catalog (realistic witnesses), then with a
   * symbolic action so the verdict does not depend on the catalog. With `exact`, finds every
   * catalog action class that has a solution.
   *
   * Catalog phase: each class of catalog actions (same signature over the action atoms) turns the
   * question into a residual formula over resources, principals and conditions. Classes whose
   * residual is FALSE have no solution; classes with the SAME residual (hash-consed formulas, so
   * the same object) have the same solutions. One solver scope enumerates groups of classes; each
   * model is decoded, confirmed by the evaluator, and then tried (with the action swapped) on every
   * other open group, so a solver round is needed only for a new shape of witness.
   */
  private async ask(
    q: Question,
    deadline: Deadline,
    exact: boolean,
    onFirst?: (ce: Counterexample, stats: AskResult['stats']) => void,
  ): Promise<AskResult> {
    const started = Date.now();
    const solver = new LazySolver(this.runner, q.enc, q.background, deadline, this.catalogActions());
    const computed = actionClasses(q.enc, this.catalog.actions, deadline);
    const groups = computed && residualGroups(q.enc, q.root, computed.classes, deadline);
    const counterexamples: Counterexample[] = [];
    const found: { cls: ActionClass; ce: Counterexample }[] = [];
    const finish = (
      result: 'PASS' | 'FAIL' | 'UNKNOWN',
      unknownReason?: string,
      newAccess?: NewAccess,
    ): AskResult => {
      const r: AskResult = {
        result,
        counterexamples,
        stats: { elapsedMs: Date.now() - started, solverCalls: solver.calls },
      };
      if (unknownReason) r.unknownReason = unknownReason;
      if (newAccess) r.newAccess = newAccess;
      return r;
    };
    if (!computed || !groups) return finish('UNKNOWN', 'timeout (grouping the catalog actions)');
    const { classes } = computed;
    const open = new Set(groups.keys());
    const groupOfClass = new Map<number, number>();
    for (const [g, members] of groups) for (const c of members) groupOfClass.set(c, g);
    const excluded = new Set(classes.map((_, i) => i).filter((i) => !groupOfClass.has(i)));
    let disagreement: { why: string; request: Request } | undefined;
    let reported = false;
    /** Records every class of group g as solved by `req` (swapping in each class's action). */
    const record = (g: number, req: Request): boolean => {
      const solved: { cls: ActionClass; ce: Counterexample }[] = [];
      for (const c of groups.get(g)!) {
        const cls = classes[c]!;
        const request = { ...req, action: cls.actions[0]!.display };
        const checked = q.confirm(request);
        if (typeof checked === 'string') return false;
        solved.push({ cls, ce: { request, ...checked } });
      }
      open.delete(g);
      for (const s of solved) {
        found.push(s);
        if (counterexamples.length < 3 || (!exact && counterexamples.length === 0))
          counterexamples.push(s.ce);
      }
      return true;
    };
    const enumerated = await solver.enumerate(q.root, { classes, excluded }, (model) => {
      const cls = classes[model.cls!]!;
      const g = groupOfClass.get(model.cls!)!;
      const ce = this.decode(q, model, cls.actions[0]!.display);
      const checked = q.confirm(ce.request);
      if (typeof checked === 'string') {
        disagreement = { why: checked, request: ce.request };
        return 'stop';
      }
      if (!record(g, ce.request)) {
        disagreement = {
          why: `another action of the class group of ${cls.actions[0]!.display} is not allowed with the same request`,
          request: ce.request,
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
      for (const h of before) record(h, ce.request);
      const closed = [g, ...[...before].filter((h) => !open.has(h))];
      return { classes: closed.flatMap((h) => groups.get(h)!) };
    });
    if (disagreement !== undefined)
      return this.disagreement(q, disagreement.request, disagreement.why, finish);
    if (enumerated.status === 'unknown')
      return finish(
        found.length ? 'FAIL' : 'UNKNOWN',
        enumerated.reason,
        exact ? this.newAccess(found, false, started, true) : undefined,
      );
    if (found.length && !exact) return finish('FAIL');
    // Symbolic phase: an action outside the catalog (so no atom that only names catalog actions
    // holds), with a signature no catalog action has.
    const extra = fand(
      serviceAxioms(q.enc),
      ...catalogOnlyAtoms(q.enc, (k) => this.catalog.action(k) !== undefined).map((a) => fnot(bvar(a.name))),
      ...found.map((f) => fnot(sigFormula(q.enc, f.cls))),
    );
    const sym = await solver.solve(q.root, { extra });
    if (sym.status === 'unknown')
      return finish(
        found.length ? 'FAIL' : 'UNKNOWN',
        sym.reason,
        exact ? this.newAccess(found, false, started, true) : undefined,
      );
    let outside = false;
    if (sym.status === 'sat') {
      outside = true;
      const ce = this.decode(q, sym.model, sym.model.strings.get('action') ?? 'example:action');
      ce.actionOutsideCatalog = true;
      const checked = q.confirm(ce.request);
      if (typeof checked === 'string') return this.disagreement(q, ce.request, checked, finish);
      Object.assign(ce, checked);
      if (counterexamples.length < 4) counterexamples.push(ce);
    }
    const newAccess = exact ? this.newAccess(found, outside, started, false) : undefined;
    return finish(found.length || outside ? 'FAIL' : 'PASS', undefined, newAccess);
  }

  private disagreement(
    q: Question,
    req: Request,
    why: string,
    finish: (r: 'PASS' | 'FAIL' | 'UNKNOWN', reason?: string) => AskResult,
  ): AskResult {
    if (q.enc.approximate) {
      return finish(
        'UNKNOWN',
        `The solver's request could not be confirmed by the concrete evaluator (${why}); the model over-approximates keys used with several value types: ${q.enc.approximations.join(', ')}.`,
      );
    }
    // Never shown as a result: a disagreement is a bug in the encoder or the evaluator.
    throw new Error(`Solver and concrete evaluator disagree: ${why}. Request: ${JSON.stringify(req)}`);
  }

  private newAccess(
    found: { cls: ActionClass; ce: Counterexample }[],
    outside: boolean,
    started: number,
    partial: boolean,
  ): NewAccess {
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

  /** Model -> concrete request. */
  private decode(q: Question, m: Model, action: string): Counterexample {
    const enc = q.enc;
    const principalText = m.strings.get('principal');
    const context: Record<string, string | string[]> = {};
    for (const [key, info] of enc.keys) {
      if (key === PRINCIPAL_ARN || key === PRINCIPAL_ACCOUNT) continue;
      if (!presenceValue(info.presence, m)) continue;
      const valueOf = (slot: (typeof info.slots)[number]): string => {
        const s = slot.strDim ? m.strings.get(slot.strDim.name) : undefined;
        if (s !== undefined) return s;
        const ip = slot.ipDim ? m.strings.get(slot.ipDim.name) : undefined;
        if (ip !== undefined)
          return ip.startsWith('x:') ? 'not-an-ip' : formatIp(ip.startsWith('4:') ? 4 : 6, ip.slice(2));
        if (slot.num) {
          if (m.bools.get(slot.nan!)) return 'not-a-number';
          const v = m.reals.get(slot.num) ?? '0';
          return info.date ? formatDate(v) : v;
        }
        return 'example';
      };
      if (info.multi) {
        const vals = info.slots
          .filter((s) => m.bools.get(s.used.k === 'var' ? s.used.name : '') ?? false)
          .map(valueOf);
        if (vals.length) context[info.display] = [...new Set(vals)];
      } else context[info.display] = valueOf(info.slots[0]!);
    }
    const request: Request = {
      action,
      resource: m.strings.get('resource') ?? 'arn:aws:s3:::example-bucket',
      context,
    };
    const principal = decodePrincipal(principalText);
    if (principal) request.principal = principal;
    return { request, grantedBy: [] };
  }
}

interface AskResult {
  result: 'PASS' | 'FAIL' | 'UNKNOWN';
  counterexamples: Counterexample[];
  newAccess?: NewAccess;
  unknownReason?: string;
  stats: { elapsedMs: number; solverCalls: number };
}

/** A runner that passes every script through and keeps it, with Z3's answer, for the transcript. */
function recordingRunner(inner: SmtRunner): { runner: SmtRunner; transcript: (check: string) => string } {
  const lines: string[] = [];
  const runner: SmtRunner = {
    get calls() {
      return inner.calls;
    },
    interrupt: () => inner.interrupt(),
    async run(script) {
      const out = await inner.run(script);
      lines.push(script.trim());
      const answer = out.trim();
      if (answer) lines.push(...answer.split('\n').map((l) => `; => ${l}`));
      return out;
    },
  };
  return {
    runner,
    transcript: (check) =>
      [
        `; IAM policy playground: what the engine sent to Z3 for ${check}, in order (z3-solver 5.2.0).`,
        "; Z3's answers follow each command as '; =>' comments. Replayed in Z3, the commands give the same",
        '; answers (the timeouts are those of this run). The lazy solver asks many small questions: the',
        '; Boolean skeleton with atoms as plain Booleans, then learned facts about them ("lemmas").',
        ...lines,
        '',
      ].join('\n'),
  };
}

function withSid(r: Reason, g: StatementRef): Reason {
  if (g.statementId !== undefined) r.statementId = g.statementId;
  return r;
}

/** One reason per statement, in statement order (Access Analyzer's reasons shape). */
function statementReasons(refs: StatementRef[], describe: (g: StatementRef) => string): Reason[] {
  const seen = new Set<number>();
  const out: Reason[] = [];
  for (const g of refs)
    if (!seen.has(g.statementIndex)) {
      seen.add(g.statementIndex);
      out.push(withSid({ description: describe(g), statementIndex: g.statementIndex }, g));
    }
  return out.sort((x, y) => (x.statementIndex ?? 0) - (y.statementIndex ?? 0));
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

function decodePrincipal(text: string | undefined): Principal | undefined {
  if (!text) return undefined;
  const c = text.indexOf(':');
  const type = text.slice(0, c);
  const id = text.slice(c + 1);
  if (type === 'Anonymous') return { type: 'Anonymous' };
  if (type === 'AWS' || type === 'Service' || type === 'Federated' || type === 'CanonicalUser')
    return { type, id };
  return undefined;
}
