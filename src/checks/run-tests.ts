/**
 * Runs policy tests (policy-tests.ts) on a target: named policy documents or a scenario.
 *
 * A test's description (actions, resources, principals, fixed context values) is written as one
 * Allow statement (`describe`), so the encoder and the evaluator read it as they read any policy:
 * "a request of the description" is "a request that statement allows". Then, with T the target's
 * formula and D the description's:
 *   - never-allowed: T ∧ D has no solution (PASS) or its solution is the counterexample;
 *   - sometimes-allowed: a solution of T ∧ D is the witness (PASS); none is a FAIL;
 *   - always-allowed: D ∧ ¬T has no solution (PASS) or its solution is a denied request (FAIL).
 * Every request shown is re-checked by the concrete evaluator (the referee), as every check's is.
 * A decision test evaluates its one request; no solver is needed.
 *
 * What "every request" ranges over (docs/semantics-decisions.md, "Policy tests"): the actions of
 * the catalog that an action pattern matches (a pattern that matches none stands for itself); every
 * resource the resource patterns match; the callers the principals name (any caller when absent; a
 * scenario's own caller); and for each condition key the description does not fix, every value and
 * its absence. Never-allowed also ranges over actions outside the catalog.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { EvaluationError, evaluatePolicy, type Evaluation } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';
import { parseScenario, ScenarioError, type Scenario, type ScenarioPolicy } from '../evaluate/scenario.ts';
import { evaluateScenario, statementLabel, type StackEvaluation } from '../evaluate/stack.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { ConditionClause, Policy } from '../policy/model.ts';
import { EncodingError } from '../smt/conditions.ts';
import { Encoder } from '../smt/encode.ts';
import { TRUE, fand, fnot, type Formula } from '../smt/formula.ts';
import { callerCode } from '../smt/caller.ts';
import { ACCOUNT_KINDS, callerAccount, callerOf } from '../evaluate/caller.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { Deadline } from '../smt/context.ts';
import { encodeStack } from '../smt/stack.ts';
import {
  isRangeTest,
  summarize,
  type DecisionTest,
  type PolicyTest,
  type RangeTest,
  type RunTestsOutcome,
  type TestResult,
  type TestTarget,
} from './policy-tests.ts';
import type { EncodedQuestion } from './questions.ts';
import { ref, type Referee } from './referee.ts';
import { InputProblem, parseDoc } from './request.ts';
import { scenarioRequest } from './scenario-request.ts';
import { encoderFor, granting, verdictOf } from './scenario.ts';
import { search } from './search.ts';
import type { Counterexample, InputFindings, StatementRef } from './types.ts';

/** One target, read: how to evaluate a request and how to encode "allowed". */
interface Subject {
  /** `policy`, `new`, `existing`, or `scenario` */
  document: string;
  identity: boolean;
  evaluate(req: Request): Outcome;
  /**
   * A fresh encoder holding the target and the descriptions (prepared before anything is encoded,
   * as the encoder wants); the target's "allowed", and the requests it is asked about (a
   * scenario's own caller; every request for a policy). With `within` (action patterns), the
   * target as actions of those patterns see it (`restrictTo`): "allowed" is the same for them.
   */
  encode(descriptions: Policy[], within?: string[]): { enc: Encoder; allowed: Formula; asked: Formula };
  /** Is the request one the target is asked about (the evaluator's reading of `asked`)? */
  asks(req: Request): boolean;
}

/** A target's word on one request: the decision, who allowed or denied it, and a stack's trace. */
interface Outcome {
  decision: Evaluation['decision'];
  grantedBy: StatementRef[];
  deniedBy: StatementRef[];
  stack?: StackEvaluation;
}

class TestProblem extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function policySubject(catalog: Catalog, name: string, policy: Policy, identity: boolean): Subject {
  return {
    document: name,
    identity,
    evaluate(req) {
      const e = evaluatePolicy(policy, req, { catalog, brief: true });
      return {
        decision: e.decision,
        grantedBy: e.allowedBy.map((i) => ref(name, policy, i)),
        deniedBy: e.deniedBy.map((i) => ref(name, policy, i)),
      };
    },
    encode(descriptions, within) {
      const target = within ? restrictTo(policy, within) : policy;
      const enc = new Encoder(catalog, { identity });
      enc.prepare([target, ...descriptions]);
      return { enc, allowed: enc.policy(target, name).allowed, asked: TRUE };
    },
    asks: () => true,
  };
}

