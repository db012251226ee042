import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import readOnly from '../fixtures/largest/ReadOnlyAccess.json';
import { recommend, type Recommendation, type UnusedPermissionsEntry } from './recommend.ts';
import type { TrieNode } from './trie.ts';
import { prng } from '../util/prng.ts';

/** The test's own concrete matcher: globs compiled to one case-insensitive RegExp per pattern list. */
const reCache = new Map<string, RegExp>();
function globsRegExp(patterns: readonly string[]): RegExp {
  const key = patterns.join('\n');
  let re = reCache.get(key);
  if (!re) {
    const alt = patterns.map((p) =>
      p
        .split('')
        .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
        .join(''),
    );
    re = new RegExp(`^(?:${alt.join('|')})$`, 'i');
    reCache.set(key, re);
  }
  return re;
}

interface St {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  [k: string]: unknown;
}
const list = (v: string | string[] | undefined) => (v === undefined ? [] : typeof v === 'string' ? [v] : v);
function allows(st: St, action: string): boolean {
  if (st.Effect !== 'Allow') return false;
  if (st.NotAction !== undefined) return !globsRegExp(list(st.NotAction)).test(action);
  return globsRegExp(list(st.Action)).test(action);
}
function statementsOf(doc: { Statement: St | St[] }): St[] {
  return Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
}

function walk(
  n: TrieNode,
  parent: TrieNode | undefined,
  f: (n: TrieNode, p: TrieNode | undefined) => void,
): void {
  f(n, parent);
  for (const c of n.children) walk(c, n, f);
}

/** Checks the three properties of a recommendation over the given catalog actions. */
function checkProperties(
  original: { Statement: St | St[] },
  rec: Recommendation,
  universe: string[],
  unused: string[],
): void {
  const unusedSet = new Set(unused.map((u) => u.toLowerCase()));
  const before = statementsOf(original);
  const after = rec.recommendedDocument
    ? statementsOf(rec.recommendedDocument as { Statement: St | St[] })
    : [];
  const outOf = new Map<number, St>();
  after.forEach((s, o) => outOf.set(rec.statementMap[o] ?? -1, s));
  before.forEach((orig, i) => {
    const now = outOf.get(i);
    if (orig.Effect === 'Deny') {
      expect(now).toEqual(orig);
      return;
    }
    const errors: string[] = [];
    for (const a of universe) {
      const was = allows(orig, a);
      const is = now ? allows(now, a) : false;
      const isUnused = unusedSet.has(a.toLowerCase());
      // nothing new, nothing unused
      if (is && !(was && !isUnused)) errors.push(`${a} newly or still allowed in statement ${i}`);
      // every used action still allowed
      if (was && !isUnused && !is) errors.push(`${a} lost in statement ${i}`);
    }
    // no unused action (catalog or not) is allowed
    if (now) for (const u of unused) if (allows(now, u)) errors.push(`unused ${u} allowed in statement ${i}`);
    expect(errors.slice(0, 5)).toEqual([]);
  });
  // least general: a chosen node's parent admits a forbidden action
  for (const r of rec.refinements) {
    const orig = before[r.statementIndex]!;
    const forbidden =
      r.element === 'Action'
        ? unused
        : universe.filter((a) => allows(orig, a) && !unusedSet.has(a.toLowerCase()));
    const bySvc = new Map<string, string[]>();
    for (const f of forbidden) {
      const svc = f.slice(0, f.indexOf(':')).toLowerCase();
      bySvc.set(svc, [...(bySvc.get(svc) ?? []), f]);
    }
    const admitsForbidden = (node: TrieNode) => {
      const re = globsRegExp(node.emits);
      return (node.service === undefined ? forbidden : (bySvc.get(node.service) ?? [])).some((u) =>
        re.test(u),
      );
    };
    walk(r.trie, undefined, (n, p) => {
      if (!n.chosen) return;
      expect(n.safe).toBe(true);
      if (r.element === 'Action') expect(admitsForbidden(n), n.id).toBe(false);
      if (!p) return;
      expect(p.safe, `${r.key}: parent of ${n.id}`).toBe(false);
      expect(admitsForbidden(p), `${r.key}: parent ${p.id} of ${n.id} admits nothing forbidden`).toBe(true);
    });
  }
}

function randomCase(s: string, rnd: () => number): string {
  return s
    .split('')
    .map((c) => (rnd() < 0.15 ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c))
    .join('');
}

function pick<T>(xs: readonly T[], rnd: () => number): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

