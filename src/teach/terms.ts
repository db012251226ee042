/**
 * The teaching formula of a policy as a small logic AST. A statement becomes a conjunction of its
 * parts, a condition clause becomes the predicate IAM gives it (docs/semantics-decisions.md), and the
 * policy becomes `Allowed := (S0 ∨ …) ∧ ¬(D1 ∨ …)`. Every term keeps the source spans it came from,
 * so the printed formula can point back into the JSON. `interpret.ts` gives these terms a meaning on
 * concrete requests, and tests hold that meaning to the concrete evaluator's decisions.
 *
 * Conventions (also in the legend shown to students):
 * - A comparison of a condition key (`k = "x"`, `k ∈ ⟦x*⟧`, `k < 5`) is false when the key is absent,
 *   so a negated operator is written `¬(k = "x")`, which is then true for an absent key.
 * - A comparison of a key that holds several values holds when some value satisfies it.
 */
import type { ConditionClause, Located, Policy, PrincipalType, Span, Statement } from '../policy/model.ts';
import { parseBool, parseCidr, parseDate, parseDecimal } from '../policy/values.ts';
import { CONDITION_OPERATORS, type OperatorComparison, type OperatorFamily } from '../policy/operators.ts';

/** What a comparison is about. `v` is the value bound by a quantifier over the key's values. */
export type Subject =
  { s: 'action' } | { s: 'resource' } | { s: 'key'; key: string } | { s: 'v'; key: string };

/**
 * How the listed values are compared:
 * - `action`: glob, case-insensitive (`*` any run, `?` one character)
 * - `arn`: ARN pattern, part by part (Resource, Arn* operators)
 * - `glob`: case-sensitive glob (StringLike)
 * - `eq`: exact text (StringEquals, BinaryEquals)
 * - `eq-ci`: text ignoring case (StringEqualsIgnoreCase)
 * - `bool`: "true"/"false" ignoring case (Bool)
 */
type MatchMode = 'action' | 'arn' | 'glob' | 'eq' | 'eq-ci' | 'bool';

type CmpOp = '=' | '<' | '≤' | '>' | '≥';

export type Atom =
  /** the subject is one of `members` (under `mode`); policy variables in members when `vars` */
  | { a: 'match'; subject: Subject; mode: MatchMode; members: Located<string>[]; vars: boolean }
  /** a number or date comparison with one policy value */
  | { a: 'cmp'; subject: Subject; family: 'num' | 'date'; op: CmpOp; value: Located<string> }
  /** the subject is an IP address in one of the ranges */
  | { a: 'cidr'; subject: Subject; members: Located<string>[] }
  /** the request carries the key (a multi-valued key: at least one value) */
  | { a: 'present'; key: string }
  /** the caller is the principal named by one Principal value */
  | { a: 'principal'; type: PrincipalType; value: Located<string> }
  /** NotPrincipal's exemption: every identity AWS checks for the caller is one of these values */
  | { a: 'exempt'; values: { type: PrincipalType; value: Located<string> }[] };

export interface Src {
  /** the first span is where the term came from; later ones (e.g. the operator) also select it */
  spans: Span[];
  /** a sentence for a tooltip */
  note?: string;
}

export type Term =
  | { t: 'const'; v: boolean; src?: Src }
  | { t: 'atom'; atom: Atom; src?: Src }
  | { t: 'not'; x: Term; src?: Src }
  | { t: 'and'; xs: Term[]; src?: Src }
  | { t: 'or'; xs: Term[]; src?: Src }
  | { t: 'implies'; a: Term; b: Term; src?: Src }
  /** ∃v ∈ key: body (false when the key is absent) / ∀v ∈ key: body (true when absent) */
  | { t: 'exists' | 'forall'; key: string; body: Term; src?: Src }
  /** a named statement (S0, D1) */
  | { t: 'ref'; name: string; src?: Src }
  /** a construct the evaluator refuses (unknown operator, malformed value) */
  | { t: 'error'; code: string; message: string; src?: Src };

export const TRUE: Term = { t: 'const', v: true };
const FALSE: Term = { t: 'const', v: false };

const withSrc = <T extends Term>(term: T, src: Src | undefined): T => (src ? { ...term, src } : term);

