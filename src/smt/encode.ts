/**
 * Policy -> formula. The request is split into dimensions (action, resource, principal, and one or
 * more value slots per condition key). Every glob/ARN/CIDR test becomes a membership ATOM of one
 * dimension: a Boolean variable whose meaning is `value(dim) ∈ regex`. The solver treats atoms as
 * plain Booleans and checks each dimension's literals lazily with ONE regex membership (see
 * solve.ts), because Z3 5.x decides a single membership in milliseconds but a Boolean mix of
 * memberships on one string in seconds (measured: 6 ms vs 1-4.5 s).
 *
 * Numbers and dates are native Z3 reals. Multi-valued keys are modelled as a bounded number of
 * element slots, enough for every ForAnyValue witness and ForAllValues violation the formula needs.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { ConditionClause, Policy, Statement } from '../policy/model.ts';
import { CONDITION_OPERATORS, positiveOperator } from '../policy/operators.ts';
import {
  ALL,
  and as reAnd,
  arnTokensRe,
  cat,
  compileMatcher,
  globTokens,
  or as reOr,
  star,
  str,
  toSmt,
  tokensToRe,
  type GlobToken,
  type Re,
} from './regex.ts';
import { FALSE, TRUE, arith, bvar, fand, fimplies, fnot, forr, type Formula } from './formula.ts';
import { isAccountPrincipalKey, isCallerKey, principalName, type CallerKey } from '../evaluate/caller.ts';
import {
  ACCOUNT_PRINCIPAL,
  ANY_CALLER,
  accountView,
  callerKeyPresence,
  callerKeyView,
  namedRe,
  notPrincipalExemptRe,
  principalRe,
} from './caller.ts';
import { parseCidr, parseDate, parseDecimal } from './values.ts';

export type DimKind = 'action' | 'resource' | 'principal' | 'string' | 'ip';

export interface Dim {
  name: string;
  kind: DimKind;
  base: Re;
  atoms: Atom[];
  /** condition key (lower case) for context dims */
  key?: string;
  element?: number;
}

/** A pattern piece: literal glob tokens or a policy variable. */
export type PatternPiece = { t: 'tokens'; tokens: GlobToken[] } | { t: 'var'; key: string; dflt?: string };

export type MatchMode = 'glob' | 'arn' | 'literal' | 'literal-ci' | 'raw';

/**
 * What a value pattern tests on its dimension: `build` turns the pattern's tokens into the regex of
 * the value itself; a view maps that onto the dimension (identity for a key's own dimension, a
 * piece of the caller code for the keys the caller brings).
 */
export type View = (tokens: GlobToken[], build: (tokens: GlobToken[]) => Re) => Re;
const OWN: View = (tokens, build) => build(tokens);

export interface Atom {
  id: number;
  name: string;
  dim: Dim;
  /** ground regex (no policy variables) */
  re?: Re;
  test?: (s: string) => boolean;
  /**
   * variable-bearing pattern: the regex is known once the variables' values are. `readsKey` names
   * the key whose value the pattern tests when the atom lives on another dimension (the caller's
   * keys and kms:CallerAccount, on the principal dimension).
   */
  pattern?: { pieces: PatternPiece[]; mode: MatchMode; view: View; readsKey?: string };
  varKeys: string[];
  label: string;
  /** action atoms: the patterns (lower case) whose union the atom tests */
  actionPatterns?: string[];
  /**
   * a ground test of the principal dimension on a key the caller brings (or kms:CallerAccount):
   * the atom holds when the caller has the key and its value is in `re`
   */
  reads?: { key: string; re: Re };
}

export const PRINCIPAL_ACCOUNT = 'aws:principalaccount';
export const PRINCIPAL_ARN = 'aws:principalarn';

const DIGIT: Re = { k: 'range', lo: '0', hi: '9' };
/** Every action the solver considers (semantics-decisions.md); the catalog has a name with a `-`. */
const ACTION_SHAPE: Re = (() => {
  const ch = reOr({ k: 'range', lo: 'a', hi: 'z' }, DIGIT, str('-'), str('_'));
  return cat(ch, star(ch), str(':'), ch, star(ch));
})();
const BIT = reOr(str('0'), str('1'));
const IP_SHAPE: Re = reOr(
  cat(str('4:'), { k: 'loop', r: BIT, n: 32 }),
  cat(str('6:'), { k: 'loop', r: BIT, n: 128 }),
  str('x:'),
);

