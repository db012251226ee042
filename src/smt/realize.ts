/**
 * Realising one dimension: is there a string with the literals the skeleton's model chose (each atom
 * in or out of its regex), and which? First the realistic candidates (samples.ts), then exactly by
 * automata in JavaScript (automata.ts), then one Z3 membership query. An unrealisable set gives its
 * conflicts: every one- and two-literal conflict found in one pass, else a core by deletion; they
 * are facts about regexes, valid as lemmas for every later query of the same check. Answers are
 * memoised per dimension and literal set.
 */
import type { Atom, Dim, Literal } from './atoms.ts';
import { MembershipOracle, type Literal as ReLiteral } from './automata.ts';
import { Unknown, type SolverContext } from './context.ts';
import { candidates } from './samples.ts';
import { readValues, decodeSmtString } from './sexpr.ts';
import { and as reAnd, compileMatcher, not as reNot, toSmt, type Re } from './regex.ts';

/** A literal with the regex it tests here (its atom's, or an instance with the variables' values). */
export type Ground = { lit: Literal; re: Re };
/** A witness, or the conflicts: sets of literals no string satisfies. */
export type Realization = { ok: true; value: string } | { ok: false; cores: Literal[][] };

const PRINTABLE: Re = { k: 'star', r: { k: 'range', lo: ' ', hi: '~' } };

/** Realises the dimensions of one solver (its memo and automata live as long as the solver). */
export class Realizer {
  private memo = new Map<string, Realization>();
  private baseMatchers = new Map<string, (s: string) => boolean>();
  private oracles = new Map<string, MembershipOracle>();
  private smtKeys = new WeakMap<Re, string>();
  private reducedActionRe = new Map<Atom, Re>();

  constructor(private readonly ctx: SolverContext) {}

  /**
   * The part of an action atom that can match an action outside the catalog: its patterns with a
   * wildcard and its names the catalog does not know. For such an action the two agree exactly.
   */
  private outsideCatalogRe(a: Atom): Re {
    let re = this.reducedActionRe.get(a);
    if (!re) {
      const keep = (a.actionPatterns ?? []).filter((p) => /[*?]/.test(p) || !this.ctx.catalogActions!.has(p));
      re = a.actionPatterns ? this.ctx.enc.actionRe(keep) : a.re!;
      this.reducedActionRe.set(a, re);
    }
    return re;
  }

  /** A dimension without variables. */
  async realize(d: Dim, lits: Literal[]): Promise<Realization> {
    const outside = d.kind === 'action' && this.ctx.symbolicAction;
    const ground = lits.map((lit) => ({ lit, re: outside ? this.outsideCatalogRe(lit.atom) : lit.atom.re! }));
    return this.realizeMemoized(d, ground, outside);
  }

  /** realizeGround, memoised by dimension, literals and their regexes (`outside`: the symbolic phase). */
  async realizeMemoized(d: Dim, ground: Ground[], outside = false, wantCores = true): Promise<Realization> {
    // Atom names are part of the key: a variable's instance may be the regex of another atom.
    const memoKey = `${outside ? 'outside:' : ''}${wantCores ? '' : 'nocores:'}${d.name}|${ground.map((g) => `${g.lit.value ? '+' : '-'}${g.lit.atom.name}=${this.smtKey(g.re)}`).join('|')}`;
    const hit = this.memo.get(memoKey);
    if (hit) return hit;
    const result = await this.realizeGround(d, ground, wantCores);
    this.memo.set(memoKey, result);
    return result;
  }

  /**
   * Realises one dimension's ground literals: a witness, or the conflict's cores (none when
   * `wantCores` is false: the caller only asks whether a witness exists).
   */
  async realizeGround(d: Dim, ground: Ground[], wantCores = true): Promise<Realization> {
    const tests = ground.map((g) => ({ g, test: tryMatcher(g.re) }));
    const base = this.baseTest(d);
    if (tests.every((t) => t.test))
      for (const c of candidates(d, ground))
        if (
          base(c) &&
          tests.every((t) => t.test!(c) === t.g.lit.value) &&
          !(d.kind === 'action' && this.ctx.symbolicAction && this.ctx.catalogActions!.has(c))
        ) {
          this.ctx.membership.samples++;
          return { ok: true, value: c };
        }
    const exact = this.automataRealize(d, ground, wantCores);
    if (exact) return exact;
    // Z3 cannot be told "outside the catalog" cheaply (22,000 names): no answer is honest.
    if (d.kind === 'action' && this.ctx.symbolicAction) throw new Unknown('action automata too large');
    const reOf = (gs: Ground[]) => reAnd(d.base, ...gs.map((g) => (g.lit.value ? g.re : reNot(g.re))));
    const sat = await this.member(reOf(ground), true);
    if (sat !== undefined) return { ok: true, value: sat };
    if (!wantCores) return { ok: false, cores: [] };
    // Shrink to a small core by deletion.
    let core = ground.slice();
    for (let i = 0; i < core.length && core.length > 1;) {
      const without = core.filter((_, j) => j !== i);
      if ((await this.member(reOf(without), false)) === undefined) core = without;
      else i++;
    }
    return { ok: false, cores: [core.map((g) => g.lit)] };
  }