export function and(xs: Term[], src?: Src): Term {
  const out: Term[] = [];
  for (const x of xs) {
    if (x.t === 'const') {
      if (!x.v) return withSrc(FALSE, src);
      continue;
    }
    if (x.t === 'and' && !x.src) out.push(...x.xs);
    else out.push(x);
  }
  if (out.length === 0) return withSrc(TRUE, src);
  if (out.length === 1) return src && !out[0]!.src ? withSrc(out[0]!, src) : out[0]!;
  return withSrc({ t: 'and', xs: out }, src);
}

export function or(xs: Term[], src?: Src): Term {
  const out: Term[] = [];
  for (const x of xs) {
    if (x.t === 'const') {
      if (x.v) return withSrc(TRUE, src);
      continue;
    }
    if (x.t === 'or' && !x.src) out.push(...x.xs);
    else out.push(x);
  }
  if (out.length === 0) return withSrc(FALSE, src);
  if (out.length === 1) return src && !out[0]!.src ? withSrc(out[0]!, src) : out[0]!;
  return withSrc({ t: 'or', xs: out }, src);
}

export function not(x: Term, src?: Src): Term {
  if (x.t === 'const') return withSrc({ t: 'const', v: !x.v }, src);
  return withSrc({ t: 'not', x }, src);
}

// ---------------------------------------------------------------------------------------------------
// Statements

export interface TermIssue {
  code: string;
  message: string;
  statementIndex: number;
}

interface StatementTerm {
  statement: Statement;
  /** S<i> for Allow statements, D<i> for Deny statements (i = the statement's index) */
  name: string;
  term: Term;
  /** parts that add no constraint and were left out (`Principal "*"`, `Resource "*"`, ...) */
  simplified: { what: string; span: Span }[];
}

export interface BuildOptions {
  /**
   * Whether the catalog knows a key as multi-valued (aws:TagKeys, ...), undefined for a key it does
   * not know. Multi-valued keys are written with ∃/∀ over their values. Like the encoder, a key the
   * catalog does not know is multi-valued when the policy uses a set operator on it.
   */
  isMultiValued?: (key: string) => boolean | undefined;
}

/** The keys written with ∃/∀ even under a plain operator (lower case). */
export function multiValuedKeys(policy: Policy, opts: BuildOptions = {}): Set<string> {
  const out = new Set<string>();
  for (const st of policy.statements)
    for (const c of st.conditions) {
      const key = c.key.toLowerCase();
      const known = opts.isMultiValued?.(c.key);
      if (known === true || (known === undefined && c.operator.qualifier !== undefined)) out.add(key);
    }
  return out;
}

const hasWildcard = (s: string): boolean => s.includes('*') || s.includes('?');

function principalTerm(st: Statement, simplified: StatementTerm['simplified']): Term {
  const part = st.principal;
  if (!part) return TRUE;
  const src: Src = { spans: [part.span] };
  const element = part.negated ? 'NotPrincipal' : 'Principal';
  if (part.spec.kind === 'any') {
    if (!part.negated) {
      simplified.push({ what: 'Principal "*" (everyone) adds no constraint', span: part.span });
      return TRUE;
    }
    simplified.push({
      what: 'NotPrincipal "*" excludes every caller: the statement never matches',
      span: part.span,
    });
    return withSrc(FALSE, { spans: [part.span], note: 'NotPrincipal "*" excludes every caller' });
  }
  if (part.negated) {
    // IAM "NotPrincipal": a caller is exempt only when its account, and its user or its role and
    // session, are all listed; listing an account exempts the account's root alone.
    const values = part.spec.entries.flatMap((e) => e.values.map((value) => ({ type: e.type, value })));
    const exempt: Term = { t: 'atom', atom: { a: 'exempt', values }, src };
    return not(exempt, { ...src, note: `${element}: every caller not exempt by these` });
  }
  const atoms = part.spec.entries.flatMap((e) =>
    e.values.map((v): Term => ({
      t: 'atom',
      atom: { a: 'principal', type: e.type, value: v },
      src: { spans: [v.span] },
    })),
  );
  return withSrc(or(atoms), src);
}

