/**
 * The joint decision of policy variables: every dimension a group of variables connects decided at
 * once, for every value of the variables, by one Z3 string-theory query (variables.ts jointQuery),
 * refined with instances at the splits a model shows (splits.ts) and with the constraints it left
 * out until a model breaks them. The caller is decided as its kind and the values of its keys; a
 * model is then given to a real caller (callerWith). An unsat answer's core is a lemma; an answer
 * Z3 cannot give sets the model aside (Undecided).
 */
import {
  CALLER_KINDS,
  ACCOUNT_KINDS,
  callerKeyValue,
  callerOf,
  isCallerKey,
  type CallerKey,
  type CallerKind,
} from '../evaluate/caller.ts';
import type { Atom, Dim, Literal } from './atoms.ts';
import { MembershipOracle } from './automata.ts';
import type { Bindings } from './bindings.ts';
import { KIND_RE, callerKeyView, decodeCaller } from './caller.ts';
import { callerPresenceRe } from './caller-domains.ts';
import { Undecided, Unknown, type Model, type SolverContext } from './context.ts';
import { SEVERAL_VALUES, instantiate, modeRe } from './patterns.ts';
import type { Ground, Realizer } from './realize.ts';
import { NONE, compileMatcher } from './regex.ts';
import { decodeSmtString, readValues } from './sexpr.ts';
import { matchingSplit, splitInstances } from './splits.ts';
import { jointQuery, type Source } from './variables.ts';

/** A model of a joint query: dimension strings, and the values of the caller's keys it read. */
type JointModel = {
  ok: true;
  strings: Map<string, string>;
  callers: Map<string, { present: boolean; value: string }>;
  kind?: CallerKind;
};

/**
 * At most this long for one joint query (variables.ts): Z3's string solver either answers such
 * questions in well under a second or not at all, and an undecided model leaves the search free
 * to look elsewhere.
 */
const JOINT_CAP_MS = 1500;

/** Decides groups of dimensions linked by policy variables, for one solver. */
export class JointDecider {
  private memo = new Map<string, JointModel | { ok: false; cores: Literal[][] }>();
  private kindsMemo = new Map<string, readonly CallerKind[]>();

  constructor(
    private readonly ctx: SolverContext,
    private readonly realizer: Realizer,
    private readonly bindings: Bindings,
  ) {}

  /**
   * The dimensions of `group` (linked by the variables they read) decided together, for every
   * value of the variables, by Z3 (smt/variables.ts). Fills their strings, or returns a conflict
   * valid for every value. With keys the caller brings, the relaxed question (their values free,
   * the principal's literals left out) comes first: its conflicts hold for every caller, and its
   * model usually extends to a caller with those values; only when it does not is the principal's
   * caller code taken apart in the query itself.
   */
  async decideJointly(
    group: Dim[],
    literals: (d: Dim) => Literal[],
    model: Model,
  ): Promise<{ ok: true } | { ok: false; cores: Literal[][] }> {
    const principal = this.ctx.enc.dims.get('principal')!;
    const dims = group.filter((d) => d.kind !== 'action').map((dim) => ({ dim, lits: literals(dim) }));
    const source = (key: string): Source => this.bindings.source(key, model);
    // What an undecided answer blocks: every literal of the group, and the keys' presence.
    const all = dims.flatMap((d) => d.lits);
    const lits = [
      ...all,
      ...this.bindings.presenceFlags(
        all.flatMap((l) => (l.atom.pattern ? l.atom.varKeys : [])),
        model,
      ),
    ];
    const caller = {
      baseKinds: this.ctx.enc.opts.identity ? ACCOUNT_KINDS : CALLER_KINDS,
      presenceKey: (a: Atom): string | undefined => {
        for (const [key, info] of this.ctx.enc.keys)
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
            this.realizer.smtKey,
          ).status !== 'unsat',
      );
      this.kindsMemo.set(key, kinds);
    }
    return kinds;
  }

  /**
   * A caller code that has the values a relaxed model gave the caller's keys and satisfies the
   * principal's literals (their variables read with the model's values); undefined if none.
   */
  private async callerWith(found: JointModel, lits: Literal[], model: Model): Promise<string | undefined> {
    const principal = this.ctx.enc.dims.get('principal')!;
    const value = (key: string): string | undefined | typeof SEVERAL_VALUES => {
      const src = this.bindings.source(key, model);
      if (src.k === 'dim') return found.strings.get(src.dim.name);
      if (src.k === 'caller') {
        const c = found.callers.get(key === 'kms:calleraccount' ? 'aws:principalaccount' : key);
        return c?.present ? c.value : undefined;
      }
      return src.k === 'several' ? SEVERAL_VALUES : undefined;
    };
    const ground: Ground[] = [];
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
    const res = await this.realizer.realizeGround(principal, ground, false);
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
    let res = this.memo.get(memoKey);
    if (!res) {
      res = await this.runJoint(q, model, lits);
      this.memo.set(memoKey, res);
    }
    return res;
  }

  private async runJoint(
    q: Exclude<ReturnType<typeof jointQuery>, { unsupported: string }>,
    model: Model,
    lits: Literal[],
  ): Promise<JointModel | { ok: false; cores: Literal[][] }> {
    this.ctx.membership.z3++;
    const labels = [
      ...new Set([...q.flagLit.values()].filter((l) => l.atom.pattern).map((l) => l.atom.label)),
    ];
    const which = labels.map((l) => `"${l}"`).join(', ');
    const check = async (assumptions: string[]): Promise<'sat' | 'unsat'> => {
      // A share of the time left: an undecided model leaves the rest to the search.
      const t = (
        await this.ctx.z3(
          `(check-sat-assuming (${assumptions.join(' ')}))`,
          Math.min(JOINT_CAP_MS, Math.max(500, this.ctx.deadline.remaining() / 3)),
        )
      ).trim();
      if (t === 'sat' || t === 'unsat') return t;
      if (this.ctx.deadline.expired())
        throw new Unknown(`timeout while deciding the policy variables in ${which}`);
      throw new Undecided(
        `could not decide the policy variables in ${which} (the string solver answered ${t})`,
        lits,
      );
    };
    const core = async (assumptions: string[]): Promise<string[]> => {
      if (!this.ctx.unsatCores) return assumptions;
      const names = (await this.ctx.z3('(get-unsat-core)')).match(/jl_\w+/g) ?? [];
      return names.length ? names : assumptions;
    };
    await this.ctx.z3(`(push)\n${q.script}`);
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
          return { ok: false, cores: [[...inCore, ...this.bindings.presenceFlags(read, model)]] };
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
        const values = readValues(await this.ctx.z3(`(get-value (${[...terms].join(' ')}))`));
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
            instances.push(
              ...splitInstances(n, subject, termValues, at, () => `js_${this.ctx.nextDefinition()}`),
            );
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
          await this.ctx.z3(instances.join('\n'));
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
      await this.ctx.runner.run('(pop)');
    }
  }
}
