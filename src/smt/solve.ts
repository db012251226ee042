/**
 * The lazy solver (DPLL(T) with Z3 on both sides). Z3 searches the Boolean skeleton, where every
 * membership atom is a plain Boolean; each dimension's chosen literals are then checked with ONE
 * regex membership (a JavaScript shortcut first: a sample string that satisfies all literals proves
 * them realisable without a solver call). An unrealisable set is shrunk to a small core and added
 * back as a lemma. Lemmas are facts about regexes, valid for every later query of the same check.
 *
 * Action atoms are special: in the catalog phase they are tied to the classes of catalog actions
 * (all actions with the same signature over the action atoms), so a model names a real action.
 *
 * Policy variables: a dimension whose atoms read variables is realised after the dimensions holding
 * the variables' values, with those values; a conflict found so is a lemma only when it holds for
 * every value (the keys it reads are absent, so their presence joins the lemma, or an
 * over-approximation of the variables is empty too). Otherwise a few other values are tried
 * (tryOtherValues), then every dimension the variables connect is decided at once by one Z3
 * string-theory query (smt/variables.ts), whose answer holds for every value. A model none of these
 * decides is set aside (Undecided): the search looks elsewhere and answers UNKNOWN, with the
 * reason, only if nothing else is found.
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
  ACCOUNT_KINDS,
  CALLER_KINDS,
  type Caller,
  type CallerKey,
  type CallerKind,
} from '../evaluate/caller.ts';
import { KIND_RE, accountView, callerCode, callerKeyView, decodeCaller } from './caller.ts';
import {
  SEVERAL_VALUES,
  instantiate,
  modeRe,
  overApproximate,
  type Atom,
  type Dim,
  type Encoder,
} from './encode.ts';
import { ALL, NONE, and as reAnd, not as reNot, str, toSmt, compileMatcher, type Re } from './regex.ts';
import {
  callerDomain,
  callerPresenceRe,
  jointQuery,
  matchingSplit,
  splitInstances,
  valuesFromSample,
  type Source,
} from './variables.ts';
import { decodeSmtString, readValues, realToDecimal } from './sexpr.ts';
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

/** A check's time budget; `stop` ends it early (a cancel: the runner's remembered interrupt). */
export class Deadline {
  constructor(
    readonly at: number,
    private readonly stop: () => boolean = () => false,
  ) {}
  remaining(): number {
    return this.stop() ? 0 : Math.max(0, this.at - Date.now());
  }
  expired(): boolean {
    return this.stop() || Date.now() >= this.at;
  }
}

type Literal = { atom: Atom; value: boolean };

class Unknown extends Error {}

/**
 * A model the theory could not decide (policy variables beyond what variables.ts decides exactly):
 * the skeleton is told to look elsewhere; only if nothing else is found is the answer UNKNOWN.
 */
class Undecided extends Unknown {
  constructor(
    message: string,
    readonly lits: Literal[],
  ) {
    super(message);
  }
}

/** A model of a joint query: dimension strings, and the values of the caller's keys it read. */
type JointModel = {
  ok: true;
  strings: Map<string, string>;
  callers: Map<string, { present: boolean; value: string }>;
  kind?: CallerKind;
};

/**
 * Not a dimension: the home of the presence flags (p_…, u_…) that lemmas about policy variables
 * hold as literals next to atoms.
 */
const FLAGS: Dim = { name: '(presence flags)', kind: 'string', base: ALL, atoms: [] };

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
/**
 * At most this long for one joint query (variables.ts): Z3's string solver either answers such
 * questions in well under a second or not at all, and an undecided model leaves the search free
 * to look elsewhere.
 */