export class EncodingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statementIndex?: number,
  ) {
    super(message);
  }
}

/** One value slot of a key: the single value, or one element of a multi-valued key. */
interface Slot {
  key: string;
  element?: number;
  used: Formula; // TRUE for single-valued keys (presence handled separately)
  strDim?: Dim;
  ipDim?: Dim;
  num?: string; // Real constant name
  nan?: string; // Bool: the value is not a number/date
}

export interface KeyInfo {
  key: string;
  display: string;
  multi: boolean;
  presence: Formula;
  /** single-valued: one slot; multi: element slots (materialised in `finish`) */
  slots: Slot[];
  /** per-element predicates used under ForAnyValue/ForAllValues, materialised in `finish` */
  setPreds: { name: string; kind: 'any' | 'all'; pred: (s: Slot) => Formula }[];
  views: Set<'str' | 'ip' | 'num'>;
  /** compared with Date operators: decode numbers as instants */
  date?: boolean;
}

export interface PolicyEncoding {
  document: string;
  allowed: Formula;
  allows: { index: number; f: Formula }[];
  denies: { index: number; f: Formula }[];
}

export interface EncoderOptions {
  identity: boolean;
}

/** Builds atoms and formulas for all policies of one query (they share dimensions and atoms). */
export class Encoder {
  readonly dims = new Map<string, Dim>();
  readonly atoms: Atom[] = [];
  private atomByKey = new Map<string, Atom>();
  readonly keys = new Map<string, KeyInfo>();
  readonly axioms: Formula[] = [];
  readonly realVars = new Set<string>();
  readonly boolVars = new Set<string>();
  /** true when the encoding over-approximates (a key used with several value types) */
  approximate = false;
  approximations: string[] = [];
  private finished = false;
  private setKeys = new Set<string>();

  constructor(
    readonly catalog: Catalog,
    readonly opts: EncoderOptions,
  ) {
    this.dim('action', 'action', ACTION_SHAPE);
    this.dim('resource', 'resource', ALL);
    // An identity policy's caller is a principal of an account; a resource policy's may be anyone.
    this.dim('principal', 'principal', opts.identity ? ACCOUNT_PRINCIPAL : ANY_CALLER);
  }

  dim(name: string, kind: DimKind, base: Re, key?: string, element?: number): Dim {
    let d = this.dims.get(name);
    if (!d) {
      d = { name, kind, base, atoms: [] };
      if (key !== undefined) d.key = key;
      if (element !== undefined) d.element = element;
      this.dims.set(name, d);
    }
    return d;
  }

  /** A ground membership atom (deduplicated by dimension and regex). */
  atom(dim: Dim, re: Re, label: string): Formula {
    if (re.k === 'all') return TRUE;
    if (re.k === 'none') return FALSE;
    const smt = toSmt(re);
    const k = `${dim.name}|${smt}`;
    let a = this.atomByKey.get(k);
    if (!a) {
      a = { id: this.atoms.length, name: `m${this.atoms.length}`, dim, re, varKeys: [], label };
      this.atoms.push(a);
      dim.atoms.push(a);
      this.atomByKey.set(k, a);
    }
    return bvar(a.name);
  }

  private varAtom(
    dim: Dim,
    pieces: PatternPiece[],
    mode: MatchMode,
    view: View,
    label: string,
    readsKey?: string,
  ): Formula {
    const varKeys = pieces.flatMap((p) => (p.t === 'var' ? [p.key] : []));
    const probe = toSmt(view([{ t: 'lit', s: '\u0000' }], (t) => modeRe(t, mode)));
    const k = `${dim.name}|var|${mode}|${JSON.stringify(pieces)}|${probe}|${readsKey ?? ''}`;
    let a = this.atomByKey.get(k);
    if (!a) {
      a = {
        id: this.atoms.length,
        name: `m${this.atoms.length}`,
        dim,
        pattern: readsKey === undefined ? { pieces, mode, view } : { pieces, mode, view, readsKey },
        varKeys,
        label,
      };
      this.atoms.push(a);
      dim.atoms.push(a);
      this.atomByKey.set(k, a);
      // A variable whose key is absent makes the pattern match nothing (semantics-decisions.md),
      // unless it has a default.
      for (const p of pieces)
        if (p.t === 'var' && p.dflt === undefined)
          this.axioms.push(fimplies(bvar(a.name), this.presence(p.key)));
      // A context key a variable reads has a dimension of its own, even when no condition tests
      // it: the solver decides its value there (smt/variables.ts) and the request shows it.
      for (const key of varKeys)
        if (!isCallerKey(key) && key !== 'kms:calleraccount') {
          const info = this.keyInfo(key);
          if (info.multi) continue;
          this.view(info, 'str');
          this.strDim(info.slots[0]!);
        }
    }
    return bvar(a.name);
  }

