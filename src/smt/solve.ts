/**
 * The lazy solver (DPLL(T) with Z3 on both sides). Z3 searches the Boolean skeleton, where every
 * membership atom is a plain Boolean; each dimension's chosen literals are then checked with ONE
 * regex membership (a JavaScript shortcut first: a sample string that satisfies all literals proves
 * them realisable without a solver call). An unrealisable set is shrunk to a small core and added
 * back as a lemma. Lemmas are facts about regexes, valid for every later query of the same check.
 *
 * Action atoms are special: in the catalog phase they are tied to the classes of catalog actions
 * (all actions with the same signature over the action atoms), so a model names a real action.
 */
import type { CatalogAction } from '../catalog/catalog.ts';
import {
  FALSE,
  atMostOne,
  fand,
  fimplies,
  fnot,
  forr,
  bvar,
  toSmtLib,
  variables,
  type Formula,
} from './formula.ts';
import {
  callerAccount,
  callerKeyValue,
  callerOf,
  isCallerKey,
  principalName,
  type Caller,
} from '../evaluate/caller.ts';
import { callerCode, decodeCaller } from './caller.ts';
import { instantiate, overApproximate, type Atom, type Dim, type Encoder } from './encode.ts';
import { and as reAnd, not as reNot, toSmt, compileMatcher, type Re } from './regex.ts';
import { decodeSmtString, readValues, realToDecimal, type SExpr } from './sexpr.ts';
import { MembershipOracle, type Literal as ReLiteral } from './automata.ts';
import type { SmtRunner } from './runner.ts';

export interface ActionClass {
  sig: boolean[];
  actions: CatalogAction[];
}

export interface Model {
  bools: Map<string, boolean>;
  reals: Map<string, string>;
  /** witness string per dimension name */
  strings: Map<string, string>;
  cls?: number;
}

/** What to rule out before the next model: catalog classes, or a formula (symbolic phase). */
export type Exclusion = 'stop' | { classes?: number[]; formula?: Formula };

/**
 * The class selector is a bit-vector, so "cls is one of these" is pure propositional logic after
 * bit-blasting. (Equalities of an Int or Real with hundreds of constants sent Z3 5.1 into timeouts
 * on ten-variable problems.)
 */
function clsWidth(n: number): number {
  return Math.max(1, Math.ceil(Math.log2(n + 1)));
}

function clsIn(indices: number[], width: number): string {
  const eq = (i: number) => `(= cls (_ bv${i} ${width}))`;
  if (indices.length === 1) return eq(indices[0]!);
  return `(or ${indices.map(eq).join(' ')})`;
}

/** A bit-vector value as Z3 prints it (#b…, #x…, or (_ bvN w)). */
function bvValue(text: string): number {
  if (text.startsWith('#b')) return parseInt(text.slice(2), 2);
  if (text.startsWith('#x')) return parseInt(text.slice(2), 16);
  const m = /bv(\d+)/.exec(text);
  return m ? Number(m[1]) : NaN;
}

export type SolveResult =
  { status: 'sat'; model: Model } | { status: 'unsat' } | { status: 'unknown'; reason: string };

export class Deadline {
  constructor(readonly at: number) {}
  remaining(): number {
    return Math.max(0, this.at - Date.now());
  }
  expired(): boolean {
    return Date.now() >= this.at;
  }
}

type Literal = { atom: Atom; value: boolean };

class Unknown extends Error {}

/**
 * Action atoms that only list catalog actions by name (no wildcard): false for every action outside
 * the catalog, which is what the symbolic phase looks for.
 */
export function catalogOnlyAtoms(enc: Encoder, isCatalogAction: (key: string) => boolean): Atom[] {
  return enc.dims
    .get('action')!
    .atoms.filter((a) => a.actionPatterns?.every((p) => !/[*?]/.test(p) && isCatalogAction(p)));
}

/**
 * An action has one service (the text before its first ':'). An atom whose patterns all start with a
 * literal service implies that the action's service is one of those (one flag per service, at most
 * one flag set), so atoms of different services exclude each other without a lemma per pair.
 */
