/**
 * Step-by-step evaluation: the concrete evaluator's trace of one request, laid out as steps a
 * student walks through: each statement, each of its elements and condition clauses (matched or not,
 * and why), the statement's result, then the decision rule. Every step carries the source span it is
 * about, and the last step shows the policy formula with the statements' truth values put in.
 */
import type { Evaluation } from '../evaluate/evaluate.ts';
import type { Policy, Span } from '../policy/model.ts';

type StepKind = 'statement' | 'element' | 'condition' | 'result' | 'decision';

export interface Step {
  id: string;
  kind: StepKind;
  statementIndex?: number;
  title: string;
  /** undefined for the steps that only introduce */
  matched?: boolean;
  detail: string;
  span?: Span;
}

const q = (s: string): string => JSON.stringify(s);

const DECISION_RULE =
  'IAM decides in this order: 1. explicit deny — if any Deny statement matches, the request is denied; 2. allow — otherwise, if any Allow statement matches, it is allowed; 3. default deny — otherwise it is denied.';

const DECISION_TITLE: Record<Evaluation['decision'], string> = {
  Allowed: 'Decision: Allowed',
  ExplicitlyDenied: 'Decision: explicitly denied',
  ImplicitlyDenied: 'Decision: implicitly denied (default deny)',
};

/** The statement names of the formula view: S<i> for Allow, D<i> for Deny. */
const statementName = (effect: 'Allow' | 'Deny', index: number): string =>
  `${effect === 'Allow' ? 'S' : 'D'}${index}`;

/**
 * `Allowed := (S0 ∨ S1) ∧ ¬D2` with the names replaced by the statements' values:
 * `(⊤ ∨ ⊥) ∧ ¬⊥ = ⊤`.
 */
export function valuation(allowedText: string, e: Evaluation): string {
  const values = new Map(e.statements.map((s) => [statementName(s.effect, s.index), s.matched]));
  const rhs = allowedText.replace(/^Allowed := /, '');
  const filled = rhs.replace(/\b([SD]\d+)\b/g, (m) =>
    values.get(m) === undefined ? m : values.get(m) ? '⊤' : '⊥',
  );
  return `Allowed = ${rhs} = ${filled} = ${e.decision === 'Allowed' ? '⊤' : '⊥'}`;
}

export function evaluationSteps(policy: Policy, e: Evaluation, allowedText?: string): Step[] {
  const steps: Step[] = [];
  for (const t of e.statements) {
    const st = policy.statements.find((s) => s.index === t.index);
    const name = statementName(t.effect, t.index);
    const head: Step = {
      id: `s${t.index}`,
      kind: 'statement',
      statementIndex: t.index,
      title: `Statement ${t.index} (${name}) · ${t.effect}${t.sid !== undefined ? ` · Sid ${q(t.sid)}` : ''}`,
      detail: `It matches when its Principal, Action and Resource match and every condition holds. ${
        t.effect === 'Allow'
          ? 'A match can allow the request.'
          : 'A match denies the request, whatever allows it.'
      }`,
    };
    if (st) head.span = st.span;
    steps.push(head);
    t.elements.forEach((el, i) =>
      steps.push({
        id: `s${t.index}e${i}`,
        kind: 'element',
        statementIndex: t.index,
        title: el.element,
        matched: el.matched,
        detail: el.detail,
        span: el.span,
      }),
    );
    t.conditions.forEach((c, i) =>
      steps.push({
        id: `s${t.index}c${i}`,
        kind: 'condition',
        statementIndex: t.index,
        title: `${c.operator} ${c.key}`,
        matched: c.matched,
        detail: c.detail,
        span: c.span,
      }),
    );
    const failed = [
      ...t.elements.filter((x) => !x.matched).map((x) => x.element),
      ...t.conditions.filter((x) => !x.matched).map((x) => `${x.operator} ${x.key}`),
    ];
    const result: Step = {
      id: `s${t.index}r`,
      kind: 'result',
      statementIndex: t.index,
      title: `Statement ${t.index} ${t.matched ? 'matches' : 'does not match'}: ${name} = ${t.matched ? '⊤' : '⊥'}`,
      matched: t.matched,
      detail: t.matched
        ? `Every part matches, so this ${t.effect} statement applies.`
        : `Not matched: ${failed.join(', ')}. The statement does not apply to this request.`,
    };
    if (st) result.span = st.span;
    steps.push(result);
  }
  steps.push({
    id: 'decision',
    kind: 'decision',
    title: DECISION_TITLE[e.decision],
    matched: e.decision === 'Allowed',
    detail: `${e.explanation}.${allowedText ? ` In the formula: ${valuation(allowedText, e)}.` : ''} ${DECISION_RULE}`,
  });
  return steps;
}
