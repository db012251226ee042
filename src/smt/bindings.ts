/**
 * Policy variables in the skeleton's model: where each variable's key takes its value (a context
 * key's dimension, the caller, absent, several values), its value once that dimension is realised,
 * and a dimension with variables realised with those values. A conflict found so is returned only
 * when it holds for every value (the keys it reads are absent, so their presence joins it, or an
 * over-approximation of the variables is empty too); otherwise the dimension is undecided, and a
 * few other values are tried (tryOtherValues) before the joint decision (joint.ts).
 */
import { callerAccount, callerKeyValue, callerOf, isCallerKey, type CallerKey } from '../evaluate/caller.ts';
import type { Atom, Dim, Literal } from './atoms.ts';
import { accountView, callerKeyView, decodeCaller } from './caller.ts';
import { callerDomain } from './caller-domains.ts';
import { presenceValue, usedName, type Model, type SolverContext } from './context.ts';
import { SEVERAL_VALUES, instantiate, modeRe, overApproximate } from './patterns.ts';
import type { Ground, Realization, Realizer } from './realize.ts';
import { ALL, NONE, compileMatcher, str, type Re } from './regex.ts';
import { valuesFromSample } from './splits.ts';
import type { Source } from './variables.ts';

/**
 * Not a dimension: the home of the presence flags (p_…, u_…) that lemmas about policy variables
 * hold as literals next to atoms.
 */
const FLAGS: Dim = { name: '(presence flags)', kind: 'string', base: ALL, atoms: [] };

/** tryOtherValues: "a value other than the current one" */
const OTHER = Symbol('other value');

/** The policy variables of one solver's models. */
export class Bindings {
  private flagAtoms = new Map<string, Atom>();

  constructor(
    private readonly ctx: SolverContext,
    private readonly realizer: Realizer,
  ) {}

  /** Where a variable's key takes its value in this model (smt/variables.ts). */
  source(key: string, model: Model): Source {
    if (isCallerKey(key)) return { k: 'caller' };
    const info = this.ctx.enc.keys.get(key);
    if (!info) return { k: 'absent' };
    if (key === 'kms:calleraccount')
      return presenceValue(info.presence, model) ? { k: 'caller' } : { k: 'absent' };
    if (!info.multi) {
      if (!presenceValue(info.presence, model)) return { k: 'absent' };
      const d = info.slots[0]!.strDim;
      return d
        ? { k: 'dim', dim: d }
        : { k: 'unsupported', reason: `\${${info.display}} has no value to read` };
    }
    const used = info.slots.filter((s) => model.bools.get(usedName(s.used)) ?? false);
    if (used.length === 0) return { k: 'absent' };
    if (used.length > 1) return { k: 'several' };
    const d = used[0]!.strDim;
    return d
      ? { k: 'dim', dim: d }
      : {
          k: 'unsupported',
          reason: `\${${info.display}} reads the one value of a multi-valued key no condition compares as text`,
        };
  }

  /** The value a variable takes in this model, from the dimensions realised so far. */
  varValue(key: string, model: Model): string | undefined | typeof SEVERAL_VALUES {
    const src = this.source(key, model);
    switch (src.k) {
      case 'absent':
      case 'unsupported':
        return undefined;
      case 'several':
        return SEVERAL_VALUES;
      case 'dim':
        return model.strings.get(src.dim.name);
      case 'caller': {
        const code = model.strings.get('principal');
        const p = code === undefined ? undefined : decodeCaller(code);
        if (!p) return undefined;
        return isCallerKey(key) ? callerKeyValue(callerOf(p), key) : callerAccount(callerOf(p));
      }
    }
  }

  /** The dimensions holding the values of the variables `lits` read (a caller's key: the principal). */
  readDims(lits: Literal[], model: Model): Dim[] {
    const out = new Set<Dim>();
    for (const l of lits)
      for (const key of l.atom.pattern ? l.atom.varKeys : []) {
        const src = this.source(key, model);
        if (src.k === 'dim') out.add(src.dim);
        if (src.k === 'caller') out.add(this.ctx.enc.dims.get('principal')!);
      }
    return [...out];
  }

  /** The connected groups (dimensions linked by the variables they read) around `seeds`. */
  groups(seeds: Dim[], dims: Dim[], reads: (d: Dim) => Dim[]): Dim[][] {
    const parent = new Map<Dim, Dim>();
    const find = (d: Dim): Dim => {
      let r = d;
      while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
      parent.set(d, r);
      return r;
    };
    for (const d of dims) parent.set(d, d);
    for (const d of dims) for (const h of reads(d)) if (parent.has(h)) parent.set(find(d), find(h));
    const roots = new Set(seeds.map(find));
    return [...roots].map((r) => dims.filter((d) => find(d) === r));
  }

