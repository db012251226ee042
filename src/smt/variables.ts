/**
 * Policy variables decided for every value at once (docs/semantics-decisions.md, "Policy variables").
 *
 * A variable is the value of its key: one value, shared by every place the variable appears (every
 * atom on every dimension, in every policy of the query). The lazy solver (solve.ts) first tries the
 * values its dimensions already chose, then a few others; when those fail, the failure may still be
 * the values' fault, so every dimension the variables connect is decided here together, by ONE Z3
 * query in the theory of strings (`jointQuery`):
 *  - each dimension is a String constant, its ground literals the usual `str.in_re` tests;
 *  - a context key's variable IS its dimension's string (the key's value);
 *  - the caller is its kind (`jk`) and the values of the keys it brings (kms:CallerAccount is its
 *    account): per kind, which keys it has, their domains (an account is twelve digits) and how its
 *    ARN holds its account and name; the principal's literals about those keys are kept on them,
 *    its other literals narrow the kind, and a model's values are then given to a real caller;
 *  - a pattern with variables is cut at them: positive, `s = a0 ++ V ++ a1` with `ai ∈ re(Ti)`;
 *    negative, a Boolean `jn_i` standing for the membership, made true at every split the query can
 *    name (`alignedInstances`: the positive patterns' splits of the same string) and at every split
 *    a model shows (`matchingSplit`, `splitInstances`), so a model is checked, and refined, against
 *    the real membership; a StringEquals pattern is an equality.
 * Leaving a constraint out only makes the query weaker, so an unsat answer holds for every value of
 * every variable: its core is a lemma, conditioned on what the query took from the skeleton's model
 * (the literals in the core, and the presence of the context keys whose variables they read).
 * Constraints Z3's string solver finds costly and that rarely matter (negated ground memberships,
 * value domains) are `deferred`: added only when a model breaks them.
 *
 * Not decided here (solve.ts sets such a model aside; UNKNOWN, with the reason, if nothing else is
 * found): a case-insensitive comparison (`StringEqualsIgnoreCase`) with a variable (no case folding
 * in Z3's strings). A variable before an ARN's fifth colon whose value may hold `:` (or be empty)
 * shifts the ARN's segments: the query then assumes it does not (the `restricted` assumption), which
 * keeps every model real, and an unsat answer that needs the assumption is no lemma.
 */
import {
  ACCOUNT_KINDS,
  CALLER_KEYS,
  CALLER_KINDS,
  PRINCIPAL_TYPE,
  type CallerKey,
  type CallerKind,
} from '../evaluate/caller.ts';
import { ACCOUNT_PRINCIPAL, CODE_PARTS, callerKeyPresence } from './caller.ts';
import { modeRe, type Atom, type Dim } from './encode.ts';
import { cat, compileMatcher, or, smtString, str, toSmt, type GlobToken, type Re } from './regex.ts';

export type Lit = { atom: Atom; value: boolean };

/** Where the value of a variable's key comes from, in the skeleton's current model. */
export type Source =
  | { k: 'absent' } // the key is absent: the default, or the pattern matches nothing
  | { k: 'several' } // the key holds several values: the pattern matches nothing
  | { k: 'dim'; dim: Dim } // a context key: its dimension's string
  | { k: 'caller' } // read from the principal (keys the caller brings, kms:CallerAccount)
  | { k: 'unsupported'; reason: string };

export interface JointQuery {
  /** declarations and assertions, to run inside (push) ... (pop) */
  script: string;
  /** the assumption literals: one per literal, then `printable` (and `restricted` when needed) */
  assumptions: string[];
  flagLit: Map<string, Lit>;
  /** assumption: every string printable (dropped to confirm an unsat answer) */
  printable: string;
  /** assumption: variables before an ARN's fifth colon hold no ':' and are not empty */
  restricted?: string;
  /** dimension name -> its String constant */
  consts: Map<string, string>;
  /**
   * key the caller brings -> its value's constant and presence (a Boolean term over the caller's
   * kind `jk`, an index in CALLER_KINDS; `kinds`: those that have the key)
   */
  callerValues: Map<string, { w: string; present: string; kinds: number[] }>;
  /** the caller's kind, when the query has one */
  kind?: string;
  /** the variable patterns in negative position, to check a model against */
  negatives: NegativeTest[];
  /**
   * Constraints left out until a model breaks them (checked on the model in JavaScript): ground
   * literals in negative position and the caller's value domains, which Z3's string solver finds
   * costly (a negated regex over a concatenation, a bounded loop) and which rarely matter. An
   * unsat answer without them holds with them.
   */
  deferred: Deferred[];
}