  /** The test a pattern makes on a dimension, with policy variables when active. */
  patternAtom(
    dim: Dim,
    text: string,
    mode: MatchMode,
    variablesActive: boolean,
    view: View = OWN,
    readsKey?: string,
  ): Formula {
    const pieces = splitVariables(text, variablesActive && mode !== 'raw');
    if (pieces.every((p) => p.t === 'tokens')) {
      const tokens = pieces.flatMap((p) => (p.t === 'tokens' ? p.tokens : []));
      const f = this.atom(
        dim,
        view(tokens, (t) => modeRe(t, mode)),
        text,
      );
      if (readsKey !== undefined && f.k === 'var')
        this.atoms[Number(f.name.slice(1))]!.reads ??= { key: readsKey, re: modeRe(tokens, mode) };
      return f;
    }
    return this.varAtom(dim, pieces, mode, view, text, readsKey);
  }

  // -------------------------------------------------------------------------------------------
  // keys

  keyInfo(keyText: string): KeyInfo {
    const key = keyText.toLowerCase();
    let info = this.keys.get(key);
    if (!info) {
      const known = this.catalog.conditionKey(key);
      // A key the catalog does not know is multi-valued when a policy uses a set operator on it.
      const multi = known ? known.type.startsWith('ArrayOf') : this.setKeys.has(key);
      info = { key, display: keyText, multi, presence: FALSE, slots: [], setPreds: [], views: new Set() };
      if (isCallerKey(key)) {
        // The caller decides whether the request has the key (evaluate/caller.ts).
        info.presence = this.atom(
          this.dims.get('principal')!,
          callerKeyPresence(key),
          `callers with ${keyText}`,
        );
        info.multi = false;
      } else if (multi) {
        info.presence = TRUE; // replaced in finish(): some element is used
      } else {
        const p = `p_${this.keys.size}`;
        this.boolVars.add(p);
        info.presence = bvar(p);
      }
      this.keys.set(key, info);
      if (!info.multi) info.slots.push(this.makeSlot(info, undefined));
      if (isAccountPrincipalKey(key))
        // Only a principal of an account brings organization, tag and KMS caller keys.
        this.axioms.push(
          fimplies(
            this.presence(keyText),
            this.atom(this.dims.get('principal')!, ACCOUNT_PRINCIPAL, 'caller is a principal of an account'),
          ),
        );
    }
    return info;
  }

  private makeSlot(info: KeyInfo, element: number | undefined): Slot {
    const idx = [...this.keys.keys()].indexOf(info.key);
    const suffix = element === undefined ? `${idx}` : `${idx}_${element}`;
    const slot: Slot = { key: info.key, used: TRUE };
    if (element !== undefined) {
      slot.element = element;
      const u = `u_${suffix}`;
      this.boolVars.add(u);
      slot.used = bvar(u);
    }
    return slot;
  }

  presence(keyText: string): Formula {
    const info = this.keyInfo(keyText);
    if (info.multi) {
      // presence of a multi-valued key is materialised later; use a stable variable now
      const name = `pm_${[...this.keys.keys()].indexOf(info.key)}`;
      this.boolVars.add(name);
      return bvar(name);
    }
    return info.presence;
  }

  private strDim(slot: Slot): Dim {
    if (!slot.strDim) {
      const name = `ctx:${slot.key}${slot.element === undefined ? '' : `#${slot.element}`}`;
      slot.strDim = this.dim(name, 'string', ALL, slot.key, slot.element);
    }
    return slot.strDim;
  }
  private ipDim(slot: Slot): Dim {
    if (!slot.ipDim) {
      const name = `ip:${slot.key}${slot.element === undefined ? '' : `#${slot.element}`}`;
      slot.ipDim = this.dim(name, 'ip', IP_SHAPE, slot.key, slot.element);
    }
    return slot.ipDim;
  }
  private numVar(slot: Slot): { num: string; nan: string } {
    if (!slot.num) {
      const idx = [...this.keys.keys()].indexOf(slot.key);
      const suffix = slot.element === undefined ? `${idx}` : `${idx}_${slot.element}`;
      slot.num = `n_${suffix}`;
      slot.nan = `nan_${suffix}`;
      this.realVars.add(slot.num);
      this.boolVars.add(slot.nan);
    }
    return { num: slot.num, nan: slot.nan! };
  }

