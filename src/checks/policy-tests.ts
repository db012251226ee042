/**
 * Policy tests: the file format (README, "Policy tests") and the results, one zod schema per shape.
 * A test states what a policy (or a scenario) must and must not allow, for every request or for one:
 *   - `never-allowed`: no request of the description is allowed;
 *   - `sometimes-allowed`: some request of the description is allowed;
 *   - `always-allowed`: every request of the description is allowed, whatever the values the
 *     description leaves open;
 *   - a decision (`Allowed`, `ExplicitlyDenied`, `ImplicitlyDenied`, or `denied` for either denial):
 *     the one request must get it.
 * Kept apart from run-tests.ts (which runs them with the solver) so the page can read, validate and
 * store tests without bundling the engine.
 */
import { z } from 'zod';
import { Counterexample, StackVerdict } from './types.ts';

/** The expectations about every request of a description. */
export const RANGE_EXPECTATIONS = ['never-allowed', 'sometimes-allowed', 'always-allowed'] as const;
/** The expectations about one request. */
export const DECISION_EXPECTATIONS = ['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied', 'denied'] as const;

/** A context value: a string, a list for a multi-valued key, `null` for a key the request lacks. */
const ContextValue = z.union([z.string(), z.array(z.string()).min(1), z.null()]);

const common = {
  name: z.string().trim().min(1, 'a test needs a name'),
  /** which document of the target (`existing`/`new` of a pair); the first when absent */
  document: z.string().optional(),
};

/** A test about every request of a description (actions, resources, principals, context). */
const RangeTest = z.strictObject({
  ...common,
  expect: z.enum(RANGE_EXPECTATIONS),
  /** action patterns as in a statement's Action (`s3:Delete*`); every action when absent */
  actions: z.array(z.string().trim().min(1, 'an empty action pattern matches nothing')).min(1).optional(),
  /** resource patterns as in a statement's Resource; every resource when absent */
  resources: z.array(z.string().trim().min(1, 'an empty resource pattern matches nothing')).min(1).optional(),
  /** callers as a Principal element's AWS values name them (an account, a role's sessions, a user); anyone when absent */
  principals: z.array(z.string().trim().min(1)).min(1).optional(),
  /** keys the description fixes (a value, a list of values, or null: absent); every other key is open */
  context: z.record(z.string(), ContextValue).optional(),
});
export type RangeTest = z.infer<typeof RangeTest>;

/** A test about one request. */
const DecisionTest = z.strictObject({
  ...common,
  expect: z.enum(DECISION_EXPECTATIONS),
  request: z.strictObject({
    /** an ARN or account id, "anonymous", or {"Service": "…"}; the implicit caller when absent */
    principal: z.unknown().optional(),
    action: z.string().trim().min(1),
    resource: z.string().trim().min(1),
    context: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
  }),
});
export type DecisionTest = z.infer<typeof DecisionTest>;

/** One test; `expect` says which shape it has, so a mistake is reported against that shape's fields. */
export const PolicyTest = z.discriminatedUnion('expect', [RangeTest, DecisionTest]);
export type PolicyTest = z.infer<typeof PolicyTest>;

export const isRangeTest = (t: PolicyTest): t is RangeTest =>
  (RANGE_EXPECTATIONS as readonly string[]).includes(t.expect);

/** The file: `{"tests": [...]}`. Names are unique, so a result (and a JUnit case) names one test. */
export const TestSuite = z.strictObject({ tests: z.array(PolicyTest) }).superRefine((s, ctx) => {
  const seen = new Set<string>();
  s.tests.forEach((t, i) => {
    if (seen.has(t.name))
      ctx.addIssue({ code: 'custom', path: ['tests', i, 'name'], message: `"${t.name}" is used twice` });
    seen.add(t.name);
  });
});
export type TestSuite = z.infer<typeof TestSuite>;