/**
 * A constraint added only when a model breaks it: `subject ∈ re` (or ∉ when !member), for a caller
 * of kind `kind` only when given (the index in CALLER_KINDS of the query's `jk`).
 */
interface Deferred {
  subject: string;
  re: Re;
  member: boolean;
  kind?: number;
  assertion: string;
}

/**
 * Instances of a negative test at a split found in a model: the texts between the terms are the
 * model's, the outer end is left open (a fresh constant, defined as the rest of the subject), once
 * from the left and once from the right: "if `t` starts with c0 T1 c1 … Tk and the rest is in Qk,
 * `t` is in the language" (and its mirror). Valid for every value; `fresh` names a new constant.
 */
export function splitInstances(
  n: NegativeTest,
  subject: string,
  values: string[],
  positions: number[],
  fresh: () => string,
): string[] {
  const k = n.terms.length;
  const texts: string[] = [];
  let from = 0;
  positions.forEach((at, j) => {
    texts.push(subject.slice(from, at));
    from = at + values[j]!.length;
  });
  texts.push(subject.slice(from));
  const cat = (parts: string[]): string => (parts.length === 1 ? parts[0]! : `(str.++ ${parts.join(' ')})`);
  const out: string[] = [];
  // From the left: c0 T1 … ck-1 Tk, then the rest.
  const left: string[] = [];
  for (let j = 0; j < k; j++) left.push(smtString(texts[j]!), n.terms[j]!);
  const x = fresh();
  out.push(
    `(declare-const ${x} String)`,
    `(assert (=> (str.prefixof ${cat(left)} ${n.subject}) (= ${n.subject} (str.++ ${left.join(' ')} ${x}))))`,
    `(assert (=> (and (str.prefixof ${cat(left)} ${n.subject}) (str.in_re ${x} ${toSmt(n.pieces[k]!)})) ${n.nl}))`,
  );
  // From the right: the rest, then T1 c1 … Tk ck.
  const right: string[] = [];
  for (let j = 0; j < k; j++) right.push(n.terms[j]!, smtString(texts[j + 1]!));
  const y = fresh();
  out.push(
    `(declare-const ${y} String)`,
    `(assert (=> (str.suffixof ${cat(right)} ${n.subject}) (= ${n.subject} (str.++ ${y} ${right.join(' ')}))))`,
    `(assert (=> (and (str.suffixof ${cat(right)} ${n.subject}) (str.in_re ${y} ${toSmt(n.pieces[0]!)})) ${n.nl}))`,
  );
  return out;
}

/**
 * Split positions at which `subject` is in `Q0 v1 Q1 … vk Qk` (the model's values), if any.
 */
export function matchingSplit(subject: string, values: string[], pieces: Re[]): number[] | undefined {
  const tests = pieces.map((q) => compileMatcher(q));
  let budget = 10_000;
  const go = (j: number, from: number): number[] | undefined => {
    if (j === values.length) return tests[j]!(subject.slice(from)) ? [] : undefined;
    const v = values[j]!;
    for (let at = subject.indexOf(v, from); at >= 0; at = subject.indexOf(v, at + 1)) {
      if (--budget < 0) return undefined;
      if (!tests[j]!(subject.slice(from, at))) continue;
      const rest = go(j + 1, at + v.length);
      if (rest) return [at, ...rest];
      if (at >= subject.length) break;
    }
    return undefined;
  };
  return go(0, 0);
}

const PRINTABLE_RE: Re = { k: 'star', r: { k: 'range', lo: ' ', hi: '~' } };
/** Keys whose every value is non-empty and has no ':' (a variable over them keeps ARN segments). */
const PLAIN_VALUES = new Set([
  'aws:principalaccount',
  'kms:calleraccount',
  'aws:username',
  'aws:principaltype',
  'aws:principalisawsservice',
]);
/** Placeholder characters standing for the variables while a pattern's regex is built. */
const HOLE = 0xe000;

/** Keys whose value is read from the principal: those the caller brings, and kms:CallerAccount. */
function isCallerValueKey(key: string): boolean {
  return (CALLER_KEYS as readonly string[]).includes(key) || key === 'kms:calleraccount';
}

