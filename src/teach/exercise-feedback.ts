/**
 * "Check my answer", in words: the outcome of an exercise's hidden suite (checks/run-tests.ts) as
 * what a learner reads. The first failing test (in the suite's order) is the hint: its name (written
 * to say what is wrong) and the request that shows it, phrased from the result's example and
 * decision ("This request is still allowed: s3:GetObject on arn:aws:s3:::other-bucket — statement 0
 * allows it"). With no failure, every test passed is a proof for every request its scope ranges
 * over, listed. A test the solver could not decide, or could not run, is said as such: it is never
 * counted as passed.
 */
import type { PolicyTest, RunTestsOutcome, TestResult } from '../checks/policy-tests.ts';
import type { Counterexample, StatementRef } from '../checks/types.ts';
import { principalToString } from '../evaluate/request.ts';
import { answerDocument, answerKind, type Exercise } from './exercise-format.ts';

/** One proven claim of a solved exercise: the test's name and what it held for. */
interface Proven {
  name: string;
  claim: string;
}

export type Feedback =
  | { kind: 'solved'; headline: string; proven: Proven[] }
  | {
      kind: 'hint';
      /** the failing test's name: what is still wrong */
      title: string;
      /** "This request is still allowed:" */
      headline: string;
      /** "s3:GetObject on arn:aws:s3:::other-bucket by … with …", or undefined when there is no request to show */
      request?: string;
      /** "statement 0 (Sid) allows it" */
      why?: string;
      /** the request itself, to step through */
      example?: Counterexample;
      /** how many tests pass, of how many */
      passed: number;
      total: number;
    }
  | { kind: 'unknown'; headline: string; details: string[] }
  | { kind: 'error'; headline: string; details: string[] };

const DECISION_WORDS = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitly denied',
  ImplicitlyDenied: 'implicitly denied',
} as const;

/** The feedback for one run of the exercise's suite on an answer. */
export function feedbackFor(exercise: Exercise, outcome: RunTestsOutcome): Feedback {
  if (!outcome.ok) {
    const where =
      outcome.error.document && outcome.error.document !== 'policy' ? ` (${outcome.error.document})` : '';
    return {
      kind: 'error',
      headline: `Your ${answerKind(exercise.target)} cannot be checked yet${where}: ${unprefixed(exercise, outcome.error.message)}`,
      details: [],
    };
  }
  const { results } = outcome;
  const failed = results.find((r) => r.status === 'fail');
  if (failed) return hint(exercise, failed, results);
  const errors = results.filter((r) => r.status === 'error');
  if (errors.length)
    return {
      kind: 'error',
      headline: `${errors.length === 1 ? 'One test' : `${errors.length} tests`} of this exercise cannot run, so it cannot be graded. Nothing else failed.`,
      details: errors.map((r) => `${r.name}: ${r.error?.message ?? r.message}`),
    };
  const unknown = results.filter((r) => r.status === 'unknown');
  if (unknown.length)
    return {
      kind: 'unknown',
      headline: `Not decided: the solver could not answer ${unknown.length} of ${results.length} tests in time, so this is neither right nor wrong yet. Nothing failed; a longer solver timeout may decide it.`,
      details: unknown.map((r) => `${r.name}: ${r.unknownReason ?? r.message}`),
    };
  return {
    kind: 'solved',
    headline: 'Correct for every request:',
    proven: results.map((r) => ({ name: r.name, claim: claim(exercise, r) })),
  };
}

/** The engine's message without the name it gives the answer's document ("The policy is not valid: "). */
function unprefixed(exercise: Exercise, message: string): string {
  const doc = answerDocument(exercise.target);
  const named = doc === 'policy' ? 'The policy' : `The ${doc} policy`;
  for (const prefix of [`${named} is not valid: `, `${doc}: `])
    if (message.startsWith(prefix)) return message.slice(prefix.length);
  return message;
}

/** What a passing test proved, from its scope. */
function claim(exercise: Exercise, r: TestResult): string {
  switch (r.expect) {
    case 'never-allowed':
      return `never allowed: ${r.scope ?? 'every request it describes'}`;
    case 'always-allowed':
      return `always allowed: ${r.scope ?? 'every request it describes'}`;
    case 'sometimes-allowed':
      return `allowed for some request of ${r.scope ?? 'its description'}${r.example ? `, e.g. ${describeRequest(exercise, r)}` : ''}`;
    default:
      return r.example
        ? `${describeRequest(exercise, r)} is ${DECISION_WORDS[r.decision ?? 'ImplicitlyDenied']}`
        : r.message;
  }
}