  /** The skeleton's Booleans that say whether a context key is present (a multi-valued key: its slots). */
  presenceFlagNames(key: string): string[] {
    if (isCallerKey(key)) return []; // the principal decides
    const info = this.ctx.enc.keys.get(key);
    if (!info) return [];
    const names = info.multi ? info.slots.map((s) => usedName(s.used)) : [usedName(info.presence)];
    return names.filter((n) => n !== '');
  }

  /** The presence flags of `keys` as literals of this model (what a lemma about variables assumed). */
  presenceFlags(keys: Iterable<string>, model: Model): Literal[] {
    const out: Literal[] = [];
    for (const key of new Set(keys))
      for (const name of this.presenceFlagNames(key)) {
        let atom = this.flagAtoms.get(name);
        if (!atom) {
          atom = { id: -1, name, dim: FLAGS, varKeys: [], label: `presence of ${key}` };
          this.flagAtoms.set(name, atom);
        }
        out.push({ atom, value: model.bools.get(name) ?? false });
      }
    return out;
  }

  /**
   * A dimension with variables, with the values the model gave them. A conflict is returned only
   * when it holds for every value; otherwise the dimension is 'undecided' (decideJointly).
   */
  async realizeWithValues(
    d: Dim,
    lits: Literal[],
    model: Model,
    wantCores = true,
  ): Promise<Realization | 'undecided'> {
    const keys = new Set(lits.flatMap((l) => (l.atom.pattern ? l.atom.varKeys : [])));
    if ([...keys].some((k) => this.source(k, model).k === 'unsupported')) return 'undecided';
    // A test of the caller that reads the caller's own keys (aws:userid like `*:${aws:username}`)
    // is left to a second step: checked on the caller the others give.
    const ownKeys = (l: Literal): boolean =>
      d.kind === 'principal' && l.atom.varKeys.some((k) => this.source(k, model).k === 'caller');
    const ground: Ground[] = [];
    for (const lit of lits) {
      if (ownKeys(lit)) {
        if (lit.value) ground.push({ lit, re: overApproximate(lit.atom, callerDomain) });
        continue;
      }
      // No value (absent key without default, several values): the pattern matches nothing.
      const re = instantiate(lit.atom, (key) => this.varValue(key, model)) ?? NONE;
      if (lit.value || re.k !== 'none') ground.push({ lit, re });
    }
    const result = await this.realizer.realizeMemoized(d, ground, false, wantCores);
    if (result.ok) {
      const own = lits.filter(ownKeys);
      if (!own.length) return result;
      const p = decodeCaller(result.value);
      const c = p && callerOf(p);
      const value = (key: string): string | undefined | typeof SEVERAL_VALUES =>
        this.source(key, model).k === 'caller'
          ? c && (isCallerKey(key) ? callerKeyValue(c, key) : callerAccount(c))
          : this.varValue(key, model);
      const holds = own.every((l) => {
        const re = instantiate(l.atom, value);
        return (re !== undefined && compileMatcher(re)(result.value)) === l.value;
      });
      return holds ? result : 'undecided';
    }
    if (!wantCores) return 'undecided';
    // A conflict whose variables all read absent keys (or keys with several values) holds in every
    // model where those keys are so: their presence flags join it.
    const fixed = (k: string): boolean => ['absent', 'several'].includes(this.source(k, model).k);
    const exact: Literal[][] = [];
    for (const core of result.cores) {
      const read = core.flatMap((l) => (l.atom.pattern ? l.atom.varKeys : []));
      if (read.every(fixed)) exact.push([...core, ...this.presenceFlags(read, model)]);
    }
    if (exact.length) return { ok: false, cores: exact };
    // A conflict that remains with every variable any text holds for every value.
    const over = lits
      .filter((l) => !l.atom.pattern || l.value)
      .map((l) => ({ lit: l, re: overApproximate(l.atom, callerDomain) }));
    const r2 = await this.realizer.realizeMemoized(d, over);
    if (!r2.ok) return r2;
    return 'undecided';
  }