/** The callers that have the key (kms:CallerAccount: every principal of an account). */
export function callerPresenceRe(key: string): Re {
  return key === 'kms:calleraccount' ? ACCOUNT_PRINCIPAL : callerKeyPresence(key as CallerKey);
}

/** A regex whose `str` pieces may hold holes (variables), printed with the variables' terms. */
function printRe(r: Re, holes: string[]): string {
  switch (r.k) {
    case 'str': {
      const parts: string[] = [];
      let lit = '';
      for (const ch of r.s) {
        const h = ch.charCodeAt(0) - HOLE;
        if (h >= 0 && h < holes.length) {
          if (lit) parts.push(`(str.to_re ${smtString(lit)})`);
          lit = '';
          parts.push(`(str.to_re ${holes[h]!})`);
        } else lit += ch;
      }
      if (lit || !parts.length) parts.push(`(str.to_re ${smtString(lit)})`);
      return parts.length === 1 ? parts[0]! : `(re.++ ${parts.join(' ')})`;
    }
    case 'cat':
      return `(re.++ ${r.rs.map((x) => printRe(x, holes)).join(' ')})`;
    case 'or':
      return `(re.union ${r.rs.map((x) => printRe(x, holes)).join(' ')})`;
    case 'and':
      return `(re.inter ${r.rs.map((x) => printRe(x, holes)).join(' ')})`;
    case 'not':
      return `(re.comp ${printRe(r.r, holes)})`;
    case 'star':
      return `(re.* ${printRe(r.r, holes)})`;
    case 'loop':
      return `((_ re.loop ${r.n} ${r.n}) ${printRe(r.r, holes)})`;
    default:
      return toSmt(r);
  }
}

/** The text of a `str` regex with its holes as a string term. */
function printTerm(s: string, holes: string[]): string {
  const parts: string[] = [];
  let lit = '';
  for (const ch of s) {
    const h = ch.charCodeAt(0) - HOLE;
    if (h >= 0 && h < holes.length) {
      if (lit) parts.push(smtString(lit));
      lit = '';
      parts.push(holes[h]!);
    } else lit += ch;
  }
  if (lit || !parts.length) parts.push(smtString(lit));
  return parts.length === 1 ? parts[0]! : `(str.++ ${parts.join(' ')})`;
}

function hasHole(r: Re): boolean {
  switch (r.k) {
    case 'str':
      for (const ch of r.s) if (ch.charCodeAt(0) >= HOLE && ch.charCodeAt(0) < HOLE + 0x100) return true;
      return false;
    case 'cat':
    case 'or':
    case 'and':
      return r.rs.some(hasHole);
    case 'not':
    case 'star':
    case 'loop':
      return hasHole(r.r);
    default:
      return false;
  }
}

/**
 * A regex whose holes all sit in the literal pieces of one concatenation, cut at the holes:
 * `Q0 h1 Q1 … hk Qk` with ground Qi (undefined when a hole is under a star, union, ...).
 */
function splitAtHoles(r: Re): { pieces: Re[]; holes: number[] } | undefined {
  const flat: Re[] = [];
  const walk = (x: Re): void => {
    if (x.k === 'cat') x.rs.forEach(walk);
    else flat.push(x);
  };
  walk(r);
  const pieces: Re[] = [];
  const holes: number[] = [];
  let cur: Re[] = [];
  for (const x of flat) {
    if (x.k !== 'str') {
      if (hasHole(x)) return undefined;
      cur.push(x);
      continue;
    }
    let lit = '';
    for (const ch of x.s) {
      const h = ch.charCodeAt(0) - HOLE;
      if (h >= 0 && h < 0x100) {
        cur.push(str(lit));
        lit = '';
        pieces.push(cat(...cur));
        holes.push(h);
        cur = [];
      } else lit += ch;
    }
    cur.push(str(lit));
  }
  pieces.push(cat(...cur));
  return { pieces, holes };
}

/**
 * A test `t ∈ Q0 T1 Q1 … Tk Qk` of a pattern with variables in negative position: its Boolean `nl`
 * stands for the membership and is forced true by every split of `t` found to match (instances of
 * the universally quantified negation); a model is then checked against the real membership.
 */
export interface NegativeTest {
  nl: string;
  subject: string;
  terms: string[];
  pieces: Re[];
}

/**
 * "If `t` splits as the positive test says and, laying the negative's terms on some of the
 * positive's (equal to them), the text between is in the negative's pieces, then the negative
 * test holds" — one instance per order-keeping choice of positions (at most 16).
 */