  smtKey = (re: Re): string => {
    let k = this.smtKeys.get(re);
    if (k === undefined) {
      k = toSmt(re);
      this.smtKeys.set(re, k);
    }
    return k;
  };

  /**
   * The same question decided by automata (automata.ts), with a core by deletion; undefined when
   * the automata give up (the caller then asks Z3).
   */
  private automataRealize(d: Dim, ground: Ground[], wantCores = true): Realization | undefined {
    let oracle = this.oracles.get(d.name);
    if (!oracle) {
      oracle = new MembershipOracle();
      this.oracles.set(d.name, oracle);
    }
    const search = (gs: Ground[]) => {
      const lits: ReLiteral[] = [
        { re: d.base, positive: true },
        ...gs.map((g) => ({ re: g.re, positive: g.lit.value })),
      ];
      if (d.kind === 'action' && this.ctx.symbolicAction)
        lits.push({ words: this.ctx.catalogActions!.keys, wordsKey: 'catalog', positive: false });
      return oracle.search(lits, this.smtKey, () => this.ctx.deadline.expired());
    };
    const first = search(ground);
    if (first.status === 'unknown') return undefined;
    this.ctx.membership.automata++;
    if (first.status === 'sat') return { ok: true, value: first.value };
    if (!wantCores) return { ok: false, cores: [] };
    const pairs = pairCores(ground, search);
    if (pairs.length) return { ok: false, cores: pairs.map((c) => c.map((g) => g.lit)) };
    let core = ground.slice();
    for (let i = 0; i < core.length && core.length > 1;) {
      const without = core.filter((_, j) => j !== i);
      const r = search(without);
      if (r.status === 'unknown') return { ok: false, cores: [core.map((g) => g.lit)] };
      if (r.status === 'unsat') core = without;
      else i++;
    }
    return { ok: false, cores: [core.map((g) => g.lit)] };
  }

  /** One membership query: a witness string, or undefined when the language is empty. */
  private async member(re: Re, wantValue: boolean): Promise<string | undefined> {
    this.ctx.membership.z3++;
    const printable = reAnd(re, PRINTABLE);
    for (const r of wantValue ? [printable, re] : [re]) {
      const t = (
        await this.ctx.z3(`(push)(declare-const x String)(assert (str.in_re x ${toSmt(r)}))(check-sat)`)
      ).trim();
      try {
        if (t.startsWith('unsat')) continue;
        if (!t.startsWith('sat'))
          throw new Unknown(this.ctx.deadline.expired() ? 'timeout' : `solver answered ${t.split('\n')[0]}`);
        if (!wantValue) return '';
        const v = readValues(await this.ctx.z3('(get-value (x))')).get('x');
        return typeof v === 'string' ? decodeSmtString(v) : '';
      } finally {
        await this.ctx.runner.run('(pop)');
      }
    }
    return undefined;
  }

  private baseTest(d: Dim): (s: string) => boolean {
    let m = this.baseMatchers.get(d.name);
    if (!m) {
      m = compileMatcher(d.base);
      this.baseMatchers.set(d.name, m);
    }
    return m;
  }
}

const PAIR_BUDGET = 3000;

/**
 * Every conflict of one or two literals among `ground` (a positive literal that is empty on its own,
 * two positives that are disjoint, a positive inside a negative), found with cheap two-literal
 * searches. Learning them all at once saves the skeleton a round per pair.
 */
function pairCores<G extends { lit: Literal }>(ground: G[], search: (gs: G[]) => { status: string }): G[][] {
  const pos = ground.filter((g) => g.lit.value);
  const out: G[][] = [];
  let budget = PAIR_BUDGET;
  for (const p of pos) if (search([p]).status === 'unsat') out.push([p]);
  const emptyAlone = new Set(out.map((c) => c[0]!));
  for (let i = 0; i < pos.length; i++) {
    const p = pos[i]!;
    if (emptyAlone.has(p)) continue;
    for (const q of ground) {
      if (q === p || emptyAlone.has(q) || (q.lit.value && pos.indexOf(q) < i)) continue;
      if (--budget < 0) return out;
      if (search([p, q]).status === 'unsat') out.push([p, q]);
    }
  }
  return out;
}

function tryMatcher(r: Re): ((s: string) => boolean) | undefined {
  try {
    return compileMatcher(r);
  } catch {
    return undefined;
  }
}