export function serviceAxioms(enc: Encoder): Formula {
  const ids = new Map<string, number>();
  const out: Formula[] = [];
  for (const a of enc.dims.get('action')!.atoms) {
    const services = new Set<string>();
    for (const p of a.actionPatterns ?? ['*']) {
      const c = p.indexOf(':');
      const svc = c < 0 ? '*' : p.slice(0, c);
      if (/[*?]/.test(svc)) {
        services.clear();
        break;
      }
      services.add(svc);
    }
    if (!services.size) continue;
    const flags = [...services].map((sv) => {
      let id = ids.get(sv);
      if (id === undefined) ids.set(sv, (id = ids.size));
      return bvar(`svc_${id}`);
    });
    out.push(fimplies(bvar(a.name), forr(...flags)));
  }
  out.push(
    atMostOne(
      [...ids.values()].map((id) => bvar(`svc_${id}`)),
      'svc_amo',
    ),
  );
  return fand(...out);
}

/** Computes catalog action classes over the action atoms. */
export function actionClasses(
  enc: Encoder,
  actions: CatalogAction[],
  deadline?: Deadline,
): { classes: ActionClass[]; atoms: Atom[] } | undefined {
  const atoms = enc.dims.get('action')!.atoms;
  // Each atom is tested per service: only its patterns for that service (and those with a wildcard
  // in the service part) can match, so a 1,500-pattern statement costs a few small regexes per action
  // instead of one huge alternation (measured: 1.2 s for ReadOnlyAccess against 22,000 actions).
  const testers = atoms.map((a) => serviceTester(enc, a));
  const byKey = new Map<string, ActionClass>();
  // Per service, only the atoms that can match one of its actions are tested.
  const perService = new Map<string, { idx: number; test: (key: string) => boolean }[]>();
  for (const [n, action] of actions.entries()) {
    if ((n & 1023) === 1023 && deadline?.expired()) return undefined;
    let tests = perService.get(action.service);
    if (!tests) {
      tests = [];
      for (let i = 0; i < testers.length; i++) {
        const test = testers[i]!(action.service);
        if (test !== NEVER) tests.push({ idx: i, test });
      }
      perService.set(action.service, tests);
    }
    let key = '';
    for (const t of tests) if (t.test(action.key)) key += `${t.idx},`;
    let cls = byKey.get(key);
    if (!cls) {
      const sig = new Array<boolean>(atoms.length).fill(false);
      for (const i of key.split(',')) if (i) sig[Number(i)] = true;
      cls = { sig, actions: [] };
      byKey.set(key, cls);
    }
    cls.actions.push(action);
  }
  return { classes: [...byKey.values()], atoms };
}

const NEVER = (): boolean => false;

/** For an action atom: the test it makes on actions of one service. */
function serviceTester(enc: Encoder, a: Atom): (service: string) => (key: string) => boolean {
  if (!a.actionPatterns) {
    const m = enc.matcher(a);
    return () => m;
  }
  const bySvc = new Map<string, string[]>();
  const anySvc: string[] = [];
  for (const p of a.actionPatterns) {
    const c = p.indexOf(':');
    const svc = c < 0 ? p : p.slice(0, c);
    if (c < 0 || /[*?]/.test(svc)) anySvc.push(p);
    else bySvc.set(svc, [...(bySvc.get(svc) ?? []), p]);
  }
  const any = anySvc.length ? compileMatcher(enc.actionRe(anySvc)) : undefined;
  return (service) => {
    const own = bySvc.get(service);
    const m = own ? compileMatcher(enc.actionRe(own)) : undefined;
    if (m && any) return (key) => m(key) || any(key);
    return m ?? any ?? NEVER;
  };
}

const PRINTABLE: Re = { k: 'star', r: { k: 'range', lo: ' ', hi: '~' } };

