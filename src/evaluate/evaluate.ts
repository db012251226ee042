/**
 * The concrete evaluator: decides one policy for one concrete request, with a full trace. It is the
 * referee every solver counterexample is re-checked against, so it follows docs/semantics-decisions.md
 * literally and evaluates every statement (no short-circuit) so the trace is complete.
 *
 * Choices made here where neither SEMANTICS.md nor the decisions doc says (the encoder should agree):
 * - Policy variables are substituted only in Resource/NotResource and String/Arn condition values;
 *   Principal and Action values are never substituted (a `${...}` there is literal text).
 * - A substituted value is literal text; its `:` characters do count when an ARN pattern is split
 *   into segments.
 * - A resource (or Arn* request value) with fewer than six segments matches only `*`, even against a
 *   malformed pattern that a plain glob would accept.
 * - A request without a principal matches `Principal: "*"` only (so it matches every NotPrincipal map);
 *   when the request has a principal, aws:PrincipalArn/aws:PrincipalAccount in `context` are ignored.
 * - `{"AWS": "arn:<any partition>:iam::<12 digits>:root"}` names the whole account.
 * - `...IfExists` wins over ForAnyValue when the key is absent (true).
 * - `Null` with IfExists or a set qualifier, and any unrecognised `Prefix:Op`, is INVALID_OPERATOR.
 * - Bool/Null values other than true/false, non-decimal Numeric values, bad Date values and bad CIDRs in
 *   the policy are INVALID_VALUE errors; bad request values just fail the positive comparison.
 * - Numbers are compared as exact decimals (no exponent syntax); dates as epoch seconds, ISO 8601
 *   without a zone is UTC.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { CONDITION_OPERATORS, type OperatorComparison, type OperatorSpec } from '../policy/operators.ts';
import type {
  ConditionClause,
  JsonPath,
  Located,
  PatternPart,
  Policy,
  PrincipalPart,
  Span,
  Statement,
} from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import {
  arnMatches,
  globMatches,
  isMalformedArnPattern,
  substituteVariables,
  type Substitution,
} from '../policy/glob.ts';
import {
  cidrContains,
  compareDecimal,
  parseBool,
  parseCidr,
  parseDate,
  parseDecimal,
  parseIp,
  type Cidr,
  type Decimal,
} from '../policy/values.ts';
import type { Request } from './request.ts';
import {
  CallerError,
  requestKeys,
  IDENTITY_CHAIN,
  describeCaller,
  listsIdentity,
  namesCaller,
  principalName,
  type Caller,
  type Identity,
} from './caller.ts';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

interface ElementTrace {
  element: 'Principal' | 'NotPrincipal' | 'Action' | 'NotAction' | 'Resource' | 'NotResource';
  matched: boolean;
  detail: string;
  matchedPattern?: string;
  path: JsonPath;
  span: Span;
}

interface ConditionTrace {
  operator: string;
  key: string;
  keyPresent: boolean;
  requestValue?: string | string[];
  matched: boolean;
  detail: string;
  path: JsonPath;
  span: Span;
}

interface StatementTrace {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  matched: boolean;
  elements: ElementTrace[];
  conditions: ConditionTrace[];
}

export interface Evaluation {
  decision: Decision;
  allowedBy: number[];
  deniedBy: number[];
  statements: StatementTrace[];
  explanation: string;
}

export class EvaluationError extends Error {
  code: string;
  statementIndex?: number;
  constructor(code: string, message: string, statementIndex?: number) {
    super(message);
    this.name = 'EvaluationError';
    this.code = code;
    if (statementIndex !== undefined) this.statementIndex = statementIndex;
  }
}

export interface EvaluateOptions {
  /** used only for teaching notes (e.g. a set operator on a single-valued key) */
  catalog?: Catalog;
  /**
   * Decision only, for confirming many solver requests: each statement stops at its first element
   * that does not match (Action, Resource, Principal, then conditions) and details are left empty.
   * The decision is the same; a malformed condition in a statement that already failed is not reached.
   */
  brief?: boolean;
}

const q = (s: string): string => JSON.stringify(s);
const qList = (xs: string[]): string => (xs.length === 1 ? q(xs[0] ?? '') : `[${xs.map(q).join(', ')}]`);

// ---------------------------------------------------------------------------------------------------
// Context

interface Context {
  /** the key's values (non-empty), or undefined when the key is absent */
  get(key: string): string[] | undefined;
  /** the caller, read from the request's principal (undefined: the implicit caller) */
  caller: Caller | undefined;
}