/** What the tests run on: named policy documents of one type, or a scenario (the whole stack). */
export const TestTarget = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('policy'),
    policyType: z.enum(['IDENTITY_POLICY', 'RESOURCE_POLICY']),
    /** `[{name: "policy", text}]`, or a pair `[{name: "new"}, {name: "existing"}]`; the first is the default */
    documents: z.array(z.object({ name: z.string(), text: z.string() })).min(1),
  }),
  /** the scenario object or its JSON text (evaluate/scenario.ts reads it) */
  z.object({ kind: z.literal('scenario'), scenario: z.unknown() }),
]);
export type TestTarget = z.infer<typeof TestTarget>;

export const RunTestsRequest = z.object({
  target: TestTarget,
  tests: z.array(PolicyTest),
  /** solver budget per test, ms (default 10 000) */
  timeoutMs: z.number().positive().optional(),
});
export type RunTestsRequest = z.infer<typeof RunTestsRequest>;

export const TestStatus = z.enum(['pass', 'fail', 'unknown', 'error']);
export type TestStatus = z.infer<typeof TestStatus>;

export const TestResult = z.object({
  name: z.string(),
  expect: z.string(),
  status: TestStatus,
  /** one sentence: what held, or what broke it */
  message: z.string(),
  /** the document (or `scenario`) the test ran on */
  document: z.string(),
  /** what "every" / "some" / "no" request ranges over, in words */
  scope: z.string().optional(),
  /**
   * The request that shows the answer, confirmed by the concrete evaluator: the counterexample of a
   * failing test (an allowed request for never-allowed, a denied one for always-allowed), the
   * witness of a passing sometimes-allowed test, the request itself for a decision test.
   */
  example: Counterexample.optional(),
  /** the decision the target gives `example` (and the stack's trace for a scenario) */
  decision: z.enum(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']).optional(),
  stack: StackVerdict.optional(),
  unknownReason: z.string().optional(),
  /** status `error`: the test (or its document) cannot be run as written */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  stats: z.object({ elapsedMs: z.number(), solverCalls: z.number() }),
});
export type TestResult = z.infer<typeof TestResult>;

export const TestSummary = z.object({
  passed: z.number(),
  failed: z.number(),
  unknown: z.number(),
  errors: z.number(),
  elapsedMs: z.number(),
});
export type TestSummary = z.infer<typeof TestSummary>;

export const RunTestsOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), results: z.array(TestResult), summary: TestSummary }),
  /** the target itself cannot be read (a document that does not parse, a bad scenario) */
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), document: z.string().optional() }),
  }),
]);
export type RunTestsOutcome = z.infer<typeof RunTestsOutcome>;

/** Reads a test file's text: the suite, or a message naming the first problem and where it is. */
export function readTestSuite(text: string): { ok: true; suite: TestSuite } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `The tests are not JSON: ${(e as Error).message}` };
  }
  const r = TestSuite.safeParse(raw);
  if (r.success) return { ok: true, suite: r.data };
  const issue = r.error.issues[0]!;
  if (issue.path.at(-1) === 'expect') {
    // An expectation the format does not have: say which ones it has.
    const tests = (raw as { tests?: unknown[] }).tests;
    const i = issue.path[1] as number;
    const got = (tests?.[i] as { expect?: unknown } | undefined)?.expect;
    const all = [...RANGE_EXPECTATIONS, ...DECISION_EXPECTATIONS].join(', ');
    return {
      ok: false,
      message: `tests[${i}].expect: ${JSON.stringify(got) ?? 'missing'} is not one of ${all}`,
    };
  }
  const where = issue.path.length
    ? issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')
    : 'the file';
  return { ok: false, message: `${where.replace(/^\./, '')}: ${issue.message}` };
}

/** The tallies of a list of results. */
export function summarize(results: TestResult[], elapsedMs: number): TestSummary {
  const count = (s: TestStatus): number => results.filter((r) => r.status === s).length;
  return {
    passed: count('pass'),
    failed: count('fail'),
    unknown: count('unknown'),
    errors: count('error'),
    elapsedMs,
  };
}