  /** Call with every policy of the query before encoding any of them. */
  prepare(policies: Policy[]): void {
    for (const p of policies)
      for (const st of p.statements)
        for (const c of st.conditions) if (c.operator.qualifier) this.setKeys.add(c.key.toLowerCase());
  }

  // -------------------------------------------------------------------------------------------
  // statements

  policy(policy: Policy, document: string): PolicyEncoding {
    const allows: { index: number; f: Formula }[] = [];
    const denies: { index: number; f: Formula }[] = [];
    for (const st of policy.statements) {
      const f = this.statement(st, policy.variablesActive);
      (st.effect === 'Allow' ? allows : denies).push({ index: st.index, f });
    }
    const allowed = fand(forr(...allows.map((a) => a.f)), fnot(forr(...denies.map((d) => d.f))));
    return { document, allowed, allows, denies };
  }

  statement(st: Statement, vars: boolean): Formula {
    return fand(
      this.principalPart(st),
      this.actionPart(st),
      this.resourcePart(st, vars),
      ...st.conditions.map((c) => this.condition(c, vars, st.index)),
    );
  }

  actionRe(patterns: string[]): Re {
    return reOr(...patterns.map((p) => tokensToRe(globTokens(p.toLowerCase()))));
  }

  actionPart(st: Statement): Formula {
    const a = this.actionsAtom(st.action.patterns.map((p) => p.value));
    return st.action.negated ? fnot(a) : a;
  }

  /** The test `action ∈ patterns` (a statement's Action list, or the critical actions of a check). */
  actionsAtom(patterns: string[]): Formula {
    const f = this.atom(this.dims.get('action')!, this.actionRe(patterns), patterns.join(', '));
    if (f.k === 'var') {
      const a = this.atoms[Number(f.name.slice(1))]!;
      a.actionPatterns ??= [...new Set(patterns.map((p) => p.toLowerCase()))];
    }
    return f;
  }

  resourcesAtom(patterns: string[], vars = false): Formula {
    const d = this.dims.get('resource')!;
    return forr(...patterns.map((p) => this.patternAtom(d, p, 'arn', vars)));
  }

  resourcePart(st: Statement, vars: boolean): Formula {
    if (!st.resource) return TRUE;
    const f = this.resourcesAtom(
      st.resource.patterns.map((p) => p.value),
      vars,
    );
    return st.resource.negated ? fnot(f) : f;
  }

  /** The callers one Principal value names (an account names all its principals). */
  principalValueRe(type: string, value: string): Re {
    return namedRe(principalName(type, value));
  }

  principalPart(st: Statement): Formula {
    if (!st.principal) return TRUE;
    const spec = st.principal.spec;
    const d = this.dims.get('principal')!;
    const labels =
      spec.kind === 'any'
        ? '*'
        : spec.entries.flatMap((e) => e.values.map((v) => `${e.type}:${v.value}`)).join(', ');
    // NotPrincipal applies to every caller it does not exempt (evaluate/caller.ts IDENTITY_CHAIN).
    if (st.principal.negated)
      return fnot(this.atom(d, notPrincipalExemptRe(spec), `exempt by NotPrincipal ${labels}`));
    return this.atom(d, principalRe(spec), labels);
  }