function alignedInstances(n: NegativeTest, p: PositiveTest): string[] {
  const k = n.terms.length;
  const m = p.terms.length;
  const whole: string[] = [];
  p.pieceTerms.forEach((pt, j) => {
    whole.push(pt);
    if (j < m) whole.push(p.terms[j]!);
  });
  const concat = (parts: string[]): string => {
    const xs = parts.filter((x) => x !== '""');
    return xs.length === 0 ? '""' : xs.length === 1 ? xs[0]! : `(str.++ ${xs.join(' ')})`;
  };
  const out: string[] = [];
  const choose = (i: number, from: number, picked: number[]): void => {
    if (out.length >= 16) return;
    if (i === k) {
      const conds = [`(= ${n.subject} ${concat(whole)})`];
      let start = 0; // index into `whole`: pieceTerms[j] is 2j, terms[j] is 2j+1
      picked.forEach((h, j) => {
        conds.push(`(str.in_re ${concat(whole.slice(start, 2 * h + 1))} ${toSmt(n.pieces[j]!)})`);
        if (p.terms[h] !== n.terms[j]) conds.push(`(= ${p.terms[h]} ${n.terms[j]})`);
        start = 2 * h + 2;
      });
      conds.push(`(str.in_re ${concat(whole.slice(start))} ${toSmt(n.pieces[k]!)})`);
      out.push(`(assert (=> (and ${conds.join(' ')}) ${n.nl}))`);
      return;
    }
    for (let h = from; h <= m - (k - i); h++) choose(i + 1, h + 1, [...picked, h]);
  };
  choose(0, 0, []);
  return out;
}

/** The same in positive position: `t = p0 ++ T1 ++ p1 …`, the pi its (existential) pieces. */
interface PositiveTest {
  subject: string;
  terms: string[];
  pieceTerms: string[];
}

/**
 * `w ∈ domain`; a fixed number of one character class (an account's twelve digits) as a length
 * and a plus, which Z3's string solver handles far better than a bounded loop (measured: 0.3-0.6 s
 * against 2-5 s or unknown on the same question).
 */
function domainSmt(w: string, domain: Re): string {
  if (domain.k === 'loop' && (domain.r.k === 'range' || domain.r.k === 'any'))
    return `(and (str.in_re ${w} (re.+ ${toSmt(domain.r)})) (= (str.len ${w}) ${domain.n}))`;
  return `(str.in_re ${w} ${toSmt(domain)})`;
}

/** The values of a key read from the caller, for over-approximations (encode.ts `Domain`). */
export function callerDomain(key: string): { re: Re; plain: boolean } | undefined {
  return isCallerValueKey(key) ? { re: callerDomainRe(key), plain: PLAIN_VALUES.has(key) } : undefined;
}

/** Every value a key the caller brings can take (whatever the caller). */
export function callerDomainRe(key: string): Re {
  const byKind = callerDomainsByKind(key);
  if (!byKind) throw new Error(`not a key the caller brings: ${key}`);
  return or(...Object.values(byKind));
}

/**
 * The values of a key the caller brings, per kind of caller that has it (evaluate/caller.ts
 * callerKeyValue, laid out as in smt/caller.ts); undefined for other keys.
 */
function callerDomainsByKind(key: string): Partial<Record<CallerKind, Re>> | undefined {
  const P = CODE_PARTS;
  const accounts = (r: Re): Partial<Record<CallerKind, Re>> =>
    Object.fromEntries(ACCOUNT_KINDS.map((k) => [k, r]));
  switch (key) {
    case 'aws:principalarn':
      return { root: P.ROOT_ARN, user: P.USER_ARN, 'role-session': P.ROLE_ARN, 'federated-user': P.FED_ARN };
    case 'aws:principalaccount':
    case 'kms:calleraccount':
      return accounts(P.ACCOUNT);
    case 'aws:principaltype':
      return Object.fromEntries(Object.entries(PRINCIPAL_TYPE).map(([k, t]) => [k, str(t)]));
    case 'aws:userid':
      return {
        root: P.ACCOUNT,
        user: P.USER_ID,
        'role-session': cat(P.ROLE_ID, str(':'), P.NAME),
        'federated-user': cat(P.ACCOUNT, str(':'), P.NAME),
        anonymous: str('anonymous'),
      };
    case 'aws:username':
      return { user: P.NAME };
    case 'aws:principalisawsservice':
      return { ...accounts(str('false')), service: str('true') };
    case 'aws:principalservicename':
      return { service: P.NONEMPTY };
    default:
      return undefined;
  }
}