function randomCase1(catalog: Catalog, rnd: () => number) {
  const services = catalog.services().filter((s) => catalog.serviceActions(s).length >= 5);
  const chosen = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(services, rnd));
  const useStar = rnd() < 0.08;
  const statements: St[] = [];
  const nSt = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < nSt; k++) {
    const actions: string[] = [];
    const n = 1 + Math.floor(rnd() * 5);
    for (let j = 0; j < n; j++) {
      const svc = pick(chosen, rnd);
      const a = pick(catalog.serviceActions(svc), rnd);
      const r = rnd();
      if (r < 0.25) actions.push(a.display);
      else if (r < 0.55) actions.push(`${svc}:${/^[A-Z]?[a-z]+/.exec(a.name)?.[0] ?? a.name.slice(0, 3)}*`);
      else if (r < 0.65) actions.push(`${svc}:*`);
      else if (r < 0.75) actions.push(`${svc}:${a.name.slice(0, 1 + Math.floor(rnd() * a.name.length))}*`);
      else if (r < 0.82) {
        const at = Math.floor(rnd() * a.name.length);
        actions.push(`${svc}:${a.name.slice(0, at)}?${a.name.slice(at + 1)}`);
      } else if (r < 0.88) actions.push(`${svc}:*${a.name.slice(-4)}`);
      else if (r < 0.93) actions.push(`${svc}:MadeUp${k}${j}`);
      else actions.push(randomCase(`${svc}:${a.name.slice(0, 4)}*`, rnd));
    }
    if (useStar && k === 0) actions.push('*');
    const effect = rnd() < 0.15 ? 'Deny' : 'Allow';
    const st: St = { Sid: `S${k}`, Effect: effect, Resource: '*' };
    if (effect === 'Allow' && rnd() < 0.15) st.NotAction = actions.slice(0, 2);
    else st.Action = actions;
    statements.push(st);
  }
  const unusedByService = new Map<string, string[]>();
  for (const svc of new Set(chosen)) {
    const p = rnd() * 0.6;
    const names = catalog
      .serviceActions(svc)
      .filter(() => rnd() < p)
      .map((a) => a.name);
    if (rnd() < 0.3) names.push('NotInCatalogAction');
    if (names.length > 0) unusedByService.set(svc, names);
  }
  const unused: UnusedPermissionsEntry[] = [...unusedByService].map(([serviceNamespace, actions]) => ({
    serviceNamespace,
    actions: actions.map((a) => (rnd() < 0.1 ? a.toLowerCase() : a)),
  }));
  return {
    doc: { Version: '2012-10-17', Statement: statements },
    unused,
    services: [...new Set(chosen)],
    useStar,
  };
}

describe('recommendation properties (seeded random policies over the real catalog)', () => {
  it('only removes unused actions, keeps every used one, and picks the least general cover', async () => {
    const catalog = await loadDefaultCatalog();
    const all = catalog.actions.map((a) => a.display);
    for (let seed = 1; seed <= 150; seed++) {
      const rnd = prng(seed);
      const c = randomCase1(catalog, rnd);
      const r = recommend(JSON.stringify(c.doc), c.unused, catalog);
      if (!r.ok) throw new Error(`seed ${seed}: ${r.error.message}`);
      const universe =
        c.useStar || c.doc.Statement.some((s) => s.NotAction)
          ? all
          : c.services.flatMap((s) => catalog.serviceActions(s).map((a) => a.display));
      const unusedNames = c.unused.flatMap((e) => e.actions.map((a) => `${e.serviceNamespace}:${a}`));
      try {
        checkProperties(c.doc, r.value, universe, unusedNames);
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}\n${JSON.stringify(c, null, 1)}`, { cause: e });
      }
    }
  });

  it('ReadOnlyAccess with a random 30% of its actions unused: correct (timing logged)', async () => {
    const catalog = await loadDefaultCatalog();
    const doc = readOnly.document as unknown as { Statement: St[] };
    const text = JSON.stringify(doc, null, 1);
    const allowed = catalog.actions.filter((a) => doc.Statement.some((s) => allows(s, a.display)));
    const rnd = prng(30);
    const unusedActions = allowed.filter(() => rnd() < 0.3);
    const bySvc = new Map<string, string[]>();
    for (const a of unusedActions) bySvc.set(a.service, [...(bySvc.get(a.service) ?? []), a.name]);
    const unused = [...bySvc].map(([serviceNamespace, actions]) => ({ serviceNamespace, actions }));
    recommend(text, unused, catalog); // warm the per-catalog index
    // Timings are logged, not asserted (wall-clock assertions are flaky on a shared machine; the
    // budget is 100 ms). Best of up to 20 runs, stopping once under budget.
    const times: number[] = [];
    let rec: Recommendation | undefined;
    for (let k = 0; k < 20 && !(k >= 5 && Math.min(...times) < 100); k++) {
      const t0 = performance.now();
      const r = recommend(text, unused, catalog);
      times.push(performance.now() - t0);
      if (!r.ok) throw new Error(r.error.message);
      rec = r.value;
    }
    times.sort((a, b) => a - b);
    const best = times[0]!;
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `ReadOnlyAccess: ${allowed.length} catalog actions allowed, ${unusedActions.length} unused, ${rec!.refinements.length} wildcards refined, best ${best.toFixed(1)} ms, median ${median.toFixed(1)} ms over ${times.length} runs`,
    );
    checkProperties(
      doc,
      rec!,
      allowed.map((a) => a.display),
      unusedActions.map((a) => a.display),
    );
  });
});
