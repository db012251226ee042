/**
 * The second reading of every check: "as AWS authorizes it" (service-aware, issue 13). Access
 * Analyzer's reading counts any request a policy's patterns match; AWS only ever sees an action
 * requested on a resource of its own types (catalog/reference.ts). The service-aware question is the
 * same question restricted — root ∧ ⋀ (action ∈ G → resource ∈ shapes(G)) over groups G of catalog
 * actions with the same resource formats — not a second encoder; its counterexamples are confirmed
 * by the same referee, after the reference's own matcher has admitted them.
 *
 * Access Analyzer's PASS is a service-aware PASS (a restriction has fewer solutions). A FAIL with a
 * counterexample AWS could authorize is a service-aware FAIL at once. Only a FAIL (or UNKNOWN) whose
 * requests are all ruled out needs a search of its own.
 */
import type { Catalog, CatalogAction } from '../catalog/catalog.ts';
import type { ArnFormat } from '../catalog/arn-formats.ts';
import { catalogDate, describeTypes, ServiceReference } from '../catalog/reference.ts';
import type { Deadline } from '../smt/context.ts';
import { TRUE, fand, fimplies, fnot, type Formula } from '../smt/formula.ts';
import { and as reAnd, cat, or as reOr, star, str, ALL, ANY, type Re } from '../smt/regex.ts';
import type { SmtRunner } from '../smt/runner.ts';
import type { EncodedQuestion } from './questions.ts';
import type { Referee } from './referee.ts';
import { search, type SearchResult } from './search.ts';
import type { Request } from '../evaluate/request.ts';
import type { Counterexample, NewAccess, ServiceAware } from './types.ts';

const references = new WeakMap<Catalog, ServiceReference>();

/** The catalog's reference reader, made once per catalog. */
function referenceOf(catalog: Catalog): ServiceReference {
  let r = references.get(catalog);
  if (!r) references.set(catalog, (r = new ServiceReference(catalog)));
  return r;
}

/** A shape as a regex (the encoder's reading of catalog/reference.ts's pieces). */
export function formatRe(f: ArnFormat): Re {
  return cat(
    ...f.pieces.map((p): Re => {
      if (p.kind === 'lit') return str(p.text);
      if (p.kind === 'any') return ALL;
      const not = [...(p.noColon ? [':'] : []), ...(p.noSlash ? ['/'] : [])];
      const one: Re = not.length === 0 ? ANY : reAnd(...not.map((c): Re => ({ k: 'notchar', c })));
      return p.nonEmpty ? cat(one, star(one)) : star(one);
    }),
  );
}

/**
 * The restriction for these catalog actions: each group of actions with the same resource shapes
 * and the same keys ruled out is requested only on one of its shapes (`*` for actions with none),
 * without those keys.
 */
function restriction(q: EncodedQuestion, ref: ServiceReference, actions: CatalogAction[]): Formula {
  const keys = [...q.enc.keys.values()].map((k) => k.display);
  const groups = new Map<string, { formats: ArnFormat[]; any: boolean; names: string[]; absent: string[] }>();
  for (const a of actions) {
    const formats = ref.formats(a);
    const absent = keys.filter((k) => ref.keyProblem(a, k) !== undefined);
    const key = `${a.service}|${a.anyResource}|${formats.map((s) => s.format).join('\n')}|${absent.join('\n')}`;
    const g = groups.get(key);
    if (g) g.names.push(a.key);
    else groups.set(key, { formats, any: a.anyResource, names: [a.key], absent });
  }
  const resource = q.enc.dims.get('resource')!;
  return fand(
    ...[...groups.values()].map((g) =>
      fimplies(
        q.enc.actionsAtom(g.names),
        fand(
          q.enc.atom(
            resource,
            reOr(...g.formats.map(formatRe), ...(g.any ? [str('*')] : [])),
            `${g.formats.length ? describeTypes(g.formats) : ''}${g.any ? `${g.formats.length ? ' or ' : ''}"*"` : ''}`,
          ),
          // Keys the reference does not list for these actions are not on their requests.
          ...g.absent.map((k) => fnot(q.enc.presence(k))),
        ),
      ),
    ),
  );
}

/** A counterexample marked with why AWS would never authorize it (undefined when it could). */
function mark(ref: ServiceReference, ce: Counterexample): Counterexample {
  const out = ref.ruledOut(ce.request);
  return out ? { ...ce, impossible: out.reason } : ce;
}

export interface ServiceAwareOptions {
  runner: SmtRunner;
  catalog: Catalog;
  deadline: Deadline;
  question: EncodedQuestion;
  referee: Referee;
  exact: boolean;
  /** the check's words for its verdicts */
  pass: string;
  fail: string;
}

/**
 * The service-aware reading of a check whose Access Analyzer answer is `aa`; `aa`'s counterexamples
 * and newly granted actions are marked where AWS would never authorize them (returned as `marked`).
 */
