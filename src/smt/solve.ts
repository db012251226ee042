/**
 * The lazy solver (DPLL(T) with Z3 on both sides): its loop. Z3 searches the Boolean skeleton, where
 * every membership atom is a plain Boolean; each dimension's chosen literals are then checked with
 * ONE regex membership (realize.ts: a JavaScript shortcut first, a sample string that satisfies all
 * literals proves them realisable without a solver call). An unrealisable set is shrunk to a small
 * core and added back as a lemma. Lemmas are facts about regexes, valid for every later query of
 * the same check.
 *
 * Action atoms are special: in the catalog phase they are tied to the classes of catalog actions
 * (classes.ts: all actions with the same signature over the action atoms), so a model names a real
 * action.
 *
 * Policy variables: a dimension whose atoms read variables is realised after the dimensions holding
 * the variables' values, with those values; a conflict found so is a lemma only when it holds for
 * every value (the keys it reads are absent, so their presence joins the lemma, or an
 * over-approximation of the variables is empty too; bindings.ts). Otherwise a few other values are
 * tried (tryOtherValues), then every dimension the variables connect is decided at once by one Z3
 * string-theory query (joint.ts, the query: variables.ts), whose answer holds for every value. A
 * model none of these decides is set aside (Undecided): the search looks elsewhere and answers
 * UNKNOWN, with the reason, only if nothing else is found.
 */
import type { Dim, Literal } from './atoms.ts';
import { Bindings } from './bindings.ts';
import { bvValue, clsIn, clsWidth, type ActionClass } from './classes.ts';
import {
  SolverContext,
  Undecided,
  Unknown,
  presenceValue,
  usedName,
  type CatalogActions,
  type Deadline,
  type Model,
} from './context.ts';
import type { Encoder } from './encode.ts';
import { FALSE, atMostOne, fand, fnot, forr, bvar, toSmtLib, variables, type Formula } from './formula.ts';
import { JointDecider } from './joint.ts';
import { Realizer } from './realize.ts';
import { readValues, realToDecimal } from './sexpr.ts';
import type { SmtRunner } from './runner.ts';

/** What to rule out before the next model: catalog classes, or a formula (symbolic phase). */
export type Exclusion = 'stop' | { classes?: number[]; formula?: Formula };

export type SolveResult =
  { status: 'sat'; model: Model } | { status: 'unsat' } | { status: 'unknown'; reason: string };

/**
 * One check's solver: one Z3 scope per question, its lemmas kept for the check's later questions;
 * its parts share one context (context.ts).
 */
export class LazySolver {
  readonly lemmas: Formula[] = [];
  private readonly ctx: SolverContext;
  private readonly realizer: Realizer;
  private readonly bindings: Bindings;
  private readonly joint: JointDecider;
  private literalAxiomsCache?: Formula;

  constructor(
    runner: SmtRunner,
    enc: Encoder,
    readonly background: Formula,
    deadline: Deadline,
    /** the catalog's action keys (lower case, sorted), for the symbolic phase */
    catalogActions?: CatalogActions,
  ) {
    this.ctx = new SolverContext(runner, enc, deadline, catalogActions);
    this.realizer = new Realizer(this.ctx);
    this.bindings = new Bindings(this.ctx, this.realizer);
    this.joint = new JointDecider(this.ctx, this.realizer, this.bindings);
  }