  condition(c: ConditionClause, vars: boolean, statementIndex: number): Formula {
    const op = c.operator;
    if (op.base === 'Null') {
      if (op.qualifier || op.ifExists)
        throw new EncodingError(
          'INVALID_OPERATOR',
          `Statement ${statementIndex}: ${op.text} is not a valid operator.`,
          statementIndex,
        );
      const present = this.presence(c.key);
      const parts = c.values.map((v) => {
        const t = v.value.toLowerCase();
        if (t !== 'true' && t !== 'false')
          throw new EncodingError(
            'INVALID_VALUE',
            `Statement ${statementIndex}: Null takes "true" or "false", found "${v.value}".`,
            statementIndex,
          );
        return t === 'true' ? fnot(present) : present;
      });
      return forr(...parts);
    }
    if (op.text.includes(':') && !op.qualifier)
      throw new EncodingError(
        'INVALID_OPERATOR',
        `Statement ${statementIndex}: unknown condition operator "${op.text}".`,
        statementIndex,
      );
    const negatedOf = positiveOperator(op.base);
    const positiveBase = negatedOf ?? op.base;
    if (!negatedOf && !CONDITION_OPERATORS[op.base])
      throw new EncodingError(
        'INVALID_OPERATOR',
        `Statement ${statementIndex}: unknown condition operator "${op.text}".`,
        statementIndex,
      );
    const negated = negatedOf !== undefined;
    const info = this.keyInfo(c.key);
    // Per-value test, positive form; negated operators negate it (the value matches none of the values).
    const valueTest = (slot: Slot): Formula => {
      const pos = forr(
        ...c.values.map((v) => this.valueAtom(info, slot, positiveBase, v.value, vars, statementIndex)),
      );
      return negated ? fnot(pos) : pos;
    };
    const present = this.presence(c.key);
    if (op.qualifier || info.multi) {
      const kind = op.qualifier === 'ForAllValues' ? 'all' : 'any';
      if (!info.multi) {
        // A set operator on a single-valued key: the single value is a one-element set.
        const single = info.slots[0]!;
        const t = valueTest(single);
        const f = kind === 'any' ? fand(present, t) : fimplies(present, t);
        return op.ifExists ? fimplies(present, f) : f;
      }
      const name = `q_${this.boolVars.size}`;
      this.boolVars.add(name);
      info.setPreds.push({ name, kind, pred: valueTest });
      const f = bvar(name);
      // Without a qualifier a negated operator on a missing key is true (semantics-decisions.md).
      const absentIsTrue = op.ifExists || (!op.qualifier && negated);
      return absentIsTrue ? fimplies(present, f) : f;
    }
    const slot = info.slots[0]!;
    const t = valueTest(slot);
    if (op.ifExists) return fimplies(present, t);
    return negated ? fimplies(present, t) : fand(present, t);
  }

  private valueAtom(
    info: KeyInfo,
    slot: Slot,
    base: string,
    value: string,
    vars: boolean,
    statementIndex: number,
  ): Formula {
    const bad = (what: string) =>
      new EncodingError(
        'INVALID_VALUE',
        `Statement ${statementIndex}: ${base} on ${info.display} needs ${what}, found "${value}".`,
        statementIndex,
      );
    if (base.startsWith('Numeric') || base.startsWith('Date')) {
      const n = base.startsWith('Numeric') ? parseDecimal(value) : parseDate(value);
      if (n === undefined) throw bad(base.startsWith('Numeric') ? 'a number' : 'a date');
      this.view(info, 'num');
      if (base.startsWith('Date')) info.date = true;
      const { num, nan } = this.numVar(slot);
      const rel = base.replace(/^(Numeric|Date)/, '');
      const opSym = {
        Equals: '=',
        LessThan: '<',
        LessThanEquals: '<=',
        GreaterThan: '>',
        GreaterThanEquals: '>=',
      }[rel];
      if (!opSym) throw bad('a known comparison');
      return fand(fnot(bvar(nan)), arith(`(${opSym} ${num} ${n.smt})`, [num]));
    }
    if (base === 'IpAddress') {
      if (!parseCidr(value)) throw bad('an IPv4 or IPv6 address or CIDR range');
      this.view(info, 'ip');
      return this.ipRangeAtom(this.ipDim(slot), value);
    }
    this.view(info, 'str');
    let mode: MatchMode;
    switch (base) {
      case 'StringEquals':
      case 'BinaryEquals':
        mode = 'literal';
        break;
      case 'StringEqualsIgnoreCase':
        mode = 'literal-ci';
        break;
      case 'Bool':
        mode = 'literal-ci';
        break;
      case 'StringLike':
        mode = 'glob';
        break;
      case 'ArnEquals':
      case 'ArnLike':
        mode = 'arn';
        break;
      default:
        throw bad('a supported operator');
    }
    const useVars = vars && base !== 'Bool' && base !== 'BinaryEquals';
    const principal = this.dims.get('principal')!;
    const key = info.key;
    if (isCallerKey(key)) {
      const how = mode === 'arn' ? 'arn' : mode === 'glob' ? 'glob' : 'literal';
      return this.patternAtom(
        principal,
        value,
        mode,
        useVars,
        (tokens, build) => callerKeyView(key, tokens, build, how),
        key,
      );
    }
    if (key === 'kms:calleraccount')
      // Always the caller's own account (evaluate/caller.ts): a view of the caller, not a free value.
      return this.patternAtom(
        principal,
        value,
        mode === 'arn' ? 'glob' : mode,
        useVars,
        (tokens, build) => accountView(build(tokens)),
        key,
      );
    return this.patternAtom(this.strDim(slot), value, mode, useVars);
  }