function hint(exercise: Exercise, r: TestResult, results: TestResult[]): Feedback {
  const passed = results.filter((x) => x.status === 'pass').length;
  const base = { kind: 'hint' as const, title: r.name, passed, total: results.length };
  if (!r.example)
    // sometimes-allowed: no request of the description is allowed, so there is no request to show
    return {
      ...base,
      headline: 'No request of this kind is allowed yet.',
      ...(r.scope ? { why: `Not one of: ${r.scope}.` } : {}),
    };
  const decision = r.decision ?? 'ImplicitlyDenied';
  const headline =
    r.expect === 'never-allowed'
      ? 'This request is still allowed:'
      : r.expect === 'always-allowed'
        ? `This request must be allowed, but it is ${DECISION_WORDS[decision]}:`
        : `This request must be ${r.expect === 'denied' ? 'denied' : DECISION_WORDS[r.expect as keyof typeof DECISION_WORDS]}, but it is ${DECISION_WORDS[decision]}:`;
  return {
    ...base,
    headline,
    request: describeRequest(exercise, r),
    why: because(exercise, r),
    example: r.example,
  };
}

/** The request of a result, with the parts the exercise's hint style shows. */
function describeRequest(exercise: Exercise, r: TestResult): string {
  const req = r.example!.request;
  const parts = [`${req.action} on ${req.resource}`];
  if (exercise.hint.includes('caller') || exercise.hint.includes('layers'))
    parts.push(`by ${principalToString(req.principal)}`);
  if (exercise.hint.includes('context')) {
    const set = Object.entries(req.context).map(
      ([k, v]) => `${k} = ${Array.isArray(v) ? `[${v.join(', ')}]` : v}`,
    );
    // Keys the test says the request lacks are worth naming: their absence is the point.
    const test = exercise.suite.tests.find((t) => t.name === r.name);
    const absent = Object.entries(rangeContext(test))
      .filter(([k, v]) => v === null && !(k in req.context))
      .map(([k]) => `${k} absent`);
    const all = [...set, ...absent];
    parts.push(all.length ? `with ${all.join(', ')}` : 'with no condition keys');
  }
  if (r.example!.actionOutsideCatalog) parts.push('(an action AWS may add later)');
  return parts.join(' ');
}

function rangeContext(t: PolicyTest | undefined): Record<string, unknown> {
  return t && 'context' in t && t.context && !('request' in t) ? t.context : {};
}

/** Who decided, in the learner's terms: their own policy's statements by index, other layers by name. */
function because(exercise: Exercise, r: TestResult): string {
  const ex = r.example!;
  const mine = answerDocument(exercise.target);
  const yours = exercise.target.kind === 'scenario' ? `your ${answerKind(exercise.target)}'s ` : '';
  const names = (refs: StatementRef[]): string =>
    [
      ...new Set(
        refs.map((s) => {
          const sid = s.statementId ? ` (${s.statementId})` : '';
          return s.document === mine
            ? `${yours}statement ${s.statementIndex}${sid}`
            : `${s.document} statement ${s.statementIndex}${sid}`;
        }),
      ),
    ].join(', ');
  const denied = ex.whyNot?.kind === 'deniedBy' ? ex.whyNot.statements : [];
  const stack = ex.stack ?? r.stack;
  if (r.decision === 'Allowed' && stack)
    return `${names(ex.grantedBy)} ${ex.grantedBy.length > 1 ? 'allow' : 'allows'} it, and no layer denies it`;
  if (r.decision === 'Allowed')
    return ex.grantedBy.length
      ? `${names(ex.grantedBy)} ${ex.grantedBy.length > 1 ? 'allow' : 'allows'} it`
      : 'it is allowed';
  if (stack) {
    const by = denied.length ? ` (${names(denied)})` : '';
    return `${stack.decidedBy.why}${by}`;
  }
  if (r.decision === 'ExplicitlyDenied')
    return `${names(denied)} ${denied.length > 1 ? 'deny' : 'denies'} it`;
  return 'no statement allows it';
}