  /**
   * The values the model chose made a dimension fail, often by a coincidence (two keys both
   * 'example', a value that happens to be a pattern's text) or for want of one (two variables that
   * must be equal): before Z3 is asked, a few other values are tried, each a plain realisation —
   * every variable a fresh text no pattern holds (another caller, for the caller's keys), then one
   * variable taking another's value. True when every dimension of the group is realised so;
   * otherwise the strings are left as they were.
   */
  async tryOtherValues(
    group: Dim[],
    literals: (d: Dim) => Literal[],
    reads: (d: Dim) => Dim[],
    model: Model,
  ): Promise<boolean> {
    const saved = new Map(model.strings);
    const principal = this.ctx.enc.dims.get('principal')!;
    const withVars = group.filter((d) => d.atoms.some((a) => a.pattern));
    const homes = group.filter((d) => !withVars.includes(d));
    // The variables whose value a home dimension holds, and the values they have now.
    const keys = [
      ...new Set(withVars.flatMap((d) => literals(d).flatMap((l) => (l.atom.pattern ? l.atom.varKeys : [])))),
    ].filter((k) => {
      const src = this.source(k, model);
      return (
        (src.k === 'dim' && homes.includes(src.dim)) || (src.k === 'caller' && homes.includes(principal))
      );
    });
    const current = new Map<string, string>();
    for (const k of keys) {
      const v = this.varValue(k, model);
      if (typeof v === 'string') current.set(k, v);
    }
    const texts = this.ctx.enc.atoms.map((a) => a.label).join('\n');
    let n = 0;
    const fresh = (): string => {
      let v: string;
      do v = `zq${++n}x`;
      while (texts.includes(v));
      return v;
    };
    const pseudo = (d: Dim, label: string): Atom => ({ id: -1, name: '(value)', dim: d, varKeys: [], label });
    const callerIs = (key: string, v: string): Re =>
      key === 'kms:calleraccount'
        ? accountView(str(v))
        : callerKeyView(key as CallerKey, [{ t: 'lit', s: v }], (t) => modeRe(t, 'literal'), 'literal');
    /**
     * One attempt: each key a given value, OTHER (a value other than its current one, when its
     * home allows one) or, when absent from `values`, whatever its home gives.
     */
    const attempt = async (values: Map<string, string | typeof OTHER>): Promise<boolean> => {
      for (const h of homes) {
        const ground = literals(h).map((lit) => ({ lit, re: lit.atom.re! }));
        const forced: typeof ground = [];
        const avoided: typeof ground = [];
        let hard = false;
        for (const k of keys) {
          const src = this.source(k, model);
          if (!(src.k === 'dim' && src.dim === h) && !(src.k === 'caller' && h === principal)) continue;
          const v = values.get(k);
          const was = current.get(k);
          const re = (text: string): Re => (h === principal ? callerIs(k, text) : str(text));
          if (v === OTHER) {
            if (h !== principal) forced.push({ lit: { atom: pseudo(h, k), value: true }, re: str(fresh()) });
            else if (was !== undefined)
              avoided.push({ lit: { atom: pseudo(h, k), value: false }, re: re(was) });
          } else if (v !== undefined) {
            forced.push({ lit: { atom: pseudo(h, k), value: true }, re: re(v) });
            hard = true;
          }
        }
        let res = await this.realizer.realizeGround(h, [...ground, ...forced, ...avoided], false);
        // A fresh or other value the home's own literals refuse: any value it allows.
        if (!res.ok && !hard && forced.length + avoided.length)
          res = await this.realizer.realizeGround(h, ground, false);
        if (!res.ok) return false;
        model.strings.set(h.name, res.value);
      }
      const pending = [...withVars];
      while (pending.length) {
        const i = pending.findIndex((d) =>
          reads(d).every((h) => (h === d ? d === principal : !pending.includes(h))),
        );
        if (i < 0) return false;
        const d = pending.splice(i, 1)[0]!;
        const res = await this.realizeWithValues(d, literals(d), model, false);
        if (res === 'undecided' || !res.ok) return false;
        model.strings.set(d.name, res.value);
      }
      return true;
    };
    const tries: Map<string, string | typeof OTHER>[] = [new Map(keys.map((k) => [k, OTHER]))];
    for (const k of keys)
      for (const [other, v] of current)
        if (other !== k && v !== current.get(k)) tries.push(new Map([[k, v]]));
    // Values read back from a string that satisfies the dimension with every variable free.
    for (const d of withVars) {
      const lits = literals(d);
      const over = lits
        .filter((l) => !l.atom.pattern || l.value)
        .map((l) => ({ lit: l, re: l.atom.pattern ? overApproximate(l.atom, callerDomain) : l.atom.re! }));
      const sample = await this.realizer.realizeGround(d, over, false);
      if (!sample.ok) continue;
      // On the principal, a test reads one key of the caller: its value in the sampled caller.
      const p = d === principal ? decodeCaller(sample.value) : undefined;
      const seen = (l: Literal): string | undefined => {
        const key = l.atom.pattern?.readsKey;
        if (key === undefined) return sample.value;
        if (!p) return undefined;
        const c = callerOf(p);
        return isCallerKey(key) ? callerKeyValue(c, key) : callerAccount(c);
      };
      for (const l of lits)
        if (l.value && l.atom.pattern)
          for (const values of valuesFromSample(l.atom, seen(l) ?? '\u0000')) {
            const t = new Map([...values].filter(([k]) => keys.includes(k)));
            if (t.size) tries.push(t);
          }
    }
    for (const t of tries.slice(0, 16)) {
      if (await attempt(t)) return true;
      model.strings.clear();
      for (const [k, v] of saved) model.strings.set(k, v);
    }
    return false;
  }
}