/**
 * Values the variables of `atom` may take for `sample` to match it: the sample (a string of the
 * atom's dimension that satisfies an over-approximation; for a test of a key the caller brings,
 * that key's value) cut where the pattern's text allows, each
 * cut giving every variable a value (a variable twice, the same value). At most `limit`, non-empty
 * values first; none when the pattern is not a plain concatenation around its variables.
 */
export function valuesFromSample(atom: Atom, sample: string, limit = 6): Map<string, string>[] {
  const pat = atom.pattern;
  if (!pat || pat.mode === 'literal-ci') return [];
  const keys: string[] = [];
  const tokens: GlobToken[] = [];
  for (const piece of pat.pieces) {
    if (piece.t === 'tokens') tokens.push(...piece.tokens);
    else {
      tokens.push({ t: 'lit', s: String.fromCharCode(HOLE + keys.length) });
      keys.push(piece.key);
    }
  }
  const merged: GlobToken[] = [];
  for (const t of tokens) {
    const last = merged[merged.length - 1];
    if (t.t === 'lit' && last?.t === 'lit') merged[merged.length - 1] = { t: 'lit', s: last.s + t.s };
    else merged.push(t);
  }
  const split = splitAtHoles(modeRe(merged, pat.mode));
  if (!split) return [];
  const tests = split.pieces.map((q) => compileMatcher(q));
  const out: Map<string, string>[] = [];
  let budget = 5_000;
  const go = (j: number, from: number, values: Map<string, string>): void => {
    if (out.length >= limit || --budget < 0) return;
    if (j === split.holes.length) {
      if (tests[j]!(sample.slice(from))) out.push(new Map(values));
      return;
    }
    const key = keys[split.holes[j]!]!;
    for (let a = from; a <= sample.length; a++) {
      if (!tests[j]!(sample.slice(from, a))) continue;
      const fixed = values.get(key);
      for (let b = sample.length; b >= a; b--) {
        const v = sample.slice(a, b);
        if (fixed !== undefined && v !== fixed) continue;
        const next = new Map(values).set(key, v);
        go(j + 1, b, next);
        if (out.length >= limit) return;
      }
    }
  };
  go(0, 0, new Map());
  return out.sort((x, y) => Number([...x.values()].includes('')) - Number([...y.values()].includes('')));
}

/**
 * Builds the query for the dimensions `dims` (with their literals), the variables' keys read
 * through `source`. `principal` is the principal dimension (the home of the caller's keys).
 *
 * The caller is not a string of the query: each key it brings is a value of the key's domain with
 * a presence of its own (Z3's string solver could not even take a known caller code apart at a
 * `::` and twelve digits). The principal's literals that test one key (its presence: `presenceKey`,
 * its value: the atom's `reads`) are kept on those; its others (the Principal element, ...) are left
 * out. An unsat answer holds for every caller; a model is completed by a caller with its values
 * (solve.ts), if one exists. `pins` (key -> value) are assumed, under the flag `pinned`.
 */