  /**
   * The request's values of a key avoid every pattern (StringLike; a /0 range avoids nothing): true
   * when the key is absent, and for a multi-valued key when no element matches. For a key the caller
   * brings the test is on the caller itself. Call before finish().
   */
  avoidsValues(keyText: string, patterns: string[]): Formula {
    const info = this.keyInfo(keyText);
    const key = info.key;
    if (isCallerKey(key)) {
      const principal = this.dims.get('principal')!;
      return fnot(
        forr(
          ...patterns.map((v) =>
            this.patternAtom(principal, v, 'glob', false, (tokens, build) =>
              callerKeyView(key, tokens, build, 'glob'),
            ),
          ),
        ),
      );
    }
    const hits = (slot: Slot): Formula =>
      forr(
        ...patterns.map((v) => {
          if (key !== 'aws:sourceip') return this.patternAtom(this.strDim(slot), v, 'glob', false);
          const m = /\/(\d+)$/.exec(v);
          return m && Number(m[1]) === 0 ? FALSE : this.ipRangeAtom(this.ipDim(slot), v);
        }),
      );
    this.view(info, key === 'aws:sourceip' ? 'ip' : 'str');
    if (info.multi) {
      const name = `q_${this.boolVars.size}`;
      this.boolVars.add(name);
      info.setPreds.push({ name, kind: 'all', pred: (slot) => fnot(hits(slot)) });
      return bvar(name);
    }
    return fnot(fand(info.presence, hits(info.slots[0]!)));
  }

  /** `address ∈ CIDR` on an IP dimension (addresses are bit strings: a range is a prefix). */
  ipRangeAtom(d: Dim, cidrText: string): Formula {
    const cidr = parseCidr(cidrText);
    if (!cidr) return FALSE;
    const bits = cidr.bits.slice(0, cidr.prefix);
    const rest = (cidr.v === 4 ? 32 : 128) - cidr.prefix;
    const re = cat(
      str(`${cidr.v}:${bits}`),
      rest > 0 ? { k: 'loop', r: reOr(str('0'), str('1')), n: rest } : str(''),
    );
    return this.atom(d, re, `in ${cidrText}`);
  }

  private view(info: KeyInfo, v: 'str' | 'ip' | 'num'): void {
    info.views.add(v);
    if (info.views.size > 1 && !this.approximations.includes(info.display)) {
      // The views are not linked: more freedom than real requests have, so UNSAT stays sound and a
      // model is confirmed by the concrete evaluator before it is believed.
      this.approximate = true;
      this.approximations.push(info.display);
    }
  }

  /** Materialises multi-valued keys: element slots, their presence and the set predicates. */
  finish(): Formula {
    if (this.finished) throw new Error('finish() called twice');
    this.finished = true;
    const out: Formula[] = [...this.axioms];
    this.keys.forEach((info, key) => {
      if (!info.multi) return;
      const idx = [...this.keys.keys()].indexOf(key);
      const n = Math.min(info.setPreds.length + 1, 6);
      for (let i = 0; i < n; i++) info.slots.push(this.makeSlot(info, i));
      const anyUsed = forr(...info.slots.map((s) => s.used));
      const pm = `pm_${idx}`;
      this.boolVars.add(pm);
      out.push(fand(fimplies(bvar(pm), anyUsed), fimplies(anyUsed, bvar(pm))));
      info.presence = bvar(pm);
      for (const sp of info.setPreds) {
        const def =
          sp.kind === 'any'
            ? forr(...info.slots.map((s) => fand(s.used, sp.pred(s))))
            : fand(...info.slots.map((s) => fimplies(s.used, sp.pred(s))));
        out.push(fand(fimplies(bvar(sp.name), def), fimplies(def, bvar(sp.name))));
      }
      if (info.setPreds.length + 1 > 6) {
        this.approximate = true;
        this.approximations.push(`${info.display} (element bound)`);
      }
    });
    return fand(...out);
  }