function patternTerm(
  st: Statement,
  which: 'action' | 'resource',
  simplified: StatementTerm['simplified'],
  vars: boolean,
): Term {
  const part = which === 'action' ? st.action : st.resource;
  const label = which === 'action' ? 'Action' : 'Resource';
  if (!part) {
    simplified.push({ what: 'no Resource element: every resource matches', span: st.span });
    return TRUE;
  }
  const element = part.negated ? `Not${label}` : label;
  const src: Src = { spans: [part.span] };
  if (part.patterns.some((p) => p.value === '*')) {
    if (!part.negated) {
      simplified.push({ what: `${label} "*" adds no constraint`, span: part.span });
      return TRUE;
    }
    simplified.push({
      what: `${element} "*" excludes everything: the statement never matches`,
      span: part.span,
    });
    return withSrc(FALSE, { spans: [part.span], note: `${element} "*" excludes everything` });
  }
  const atom: Term = {
    t: 'atom',
    atom: {
      a: 'match',
      subject: { s: which },
      mode: which === 'action' ? 'action' : 'arn',
      members: part.patterns,
      // The evaluator substitutes policy variables in Resource, never in Action.
      vars: which === 'resource' && vars,
    },
    src: { spans: [part.span] },
  };
  return part.negated ? not(atom, { ...src, note: `${element}: everything except these` }) : atom;
}

type Cmp = OperatorComparison;
type Family = OperatorFamily;
/** The operators of the concrete evaluator (one table, so notation and evaluator agree). */
const OPERATORS = CONDITION_OPERATORS;

const CMP_OP: Record<Cmp, CmpOp> = { eq: '=', eqi: '=', like: '=', lt: '<', le: '≤', gt: '>', ge: '≥' };

const q = (s: string): string => JSON.stringify(s);

/** The positive per-value test of a clause on `subject` (before negation). */
function valueTest(
  clause: ConditionClause,
  spec: { family: Family; cmp: Cmp },
  subject: Subject,
  vars: boolean,
  bad: (code: string, message: string) => Term,
): Term {
  const op = clause.operator.text;
  const one = (v: Located<string>, atom: Atom): Term => ({ t: 'atom', atom, src: { spans: [v.span] } });
  const all = (atom: Atom): Term => ({ t: 'atom', atom, src: { spans: clause.values.map((v) => v.span) } });
  switch (spec.family) {
    case 'String':
      if (spec.cmp === 'eqi')
        return or(
          clause.values.map((v) => one(v, { a: 'match', subject, mode: 'eq-ci', members: [v], vars })),
        );
      return all({
        a: 'match',
        subject,
        mode: spec.cmp === 'like' ? 'glob' : 'eq',
        members: clause.values,
        vars,
      });
    case 'Arn':
      return all({ a: 'match', subject, mode: 'arn', members: clause.values, vars });
    case 'Binary':
      return all({ a: 'match', subject, mode: 'eq', members: clause.values, vars: false });
    case 'Bool': {
      const badValue = clause.values.find((v) => parseBool(v.value) === undefined);
      if (badValue) return bad('INVALID_VALUE', `${op}: ${q(badValue.value)} is not "true" or "false"`);
      return or(
        clause.values.map((v) => one(v, { a: 'match', subject, mode: 'bool', members: [v], vars: false })),
      );
    }
    case 'Numeric':
    case 'Date': {
      const family = spec.family === 'Numeric' ? 'num' : 'date';
      const badValue = clause.values.find((v) =>
        family === 'num' ? parseDecimal(v.value) === undefined : parseDate(v.value) === undefined,
      );
      if (badValue)
        return bad(
          'INVALID_VALUE',
          family === 'num'
            ? `${op}: ${q(badValue.value)} is not a decimal number`
            : `${op}: ${q(badValue.value)} is not an ISO 8601 date or epoch seconds`,
        );
      return or(
        clause.values.map((v) => one(v, { a: 'cmp', subject, family, op: CMP_OP[spec.cmp], value: v })),
      );
    }
    case 'Ip': {
      const badValue = clause.values.find((v) => parseCidr(v.value) === undefined);
      if (badValue)
        return bad(
          'INVALID_VALUE',
          `${op}: ${q(badValue.value)} is not an IPv4 or IPv6 address or CIDR range`,
        );
      return all({ a: 'cidr', subject, members: clause.values });
    }
  }
}