function scenarioSubject(catalog: Catalog, s: Scenario): Subject {
  return {
    document: 'scenario',
    identity: false,
    evaluate(req) {
      const e = evaluateScenario(s, req, catalog);
      const denied = e.layers.flatMap((l) => l.deniedBy);
      return {
        decision: e.decision,
        grantedBy: e.decision === 'Allowed' ? granting(e) : [],
        deniedBy: denied.map((h) => ({ ...h })),
        stack: e,
      };
    },
    encode(descriptions, within) {
      const target = within ? restrictScenario(s, within) : s;
      const enc = encoderFor(catalog, [target]);
      enc.prepare(descriptions);
      const st = encodeStack(enc, target, catalog.rcpServiceList());
      return { enc, allowed: st.allowed, asked: st.scenarioCaller };
    },
    asks(req) {
      // As smt/stack.ts's scenarioCaller: the scenario's caller, else a principal of its account.
      if (!req.principal) return true;
      const c = callerOf(req.principal);
      if (s.caller) return callerCode(c) === callerCode(callerOf(s.caller));
      return (ACCOUNT_KINDS as readonly string[]).includes(c.kind) && callerAccount(c) === s.callerAccount;
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// The description as a statement

const OPERATORS: Record<string, string> = {
  String: 'StringEquals',
  ARN: 'StringEquals',
  Numeric: 'NumericEquals',
  Date: 'DateEquals',
  Bool: 'Bool',
  IPAddress: 'IpAddress',
};

/**
 * The description as a policy of one Allow statement (Version 2008-10-17: `${…}` in a pattern is
 * literal text, as a test means it). A fixed value is the key's equality (its type's operator); a
 * list fixes a multi-valued key's set of values; null: the request lacks the key.
 */
function describe(t: RangeTest, catalog: Catalog): Policy {
  const statement: Record<string, unknown> = {
    Effect: 'Allow',
    Action: t.actions ?? ['*'],
    Resource: t.resources ?? ['*'],
  };
  if (t.principals) statement.Principal = { AWS: t.principals };
  const condition: Record<string, Record<string, string | string[]>> = {};
  const add = (op: string, key: string, v: string | string[]): void => {
    (condition[op] ??= {})[key] = v;
  };
  const present: { key: string; op: string; values: string[] }[] = [];
  for (const [key, value] of Object.entries(t.context ?? {})) {
    if (value === null) {
      add('Null', key, 'true');
      continue;
    }
    const type = catalog.conditionKey(key)?.type ?? 'String';
    const multi = type.startsWith('ArrayOf');
    const op = OPERATORS[type.replace(/^ArrayOf/, '')] ?? 'StringEquals';
    if (!multi && Array.isArray(value))
      throw new TestProblem(
        'INVALID_TEST',
        `context: ${key} holds one value (${type}); give a string, not a list`,
      );
    if (!multi) {
      add(op, key, value as string);
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    // Exactly these values: every value is one of them, and each of them is there.
    add(`ForAllValues:${op}`, key, values);
    add('Null', key, 'false');
    present.push({ key, op: `ForAnyValue:${op}`, values });
  }
  if (Object.keys(condition).length) statement.Condition = condition;
  const parsed = parsePolicy(JSON.stringify({ Version: '2008-10-17', Statement: [statement] }));
  if (!parsed.ok) {
    const f = parsed.findings.find((x) => x.findingType === 'ERROR');
    throw new TestProblem('INVALID_TEST', `the description is not a statement: ${f?.findingDetails ?? ''}`);
  }
  const st = parsed.policy.statements[0]!;
  // One ForAnyValue clause per value (a JSON object cannot repeat a key): each value is present.
  for (const p of present)
    for (const v of p.values) {
      const clause: ConditionClause = {
        operator: {
          text: p.op,
          base: p.op.slice('ForAnyValue:'.length),
          qualifier: 'ForAnyValue',
          ifExists: false,
        },
        operatorSpan: st.span,
        key: p.key,
        keySpan: st.span,
        values: [{ value: v, span: st.span, path: st.path }],
        path: st.path,
        span: st.span,
      };
      st.conditions.push(clause);
    }
  return parsed.policy;
}

/** Is every action pattern one the catalog has actions for? Then "every request" is catalog actions. */
function catalogActionsOnly(t: RangeTest, catalog: Catalog): boolean {
  return (t.actions ?? ['*']).every((p) => catalog.matchingActions(p).length > 0);
}

/** What the description ranges over, in words. */
function scope(t: RangeTest, catalog: Catalog, subject: Subject): string {
  const actions = t.actions ? `${t.actions.join(', ')} (${count(t.actions, catalog)})` : 'every action';
  const resources = t.resources ? `on ${t.resources.join(', ')}` : 'on every resource';
  const callers = t.principals
    ? `by the callers ${t.principals.join(', ')} name`
    : subject.document === 'scenario'
      ? "by the scenario's caller"
      : subject.identity
        ? 'by any principal of an account'
        : 'by any caller, anonymous included';
  const fixed = Object.entries(t.context ?? {}).map(([k, v]) =>
    v === null ? `${k} absent` : `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`,
  );
  const open = 'any value, or none, of every other condition key';
  return `${actions} ${resources}, ${callers}, with ${fixed.length ? `${fixed.join(', ')} and ` : ''}${open}`;
}

function count(patterns: string[], catalog: Catalog): string {
  const n = new Set(patterns.flatMap((p) => catalog.matchingActions(p).map((a) => a.key))).size;
  if (n === 0) return 'no catalog action: the patterns as written';
  return `${n} catalog action${n === 1 ? '' : 's'}`;
}

// ---------------------------------------------------------------------------------------------------
// One encoding per suite

/** What makes one test unable to run as written: its error result, not a failed run. */
function isTestError(e: unknown): e is TestProblem | EvaluationError | EncodingError | ScenarioError {
  return (
    e instanceof TestProblem ||
    e instanceof EvaluationError ||
    e instanceof EncodingError ||
    e instanceof ScenarioError
  );
}

/** A range test's question: always-allowed asks for a denied request of D, the others for an allowed one. */
const rootOf = (t: RangeTest, allowed: Formula, d: Formula): Formula =>
  t.expect === 'always-allowed' ? fand(d, fnot(allowed)) : fand(allowed, d);

/**
 * The questions of range tests on one subject, in one encoder: the target encoded once, each
 * description added to the same vocabulary. Another test's atoms are free in a test's question, so
 * its answers are those of an encoding of its own. Undefined when the shared vocabulary passes the
 * bound on a multi-valued key's element slots (smt/atoms.ts finish) and `bounded` is asked for:
 * the descriptions of many tests together can pass it where one alone does not.
 */
function encodeTogether(
  subject: Subject,
  items: { t: RangeTest; desc: Policy }[],
  bounded: boolean,
  within?: string[],
): Map<RangeTest, EncodedQuestion | Error> | undefined {
  const out = new Map<RangeTest, EncodedQuestion | Error>();
  if (items.length === 0) return out;
  let target: ReturnType<Subject['encode']>;
  try {
    target = subject.encode(
      items.map((i) => i.desc),
      within,
    );
  } catch (e) {
    // the target itself cannot be encoded: every test on it says why
    if (!isTestError(e)) throw e;
    for (const i of items) out.set(i.t, e);
    return out;
  }
  const { enc, allowed, asked } = target;
  const roots = new Map<RangeTest, Formula>();
  for (const { t, desc } of items)
    try {
      roots.set(t, rootOf(t, allowed, fand(asked, enc.statement(desc.statements[0]!, desc.variablesActive))));
    } catch (e) {
      if (!isTestError(e)) throw e;
      out.set(t, e);
    }
  const background = enc.finish();
  if (bounded && items.length > 1 && enc.approximations.some((a) => a.endsWith('(element bound)')))
    return undefined;
  for (const [t, root] of roots) out.set(t, { enc, root, background });
  return out;
}

/** The literal text an action glob starts with: up to its first wildcard, lower case. */
function literalStart(pattern: string): string {
  const p = pattern.toLowerCase();
  const w = p.search(/[*?]/);
  return w < 0 ? p : p.slice(0, w);
}

/**
 * The policy as the actions of `within` see it: from each statement's Action (NotAction) list, the
 * patterns no such action can match are left out, and an Allow or Deny whose Action list is left
 * empty goes. An action matching two globs starts with both their literal starts, so when neither
 * start is a start of the other the globs share no action; for every action of `within` each
 * statement matches as before.
 */
function restrictTo(policy: Policy, within: string[]): Policy {
  const starts = within.map(literalStart);
  const meets = (p: string): boolean => {
    const s = literalStart(p);
    return starts.some((q) => s.startsWith(q) || q.startsWith(s));
  };
  const statements = policy.statements.flatMap((st) => {
    const patterns = st.action.patterns.filter((p) => meets(p.value));
    if (patterns.length === st.action.patterns.length) return [st];
    if (!st.action.negated && patterns.length === 0) return [];
    return [{ ...st, action: { ...st.action, patterns } }];
  });
  return { ...policy, statements };
}

/** Every policy of the scenario restricted to the actions of `within` (restrictTo). */
function restrictScenario(s: Scenario, within: string[]): Scenario {
  const restricted = new Map(s.all.map((p) => [p, { ...p, policy: restrictTo(p.policy, within) }]));
  const r = (p: ScenarioPolicy): ScenarioPolicy => restricted.get(p) ?? p;
  const out: Scenario = {
    ...s,
    identity: s.identity.map(r),
    session: s.session.map(r),
    all: s.all.map(r),
  };
  if (s.boundary) out.boundary = r(s.boundary);
  if (s.resource) out.resource = r(s.resource);
  if (s.scps) out.scps = s.scps.map((level) => level.map(r));
  if (s.rcps) out.rcps = s.rcps.map((level) => level.map(r));
  return out;
}

/**
 * A suite's descriptions and questions, made on first use per subject. A test that names its
 * actions asks about the target restricted to them (restrictTo), in an encoder of its own; the
 * tests about every action share one encoding of the whole target (encodeTogether). Measured on
 * ReadOnlyAccess (bench section tests: 43 range tests, all naming actions; CPU time of a warm
 * suite, medians of 12 runs on a loaded 2-core machine): the whole target encoded per test 1.7 s
 * (each test encoding its 2,900 action patterns again, ~10 ms; grouping 22,000 catalog actions by
 * them, ~11 ms; and up to 0.3 s for a never-allowed test whose symbolic phase realises them); one
 * encoding shared by every test 1.45 s; each test's restricted target 0.3 s.
 */
class SuiteQuestions {
  private readonly described = new Map<RangeTest, Policy | Error>();
  private readonly questions = new Map<RangeTest, EncodedQuestion | Error>();
  private readonly done = new Set<Subject>();

  constructor(
    private readonly catalog: Catalog,
    private readonly tests: PolicyTest[],
    private readonly subjectOf: (t: PolicyTest) => Subject | undefined,
  ) {}

  /** The test's description and question; throws what keeps the test from running. */
  of(subject: Subject, t: RangeTest): { desc: Policy; question: EncodedQuestion } {
    if (!this.done.has(subject)) this.encode(subject);
    const desc = this.described.get(t);
    const question = this.questions.get(t);
    if (desc instanceof Error) throw desc;
    if (question instanceof Error) throw question;
    if (!desc || !question) throw new Error(`test "${t.name}" was not encoded`);
    return { desc, question };
  }

  private encode(subject: Subject): void {
    this.done.add(subject);
    const items: { t: RangeTest; desc: Policy }[] = [];
    for (const t of this.tests) {
      if (!isRangeTest(t) || this.subjectOf(t) !== subject) continue;
      try {
        const desc = describe(t, this.catalog);
        this.described.set(t, desc);
        items.push({ t, desc });
      } catch (e) {
        if (!isTestError(e)) throw e;
        this.described.set(t, e);
      }
    }
    // A test that names its actions: the target restricted to them, in an encoder of its own.
    const own = items.filter((i) => i.t.actions);
    // The others (every action): the whole target, encoded once for all of them.
    const every = items.filter((i) => !i.t.actions);
    const together = encodeTogether(subject, every, true);
    const each = [
      ...own.map((i) => encodeTogether(subject, [i], false, i.t.actions)!),
      ...(together ? [together] : every.map((i) => encodeTogether(subject, [i], false)!)),
    ];
    for (const m of each) for (const [t, q] of m) this.questions.set(t, q);
  }
}

// ---------------------------------------------------------------------------------------------------
// Running

export async function runTests(o: {
  runner: SmtRunner;
  catalog: Catalog;
  target: TestTarget;
  tests: PolicyTest[];
  /** solver budget per test, ms (default 10 000) */
  timeoutMs?: number;
  /** called with each result as it is known (the page shows them as they come) */
  onResult?: (r: TestResult, index: number) => void;
}): Promise<RunTestsOutcome> {
  const started = Date.now();
  let subjects: Subject[];
  try {
    subjects = readTarget(o.target, o.catalog);
  } catch (e) {
    if (e instanceof InputProblem) return { ok: false, error: e.error };
    if (e instanceof ScenarioError) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
  o.runner.resume?.();
  await o.runner.run('(reset)');
  const subjectOf = (t: PolicyTest): Subject | undefined =>
    t.document === undefined ? subjects[0] : subjects.find((s) => s.document === t.document);
  const questions = new SuiteQuestions(o.catalog, o.tests, subjectOf);
  const results: TestResult[] = [];
  for (const [i, t] of o.tests.entries()) {
    const r = await runOne(o, subjects, subjectOf(t), questions, t);
    results.push(r);
    o.onResult?.(r, i);
  }
  return { ok: true, results, summary: summarize(results, Date.now() - started) };
}

function readTarget(target: TestTarget, catalog: Catalog): Subject[] {
  if (target.kind === 'scenario') return [scenarioSubject(catalog, parseScenario(target.scenario))];
  const found: InputFindings = [];
  return target.documents.map((d) =>
    policySubject(
      catalog,
      d.name,
      parseDoc(d.text, d.name, target.policyType, catalog, found),
      target.policyType === 'IDENTITY_POLICY',
    ),
  );
}

async function runOne(
  o: { runner: SmtRunner; catalog: Catalog; timeoutMs?: number },
  subjects: Subject[],
  subject: Subject | undefined,
  questions: SuiteQuestions,
  t: PolicyTest,
): Promise<TestResult> {
  const started = Date.now();
  const base = { name: t.name, expect: t.expect, document: t.document ?? subjects[0]!.document };
  const stats = (solverCalls = 0): TestResult['stats'] => ({ elapsedMs: Date.now() - started, solverCalls });
  if (!subject)
    return {
      ...base,
      status: 'error',
      message: `There is no document "${t.document}" to test (${subjects.map((s) => s.document).join(', ')}).`,
      error: { code: 'INVALID_TEST', message: `unknown document "${t.document}"` },
      stats: stats(),
    };
  try {
    if (!isRangeTest(t)) return { ...base, ...decide(subject, t), stats: stats() };
    const { verdict, solverCalls } = await rangeTest(o, subject, t, questions.of(subject, t));
    return { ...base, ...verdict, stats: stats(solverCalls) };
  } catch (e) {
    if (!isTestError(e)) throw e;
    return {
      ...base,
      status: 'error',
      message: `The test cannot run: ${e.message}`,
      error: { code: e.code, message: e.message },
      stats: stats(),
    };
  }
}

type Verdict = Omit<TestResult, 'name' | 'expect' | 'document' | 'stats'>;

function example(req: Request, out: Outcome): Counterexample {
  const ce: Counterexample = { request: req, grantedBy: out.grantedBy };
  if (out.decision === 'ExplicitlyDenied') ce.whyNot = { kind: 'deniedBy', statements: out.deniedBy };
  else if (out.decision === 'ImplicitlyDenied') ce.whyNot = { kind: 'noMatchingAllow' };
  if (out.stack) ce.stack = verdictOf(out.stack);
  return ce;
}

function withOutcome(v: Verdict, out: Outcome): Verdict {
  v.decision = out.decision;
  if (out.stack) v.stack = verdictOf(out.stack);
  return v;
}

/** Who decided, in words: "statement 2 allows it", "statement 3 denies it", "layer scp denies it". */
function because(out: Outcome): string {
  const names = (rs: StatementRef[]): string => [...new Set(rs.map(statementLabel))].join(', ');
  if (out.stack && out.decision !== 'Allowed') return out.stack.decidedBy.why;
  if (out.decision === 'Allowed')
    return out.grantedBy.length ? `${names(out.grantedBy)} allows it` : 'allowed';
  if (out.decision === 'ExplicitlyDenied') return `${names(out.deniedBy)} denies it`;
  return 'no statement allows it';
}

const shown = (r: Request): string => `${r.action} on ${r.resource}`;

function decide(subject: Subject, t: DecisionTest): Verdict {
  let req: Request;
  try {
    req = scenarioRequest(t.request);
  } catch (e) {
    throw new TestProblem('INVALID_PRINCIPAL', `request.principal: ${(e as Error).message}`);
  }
  const out = subject.evaluate(req);
  const ok = t.expect === 'denied' ? out.decision !== 'Allowed' : out.decision === t.expect;
  const expected = t.expect === 'denied' ? 'denied' : t.expect;
  return withOutcome(
    {
      status: ok ? 'pass' : 'fail',
      message: ok
        ? `${out.decision}, as expected: ${because(out)}.`
        : `Expected ${expected}, got ${out.decision}: ${because(out)}.`,
      example: example(req, out),
    },
    out,
  );
}

async function rangeTest(
  o: { runner: SmtRunner; catalog: Catalog; timeoutMs?: number },
  subject: Subject,
  t: RangeTest,
  { desc, question }: { desc: Policy; question: EncodedQuestion },
): Promise<{ verdict: Verdict; solverCalls: number }> {
  const { catalog } = o;
  const always = t.expect === 'always-allowed';
  const inDescription = (req: Request): boolean =>
    evaluatePolicy(desc, req, { catalog, brief: true }).decision === 'Allowed';
  const referee: Referee = (req) => {
    if (!inDescription(req) || !subject.asks(req)) return 'the request is not one the test describes';
    const out = subject.evaluate(req);
    if (always === (out.decision === 'Allowed'))
      return always ? 'the target allows it' : `the target does not allow it (${out.decision})`;
    return example(req, out);
  };
  const deadline = new Deadline(Date.now() + (o.timeoutMs ?? 10_000), () => o.runner.aborted === true);
  // Never-allowed holds for actions AWS may add; "some" and "every" request are real actions.
  const catalogOnly = t.expect !== 'never-allowed' && catalogActionsOnly(t, catalog);
  const found = await search({
    runner: o.runner,
    catalog,
    question,
    referee,
    deadline,
    exact: false,
    catalogOnly,
  });
  const solverCalls = found.stats.solverCalls;
  const range = scope(t, catalog, subject);
  if (found.result === 'UNKNOWN') {
    const why = found.unknownReason ?? 'no answer';
    return {
      verdict: {
        status: 'unknown',
        message: `The solver could not decide: ${why}.`,
        scope: range,
        unknownReason: why,
      },
      solverCalls,
    };
  }
  const ce = found.counterexamples[0];
  const out = ce && subject.evaluate(ce.request);
  if (found.result === 'PASS')
    return {
      verdict: {
        status: t.expect === 'sometimes-allowed' ? 'fail' : 'pass',
        message: always
          ? 'Every request the test describes is allowed.'
          : 'No request the test describes is allowed.',
        scope: range,
      },
      solverCalls,
    };
  if (!ce || !out) throw new Error('a FAIL without a counterexample');
  const verdict: Verdict = {
    status: t.expect === 'sometimes-allowed' ? 'pass' : 'fail',
    message:
      t.expect === 'sometimes-allowed'
        ? `Allowed, for example ${shown(ce.request)}: ${because(out)}.`
        : t.expect === 'never-allowed'
          ? `This request is allowed: ${shown(ce.request)}: ${because(out)}.`
          : `This request is ${out.decision === 'ExplicitlyDenied' ? 'explicitly' : 'implicitly'} denied: ${shown(ce.request)}: ${because(out)}.`,
    scope: range,
    example: ce,
  };
  return { verdict: withOutcome(verdict, out), solverCalls };
}