/** Sample strings a regex obviously contains (used to avoid solver calls). */
function samples(r: Re, filler: string): string[] {
  switch (r.k) {
    case 'str':
      return [r.s];
    case 'any':
    case 'notchar':
      return ['x'];
    case 'all':
      return [filler];
    case 'none':
      return [];
    case 'range':
      return [r.lo];
    case 'star':
      return ['', ...samples(r.r, filler).slice(0, 1)];
    case 'loop': {
      const one = samples(r.r, filler)[0];
      return one === undefined ? [] : [one.repeat(r.n)];
    }
    case 'cat': {
      let acc = [''];
      for (const part of r.rs) {
        const s = part.k === 'star' && part.r.k === 'notchar' ? [filler] : samples(part, filler);
        const next: string[] = [];
        for (const a of acc) for (const b of s.slice(0, 2)) if (next.length < 4) next.push(a + b);
        acc = next;
        if (!acc.length) return [];
      }
      return acc;
    }
    case 'or':
      return r.rs.flatMap((x) => samples(x, filler)).slice(0, 6);
    case 'and':
    case 'not':
      return [];
  }
}

const DEFAULTS: Record<string, string[]> = {
  resource: [
    'arn:aws:s3:::example-bucket/example-object',
    'arn:aws:iam::111122223333:role/example',
    'example',
  ],
  principal: [
    'Anonymous:',
    'Service:s3.amazonaws.com',
    'Federated:cognito-identity.amazonaws.com',
    'CanonicalUser:79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  ],
  string: ['example', 'true', 'false', '1'],
  ip: ['4:' + [203, 0, 113, 10].map((p) => p.toString(2).padStart(8, '0')).join(''), 'x:'],
  action: ['example:exampleaction'],
};

/**
 * Realistic callers for the accounts a principal literal names (positive literals first): the
 * account's root, a role in it, and a session of that role, before any synthetic string.
 */
function principalCandidates(lits: Literal[]): string[] {
  const named: Caller[] = [];
  const accounts: string[] = [];
  for (const l of [...lits].sort((a, b) => Number(b.value) - Number(a.value))) {
    for (const m of l.atom.label.matchAll(/\b\d{12}\b/g)) if (!accounts.includes(m[0])) accounts.push(m[0]);
    // The callers a Principal value names (a role's session, the user itself) come first.
    for (const m of l.atom.label.matchAll(/arn:[a-z-]+:(?:iam|sts)::\d{12}:[^\s,]+/g)) {
      const n = principalName('AWS', m[0]);
      if (n.category === 'nobody' || n.category === 'account') continue;
      try {
        named.push(callerOf({ type: 'AWS', id: m[0] }));
      } catch {
        // not a caller
      }
    }
    for (const m of l.atom.label.matchAll(/(?:Service|Federated):([^\s,]+)/g))
      named.push(
        m[0].startsWith('Service')
          ? { kind: 'service', service: m[1]! }
          : { kind: 'identity-provider', provider: m[1]! },
      );
  }
  accounts.push('111122223333', '444455556666');
  const codes = named.map(callerCode);
  for (const a of accounts)
    for (const id of [
      `arn:aws:sts::${a}:assumed-role/Developer/alice`,
      `arn:aws:iam::${a}:user/alice`,
      `arn:aws:iam::${a}:root`,
      `arn:aws:sts::${a}:federated-user/alice`,
    ])
      codes.push(callerCode(callerOf({ type: 'AWS', id })));
  return codes;
}

export class LazySolver {
  readonly lemmas: Formula[] = [];
  private realizeMemo = new Map<string, { ok: true; value: string } | { ok: false; cores: Literal[][] }>();
  private baseMatchers = new Map<string, (s: string) => boolean>();
  private oracles = new Map<string, MembershipOracle>();
  private smtKeys = new WeakMap<Re, string>();
  /** membership questions answered by the automata / by Z3 */
  readonly membership = { automata: 0, z3: 0, samples: 0 };
  calls = 0;
  /** set during the symbolic phase: the action is a string outside the catalog */
  private symbolicAction = false;
  private reducedActionRe = new Map<Atom, Re>();

  constructor(
    readonly runner: SmtRunner,
    readonly enc: Encoder,
    readonly background: Formula,
    readonly deadline: Deadline,
    /** the catalog's action keys (lower case, sorted), for the symbolic phase */
    readonly catalogActions?: { keys: readonly string[]; has: (key: string) => boolean },
  ) {}

  /**
   * The part of an action atom that can match an action outside the catalog: its patterns with a
   * wildcard and its names the catalog does not know. For such an action the two agree exactly.
   */
  private outsideCatalogRe(a: Atom): Re {
    let re = this.reducedActionRe.get(a);
    if (!re) {
      const keep = (a.actionPatterns ?? []).filter((p) => /[*?]/.test(p) || !this.catalogActions!.has(p));
      re = a.actionPatterns ? this.enc.actionRe(keep) : a.re!;
      this.reducedActionRe.set(a, re);
    }
    return re;
  }

  private async z3(script: string): Promise<string> {
    if (this.deadline.expired()) throw new Unknown('timeout');
    this.calls++;
    const raw = await this.runner.run(
      `(set-option :timeout ${Math.max(1, this.deadline.remaining())})\n${script}`,
    );
    // A (get-value) sent with its (check-sat) in one call has no model after unsat: expected.
    const out = raw.replace(/^\(error "line \d+ column \d+: model is not available"\)\n?/m, '');
    if (/\(error/.test(out)) throw new Error(`Z3 rejected the script: ${out.slice(0, 500)}`);
    return out;
  }

  /**
   * Is `root` satisfiable? In the catalog phase the action atoms are tied to `classes` (minus
   * `excluded`); otherwise they are free and realised by a symbolic action string.
   */
  async solve(
    root: Formula,
    opts: { classes?: ActionClass[]; excluded?: Set<number>; extra?: Formula } = {},
  ): Promise<SolveResult> {
    let found: Model | undefined;
    const r = await this.enumerate(root, opts, (m) => {
      found = m;
      return 'stop';
    });
    if (r.status === 'unknown') return r;
    return found ? { status: 'sat', model: found } : { status: 'unsat' };
  }

  /**
   * Enumerates models of `root` in one solver scope: after each model `onModel` says which classes
   * to rule out next (catalog phase), or a formula to add (symbolic phase), or 'stop'. The script is
   * sent once; every refinement is an incremental assertion, so a round costs one check-sat.
   */
  async enumerate(
    root: Formula,
    opts: { classes?: ActionClass[]; excluded?: Set<number>; extra?: Formula },
    onModel: (m: Model) => Promise<Exclusion> | Exclusion,
  ): Promise<{ status: 'done' } | { status: 'unknown'; reason: string }> {
    try {
      await this.enumerateInner(root, opts, onModel);
      return { status: 'done' };
    } catch (e) {
      if (e instanceof Unknown) return { status: 'unknown', reason: e.message };
      throw e;
    }
  }

  private async enumerateInner(
    root: Formula,
    opts: { classes?: ActionClass[]; excluded?: Set<number>; extra?: Formula },
    onModel: (m: Model) => Promise<Exclusion> | Exclusion,
  ): Promise<void> {
    const actionAtoms = this.enc.dims.get('action')!.atoms;
    const actionNames = new Set(actionAtoms.map((a) => a.name));
    const classes = opts.classes;
    const width = clsWidth(classes?.length ?? 0);
    this.symbolicAction = !classes && this.catalogActions !== undefined;
    const whole = fand(root, this.background, this.literalAxioms(), opts.extra ?? fand());
    if (whole === FALSE) return;
    const { defs, expr, arithVars } = toSmtLib(whole, 'g');
    const vars = variables(whole);
    for (const l of this.lemmas) variables(l, vars);
    const lines: string[] = ['(push)'];
    const declared: string[] = [];
    for (const v of [...vars].sort()) {
      if (classes && actionNames.has(v)) continue;
      lines.push(`(declare-const ${v} Bool)`);
      declared.push(v);
    }
    for (const r of arithVars) lines.push(`(declare-const ${r} Real)`);
    if (classes) {
      lines.push(`(declare-const cls (_ BitVec ${width}))`);
      const allowed = classes.map((_, i) => i).filter((i) => !opts.excluded?.has(i));
      if (allowed.length === 0) return;
      lines.push(`(assert ${clsIn(allowed, width)})`);
      actionAtoms.forEach((a, j) => {
        if (!vars.has(a.name)) return;
        const on = allowed.filter((i) => classes[i]!.sig[j]);
        lines.push(`(define-fun ${a.name} () Bool ${on.length ? clsIn(on, width) : 'false'})`);
      });
    }
    lines.push(...defs, `(assert ${expr})`);
    for (const l of this.lemmas) {
      const t = toSmtLib(l, 'l');
      lines.push(...t.defs, `(assert ${t.expr})`);
    }
    const names = [...declared, ...arithVars, ...(classes ? ['cls'] : [])];
    const ask = names.length ? `(check-sat)\n(get-value (${names.join(' ')}))` : '(check-sat)';
    // Each round is ONE call: what to add (the scope's setup, then lemmas or exclusions), the
    // check-sat and the get-value. In a browser worker every call crosses to a Z3 thread and back.
    let pending = lines.join('\n');
    let opened = false;
    try {
      opened = true;
      for (let iter = 0; iter < 5000; iter++) {
        const out = (await this.z3(`${pending}\n${ask}`)).trim();
        pending = '';
        const newline = out.indexOf('\n');
        const answer = newline < 0 ? out : out.slice(0, newline);
        if (answer === 'unsat') return;
        if (answer !== 'sat')
          throw new Unknown(this.deadline.expired() ? 'timeout' : `solver answered ${answer}`);
        const values = readValues(newline < 0 ? '' : out.slice(newline + 1));
        const model: Model = { bools: new Map(), reals: new Map(), strings: new Map() };
        for (const v of declared) model.bools.set(v, values.get(v) === 'true');
        for (const r of arithVars) model.reals.set(r, realToDecimal(values.get(r) ?? '0'));
        if (classes) {
          model.cls = bvValue(String(values.get('cls')));
          if (!classes[model.cls]) throw new Error(`unreadable class selector ${String(values.get('cls'))}`);
          actionAtoms.forEach((a, j) => model.bools.set(a.name, classes[model.cls!]!.sig[j]!));
        }
        const conflict = await this.theory(model, vars, !classes);
        if (conflict) {
          const lemmas = conflict.map((core) =>
            forr(...core.map((l) => (l.value ? fnot(bvar(l.atom.name)) : bvar(l.atom.name)))),
          );
          // Lemmas about actions outside the catalog hold only in this phase: assert them in this
          // scope only; the others are facts about regexes, kept for every later question.
          for (const [i, core] of conflict.entries())
            if (!(this.symbolicAction && core.some((l) => l.atom.dim.kind === 'action')))
              this.lemmas.push(lemmas[i]!);
          pending = this.assertion(fand(...lemmas), 'l');
          continue;
        }
        const next = await onModel(model);
        if (next === 'stop') return;
        const adds: string[] = [];
        if (next.classes?.length) adds.push(`(assert (not ${clsIn(next.classes, width)}))`);
        if (next.formula) adds.push(this.assertion(next.formula, 'x'));
        pending = adds.join('\n');
      }
      throw new Unknown('too many refinement rounds');
    } finally {
      if (opened) await this.runner.run('(pop)');
    }
  }

  private definitions = 0;

  /** `(assert f)` with f's shared parts as uniquely named definitions. */
  private assertion(f: Formula, prefix: string): string {
    const t = toSmtLib(f, `${prefix}${this.definitions++}_`);
    return [...t.defs, `(assert ${t.expr})`].join('\n');
  }

  /** Checks every dimension's literals; returns a conflict (unrealisable literals) or fills strings. */
  private async theory(
    model: Model,
    vars: Set<string>,
    symbolicAction: boolean,
  ): Promise<Literal[][] | undefined> {
    const dims = [...this.enc.dims.values()];
    const active = (d: Dim): boolean => {
      if (d.kind === 'action') return symbolicAction;
      if (d.kind === 'resource' || d.kind === 'principal') return true;
      const info = this.enc.keys.get(d.key!)!;
      if (d.element !== undefined) {
        const slot = info.slots.find((s) => s.element === d.element);
        return slot ? (model.bools.get(usedName(slot.used)) ?? false) : false;
      }
      return presenceValue(info.presence, model);
    };
    const literals = (d: Dim): Literal[] =>
      d.atoms
        .filter((a) => vars.has(a.name) || (d.kind === 'action' && symbolicAction && model.bools.has(a.name)))
        .map((a) => ({ atom: a, value: model.bools.get(a.name) ?? false }));
    // Ground dimensions first, then those whose atoms refer to other keys' values.
    const ordered = [
      ...dims.filter((d) => !d.atoms.some((a) => a.pattern)),
      ...dims.filter((d) => d.atoms.some((a) => a.pattern)),
    ];
    // Every ground dimension is checked even after a conflict, so one round learns all of them.
    const cores: Literal[][] = [];
    for (const d of ordered) {
      if (!active(d)) continue;
      if (cores.length && d.atoms.some((a) => a.pattern)) break;
      const lits = literals(d);
      const res = await this.realize(d, lits, (key) => this.varValue(key, model));
      if (!res.ok) cores.push(...res.cores);
      else model.strings.set(d.name, res.value);
    }
    return cores.length ? cores : undefined;
  }

  private literalAxiomsCache?: Formula;

  /**
   * Two atoms of one dimension that each test equality with a different literal string exclude
   * each other: at most one of them holds, so the skeleton never proposes two at once (no lemma
   * per pair, no round per pair).
   */
  private literalAxioms(): Formula {
    if (this.literalAxiomsCache) return this.literalAxiomsCache;
    const out: Formula[] = [];
    let dimIndex = 0;
    for (const d of this.enc.dims.values()) {
      const lits = d.atoms.filter((a) => a.re?.k === 'str');
      dimIndex++;
      out.push(
        atMostOne(
          lits.map((a) => bvar(a.name)),
          `lit_${dimIndex}`,
        ),
      );
    }
    this.literalAxiomsCache = fand(...out);
    return this.literalAxiomsCache;
  }

  private varValue(key: string, model: Model): string | undefined {
    if (isCallerKey(key) || key === 'kms:calleraccount') {
      const code = model.strings.get('principal');
      const p = code === undefined ? undefined : decodeCaller(code);
      if (!p) return undefined;
      if (isCallerKey(key)) return callerKeyValue(callerOf(p), key);
      const info = this.enc.keys.get(key);
      return info && presenceValue(info.presence, model) ? callerAccount(callerOf(p)) : undefined;
    }
    const info = this.enc.keys.get(key);
    if (!info || info.multi) return undefined;
    if (!presenceValue(info.presence, model)) return undefined;
    return model.strings.get(`ctx:${key}`) ?? 'example';
  }

  private baseTest(d: Dim): (s: string) => boolean {
    let m = this.baseMatchers.get(d.name);
    if (!m) {
      m = compileMatcher(d.base);
      this.baseMatchers.set(d.name, m);
    }
    return m;
  }

  private async realize(
    d: Dim,
    lits: Literal[],
    values: (key: string) => string | undefined,
  ): Promise<{ ok: true; value: string } | { ok: false; cores: Literal[][] }> {
    const ground: { lit: Literal; re: Re }[] = [];
    let hasVar = false;
    const outside = d.kind === 'action' && this.symbolicAction;
    for (const lit of lits) {
      const re = outside ? this.outsideCatalogRe(lit.atom) : instantiate(lit.atom, values);
      if (lit.atom.pattern) hasVar = true;
      if (re === undefined) {
        // The variable's key is absent: the pattern matches nothing.
        if (lit.value) throw new Unknown(`policy variable in "${lit.atom.label}" has no single value`);
        continue;
      }
      ground.push({ lit, re });
    }
    const memoKey = `${outside ? 'outside:' : ''}${d.name}|${ground.map((g) => `${g.lit.value ? '+' : '-'}${this.smtKey(g.re)}`).join('|')}`;
    const hit = this.realizeMemo.get(memoKey);
    if (hit) return hit;
    const result = await this.realizeGround(d, ground);
    if (!result.ok && hasVar) {
      // The conflict may depend on the variables' chosen values: only an over-approximation that is
      // still empty justifies a lemma.
      const over = lits
        .filter((l) => !l.atom.pattern || l.value)
        .map((l) => ({ lit: l, re: overApproximate(l.atom) }));
      const r2 = await this.realizeGround(d, over);
      if (r2.ok)
        throw new Unknown(
          `could not decide the policy variables in "${lits.find((l) => l.atom.pattern)?.atom.label}"`,
        );
      this.realizeMemo.set(memoKey, r2);
      return r2;
    }
    this.realizeMemo.set(memoKey, result);
    return result;
  }

  private async realizeGround(
    d: Dim,
    ground: { lit: Literal; re: Re }[],
  ): Promise<{ ok: true; value: string } | { ok: false; cores: Literal[][] }> {
    const tests = ground.map((g) => ({ g, test: tryMatcher(g.re) }));
    const base = this.baseTest(d);
    const candidates: string[] = [];
    if (d.kind === 'principal') candidates.push(...principalCandidates(ground.map((g) => g.lit)));
    for (const g of ground) if (g.lit.value) candidates.push(...samples(g.re, 'example'));
    candidates.push(...(DEFAULTS[d.kind] ?? []));
    if (tests.every((t) => t.test))
      for (const c of candidates)
        if (
          base(c) &&
          tests.every((t) => t.test!(c) === t.g.lit.value) &&
          !(d.kind === 'action' && this.symbolicAction && this.catalogActions!.has(c))
        ) {
          this.membership.samples++;
          return { ok: true, value: c };
        }
    const exact = this.automataRealize(d, ground);
    if (exact) return exact;
    // Z3 cannot be told "outside the catalog" cheaply (22,000 names): no answer is honest.
    if (d.kind === 'action' && this.symbolicAction) throw new Unknown('action automata too large');
    const reOf = (gs: { lit: Literal; re: Re }[]) =>
      reAnd(d.base, ...gs.map((g) => (g.lit.value ? g.re : reNot(g.re))));
    const sat = await this.member(reOf(ground), true);
    if (sat !== undefined) return { ok: true, value: sat };
    // Shrink to a small core by deletion.
    let core = ground.slice();
    for (let i = 0; i < core.length && core.length > 1;) {
      const without = core.filter((_, j) => j !== i);
      if ((await this.member(reOf(without), false)) === undefined) core = without;
      else i++;
    }
    return { ok: false, cores: [core.map((g) => g.lit)] };
  }

  private smtKey = (re: Re): string => {
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
  private automataRealize(
    d: Dim,
    ground: { lit: Literal; re: Re }[],
  ): { ok: true; value: string } | { ok: false; cores: Literal[][] } | undefined {
    let oracle = this.oracles.get(d.name);
    if (!oracle) {
      oracle = new MembershipOracle();
      this.oracles.set(d.name, oracle);
    }
    const search = (gs: { lit: Literal; re: Re }[]) => {
      const lits: ReLiteral[] = [
        { re: d.base, positive: true },
        ...gs.map((g) => ({ re: g.re, positive: g.lit.value })),
      ];
      if (d.kind === 'action' && this.symbolicAction)
        lits.push({ words: this.catalogActions!.keys, wordsKey: 'catalog', positive: false });
      return oracle.search(lits, this.smtKey, () => this.deadline.expired());
    };
    const first = search(ground);
    if (first.status === 'unknown') return undefined;
    this.membership.automata++;
    if (first.status === 'sat') return { ok: true, value: first.value };
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
    this.membership.z3++;
    const printable = reAnd(re, PRINTABLE);
    for (const r of wantValue ? [printable, re] : [re]) {
      const t = (
        await this.z3(`(push)(declare-const x String)(assert (str.in_re x ${toSmt(r)}))(check-sat)`)
      ).trim();
      try {
        if (t.startsWith('unsat')) continue;
        if (!t.startsWith('sat'))
          throw new Unknown(this.deadline.expired() ? 'timeout' : `solver answered ${t.split('\n')[0]}`);
        if (!wantValue) return '';
        const v = readValues(await this.z3('(get-value (x))')).get('x');
        return typeof v === 'string' ? decodeSmtString(v) : '';
      } finally {
        await this.runner.run('(pop)');
      }
    }
    return undefined;
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

function usedName(f: Formula): string {
  return f.k === 'var' ? f.name : '';
}

export function presenceValue(f: Formula, model: Model): boolean {
  if (f.k === 'const') return f.v;
  if (f.k === 'var') return model.bools.get(f.name) ?? false;
  return false;
}

export type { SExpr };
