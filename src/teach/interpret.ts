/**
 * The meaning of the teaching formula on one concrete request. The atoms use the concrete evaluator's
 * matching helpers (globs, ARNs, CIDRs, numbers, dates, policy variables); what is decided here is the
 * logic around them: negation, absent keys, IfExists, Null, quantifiers, NotPrincipal, the decision
 * rule. Tests hold the result to `evaluatePolicy` on many requests, so the formula a student reads
 * decides what the evaluator decides.
 */
import { arnMatches, globMatches, substituteVariables } from '../policy/glob.ts';
import {
  cidrContains,
  compareDecimal,
  parseCidr,
  parseDate,
  parseDecimal,
  parseIp,
} from '../policy/values.ts';
import type { Request } from '../evaluate/request.ts';
import {
  CallerError,
  requestKeys,
  IDENTITY_CHAIN,
  listsIdentity,
  namesCaller,
  principalName,
  type Caller,
} from '../evaluate/caller.ts';
import type { Policy } from '../policy/model.ts';
import { policyTerms, type Atom, type BuildOptions, type Subject, type Term } from './terms.ts';

export class InterpretError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Env {
  request: Request;
  /** the request's caller (undefined: the implicit caller of an identity policy) */
  caller?: Caller;
  /** the key's values (non-empty), undefined when absent; key names are case-insensitive */
  get(key: string): string[] | undefined;
  variablesActive: boolean;
  refs: Map<string, boolean>;
  /** the value bound by the innermost quantifier */
  bound?: string;
}

/** The request's caller and keys as the evaluator sees them (evaluate/caller.ts), with its errors. */
function contextOf(request: Request): { caller?: Caller; get: (key: string) => string[] | undefined } {
  try {
    return requestKeys(request);
  } catch (e) {
    if (e instanceof CallerError) throw new InterpretError(e.code, e.message);
    throw e;
  }
}

/** The values a comparison looks at: the action, the resource, a key's values, or the bound value. */
function subjectValues(s: Subject, env: Env): string[] {
  switch (s.s) {
    case 'action':
      return [env.request.action];
    case 'resource':
      return [env.request.resource];
    case 'key':
      return env.get(s.key) ?? [];
    case 'v':
      return env.bound === undefined ? [] : [env.bound];
  }
}

function principalHolds(atom: Extract<Atom, { a: 'principal' }>, caller: Caller | undefined): boolean {
  return caller !== undefined && namesCaller(principalName(atom.type, atom.value.value), caller);
}

/** NotPrincipal's exemption: every identity AWS checks for the caller is listed. */
function exemptHolds(atom: Extract<Atom, { a: 'exempt' }>, caller: Caller | undefined): boolean {
  if (!caller) return false;
  const names = atom.values.map((v) => principalName(v.type, v.value.value));
  return IDENTITY_CHAIN[caller.kind].every((identity) =>
    names.some((n) => listsIdentity(n, caller, identity)),
  );
}

function ordered(c: number, op: string): boolean {
  switch (op) {
    case '<':
      return c < 0;
    case '≤':
      return c <= 0;
    case '>':
      return c > 0;
    case '≥':
      return c >= 0;
    default:
      return c === 0;
  }
}

function atomHolds(atom: Atom, env: Env): boolean {
  switch (atom.a) {
    case 'present':
      return env.get(atom.key) !== undefined;
    case 'principal':
      return principalHolds(atom, env.caller);
    case 'exempt':
      return exemptHolds(atom, env.caller);
    case 'cmp': {
      const values = subjectValues(atom.subject, env);
      if (atom.family === 'num') {
        const d = parseDecimal(atom.value.value)!;
        return values.some((r) => {
          const x = parseDecimal(r);
          return x !== undefined && ordered(compareDecimal(x, d), atom.op);
        });
      }
      const d = parseDate(atom.value.value)!;
      return values.some((r) => {
        const x = parseDate(r);
        return x !== undefined && ordered(compareDecimal(x, d), atom.op);
      });
    }
    case 'cidr': {
      const ranges = atom.members.map((m) => parseCidr(m.value)!);
      return subjectValues(atom.subject, env).some((r) => {
        const ip = parseIp(r);
        return ip !== undefined && ranges.some((c) => cidrContains(c, ip));
      });
    }
    case 'match': {
      const values = subjectValues(atom.subject, env);
      return atom.members.some((m) => {
        const sub = substituteVariables(m.value, env.get, atom.vars && env.variablesActive);
        if (!sub.ok) return false; // a variable without a single value: the pattern matches nothing
        return values.some((r) => {
          switch (atom.mode) {
            case 'action':
              return globMatches(m.value, r, { caseInsensitive: true });
            case 'arn':
              return arnMatches(sub.parts, r);
            case 'glob':
              return globMatches(sub.parts, r);
            case 'eq':
              return r === sub.text;
            case 'eq-ci':
              return r.toLowerCase() === sub.text.toLowerCase();
            case 'bool':
              return r.toLowerCase() === m.value.toLowerCase();
          }
        });
      });
    }
  }
}

function holds(t: Term, env: Env): boolean {
  switch (t.t) {
    case 'const':
      return t.v;
    case 'atom':
      return atomHolds(t.atom, env);
    case 'not':
      return !holds(t.x, env);
    case 'and':
      return t.xs.every((x) => holds(x, env));
    case 'or':
      return t.xs.some((x) => holds(x, env));
    case 'implies':
      return !holds(t.a, env) || holds(t.b, env);
    case 'exists':
    case 'forall': {
      const values = env.get(t.key) ?? [];
      const each = (v: string) => holds(t.body, { ...env, bound: v });
      return t.t === 'exists' ? values.some(each) : values.every(each);
    }
    case 'ref': {
      const v = env.refs.get(t.name);
      if (v === undefined) throw new Error(`unknown statement ${t.name}`);
      return v;
    }
    case 'error':
      throw new InterpretError(t.code, t.message);
  }
}

export interface Interpretation {
  allowed: boolean;
  /** the truth value of each statement's formula, by statement index */
  statements: { index: number; name: string; value: boolean }[];
}

/** Decides a request by the teaching formula. Throws InterpretError where the evaluator refuses. */
export function interpretPolicy(policy: Policy, request: Request, opts: BuildOptions = {}): Interpretation {
  const terms = policyTerms(policy, opts);
  const first = terms.issues[0];
  if (first) throw new InterpretError(first.code, first.message);
  const env: Env = {
    request,
    ...contextOf(request),
    variablesActive: policy.variablesActive,
    refs: new Map(),
  };
  const statements = terms.statements.map((s) => {
    const value = holds(s.term, env);
    env.refs.set(s.name, value);
    return { index: s.statement.index, name: s.name, value };
  });
  return { allowed: holds(terms.allowed, env), statements };
}