export async function serviceAwareReading(
  o: ServiceAwareOptions,
  aa: SearchResult,
): Promise<{ reading: ServiceAware; marked: SearchResult }> {
  const ref = referenceOf(o.catalog);
  const started = Date.now();
  const date = catalogDate(o.catalog);
  const catalog = { version: o.catalog.version, ...(date ? { date } : {}) };
  const caveat = `A service-aware PASS rests on the service reference being complete and current (catalog ${date ?? o.catalog.version}).`;
  const marked: SearchResult = { ...aa, counterexamples: aa.counterexamples.map((c) => mark(ref, c)) };
  const possible = marked.counterexamples.filter((c) => c.impossible === undefined);
  const ruledOut = marked.counterexamples.flatMap((c) =>
    c.impossible === undefined
      ? []
      : [{ action: c.request.action, reason: c.impossible, statements: c.grantedBy }],
  );
  const done = (r: Omit<ServiceAware, 'catalog' | 'ruledOut' | 'stats'>, calls = 0): ServiceAware => ({
    ...r,
    catalog,
    ruledOut,
    stats: { elapsedMs: Date.now() - started, solverCalls: calls },
  });
  if (aa.result === 'PASS')
    return {
      reading: done({ result: 'PASS', message: `${o.pass} ${caveat}`, counterexamples: [] }),
      marked,
    };
  if (aa.result === 'FAIL' && !o.exact && possible.length > 0)
    return { reading: done({ result: 'FAIL', message: o.fail, counterexamples: possible }), marked };
  // For an exact list: an action whose class's witness (with the action swapped in) AWS could
  // authorize is in the service-aware list without a search; only the others are searched.
  const settled: string[] = [];
  let actions: CatalogAction[] | undefined;
  if (o.exact && aa.result === 'FAIL' && aa.witnesses) {
    const open: CatalogAction[] = [];
    for (const w of aa.witnesses)
      for (const name of w.actions) {
        if (ref.ruledOut({ ...w.request, action: name })) open.push(o.catalog.action(name)!);
        else settled.push(name);
      }
    actions = open;
    if (open.length === 0)
      return {
        reading: done({
          result: 'FAIL',
          message: o.fail,
          counterexamples: possible,
          newAccess: aa.newAccess!,
        }),
        marked,
      };
  } else actions = aa.candidates?.();
  if (!actions)
    return {
      reading: done({
        result: 'UNKNOWN',
        message: 'The service-aware reading could not be decided within its limits.',
        counterexamples: [],
        unknownReason: 'timeout (grouping the catalog actions)',
      }),
      marked,
    };
  // The restricted question; for an exact list, about the unsettled actions only.
  const question: EncodedQuestion = {
    enc: o.question.enc,
    root: fand(
      o.question.root,
      restriction(o.question, ref, actions),
      settled.length ? o.question.enc.actionsAtom(actions.map((a) => a.key)) : TRUE,
    ),
    background: o.question.background,
  };
  const referee: Referee = (req) => {
    const out = ref.ruledOut(req);
    return out ? `AWS would never authorize it: ${out.reason}` : o.referee(req);
  };
  const sa = await search({ ...o, question, referee });
  let newAccess = sa.newAccess;
  if (marked.newAccess && newAccess) {
    // The settled actions are in the service-aware list with Access Analyzer's statements.
    const keep = new Set([...settled, ...newAccess.services.flatMap((x) => x.actions.map((a) => a.action))]);
    newAccess = filterList(marked.newAccess, keep, sa.newAccess!);
    // Only a finished search shows the other actions cannot be requested as AWS authorizes.
    if (sa.result !== 'UNKNOWN') marked.newAccess = markList(marked.newAccess, newAccess, ref, aa.witnesses);
  }
  const counterexamples = [...possible, ...sa.counterexamples].slice(0, 3);
  const base = { counterexamples, ...(newAccess ? { newAccess } : {}) };
  // A settled action is access AWS could authorize: FAIL, even when the search of the rest stopped.
  if (settled.length) sa.result = 'FAIL';
  const reading =
    sa.result === 'PASS'
      ? done(
          {
            ...base,
            result: 'PASS',
            message: `${o.pass} Access Analyzer's reading finds requests AWS would never authorize: ${ruledOut
              .slice(0, 3)
              .map((r) => r.reason)
              .join('; ')}. ${caveat}`,
          },
          sa.stats.solverCalls,
        )
      : sa.result === 'FAIL'
        ? done({ ...base, result: 'FAIL', message: o.fail }, sa.stats.solverCalls)
        : done(
            {
              ...base,
              result: 'UNKNOWN',
              message: 'The service-aware reading could not be decided within its limits.',
              unknownReason: sa.unknownReason ?? 'unknown',
            },
            sa.stats.solverCalls,
          );
  return { reading, marked };
}

/** Access Analyzer's list cut to the actions in `keep` (the service-aware list), with its counts. */
function filterList(aa: NewAccess, keep: Set<string>, sa: NewAccess): NewAccess {
  const services = aa.services
    .map((s) => ({ ...s, actions: s.actions.filter((a) => keep.has(a.action)) }))
    .filter((s) => s.actions.length > 0);
  const out: NewAccess = {
    services,
    count: services.reduce((n, s) => n + s.actions.length, 0),
    // Actions outside the catalog are not restricted: the two readings agree on them.
    outsideCatalog: aa.outsideCatalog,
    elapsedMs: aa.elapsedMs + sa.elapsedMs,
  };
  if (sa.note) out.note = sa.note;
  return out;
}

/** Access Analyzer's list with each action the service-aware list lacks marked impossible. */
function markList(
  aa: NewAccess,
  sa: NewAccess,
  ref: ServiceReference,
  witnesses: SearchResult['witnesses'],
): NewAccess {
  const possible = new Set(sa.services.flatMap((s) => s.actions.map((a) => a.action.toLowerCase())));
  const found = new Map<string, Request>();
  for (const w of witnesses ?? [])
    for (const name of w.actions) found.set(name, { ...w.request, action: name });
  return {
    ...aa,
    services: aa.services.map((s) => ({
      ...s,
      actions: s.actions.map((a) => {
        if (possible.has(a.action.toLowerCase())) return a;
        const witness = found.get(a.action);
        const why = witness && ref.ruledOut(witness)?.reason;
        return {
          ...a,
          impossible: `no request for ${a.action} that the check finds is one AWS would authorize${why ? `; the one found: ${why}` : ''}`,
        };
      }),
    })),
  };
}