function conditionTerm(st: Statement, clause: ConditionClause, vars: boolean, multi: Set<string>): Term {
  const op = clause.operator;
  const src: Src = { spans: [clause.span, clause.operatorSpan], note: `${op.text} on ${clause.key}` };
  const bad = (code: string, message: string): Term => ({
    t: 'error',
    code,
    message: `Statement ${st.index}: ${message}`,
    src,
  });
  const key = clause.key;
  const present: Term = { t: 'atom', atom: { a: 'present', key }, src: { spans: [clause.keySpan] } };
  const malformedQualifier = op.qualifier === undefined && op.text.includes(':');

  if (op.base === 'Null') {
    if (op.qualifier || op.ifExists || malformedQualifier)
      return bad(
        'INVALID_OPERATOR',
        `unknown condition operator ${q(op.text)} (Null takes no qualifier and no IfExists)`,
      );
    const badValue = clause.values.find((v) => parseBool(v.value) === undefined);
    if (badValue) return bad('INVALID_VALUE', `Null: ${q(badValue.value)} is not "true" or "false"`);
    return or(
      clause.values.map((v) => {
        const absent = v.value.toLowerCase() === 'true';
        const p: Term = { ...present, src: { spans: [v.span] } };
        return absent ? not(p, { spans: [v.span] }) : p;
      }),
      src,
    );
  }
  const spec = OPERATORS[op.base];
  if (!spec || malformedQualifier) return bad('INVALID_OPERATOR', `unknown condition operator ${q(op.text)}`);

  const quantified = op.qualifier !== undefined || multi.has(key.toLowerCase());
  const subject: Subject = quantified ? { s: 'v', key } : { s: 'key', key };
  const test = valueTest(clause, spec, subject, vars, bad);
  if (test.t === 'error') return test;
  const body = spec.negated ? not(test) : test;
  if (!quantified) {
    // k op x is false when k is absent: a positive operator needs the key, ¬(...) is true without it.
    return op.ifExists ? withSrc({ t: 'implies', a: present, b: body }, src) : withSrc(body, src);
  }
  const kind = op.qualifier === 'ForAllValues' ? 'forall' : 'exists';
  const quant: Term = { t: kind, key, body };
  // Without a qualifier a negated operator on a missing key is true, as with one value.
  const absentIsTrue = op.ifExists || (op.qualifier === undefined && spec.negated);
  return absentIsTrue ? withSrc({ t: 'implies', a: present, b: quant }, src) : withSrc(quant, src);
}

function statementTerm(
  st: Statement,
  policy: Policy,
  multi: Set<string> = multiValuedKeys(policy),
): StatementTerm {
  const simplified: StatementTerm['simplified'] = [];
  const vars = policy.variablesActive;
  const parts = [
    principalTerm(st, simplified),
    patternTerm(st, 'action', simplified, false),
    patternTerm(st, 'resource', simplified, vars),
    ...st.conditions.map((c) => conditionTerm(st, c, vars, multi)),
  ];
  // The statement's span belongs to its definition (S0 := …), not to the right-hand side.
  const term = and(parts);
  return { statement: st, name: `${st.effect === 'Allow' ? 'S' : 'D'}${st.index}`, term, simplified };
}

export interface PolicyTerms {
  statements: StatementTerm[];
  /** (S0 ∨ …) ∧ ¬(D1 ∨ …) over refs to the statements */
  allowed: Term;
  issues: TermIssue[];
}

export function policyTerms(policy: Policy, opts: BuildOptions = {}): PolicyTerms {
  const multi = multiValuedKeys(policy, opts);
  const statements = policy.statements.map((st) => statementTerm(st, policy, multi));
  const ref = (s: StatementTerm): Term => ({ t: 'ref', name: s.name, src: { spans: [s.statement.span] } });
  const allows = statements.filter((s) => s.statement.effect === 'Allow').map(ref);
  const denies = statements.filter((s) => s.statement.effect === 'Deny').map(ref);
  // Keep the refs even when a statement is ⊥: the reader sees S0 := ⊥ next to it.
  const anyAllow: Term =
    allows.length === 0 ? FALSE : allows.length === 1 ? allows[0]! : { t: 'or', xs: allows };
  const anyDeny: Term | undefined =
    denies.length === 0 ? undefined : denies.length === 1 ? denies[0]! : { t: 'or', xs: denies };
  const allowed: Term =
    anyDeny === undefined || anyAllow.t === 'const'
      ? anyAllow
      : { t: 'and', xs: [anyAllow, { t: 'not', x: anyDeny }] };
  const issues: TermIssue[] = [];
  const collect = (t: Term, index: number): void => {
    switch (t.t) {
      case 'error':
        issues.push({ code: t.code, message: t.message, statementIndex: index });
        break;
      case 'not':
        collect(t.x, index);
        break;
      case 'and':
      case 'or':
        t.xs.forEach((x) => collect(x, index));
        break;
      case 'implies':
        collect(t.a, index);
        collect(t.b, index);
        break;
      case 'exists':
      case 'forall':
        collect(t.body, index);
        break;
      default:
        break;
    }
  };
  for (const s of statements) collect(s.term, s.statement.index);
  return { statements, allowed, issues };
}

export { hasWildcard };