  /** Compiles JS matchers for ground atoms (used by witness heuristics and catalog signatures). */
  matcher(a: Atom): (s: string) => boolean {
    if (!a.test) {
      if (!a.re) throw new Error('variable atom has no ground matcher');
      a.test = compileMatcher(a.re);
    }
    return a.test;
  }
}

export function modeRe(tokens: GlobToken[], mode: MatchMode): Re {
  switch (mode) {
    case 'arn':
      return arnTokensRe(tokens);
    case 'glob':
      return tokensToRe(tokens);
    case 'literal':
    case 'raw':
      return str(tokens.map((t) => (t.t === 'lit' ? t.s : t.t === 'star' ? '*' : '?')).join(''));
    case 'literal-ci':
      return tokensToRe(
        tokens.map((t) => ({ t: 'lit', s: t.t === 'lit' ? t.s : t.t === 'star' ? '*' : '?' })),
        { caseInsensitive: true },
      );
  }
}

/**
 * Splits text into glob tokens and `${key}` variables. `${*}`, `${?}`, `${$}` are literal characters.
 * With variables inactive the text is taken as written.
 */
function splitVariables(text: string, active: boolean): PatternPiece[] {
  if (!active || !text.includes('${')) return [{ t: 'tokens', tokens: globTokens(text) }];
  const pieces: PatternPiece[] = [];
  let tokens: GlobToken[] = [];
  const pushLit = (s: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.t === 'lit') tokens[tokens.length - 1] = { t: 'lit', s: last.s + s };
    else tokens.push({ t: 'lit', s });
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close > 0) {
        const inner = text.slice(i + 2, close).trim();
        i = close + 1;
        if (inner === '*' || inner === '?' || inner === '$') {
          pushLit(inner);
          continue;
        }
        const m = /^([^,]+?)\s*(?:,\s*'([^']*)')?$/.exec(inner);
        if (tokens.length) pieces.push({ t: 'tokens', tokens });
        tokens = [];
        const v: PatternPiece = { t: 'var', key: (m?.[1] ?? inner).toLowerCase() };
        if (m?.[2] !== undefined) v.dflt = m[2];
        pieces.push(v);
        continue;
      }
    }
    const ch = text[i]!;
    if (ch === '*') tokens.push({ t: 'star' });
    else if (ch === '?') tokens.push({ t: 'one' });
    else pushLit(ch);
    i++;
  }
  if (tokens.length) pieces.push({ t: 'tokens', tokens });
  return pieces;
}

/** A key that holds several values: a variable over it has no value, and no default applies. */
export const SEVERAL_VALUES = Symbol('several values');

/**
 * The ground regex of a variable-bearing atom once its variables have values (`values` answers
 * undefined for an absent key); undefined when a variable has no value (the pattern matches nothing).
 */
export function instantiate(
  a: Atom,
  values: (key: string) => string | undefined | typeof SEVERAL_VALUES,
): Re | undefined {
  if (!a.pattern) return a.re;
  const tokens: GlobToken[] = [];
  for (const p of a.pattern.pieces) {
    if (p.t === 'tokens') tokens.push(...p.tokens);
    else {
      const value = values(p.key);
      if (value === SEVERAL_VALUES) return undefined;
      const v = value ?? p.dflt;
      if (v === undefined) return undefined;
      tokens.push({ t: 'lit', s: v });
    }
  }
  // Merge adjacent literals so ARN splitting sees whole segments.
  const merged: GlobToken[] = [];
  for (const t of tokens) {
    const last = merged[merged.length - 1];
    if (t.t === 'lit' && last?.t === 'lit') merged[merged.length - 1] = { t: 'lit', s: last.s + t.s };
    else merged.push(t);
  }
  const mode = a.pattern.mode;
  return a.pattern.view(merged, (t) => modeRe(t, mode));
}

/** Values a variable's key can take, when known to be regular (`plain`: never empty, never a ':'). */
export type Domain = (key: string) => { re: Re; plain: boolean } | undefined;

/**
 * Over-approximation of a variable atom: every variable may be any text. In an ARN pattern whose
 * first five colons are all written before the first variable, a value lands in the resource part
 * whatever it is, so the partition keeps its segments; a variable earlier than that may bring colons
 * of its own (shifting the segments), and only a plain glob covers every value.
 *
 * With `domain` (the values of the caller's keys: an account is twelve digits), a variable whose
 * key has one stands for its domain instead (or its default), where that is exact: a pattern on its
 * own dimension, not compared ignoring case, in an ARN only a plain domain before the fifth colon.
 */
