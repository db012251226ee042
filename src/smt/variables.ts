/**
 * Policy variables decided for every value at once (docs/semantics-decisions.md, "Policy variables").
 *
 * A variable is the value of its key: one value, shared by every place the variable appears (every
 * atom on every dimension, in every policy of the query). The lazy solver first tries the values
 * its dimensions already chose, then a few others (bindings.ts); when those fail, the failure may
 * still be the values' fault, so every dimension the variables connect is decided here together, by
 * ONE Z3 query in the theory of strings (`jointQuery`, run by joint.ts):
 *  - each dimension is a String constant, its ground literals the usual `str.in_re` tests;
 *  - a context key's variable IS its dimension's string (the key's value);
 *  - the caller is its kind (`jk`) and the values of the keys it brings (kms:CallerAccount is its
 *    account): per kind, which keys it has, their domains (an account is twelve digits) and how its
 *    ARN holds its account and name; the principal's literals about those keys are kept on them,
 *    its other literals narrow the kind, and a model's values are then given to a real caller;
 *  - a pattern with variables is cut at them: positive, `s = a0 ++ V ++ a1` with `ai ∈ re(Ti)`;
 *    negative, a Boolean `jn_i` standing for the membership, made true at every split the query can
 *    name (`alignedInstances`: the positive patterns' splits of the same string) and at every split
 *    a model shows (`matchingSplit`, `splitInstances`; all in splits.ts), so a model is checked, and
 *    refined, against the real membership; a StringEquals pattern is an equality.
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
import { CALLER_KINDS, type CallerKind } from '../evaluate/caller.ts';
import type { Atom, Dim, Literal } from './atoms.ts';
import { CODE_PARTS } from './caller.ts';
import { callerDomainsByKind, domainSmt, isPlainValueKey } from './caller-domains.ts';
import { HOLE, hasHole, printRe, printTerm, splitAtHoles } from './holes.ts';
import { mergeLiterals, modeRe } from './patterns.ts';
import { alignedInstances, type NegativeTest, type PositiveTest } from './splits.ts';
import { smtString, toSmt, type GlobToken, type Re } from './regex.ts';

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
  flagLit: Map<string, Literal>;
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

const PRINTABLE_RE: Re = { k: 'star', r: { k: 'range', lo: ' ', hi: '~' } };

/**
 * Builds the query for the dimensions `dims` (with their literals), the variables' keys read
 * through `source`. `principal` is the principal dimension (the home of the caller's keys).
 *
 * The caller is not a string of the query: each key it brings is a value of the key's domain with
 * a presence of its own (Z3's string solver could not even take a known caller code apart at a
 * `::` and twelve digits). The principal's literals that test one key (its presence: `presenceKey`,
 * its value: the atom's `reads`) are kept on those; its others (the Principal element, ...) are left
 * out. An unsat answer holds for every caller; a model is completed by a caller with its values
 * (joint.ts), if one exists. `pins` (key -> value) are assumed, under the flag `pinned`.
 */
export function jointQuery(
  dims: { dim: Dim; lits: Literal[] }[],
  source: (key: string) => Source,
  principal: Dim,
  caller: {
    /** the kinds of caller the principal dimension admits at all */
    baseKinds: readonly CallerKind[];
    /** the key whose presence a principal atom tests */
    presenceKey: (atom: Atom) => string | undefined;
    /** the kinds of caller a principal literal admits (undefined: all) */
    kindsOf: (lit: Literal) => readonly CallerKind[] | undefined;
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
      const plain = isPlainValueKey(piece.key) && (piece.dflt === undefined || /^[^:]+$/.test(piece.dflt));
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
    const merged = mergeLiterals(tokens);
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

  const flagLit = new Map<string, Literal>();
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