export function jointQuery(
  dims: { dim: Dim; lits: Lit[] }[],
  source: (key: string) => Source,
  principal: Dim,
  caller: {
    /** the kinds of caller the principal dimension admits at all */
    baseKinds: readonly CallerKind[];
    /** the key whose presence a principal atom tests */
    presenceKey: (atom: Atom) => string | undefined;
    /** the kinds of caller a principal literal admits (undefined: all) */
    kindsOf: (lit: Lit) => readonly CallerKind[] | undefined;
  },
  pins?: Map<string, string>,
): JointQuery | { unsupported: string } {
  const { baseKinds, presenceKey, kindsOf } = caller;
  const decls: string[] = [];
  const asserts: string[] = [];
  const consts = new Map<string, string>();
  let n = 0;
  const fresh = (): string => {
    const c = `jv_${n++}`;
    decls.push(`(declare-const ${c} String)`);
    return c;
  };
  const constOf = (d: Dim): string => {
    let c = consts.get(d.name);
    if (!c) {
      c = fresh();
      consts.set(d.name, c);
      if (d.base.k !== 'all') asserts.push(`(assert (str.in_re ${c} ${toSmt(d.base)}))`);
    }
    return c;
  };
  for (const { dim } of dims) if (dim !== principal) constOf(dim);
  const deferred: Deferred[] = [];
  // The caller is its kind and the values of the keys it brings: whether it has a key is its kind's.
  let kindDeclared = false;
  const kindIn = (kinds: number[]): string => {
    if (!kindDeclared) {
      kindDeclared = true;
      decls.push('(declare-const jk Int)');
      const base = CALLER_KINDS.flatMap((k, i) => (baseKinds.includes(k) ? [i] : []));
      asserts.push(`(assert (or ${base.map((i) => `(= jk ${i})`).join(' ')}))`);
    }
    return kinds.length === 0 ? 'false' : `(or ${kinds.map((i) => `(= jk ${i})`).join(' ')})`;
  };
  const callerValues = new Map<string, { w: string; present: string; kinds: number[] }>();
  const callerKey = (keyRead: string): { w: string; present: string } => {
    // kms:CallerAccount is the caller's account: it has one when it is a principal of an account.
    const key = keyRead === 'kms:calleraccount' ? 'aws:principalaccount' : keyRead;
    let v = callerValues.get(key);
    if (!v) {
      const w = fresh();
      const byKind = callerDomainsByKind(key)!;
      const kinds: number[] = [];
      CALLER_KINDS.forEach((k, i) => {
        const domain = byKind[k];
        if (!domain) return;
        kinds.push(i);
        deferred.push({
          subject: w,
          re: domain,
          member: true,
          kind: i,
          assertion: `(assert (=> (= jk ${i}) ${domainSmt(w, domain)}))`,
        });
      });
      v = { w, present: kindIn(kinds), kinds };
      callerValues.set(key, v);
    }
    return v;
  };
  const restrictions: string[] = [];
  let unsupported: string | undefined;
  const negatives: NegativeTest[] = [];
  const positives: PositiveTest[] = [];

  /**
   * `t ∈ r` where r may hold holes (the variables' terms), in positive (pos) or negative position:
   * the Boolean structure at the top of r stays Boolean; a literal with holes is an equality; a
   * concatenation with holes is cut at them, an existential split when positive, a NegativeTest
   * when negative; a hole anywhere else is left to Z3 as a regex with string terms.
   */
  const membership = (t: string, r: Re, holes: string[], pos: boolean): string => {
    switch (r.k) {
      case 'str':
        if (pos && hasHole(r)) {
          const split = splitAtHoles(r)!;
          positives.push({
            subject: t,
            terms: split.holes.map((h) => holes[h]!),
            pieceTerms: split.pieces.map((q) => smtString(q.k === 'str' ? q.s : '')),
          });
        }
        return `(= ${t} ${printTerm(r.s, holes)})`;
      case 'all':
        return 'true';
      case 'none':
        return 'false';
      case 'and':
        return `(and ${r.rs.map((x) => membership(t, x, holes, pos)).join(' ')})`;
      case 'or':
        return `(or ${r.rs.map((x) => membership(t, x, holes, pos)).join(' ')})`;
      case 'not':
        return `(not ${membership(t, r.r, holes, !pos)})`;
    }
    if (!hasHole(r)) return `(str.in_re ${t} ${toSmt(r)})`;
    const split = splitAtHoles(r);
    if (!split) return `(str.in_re ${t} ${printRe(r, holes)})`;
    const terms = split.holes.map((h) => holes[h]!);
    if (!pos) {
      const nl = `jn_${negatives.length}`;
      decls.push(`(declare-const ${nl} Bool)`);
      negatives.push({ nl, subject: t, terms, pieces: split.pieces });
      return nl;
    }
    const conds: string[] = [];
    const pieceTerms = split.pieces.map((q) => {
      if (q.k === 'str') return smtString(q.s);
      const x = fresh();
      conds.push(`(str.in_re ${x} ${toSmt(q)})`);
      return x;
    });
    positives.push({ subject: t, terms, pieceTerms });
    const parts: string[] = [];
    pieceTerms.forEach((pt, j) => {
      if (pt !== '""') parts.push(pt);
      if (j < terms.length) parts.push(terms[j]!);
    });
    const whole = parts.length === 0 ? '""' : parts.length === 1 ? parts[0]! : `(str.++ ${parts.join(' ')})`;
    return `(and (= ${t} ${whole}) ${conds.join(' ')})`;
  };

  /** The SMT test of a variable-bearing atom on the string `subject`. */
  const patternTest = (a: Atom, positive: boolean): string => {
    const pat = a.pattern!;
    const holes: string[] = [];
    const guards: string[] = [];
    const tokens: GlobToken[] = [];
    let colons = 0;
    const plainNeeded: string[] = [];
    for (const piece of pat.pieces) {
      if (piece.t === 'tokens') {
        tokens.push(...piece.tokens);
        for (const t of piece.tokens) if (t.t === 'lit') colons += t.s.split(':').length - 1;
        continue;
      }
      const src = source(piece.key);
      const dflt = piece.dflt === undefined ? undefined : smtString(piece.dflt);
      let term: string;
      const plain = PLAIN_VALUES.has(piece.key) && (piece.dflt === undefined || /^[^:]+$/.test(piece.dflt));
      switch (src.k) {
        case 'unsupported':
          unsupported ??= src.reason;
          return 'false';
        case 'several':
          return 'false';
        case 'absent':
          if (piece.dflt === undefined) return 'false';
          // The default is policy text taken literally: its colons count like the pattern's own.
          tokens.push({ t: 'lit', s: piece.dflt });
          colons += piece.dflt.split(':').length - 1;
          continue;
        case 'dim':
          term = constOf(src.dim);
          break;
        case 'caller': {
          const v = callerKey(piece.key);
          if (dflt === undefined) {
            guards.push(v.present);
            term = v.w;
          } else {
            term = fresh();
            asserts.push(`(assert (= ${term} (ite ${v.present} ${v.w} ${dflt})))`);
          }
          break;
        }
      }
      if (pat.mode === 'arn' && colons < 5 && !plain) plainNeeded.push(term);
      tokens.push({ t: 'lit', s: String.fromCharCode(HOLE + holes.length) });
      holes.push(term);
    }
    if (pat.mode === 'literal-ci') {
      unsupported ??= `a case-insensitive comparison with a policy variable ("${a.label}")`;
      return 'false';
    }
    for (const t of plainNeeded) restrictions.push(`(not (str.contains ${t} ":")) (not (= ${t} ""))`);
    const merged: GlobToken[] = [];
    for (const t of tokens) {
      const last = merged[merged.length - 1];
      if (t.t === 'lit' && last?.t === 'lit') merged[merged.length - 1] = { t: 'lit', s: last.s + t.s };
      else merged.push(t);
    }
    const re = modeRe(merged, pat.mode);
    let subject: string;
    if (pat.readsKey !== undefined) {
      // An atom of the principal dimension tests the value of a key the caller brings.
      const v = callerKey(pat.readsKey);
      guards.push(v.present);
      subject = v.w;
    } else subject = constOf(a.dim);
    const test = membership(subject, re, holes, positive);
    return guards.length ? `(and ${guards.join(' ')} ${test})` : test;
  };

  const flagLit = new Map<string, Lit>();
  const assumptions: string[] = [];
  let f = 0;
  for (const { dim, lits } of dims) {
    for (const lit of lits) {
      let test: string;
      if (dim === principal && !lit.atom.pattern) {
        const key = presenceKey(lit.atom);
        const reads = lit.atom.reads;
        if (key !== undefined) test = callerKey(key).present;
        else if (reads) {
          const v = callerKey(reads.key);
          test = `(and ${v.present} ${membership(v.w, reads.re, [], lit.value)})`;
        } else {
          // Any other test of the caller: the kinds of caller it admits (a negative literal's
          // included: `within` is what the flag asserts either way).
          const kinds = kindsOf(lit);
          if (!kinds || CALLER_KINDS.every((k) => kinds.includes(k))) continue;
          const within = kindIn(CALLER_KINDS.flatMap((k, i) => (kinds.includes(k) ? [i] : [])));
          test = lit.value ? within : `(not ${within})`;
        }
      } else if (!lit.atom.pattern && !lit.value) {
        const flag = `jl_${f++}`;
        decls.push(`(declare-const ${flag} Bool)`);
        const c = constOf(dim);
        const assertion = `(assert (=> ${flag} (not ${membership(c, lit.atom.re!, [], false)})))`;
        deferred.push({ subject: c, re: lit.atom.re!, member: false, assertion });
        flagLit.set(flag, lit);
        assumptions.push(flag);
        continue;
      } else
        test = lit.atom.pattern
          ? patternTest(lit.atom, lit.value)
          : membership(constOf(dim), lit.atom.re!, [], lit.value);
      if (unsupported !== undefined) return { unsupported };
      const flag = `jl_${f++}`;
      decls.push(`(declare-const ${flag} Bool)`);
      asserts.push(`(assert (=> ${flag} ${lit.value ? test : `(not ${test})`}))`);
      flagLit.set(flag, lit);
      assumptions.push(flag);
    }
  }
  const printable = 'jl_printable';
  decls.push(`(declare-const ${printable} Bool)`);
  const strings = [...consts.values(), ...[...callerValues.values()].map((v) => v.w)];
  asserts.push(
    `(assert (=> ${printable} (and true ${strings.map((c) => `(str.in_re ${c} ${toSmt(PRINTABLE_RE)})`).join(' ')})))`,
  );
  assumptions.push(printable);
  // Each negative test is true at the splits of the positive tests of the same subject: its terms
  // laid on some of theirs (in order), the text between them the positive's own pieces and terms.
  for (const n of negatives)
    for (const p of positives)
      if (p.subject === n.subject) for (const inst of alignedInstances(n, p)) asserts.push(inst);
  // The keys of one caller tell of each other: its ARN holds its account (and a user's name),
  // aws:userid a root's or a federated user's account. Per kind, the values are laid out as the
  // caller's ARN is (evaluate/caller.ts), where two of them are in the query.
  const arn = callerValues.get('aws:principalarn');
  const account = callerValues.get('aws:principalaccount');
  const userid = callerValues.get('aws:userid');
  const username = callerValues.get('aws:username');
  if ([arn, account, userid, username].filter(Boolean).length >= 2) {
    const P = CODE_PARTS;
    const free = (r: Re): string => {
      const x = fresh();
      asserts.push(`(assert (str.in_re ${x} ${toSmt(r)}))`);
      return x;
    };
    const acct = account?.w ?? fresh();
    asserts.push(`(assert (and (str.in_re ${acct} (re.+ (re.range "0" "9"))) (= (str.len ${acct}) 12)))`);
    const partition = free(P.PARTITION);
    const name = username?.w ?? free(P.NAME);
    const layouts: Partial<Record<CallerKind, string[]>> = {
      root: [
        ...(arn ? [`(= ${arn.w} (str.++ "arn:" ${partition} ":iam::" ${acct} ":root"))`] : []),
        ...(userid ? [`(= ${userid.w} ${acct})`] : []),
      ],
      user: arn
        ? [`(= ${arn.w} (str.++ "arn:" ${partition} ":iam::" ${acct} ":user" ${free(P.PATH)} ${name}))`]
        : [],
      'role-session': arn
        ? [
            `(= ${arn.w} (str.++ "arn:" ${partition} ":iam::" ${acct} ":role" ${free(P.PATH)} ${free(P.NAME)}))`,
          ]
        : [],
      'federated-user': [
        ...(arn
          ? [`(= ${arn.w} (str.++ "arn:" ${partition} ":sts::" ${acct} ":federated-user/" ${name}))`]
          : []),
        ...(userid ? [`(= ${userid.w} (str.++ ${acct} ":" ${name}))`] : []),
      ],
    };
    for (const [kind, eqs] of Object.entries(layouts))
      if (eqs.length && baseKinds.includes(kind as CallerKind))
        asserts.push(
          `(assert (=> (= jk ${CALLER_KINDS.indexOf(kind as CallerKind)}) (and ${eqs.join(' ')})))`,
        );
  }
  if (pins?.size) {
    const eqs = [...pins].map(([k, v]) => `(= ${callerKey(k).w} ${smtString(v)})`);
    decls.push('(declare-const jl_pinned Bool)');
    asserts.push(`(assert (=> jl_pinned (and ${eqs.join(' ')})))`);
    assumptions.push('jl_pinned');
  }
  const q: JointQuery = {
    script: [...decls, ...asserts].join('\n'),
    assumptions,
    flagLit,
    printable,
    consts,
    callerValues,
    negatives,
    deferred,
  };
  if (kindDeclared) q.kind = 'jk';
  if (restrictions.length) {
    q.restricted = 'jl_restricted';
    q.script += `\n(declare-const jl_restricted Bool)\n(assert (=> jl_restricted (and ${restrictions.join(' ')})))`;
    assumptions.push(q.restricted);
  }
  return q;
}