export function overApproximate(a: Atom, domain?: Domain): Re {
  if (!a.pattern) return a.re!;
  const tight = domain && tightOverApproximation(a, domain);
  if (tight) return tight;
  const tokens: GlobToken[] = [];
  let colonsBeforeVariable = 0;
  let seenVariable = false;
  for (const p of a.pattern.pieces) {
    if (p.t === 'tokens') {
      tokens.push(...p.tokens);
      if (!seenVariable)
        for (const t of p.tokens) if (t.t === 'lit') colonsBeforeVariable += t.s.split(':').length - 1;
    } else {
      tokens.push({ t: 'star' });
      seenVariable = true;
    }
  }
  const mode = a.pattern.mode;
  const build = (t: GlobToken[]): Re =>
    mode === 'literal' || mode === 'literal-ci'
      ? tokensToRe(t, { caseInsensitive: mode === 'literal-ci' })
      : mode === 'arn'
        ? colonsBeforeVariable >= 5
          ? arnTokensRe(t)
          : tokensToRe(t)
        : modeRe(t, mode);
  const over = a.pattern.view(tokens, build);
  // On the principal, a variable over a key the caller brings (without default) also says the
  // caller has that key (the atom implies its presence: varAtom's axiom).
  if (a.dim.kind !== 'principal') return over;
  const keys = a.pattern.pieces.flatMap((p) =>
    p.t === 'var' && p.dflt === undefined && isCallerKey(p.key) ? [p.key] : [],
  );
  return keys.length ? reAnd(over, ...keys.map((k) => callerKeyPresence(k as CallerKey))) : over;
}

/** Placeholder characters for the variables while a pattern's regex is built (then substituted). */
const HOLE = 0xe000;

function tightOverApproximation(a: Atom, domain: Domain): Re | undefined {
  const pat = a.pattern!;
  if (pat.readsKey !== undefined || pat.mode === 'literal-ci') return undefined;
  const domains: Re[] = [];
  const tokens: GlobToken[] = [];
  let colons = 0;
  for (const p of pat.pieces) {
    if (p.t === 'tokens') {
      tokens.push(...p.tokens);
      for (const t of p.tokens) if (t.t === 'lit') colons += t.s.split(':').length - 1;
      continue;
    }
    const d = domain(p.key);
    if (!d) return undefined;
    const plain = d.plain && (p.dflt === undefined || /^[^:]+$/.test(p.dflt));
    if (pat.mode === 'arn' && colons < 5 && !plain) return undefined;
    tokens.push({ t: 'lit', s: String.fromCharCode(HOLE + domains.length) });
    domains.push(p.dflt === undefined ? d.re : reOr(d.re, str(p.dflt)));
  }
  const merged: GlobToken[] = [];
  for (const t of tokens) {
    const last = merged[merged.length - 1];
    if (t.t === 'lit' && last?.t === 'lit') merged[merged.length - 1] = { t: 'lit', s: last.s + t.s };
    else merged.push(t);
  }
  return fillHoles(
    pat.view(merged, (t) => modeRe(t, pat.mode)),
    domains,
  );
}

/** Replaces the placeholder characters in a regex's literal pieces by the regexes they stand for. */
function fillHoles(r: Re, fills: Re[]): Re {
  switch (r.k) {
    case 'str': {
      const parts: Re[] = [];
      let lit = '';
      for (const ch of r.s) {
        const h = ch.charCodeAt(0) - HOLE;
        if (h >= 0 && h < fills.length) {
          parts.push(str(lit), fills[h]!);
          lit = '';
        } else lit += ch;
      }
      return parts.length ? cat(...parts, str(lit)) : r;
    }
    case 'cat':
      return cat(...r.rs.map((x) => fillHoles(x, fills)));
    case 'or':
      return reOr(...r.rs.map((x) => fillHoles(x, fills)));
    case 'and':
      return { k: 'and', rs: r.rs.map((x) => fillHoles(x, fills)) };
    case 'not':
      return { k: 'not', r: fillHoles(r.r, fills) };
    case 'star':
      return star(fillHoles(r.r, fills));
    case 'loop':
      return { k: 'loop', r: fillHoles(r.r, fills), n: r.n };
    default:
      return r;
  }
}