function makeContext(request: Request): Context {
  try {
    const { caller, get } = requestKeys(request);
    return { get, caller };
  } catch (e) {
    if (e instanceof CallerError) throw new EvaluationError(e.code, e.message);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------------
// Action / Resource / Principal

function elementTrace(
  element: ElementTrace['element'],
  matched: boolean,
  detail: string,
  where: { path: JsonPath; span: Span },
  matchedPattern?: string,
): ElementTrace {
  const t: ElementTrace = { element, matched, detail, path: where.path, span: where.span };
  if (matchedPattern !== undefined) t.matchedPattern = matchedPattern;
  return t;
}

/** Shared shape of Action/NotAction and Resource/NotResource: positive hit, then complement. */
function patternElement(
  part: PatternPart,
  names: ['Action', 'NotAction'] | ['Resource', 'NotResource'],
  subject: string,
  hit: (p: Located<string>) => { matched: boolean; shown: string; note?: string },
  brief = false,
): ElementTrace {
  const element = part.negated ? names[1] : names[0];
  if (brief) {
    const found = part.patterns.find((p) => hit(p).matched);
    return elementTrace(element, part.negated ? !found : !!found, '', part, found?.value);
  }
  let found: { pattern: string; shown: string } | undefined;
  const notes: string[] = [];
  for (const p of part.patterns) {
    const r = hit(p);
    if (r.note) notes.push(r.note);
    if (r.matched && !found) found = { pattern: p.value, shown: r.shown };
  }
  const all = qList(part.patterns.map((p) => p.value));
  const noteText = notes.length ? ` (${notes.join('; ')})` : '';
  let detail: string;
  if (!part.negated)
    detail = found
      ? `${q(subject)} matches ${q(found.shown)}${noteText}`
      : `${q(subject)} matches none of ${all}${noteText}`;
  else
    detail = found
      ? `${q(subject)} matches ${q(found.shown)}, which ${element} excludes${noteText}`
      : `${q(subject)} matches none of ${all}, so ${element} includes it${noteText}`;
  const matched = part.negated ? !found : !!found;
  return elementTrace(element, matched, detail, part, found?.pattern);
}

function actionTrace(part: PatternPart, action: string, brief = false): ElementTrace {
  return patternElement(
    part,
    ['Action', 'NotAction'],
    action,
    (p) => ({
      matched: globMatches(p.value, action, { caseInsensitive: true }),
      shown: p.value,
    }),
    brief,
  );
}

function resourceTrace(
  st: Statement,
  resource: string,
  policy: Policy,
  ctx: Context,
  brief = false,
): ElementTrace {
  const part = st.resource;
  if (!part)
    return elementTrace('Resource', true, 'no Resource element: every resource matches', {
      path: st.path,
      span: st.span,
    });
  return patternElement(
    part,
    ['Resource', 'NotResource'],
    resource,
    (p) => {
      const sub = substituteVariables(p.value, ctx.get, policy.variablesActive);
      if (!sub.ok)
        return {
          matched: false,
          shown: p.value,
          note: `${q(p.value)} matches nothing: ${missingText(sub)}`,
        };
      const note = isMalformedArnPattern(sub.parts)
        ? `${q(p.value)} has fewer than six ARN segments and is matched as a plain glob`
        : undefined;
      const r = {
        matched: arnMatches(sub.parts, resource),
        shown: sub.text === p.value ? p.value : `${p.value} = ${sub.text}`,
      };
      return note ? { ...r, note } : r;
    },
    brief,
  );
}

function missingText(sub: Substitution): string {
  return sub.missing.map((k) => `variable \${${k}} has no single value in the request`).join(', ');
}

/** Does the Principal (positive form) name this caller? */
function principalHit(
  part: PrincipalPart,
  caller: Caller | undefined,
): { matched: boolean; pattern?: string; why: string } {
  if (part.spec.kind === 'any')
    return { matched: true, pattern: '*', why: '"*" names every caller, anonymous included' };
  const who = callerText(caller);
  if (caller)
    for (const entry of part.spec.entries)
      for (const v of entry.values) {
        const n = principalName(entry.type, v.value);
        if (namesCaller(n, caller))
          return {
            matched: true,
            pattern: v.value,
            why:
              n.category === 'account'
                ? `${who} is in account ${n.account}, which {"AWS": ${q(v.value)}} names`
                : n.category === 'role'
                  ? `${who} is a session of the role {"AWS": ${q(v.value)}} names`
                  : `${who} is {${q(entry.type)}: ${q(v.value)}}`,
          };
      }
  return { matched: false, why: `${who} is not named by ${principalValues(part)}` };
}

/**
 * NotPrincipal: the caller is exempt only when every identity AWS checks for it (its account, its
 * role and session, or its user) is listed (IAM "NotPrincipal"); listing an account exempts the
 * account's root, not its other principals.
 */
function notPrincipalExempt(
  part: PrincipalPart,
  caller: Caller | undefined,
): { exempt: boolean; why: string } {
  if (part.spec.kind === 'any') return { exempt: true, why: '"*" lists every caller' };
  const who = callerText(caller);
  if (!caller) return { exempt: false, why: `${who} is not listed by ${principalValues(part)}` };
  const names = part.spec.entries.flatMap((e) => e.values.map((v) => principalName(e.type, v.value)));
  const missing = IDENTITY_CHAIN[caller.kind].filter(
    (identity) => !names.some((n) => listsIdentity(n, caller, identity)),
  );
  if (missing.length === 0)
    return { exempt: true, why: `${who} is listed by ${principalValues(part)} (every identity AWS checks)` };
  return {
    exempt: false,
    why: `${who} is not exempt: ${principalValues(part)} does not list its ${missing.map(identityText).join(', ')}`,
  };
}

function identityText(i: Identity): string {
  return i === 'self' ? 'own name' : i === 'federated-user' ? 'federated user ARN' : `${i} ARN`;
}

function callerText(c: Caller | undefined): string {
  if (!c) return 'the implicit caller (no principal in the request)';
  return describeCaller(c);
}

function principalValues(part: PrincipalPart): string {
  if (part.spec.kind === 'any') return '"*"';
  return `{${part.spec.entries.map((e) => `${q(e.type)}: ${qList(e.values.map((v) => v.value))}`).join(', ')}}`;
}

function principalTrace(st: Statement, caller: Caller | undefined): ElementTrace {
  const part = st.principal;
  if (!part)
    return elementTrace('Principal', true, 'no Principal element: the caller is implicit (identity policy)', {
      path: st.path,
      span: st.span,
    });
  if (!part.negated) {
    const r = principalHit(part, caller);
    return elementTrace('Principal', r.matched, r.why, part, r.pattern);
  }
  const r = notPrincipalExempt(part, caller);
  return elementTrace(
    'NotPrincipal',
    !r.exempt,
    r.exempt ? `${r.why}, which NotPrincipal excludes` : `${r.why}, so NotPrincipal includes it`,
    part,
  );
}

// ---------------------------------------------------------------------------------------------------
// Conditions

type OpSpec = OperatorSpec;
type Cmp = OperatorComparison;
const OPERATORS = CONDITION_OPERATORS;

const CMP_TEXT: Record<Cmp, string> = {
  eq: '=',
  eqi: '=',
  like: 'matches',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
};

function verb(spec: OpSpec): string {
  if (spec.family === 'Ip') return 'is in';
  if (spec.family === 'Arn') return 'matches';
  if (spec.family === 'String' || spec.family === 'Bool' || spec.family === 'Binary')
    return spec.cmp === 'like' ? 'matches' : spec.cmp === 'eqi' ? 'equals (ignoring case)' : 'equals';
  return CMP_TEXT[spec.cmp];
}

function ordered(c: number, cmp: Cmp): boolean {
  switch (cmp) {
    case 'lt':
      return c < 0;
    case 'le':
      return c <= 0;
    case 'gt':
      return c > 0;
    case 'ge':
      return c >= 0;
    default:
      return c === 0;
  }
}

/** A policy value compiled into a positive test of one request value. */
type ValueTest = { shown: string; test: (requestValue: string) => boolean };

function compileValues(
  clause: ConditionClause,
  spec: OpSpec,
  policy: Policy,
  ctx: Context,
  fail: (msg: string) => never,
): ValueTest[] {
  const op = clause.operator.text;
  return clause.values.map((lv): ValueTest => {
    const v = lv.value;
    switch (spec.family) {
      case 'String':
      case 'Arn': {
        const sub = substituteVariables(v, ctx.get, policy.variablesActive);
        const shown = sub.text === v ? v : `${v} = ${sub.text}`;
        if (!sub.ok) return { shown: `${v} (${missingText(sub)}: matches nothing)`, test: () => false };
        if (spec.family === 'Arn') return { shown, test: (r) => arnMatches(sub.parts, r) };
        if (spec.cmp === 'like') return { shown, test: (r) => globMatches(sub.parts, r) };
        if (spec.cmp === 'eqi') return { shown, test: (r) => r.toLowerCase() === sub.text.toLowerCase() };
        return { shown, test: (r) => r === sub.text };
      }
      case 'Numeric': {
        const d = parseDecimal(v);
        if (!d) fail(`${op}: ${q(v)} is not a decimal number`);
        return {
          shown: v,
          test: (r) => {
            const x: Decimal | undefined = parseDecimal(r);
            return x !== undefined && ordered(compareDecimal(x, d), spec.cmp);
          },
        };
      }
      case 'Date': {
        const d = parseDate(v);
        if (d === undefined) fail(`${op}: ${q(v)} is not an ISO 8601 date or epoch seconds`);
        return {
          shown: v,
          test: (r) => {
            const x = parseDate(r);
            return x !== undefined && ordered(compareDecimal(x, d), spec.cmp);
          },
        };
      }
      case 'Bool': {
        const b = parseBool(v);
        if (b === undefined) fail(`${op}: ${q(v)} is not "true" or "false"`);
        return { shown: v, test: (r) => parseBool(r) === b };
      }
      case 'Binary':
        return { shown: v, test: (r) => r === v };
      case 'Ip': {
        const range: Cidr | undefined = parseCidr(v);
        if (!range) fail(`${op}: ${q(v)} is not an IPv4 or IPv6 address or CIDR range`);
        return {
          shown: v,
          test: (r) => {
            const ip = parseIp(r);
            return ip !== undefined && cidrContains(range, ip);
          },
        };
      }
    }
    throw new Error('unreachable');
  });
}

function conditionTrace(
  st: Statement,
  clause: ConditionClause,
  policy: Policy,
  ctx: Context,
  opts: EvaluateOptions,
): ConditionTrace {
  const op = clause.operator;
  const fail = (code: string, msg: string): never => {
    throw new EvaluationError(code, `Statement ${st.index}: ${msg}`, st.index);
  };
  const values = ctx.get(clause.key);
  const present = values !== undefined;
  const base: Omit<ConditionTrace, 'matched' | 'detail'> = {
    operator: op.text,
    key: clause.key,
    keyPresent: present,
    path: clause.path,
    span: clause.span,
  };
  if (values) base.requestValue = values.length === 1 ? (values[0] ?? '') : values;
  const done = (matched: boolean, detail: string): ConditionTrace => ({ ...base, matched, detail });
  const malformedQualifier = op.qualifier === undefined && op.text.includes(':');

  if (op.base === 'Null') {
    if (op.qualifier || op.ifExists || malformedQualifier)
      fail(
        'INVALID_OPERATOR',
        `unknown condition operator ${q(op.text)} (Null takes no qualifier and no IfExists)`,
      );
    const wants = clause.values.map((v) => {
      const b = v.value.toLowerCase();
      if (b !== 'true' && b !== 'false')
        fail('INVALID_VALUE', `Null: ${q(v.value)} is not "true" or "false"`);
      return b === 'true';
    });
    const matched = wants.some((w) => w === !present);
    const state = present ? 'present' : 'absent';
    return done(
      matched,
      `key ${clause.key} is ${state}: Null ${qList(clause.values.map((v) => v.value))} is ${matched ? 'true' : 'false'}`,
    );
  }

  const spec = OPERATORS[op.base];
  if (!spec || malformedQualifier)
    return fail('INVALID_OPERATOR', `unknown condition operator ${q(op.text)}`);
  const tests = compileValues(clause, spec, policy, ctx, (m) => fail('INVALID_VALUE', m));

  let note = '';
  if (
    opts.catalog &&
    op.qualifier &&
    opts.catalog.conditionKey(clause.key) &&
    !opts.catalog.isMultiValued(clause.key)
  )
    note = ` (note: ${clause.key} is single-valued; ${op.qualifier} on it is overly permissive)`;

  if (!present) {
    if (op.ifExists) return done(true, `key ${clause.key} is absent: ${op.text} is true (IfExists)${note}`);
    if (op.qualifier === 'ForAllValues')
      return done(
        true,
        `key ${clause.key} is absent: ${op.text} is true (ForAllValues holds for no values)${note}`,
      );
    if (op.qualifier === 'ForAnyValue')
      return done(
        false,
        `key ${clause.key} is absent: ${op.text} is false (ForAnyValue needs a value)${note}`,
      );
    if (spec.negated) return done(true, `key ${clause.key} is absent: ${op.text} is true (negated operator)`);
    return done(false, `key ${clause.key} is absent: ${op.text} is false`);
  }

  const policyShown = qList(tests.map((t) => t.shown));
  const perValue = values.map((r) => {
    const hit = tests.find((t) => t.test(r));
    const ok = spec.negated ? !hit : !!hit;
    const why = hit ? `${q(r)} ${verb(spec)} ${q(hit.shown)}` : `${q(r)} matches none of ${policyShown}`;
    return { ok, why };
  });
  const matched = op.qualifier === 'ForAllValues' ? perValue.every((p) => p.ok) : perValue.some((p) => p.ok);
  const shownValues = perValue.map((p) => p.why).join('; ');
  const how =
    op.qualifier === 'ForAllValues'
      ? values.length > 1
        ? ' (every value must satisfy it)'
        : ''
      : values.length > 1
        ? ' (some value must satisfy it)'
        : '';
  return done(
    matched,
    `${clause.key}: ${shownValues}: ${op.text} is ${matched ? 'true' : 'false'}${how}${note}`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Statements and the decision

function statementName(t: StatementTrace): string {
  return t.sid !== undefined ? `statement ${t.index} (Sid ${q(t.sid)})` : `statement ${t.index}`;
}

function evaluateStatement(
  st: Statement,
  policy: Policy,
  request: Request,
  ctx: Context,
  opts: EvaluateOptions,
): StatementTrace {
  if (opts.brief) {
    const elements: ElementTrace[] = [];
    const conditions: ConditionTrace[] = [];
    const steps = [
      () => elements.push(actionTrace(st.action, request.action, true)),
      () => elements.push(resourceTrace(st, request.resource, policy, ctx, true)),
      () => elements.push(principalTrace(st, ctx.caller)),
      ...st.conditions.map((c) => () => conditions.push(conditionTrace(st, c, policy, ctx, opts))),
    ];
    let matched = true;
    for (const step of steps) {
      step();
      if (!(elements.at(-1)?.matched ?? true) || !(conditions.at(-1)?.matched ?? true)) {
        matched = false;
        break;
      }
    }
    const t: StatementTrace = { index: st.index, effect: st.effect, matched, elements, conditions };
    if (st.sid !== undefined) t.sid = st.sid;
    return t;
  }
  const elements: ElementTrace[] = [
    principalTrace(st, ctx.caller),
    actionTrace(st.action, request.action),
    resourceTrace(st, request.resource, policy, ctx),
  ];
  const conditions = st.conditions.map((c) => conditionTrace(st, c, policy, ctx, opts));
  const matched = elements.every((e) => e.matched) && conditions.every((c) => c.matched);
  const t: StatementTrace = { index: st.index, effect: st.effect, matched, elements, conditions };
  if (st.sid !== undefined) t.sid = st.sid;
  return t;
}

/** Decides one policy for one concrete request. Throws EvaluationError on an unknown operator or a malformed value. */
export function evaluatePolicy(policy: Policy, request: Request, opts: EvaluateOptions = {}): Evaluation {
  const ctx = makeContext(request);
  const statements = policy.statements.map((st) => evaluateStatement(st, policy, request, ctx, opts));
  const allowed = statements.filter((s) => s.matched && s.effect === 'Allow');
  const denied = statements.filter((s) => s.matched && s.effect === 'Deny');
  let decision: Decision;
  let explanation: string;
  const names = (xs: StatementTrace[]): string => xs.map(statementName).join(', ');
  if (denied.length > 0) {
    decision = 'ExplicitlyDenied';
    explanation = `Deny ${names(denied)} ${denied.length > 1 ? 'match' : 'matches'}: explicit deny wins`;
    if (allowed.length > 0) explanation += ` over Allow ${names(allowed)}`;
  } else if (allowed.length > 0) {
    decision = 'Allowed';
    explanation = `Allow ${names(allowed)} ${allowed.length > 1 ? 'match' : 'matches'} and no Deny statement matches: allowed`;
  } else {
    decision = 'ImplicitlyDenied';
    explanation = 'No statement matches the request: implicitly denied';
  }
  return {
    decision,
    allowedBy: allowed.map((s) => s.index),
    deniedBy: denied.map((s) => s.index),
    statements,
    explanation,
  };
}

/** Parses and evaluates policy text; never throws. */
export function evaluateText(
  text: string,
  request: Request,
  opts: EvaluateOptions = {},
): { ok: true; evaluation: Evaluation } | { ok: false; error: { code: string; message: string } } {
  const parsed = parsePolicy(text);
  if (!parsed.ok) {
    const first = parsed.findings.find((f) => f.findingType === 'ERROR');
    return {
      ok: false,
      error: {
        code: first?.issueCode ?? 'INVALID_POLICY',
        message: first?.findingDetails ?? 'The policy is invalid.',
      },
    };
  }
  try {
    return { ok: true, evaluation: evaluatePolicy(parsed.policy, request, opts) };
  } catch (e) {
    if (e instanceof EvaluationError) return { ok: false, error: { code: e.code, message: e.message } };
    throw e;
  }
}