const JOINT_CAP_MS = 1500;
/** tryOtherValues: "a value other than the current one" */
const OTHER = Symbol('other value');

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
  for (const a of accounts) {
    for (const id of [
      `arn:aws:sts::${a}:assumed-role/Developer/alice`,
      `arn:aws:iam::${a}:user/alice`,
      `arn:aws:iam::${a}:root`,
      `arn:aws:sts::${a}:federated-user/alice`,
    ])
      codes.push(callerCode(callerOf({ type: 'AWS', id })));
    // A service-linked role's session, as AWS names them (SCPs and RCPs exempt these).
    codes.push(
      callerCode(
        callerOf({
          type: 'AWS',
          id: `arn:aws:sts::${a}:assumed-role/AWSServiceRoleForElasticLoadBalancing/ElasticLoadBalancing`,
          path: '/aws-service-role/elasticloadbalancing.amazonaws.com/',
        }),
      ),
    );
  }
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
  private flagAtoms = new Map<string, Atom>();
  private jointMemo = new Map<string, JointModel | { ok: false; cores: Literal[][] }>();
  /** Z3 reports unsat cores in this context (set before the first scope; undefined: not asked) */
  private unsatCores: boolean | undefined;

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

  /** One Z3 call, within the deadline (and within `capMs` when given). */
  private async z3(script: string, capMs = Infinity): Promise<string> {
    if (this.deadline.expired()) throw new Unknown('timeout');
    this.calls++;
    const raw = await this.runner.run(
      `(set-option :timeout ${Math.max(1, Math.floor(Math.min(capMs, this.deadline.remaining())))})\n${script}`,
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
    // Whether each context key a variable reads is present is part of every model: lemmas about
    // variables are conditioned on it.
    for (const a of this.enc.atoms)
      if (a.pattern && vars.has(a.name))
        for (const k of a.varKeys) for (const f of this.presenceFlagNames(k)) vars.add(f);
    if (this.unsatCores === undefined && this.enc.atoms.some((a) => a.pattern)) {
      // Only allowed while nothing is asserted: here, before this scope opens.
      const out = await this.runner.run('(set-option :produce-unsat-cores true)');
      this.unsatCores = !/\(error/.test(out);
    }
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
    /** why some model was left undecided (policy variables): the answer if no other is found */
    let undecided: string | undefined;
    try {
      opened = true;
      for (let iter = 0; iter < 5000; iter++) {
        const out = (await this.z3(`${pending}\n${ask}`)).trim();
        pending = '';
        const newline = out.indexOf('\n');
        const answer = newline < 0 ? out : out.slice(0, newline);
        if (answer === 'unsat') {
          if (undecided !== undefined) throw new Unknown(undecided);
          return;
        }
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
        if (conflict && 'undecided' in conflict) {
          // Not a lemma: this scope only looks elsewhere, and remembers why.
          undecided ??= conflict.undecided;
          pending = this.assertion(
            forr(...conflict.lits.map((l) => (l.value ? fnot(bvar(l.atom.name)) : bvar(l.atom.name)))),
            'u',
          );
          continue;
        }
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
  ): Promise<Literal[][] | { undecided: string; lits: Literal[] } | undefined> {
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
    const withVariables = (d: Dim): boolean => d.atoms.some((a) => a.pattern && vars.has(a.name));
    // Ground dimensions first: every one is checked even after a conflict, so one round learns all.
    const cores: Literal[][] = [];
    for (const d of dims) {
      if (withVariables(d) || !active(d)) continue;
      const res = await this.realize(d, literals(d));
      if (!res.ok) cores.push(...res.cores);
      else model.strings.set(d.name, res.value);
    }
    if (cores.length) return cores;
    // Then each dimension with variables, after the dimensions its variables read.
    const reads = (d: Dim): Dim[] => this.readDims(literals(d), model);
    const pending = dims.filter((d) => withVariables(d) && active(d));
    const undecided: Dim[] = [];
    while (pending.length) {
      const i = pending.findIndex((d) => reads(d).every((h) => h === d || !pending.includes(h)));
      if (i < 0) {
        undecided.push(...pending); // they read each other: decided together
        break;
      }
      const d = pending.splice(i, 1)[0]!;
      if (reads(d).some((h) => (h === d && d.kind !== 'principal') || undecided.includes(h))) {
        undecided.push(d);
        continue;
      }
      const res = await this.realizeWithValues(d, literals(d), model);
      if (res === 'undecided') undecided.push(d);
      else if (res.ok) model.strings.set(d.name, res.value);
      else cores.push(...res.cores);
    }
    if (cores.length) return cores;
    for (const group of this.groups(undecided, dims.filter(active), reads)) {
      if (await this.tryOtherValues(group, literals, reads, model)) continue;
      try {
        const res = await this.decideJointly(group, literals, model);
        if (!res.ok) cores.push(...res.cores);
      } catch (e) {
        if (!(e instanceof Undecided) || cores.length) throw e;
        return { undecided: e.message, lits: e.lits };
      }
    }
    return cores.length ? cores : undefined;
  }

  /**
   * The values the model chose made a dimension fail, often by a coincidence (two keys both
   * 'example', a value that happens to be a pattern's text) or for want of one (two variables that
   * must be equal): before Z3 is asked, a few other values are tried, each a plain realisation —
   * every variable a fresh text no pattern holds (another caller, for the caller's keys), then one
   * variable taking another's value. True when every dimension of the group is realised so;
   * otherwise the strings are left as they were.
   */
  private async tryOtherValues(
    group: Dim[],
    literals: (d: Dim) => Literal[],
    reads: (d: Dim) => Dim[],
    model: Model,
  ): Promise<boolean> {
    const saved = new Map(model.strings);
    const principal = this.enc.dims.get('principal')!;
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
    const texts = this.enc.atoms.map((a) => a.label).join('\n');
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
        let res = await this.realizeGround(h, [...ground, ...forced, ...avoided], false);
        // A fresh or other value the home's own literals refuse: any value it allows.
        if (!res.ok && !hard && forced.length + avoided.length)
          res = await this.realizeGround(h, ground, false);
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
      const sample = await this.realizeGround(d, over, false);
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

  private kindsMemo = new Map<string, readonly CallerKind[]>();

  /** The kinds of caller a ground literal of the principal dimension admits (automata; any on doubt). */
  kindsOf(l: Literal): readonly CallerKind[] | undefined {
    if (!l.atom.re) return undefined;
    const key = `${l.value ? '+' : '-'}${l.atom.name}`;
    let kinds = this.kindsMemo.get(key);
    if (!kinds) {
      const oracle = new MembershipOracle();
      kinds = CALLER_KINDS.filter(
        (k) =>
          oracle.search(
            [
              { re: KIND_RE[k], positive: true },
              { re: l.atom.re!, positive: l.value },
            ],
            this.smtKey,
          ).status !== 'unsat',
      );
      this.kindsMemo.set(key, kinds);
    }
    return kinds;
  }

  /** The dimensions holding the values of the variables `lits` read (a caller's key: the principal). */
  private readDims(lits: Literal[], model: Model): Dim[] {
    const out = new Set<Dim>();
    for (const l of lits)
      for (const key of l.atom.pattern ? l.atom.varKeys : []) {
        const src = this.source(key, model);
        if (src.k === 'dim') out.add(src.dim);
        if (src.k === 'caller') out.add(this.enc.dims.get('principal')!);
      }
    return [...out];
  }

  /** The connected groups (dimensions linked by the variables they read) around `seeds`. */
  private groups(seeds: Dim[], dims: Dim[], reads: (d: Dim) => Dim[]): Dim[][] {
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

  /** Where a variable's key takes its value in this model (smt/variables.ts). */
  private source(key: string, model: Model): Source {
    if (isCallerKey(key)) return { k: 'caller' };
    const info = this.enc.keys.get(key);
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

  /** The skeleton's Booleans that say whether a context key is present (a multi-valued key: its slots). */
  private presenceFlagNames(key: string): string[] {
    if (isCallerKey(key)) return []; // the principal decides
    const info = this.enc.keys.get(key);
    if (!info) return [];
    const names = info.multi ? info.slots.map((s) => usedName(s.used)) : [usedName(info.presence)];
    return names.filter((n) => n !== '');
  }

  /** The presence flags of `keys` as literals of this model (what a lemma about variables assumed). */
  private presenceFlags(keys: Iterable<string>, model: Model): Literal[] {
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

  /** The value a variable takes in this model, from the dimensions realised so far. */
  private varValue(key: string, model: Model): string | undefined | typeof SEVERAL_VALUES {
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

  private baseTest(d: Dim): (s: string) => boolean {
    let m = this.baseMatchers.get(d.name);
    if (!m) {
      m = compileMatcher(d.base);
      this.baseMatchers.set(d.name, m);
    }
    return m;
  }

  /** A dimension without variables. */
  private async realize(
    d: Dim,
    lits: Literal[],
  ): Promise<{ ok: true; value: string } | { ok: false; cores: Literal[][] }> {
    const outside = d.kind === 'action' && this.symbolicAction;
    const ground = lits.map((lit) => ({ lit, re: outside ? this.outsideCatalogRe(lit.atom) : lit.atom.re! }));
    return this.realizeMemoized(d, ground, outside);
  }

  private async realizeMemoized(
    d: Dim,
    ground: { lit: Literal; re: Re }[],
    outside = false,
    wantCores = true,
  ): Promise<{ ok: true; value: string } | { ok: false; cores: Literal[][] }> {
    // Atom names are part of the key: a variable's instance may be the regex of another atom.
    const memoKey = `${outside ? 'outside:' : ''}${wantCores ? '' : 'nocores:'}${d.name}|${ground.map((g) => `${g.lit.value ? '+' : '-'}${g.lit.atom.name}=${this.smtKey(g.re)}`).join('|')}`;
    const hit = this.realizeMemo.get(memoKey);
    if (hit) return hit;
    const result = await this.realizeGround(d, ground, wantCores);
    this.realizeMemo.set(memoKey, result);
    return result;
  }

  /**
   * A dimension with variables, with the values the model gave them. A conflict is returned only
   * when it holds for every value; otherwise the dimension is 'undecided' (decideJointly).
   */
  private async realizeWithValues(
    d: Dim,
    lits: Literal[],
    model: Model,
    wantCores = true,
  ): Promise<{ ok: true; value: string } | { ok: false; cores: Literal[][] } | 'undecided'> {
    const keys = new Set(lits.flatMap((l) => (l.atom.pattern ? l.atom.varKeys : [])));
    if ([...keys].some((k) => this.source(k, model).k === 'unsupported')) return 'undecided';
    // A test of the caller that reads the caller's own keys (aws:userid like `*:${aws:username}`)
    // is left to a second step: checked on the caller the others give.
    const ownKeys = (l: Literal): boolean =>
      d.kind === 'principal' && l.atom.varKeys.some((k) => this.source(k, model).k === 'caller');
    const ground: { lit: Literal; re: Re }[] = [];
    for (const lit of lits) {
      if (ownKeys(lit)) {
        if (lit.value) ground.push({ lit, re: overApproximate(lit.atom, callerDomain) });
        continue;
      }
      // No value (absent key without default, several values): the pattern matches nothing.
      const re = instantiate(lit.atom, (key) => this.varValue(key, model)) ?? NONE;
      if (lit.value || re.k !== 'none') ground.push({ lit, re });
    }
    const result = await this.realizeMemoized(d, ground, false, wantCores);
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
    const r2 = await this.realizeMemoized(d, over);
    if (!r2.ok) return r2;
    return 'undecided';
  }

  /**
   * The dimensions of `group` (linked by the variables they read) decided together, for every
   * value of the variables, by Z3 (smt/variables.ts). Fills their strings, or returns a conflict
   * valid for every value. With keys the caller brings, the relaxed question (their values free,
   * the principal's literals left out) comes first: its conflicts hold for every caller, and its
   * model usually extends to a caller with those values; only when it does not is the principal's
   * caller code taken apart in the query itself.
   */
  private async decideJointly(
    group: Dim[],
    literals: (d: Dim) => Literal[],
    model: Model,
  ): Promise<{ ok: true } | { ok: false; cores: Literal[][] }> {
    const principal = this.enc.dims.get('principal')!;
    const dims = group.filter((d) => d.kind !== 'action').map((dim) => ({ dim, lits: literals(dim) }));
    const source = (key: string): Source => this.source(key, model);
    // What an undecided answer blocks: every literal of the group, and the keys' presence.
    const all = dims.flatMap((d) => d.lits);
    const lits = [
      ...all,
      ...this.presenceFlags(
        all.flatMap((l) => (l.atom.pattern ? l.atom.varKeys : [])),
        model,
      ),
    ];
    const caller = {
      baseKinds: this.enc.opts.identity ? ACCOUNT_KINDS : CALLER_KINDS,
      presenceKey: (a: Atom): string | undefined => {
        for (const [key, info] of this.enc.keys)
          if (isCallerKey(key) && info.presence.k === 'var' && info.presence.name === a.name) return key;
        return undefined;
      },
      kindsOf: (l: Literal) => this.kindsOf(l),
    };
    let res = await this.joint(jointQuery(dims, source, principal, caller), model, lits);
    if (!res.ok) return res;
    if (group.includes(principal)) {
      let code = await this.callerWith(res, literals(principal), model);
      if (code === undefined) {
        // The principal's other literals (a Principal element, ...) refuse those values: once more
        // with the values of the caller the model had, which they allow.
        const was = model.strings.get(principal.name);
        const p = was === undefined ? undefined : decodeCaller(was);
        const pins = new Map<string, string>();
        if (p)
          for (const key of res.callers.keys()) {
            const v = isCallerKey(key) ? callerKeyValue(callerOf(p), key) : undefined;
            if (v !== undefined) pins.set(key, v);
          }
        if (pins.size) {
          const again = await this.joint(jointQuery(dims, source, principal, caller, pins), model, lits);
          if (!again.ok) return again;
          code = await this.callerWith(again, literals(principal), model);
          if (code !== undefined) res = again;
        }
      }
      if (code === undefined)
        throw new Undecided(
          'could not decide the policy variables: no caller found with the values they need',
          lits,
        );
      model.strings.set(principal.name, code);
    }
    for (const [name, value] of res.strings) model.strings.set(name, value);
    return { ok: true };
  }

  /**
   * A caller code that has the values a relaxed model gave the caller's keys and satisfies the
   * principal's literals (their variables read with the model's values); undefined if none.
   */
  private async callerWith(found: JointModel, lits: Literal[], model: Model): Promise<string | undefined> {
    const principal = this.enc.dims.get('principal')!;
    const value = (key: string): string | undefined | typeof SEVERAL_VALUES => {
      const src = this.source(key, model);
      if (src.k === 'dim') return found.strings.get(src.dim.name);
      if (src.k === 'caller') {
        const c = found.callers.get(key === 'kms:calleraccount' ? 'aws:principalaccount' : key);
        return c?.present ? c.value : undefined;
      }
      return src.k === 'several' ? SEVERAL_VALUES : undefined;
    };
    const ground: { lit: Literal; re: Re }[] = [];
    for (const lit of lits) {
      const re = instantiate(lit.atom, value) ?? NONE;
      if (lit.value || re.k !== 'none') ground.push({ lit, re });
    }
    if (found.kind)
      ground.push({
        lit: {
          atom: { id: -1, name: '(caller kind)', dim: principal, varKeys: [], label: found.kind },
          value: true,
        },
        re: KIND_RE[found.kind],
      });
    for (const [key, c] of found.callers) {
      const re = c.present
        ? callerKeyView(key as CallerKey, [{ t: 'lit', s: c.value }], (t) => modeRe(t, 'literal'), 'literal')
        : callerPresenceRe(key);
      const atom: Atom = { id: -1, name: '(caller value)', dim: principal, varKeys: [], label: key };
      ground.push({ lit: { atom, value: c.present }, re });
    }
    const res = await this.realizeGround(principal, ground, false);
    return res.ok ? res.value : undefined;
  }

  private async joint(
    q: ReturnType<typeof jointQuery>,
    model: Model,
    lits: Literal[],
  ): Promise<JointModel | { ok: false; cores: Literal[][] }> {
    if ('unsupported' in q)
      throw new Undecided(`could not decide the policy variables: ${q.unsupported}`, lits);
    const memoKey = `${q.script}\n${q.assumptions.join(' ')}`;
    let res = this.jointMemo.get(memoKey);
    if (!res) {
      res = await this.runJoint(q, model, lits);
      this.jointMemo.set(memoKey, res);
    }
    return res;
  }

  private async runJoint(
    q: Exclude<ReturnType<typeof jointQuery>, { unsupported: string }>,
    model: Model,
    lits: Literal[],
  ): Promise<JointModel | { ok: false; cores: Literal[][] }> {
    this.membership.z3++;
    const labels = [
      ...new Set([...q.flagLit.values()].filter((l) => l.atom.pattern).map((l) => l.atom.label)),
    ];
    const which = labels.map((l) => `"${l}"`).join(', ');
    const check = async (assumptions: string[]): Promise<'sat' | 'unsat'> => {
      // A share of the time left: an undecided model leaves the rest to the search.
      const t = (
        await this.z3(
          `(check-sat-assuming (${assumptions.join(' ')}))`,
          Math.min(JOINT_CAP_MS, Math.max(500, this.deadline.remaining() / 3)),
        )
      ).trim();
      if (t === 'sat' || t === 'unsat') return t;
      if (this.deadline.expired())
        throw new Unknown(`timeout while deciding the policy variables in ${which}`);
      throw new Undecided(
        `could not decide the policy variables in ${which} (the string solver answered ${t})`,
        lits,
      );
    };
    const core = async (assumptions: string[]): Promise<string[]> => {
      if (!this.unsatCores) return assumptions;
      const names = (await this.z3('(get-unsat-core)')).match(/jl_\w+/g) ?? [];
      return names.length ? names : assumptions;
    };
    await this.z3(`(push)\n${q.script}`);
    try {
      let assumptions = q.assumptions;
      const pendingDeferred = [...q.deferred];
      for (let round = 0; ; round++) {
        if (round === 32)
          throw new Undecided(
            `could not decide the policy variables in ${which}: too many ways to split a pattern`,
            lits,
          );
        const answer = await check(assumptions);
        if (answer === 'unsat') {
          const used = await core(assumptions);
          if (used.includes(q.printable)) {
            // Printable strings were only a preference.
            assumptions = assumptions.filter((a) => a !== q.printable);
            continue;
          }
          if (used.includes('jl_pinned'))
            throw new Undecided(
              `could not decide the policy variables in ${which} for the callers tried`,
              lits,
            );
          if (q.restricted !== undefined && used.includes(q.restricted))
            throw new Undecided(
              `could not decide the policy variables in ${which}: a variable before the fifth colon of an ARN may add segments`,
              lits,
            );
          const inCore = used.flatMap((f) => {
            const l = q.flagLit.get(f);
            return l ? [l] : [];
          });
          const read = inCore.flatMap((l) => (l.atom.pattern ? l.atom.varKeys : []));
          return { ok: false, cores: [[...inCore, ...this.presenceFlags(read, model)]] };
        }
        const terms = new Set<string>(q.consts.values());
        for (const c of q.callerValues.values()) terms.add(c.w).add(c.present);
        for (const n of q.negatives) {
          terms.add(n.subject).add(n.nl);
          for (const t of n.terms) terms.add(t);
        }
        for (const d of q.deferred) terms.add(d.subject);
        if (q.kind) terms.add(q.kind);
        terms.delete('true');
        const values = readValues(await this.z3(`(get-value (${[...terms].join(' ')}))`));
        const text = (t: string): string => {
          const v = values.get(t);
          return typeof v === 'string' ? decodeSmtString(v) : '';
        };
        // A negative test the model took as false may hold at a split no instance covers yet.
        const instances: string[] = [];
        for (const n of q.negatives) {
          if (values.get(n.nl) === 'true') continue;
          const subject = text(n.subject);
          const termValues = n.terms.map(text);
          const at = matchingSplit(subject, termValues, n.pieces);
          if (at)
            instances.push(...splitInstances(n, subject, termValues, at, () => `js_${this.definitions++}`));
        }
        // Constraints left out so far, added when the model breaks them.
        const kind = q.kind === undefined ? undefined : Number(values.get(q.kind));
        for (let i = 0; i < pendingDeferred.length; i++) {
          const d = pendingDeferred[i]!;
          if (d.kind !== undefined && d.kind !== kind) continue;
          if (compileMatcher(d.re)(text(d.subject)) === d.member) continue;
          instances.push(d.assertion);
          pendingDeferred.splice(i--, 1);
        }
        if (instances.length) {
          await this.z3(instances.join('\n'));
          continue;
        }
        const strings = new Map<string, string>();
        for (const [dim, c] of q.consts) strings.set(dim, text(c));
        const callers = new Map<string, { present: boolean; value: string }>();
        for (const [key, c] of q.callerValues)
          callers.set(key, { present: kind !== undefined && c.kinds.includes(kind), value: text(c.w) });
        const found: JointModel = { ok: true, strings, callers };
        if (kind !== undefined && CALLER_KINDS[kind]) found.kind = CALLER_KINDS[kind];
        return found;
      }
    } finally {
      await this.runner.run('(pop)');
    }
  }

  /**
   * Realises one dimension's ground literals: a witness, or the conflict's cores (none when
   * `wantCores` is false: the caller only asks whether a witness exists).
   */
  private async realizeGround(
    d: Dim,
    ground: { lit: Literal; re: Re }[],
    wantCores = true,
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
    const exact = this.automataRealize(d, ground, wantCores);
    if (exact) return exact;
    // Z3 cannot be told "outside the catalog" cheaply (22,000 names): no answer is honest.
    if (d.kind === 'action' && this.symbolicAction) throw new Unknown('action automata too large');
    const reOf = (gs: { lit: Literal; re: Re }[]) =>
      reAnd(d.base, ...gs.map((g) => (g.lit.value ? g.re : reNot(g.re))));
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
    wantCores = true,
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