  /** Z3 calls so far. */
  get calls(): number {
    return this.ctx.calls;
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
    const actionAtoms = this.ctx.enc.dims.get('action')!.atoms;
    const actionNames = new Set(actionAtoms.map((a) => a.name));
    const classes = opts.classes;
    const width = clsWidth(classes?.length ?? 0);
    this.ctx.symbolicAction = !classes && this.ctx.catalogActions !== undefined;
    const whole = fand(root, this.background, this.literalAxioms(), opts.extra ?? fand());
    if (whole === FALSE) return;
    const { defs, expr, arithVars } = toSmtLib(whole, 'g');
    const vars = variables(whole);
    for (const l of this.lemmas) variables(l, vars);
    // Whether each context key a variable reads is present is part of every model: lemmas about
    // variables are conditioned on it.
    for (const a of this.ctx.enc.atoms)
      if (a.pattern && vars.has(a.name))
        for (const k of a.varKeys) for (const f of this.bindings.presenceFlagNames(k)) vars.add(f);
    if (this.ctx.unsatCores === undefined && this.ctx.enc.atoms.some((a) => a.pattern)) {
      // Only allowed while nothing is asserted: here, before this scope opens.
      const out = await this.ctx.runner.run('(set-option :produce-unsat-cores true)');
      this.ctx.unsatCores = !/\(error/.test(out);
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
        const out = (await this.ctx.z3(`${pending}\n${ask}`)).trim();
        pending = '';
        const newline = out.indexOf('\n');
        const answer = newline < 0 ? out : out.slice(0, newline);
        if (answer === 'unsat') {
          if (undecided !== undefined) throw new Unknown(undecided);
          return;
        }
        if (answer !== 'sat')
          throw new Unknown(this.ctx.deadline.expired() ? 'timeout' : `solver answered ${answer}`);
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
            if (!(this.ctx.symbolicAction && core.some((l) => l.atom.dim.kind === 'action')))
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
      if (opened) await this.ctx.runner.run('(pop)');
    }
  }

  /** `(assert f)` with f's shared parts as uniquely named definitions. */
  private assertion(f: Formula, prefix: string): string {
    const t = toSmtLib(f, `${prefix}${this.ctx.nextDefinition()}_`);
    return [...t.defs, `(assert ${t.expr})`].join('\n');
  }

  /** Checks every dimension's literals; returns a conflict (unrealisable literals) or fills strings. */
  private async theory(
    model: Model,
    vars: Set<string>,
    symbolicAction: boolean,
  ): Promise<Literal[][] | { undecided: string; lits: Literal[] } | undefined> {
    const dims = [...this.ctx.enc.dims.values()];
    const active = (d: Dim): boolean => {
      if (d.kind === 'action') return symbolicAction;
      if (d.kind === 'resource' || d.kind === 'principal') return true;
      const info = this.ctx.enc.keys.get(d.key!)!;
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
      const res = await this.realizer.realize(d, literals(d));
      if (!res.ok) cores.push(...res.cores);
      else model.strings.set(d.name, res.value);
    }
    if (cores.length) return cores;
    // Then each dimension with variables, after the dimensions its variables read.
    const reads = (d: Dim): Dim[] => this.bindings.readDims(literals(d), model);
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
      const res = await this.bindings.realizeWithValues(d, literals(d), model);
      if (res === 'undecided') undecided.push(d);
      else if (res.ok) model.strings.set(d.name, res.value);
      else cores.push(...res.cores);
    }
    if (cores.length) return cores;
    for (const group of this.bindings.groups(undecided, dims.filter(active), reads)) {
      if (await this.bindings.tryOtherValues(group, literals, reads, model)) continue;
      try {
        const res = await this.joint.decideJointly(group, literals, model);
        if (!res.ok) cores.push(...res.cores);
      } catch (e) {
        if (!(e instanceof Undecided) || cores.length) throw e;
        return { undecided: e.message, lits: e.lits };
      }
    }
    return cores.length ? cores : undefined;
  }

  /**
   * Two atoms of one dimension that each test equality with a different literal string exclude
   * each other: at most one of them holds, so the skeleton never proposes two at once (no lemma
   * per pair, no round per pair).
   */
  private literalAxioms(): Formula {
    if (this.literalAxiomsCache) return this.literalAxiomsCache;
    const out: Formula[] = [];
    let dimIndex = 0;
    for (const d of this.ctx.enc.dims.values()) {
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
}
