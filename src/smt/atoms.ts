/**
 * The atoms of one query. The request is split into dimensions (action, resource, principal, and one
 * or more value slots per condition key). Every glob/ARN/CIDR test becomes a membership ATOM of one
 * dimension: a Boolean variable whose meaning is `value(dim) ∈ regex`. The solver treats atoms as
 * plain Booleans and checks each dimension's literals lazily with ONE regex membership (see
 * solve.ts), because Z3 5.x decides a single membership in milliseconds but a Boolean mix of
 * memberships on one string in seconds (measured: 6 ms vs 1-4.5 s).
 *
 * Numbers and dates are native Z3 reals. Multi-valued keys are modelled as a bounded number of
 * element slots, enough for every ForAnyValue witness and ForAllValues violation the formula needs.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Policy } from '../policy/model.ts';
import { isAccountPrincipalKey, isCallerKey } from '../evaluate/caller.ts';
import { ACCOUNT_PRINCIPAL, ANY_CALLER, callerKeyPresence } from './caller.ts';
import { FALSE, TRUE, bvar, fand, fimplies, forr, type Formula } from './formula.ts';
import { OWN, modeRe, splitVariables, type MatchMode, type PatternPiece, type View } from './patterns.ts';
import { ALL, cat, compileMatcher, or as reOr, star, str, toSmt, type Re } from './regex.ts';

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

/** An atom and the truth value a model gives it. */
export type Literal = { atom: Atom; value: boolean };

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

/** One value slot of a key: the single value, or one element of a multi-valued key. */
export interface Slot {
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

export interface EncoderOptions {
  identity: boolean;
}

/**
 * The vocabulary the formulas of one query are written in (all its policies share it): dimensions,
 * atoms, condition keys with their value slots and presence. The Encoder (encode.ts) writes the
 * statements in it, conditions.ts the conditions.
 */
export class Vocabulary {
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

  /** A slot's value as text: its string dimension (made on first use). */
  strDim(slot: Slot): Dim {
    if (!slot.strDim) {
      const name = `ctx:${slot.key}${slot.element === undefined ? '' : `#${slot.element}`}`;
      slot.strDim = this.dim(name, 'string', ALL, slot.key, slot.element);
    }
    return slot.strDim;
  }
  /** A slot's value as an address: its IP dimension (made on first use). */
  ipDim(slot: Slot): Dim {
    if (!slot.ipDim) {
      const name = `ip:${slot.key}${slot.element === undefined ? '' : `#${slot.element}`}`;
      slot.ipDim = this.dim(name, 'ip', IP_SHAPE, slot.key, slot.element);
    }
    return slot.ipDim;
  }
  /** A slot's value as a number or date: a Real, and a Boolean for "not a number" (made on first use). */
  numVar(slot: Slot): { num: string; nan: string } {
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

  /** Records that a key is compared as text, address or number (several views: approximate). */
  view(info: KeyInfo, v: 'str' | 'ip' | 'num'): void {
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
