/**
 * Quick first witnesses, without the solver: the request each Allow statement is about (its
 * resource, principal and condition values), with the actions that matter, tried by the concrete
 * evaluator. For CheckNoNewAccess, each catalog action the new policy's patterns name, tried on both
 * policies: most new access is a new action, so patterns the old policy does not have come first,
 * and among their actions those no Allow of the old policy names. For CheckAccessNotGranted, the
 * listed actions on the listed (or the statements') resources. For CheckNoPublicAccess and access
 * outside trusted accounts, a caller from an account the question does not know (or an anonymous
 * one), without any identifying context key. Whatever they return, the caller confirms again;
 * finding nothing proves nothing, so only an early FAIL comes from here, never a PASS.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import { globMatches } from '../policy/glob.ts';
import type { Principal, Request } from '../evaluate/request.ts';
import { requestForStatement, resourceFor, resourceOutside } from '../evaluate/statement-request.ts';
import type { Policy, Statement } from '../policy/model.ts';
import { fencesOf, namedAccounts, notOutsider } from './outsider.ts';
import type { OutsidersOptions } from './request.ts';
import type { AccessSpec } from './types.ts';

export interface GuessLimits {
  /** requests evaluated at most (each on one or both policies) */
  maxTries: number;
  /** wall-clock budget in milliseconds, preparation included */
  maxMs: number;
  /** catalog actions tried per wildcard pattern */
  perPattern: number;
}

export const GUESS_LIMITS: GuessLimits = { maxTries: 2000, maxMs: 20, perPattern: 12 };

const isWild = (p: string): boolean => /[*?]/.test(p);

/**
 * Could some Allow statement of `p` match this action, resources and conditions aside? Patterns are
 * indexed by their service part, so a policy with thousands of patterns costs a few tests per action.
 */
function actionNamedByAllow(p: Policy): (actionKey: string) => boolean {
  const literal = new Set<string>();
  const byService = new Map<string, string[]>();
  const anyService: string[] = [];
  const notAction: string[][] = [];
  for (const st of p.statements) {
    if (st.effect !== 'Allow') continue;
    const values = st.action.patterns.map((x) => x.value.toLowerCase());
    if (st.action.negated) {
      notAction.push(values);
      continue;
    }
    for (const v of values) {
      if (!isWild(v)) {
        literal.add(v);
        continue;
      }
      const colon = v.indexOf(':');
      const service = colon < 0 ? '*' : v.slice(0, colon);
      if (isWild(service)) anyService.push(v);
      else {
        const list = byService.get(service);
        if (list) list.push(v);
        else byService.set(service, [v]);
      }
    }
  }
  return (key) => {
    if (literal.has(key)) return true;
    const service = key.slice(0, key.indexOf(':'));
    if (byService.get(service)?.some((x) => globMatches(x, key))) return true;
    if (anyService.some((x) => globMatches(x, key))) return true;
    return notAction.some((list) => !list.some((x) => globMatches(x, key)));
  };
}

/** A request for an action: the statement's, with a resource of the action's own type. */
type ForAction = (action: string) => Request;

/**
 * One request per Resource pattern of the statement (new access may be a new resource), each made
 * for the action it is tried with: a resource of that action's own type inside the pattern (outside
 * a NotResource list), as realistic as the catalog allows (statement-request.ts).
 */
function statementRequests(catalog: Catalog, st: Statement, limits: GuessLimits): ForAction[] {
  const first = requestForStatement(st, { catalog });
  if (st.resource?.negated) {
    const listed = st.resource.patterns.map((r) => r.value);
    return [(action) => ({ ...first, action, resource: resourceOutside(listed, catalog, action) })];
  }
  const patterns = st.resource
    ? st.resource.patterns.slice(0, limits.perPattern).map((r) => r.value)
    : [undefined];
  return patterns.map((pattern) => (action) => ({
    ...first,
    action,
    resource: resourceFor(pattern, catalog, action),
  }));
}

/**
 * Actions a pattern names: a wildcard's catalog actions (the first `perPattern`), a literal as the
 * catalog spells it. A literal the catalog does not know is kept as written unless `catalogOnly`
 * (the exact newly-granted list, which a new-access witness must appear in, has catalog actions only).
 */
function actionsOf(
  catalog: Catalog,
  pattern: string,
  limits: GuessLimits,
  catalogOnly = false,
): { key: string; display: string }[] {
  if (isWild(pattern)) return catalog.matchingActions(pattern).slice(0, limits.perPattern);
  const known = catalog.action(pattern.toLowerCase());
  if (known) return [known];
  return catalogOnly ? [] : [{ key: pattern.toLowerCase(), display: pattern }];
}

/** The guess's allowance: evaluations and wall-clock time, preparation included. */
class Budget {
  private readonly started = Date.now();
  private tries = 0;
  constructor(private readonly limits: GuessLimits) {}
  late(): boolean {
    return Date.now() - this.started > this.limits.maxMs;
  }
  /** Takes one evaluation; false once the allowance is spent. */
  spend(): boolean {
    return ++this.tries <= this.limits.maxTries && !this.late();
  }
}

/** The first candidate `allows` accepts, or undefined (none, or the budget ran out). */
function firstAllowed(
  candidates: Iterable<Request>,
  budget: Budget,
  allows: (r: Request) => boolean,
): Request | undefined {
  for (const request of candidates) {
    if (!budget.spend()) return undefined;
    if (allows(request)) return request;
  }
  return undefined;
}

const allowedBy =
  (catalog: Catalog, p: Policy) =>
  (request: Request): boolean =>
    evaluatePolicy(p, request, { catalog, brief: true }).decision === 'Allowed';

/**
 * A request the policy allows that performs a listed action and touches a listed resource (either
 * list may be absent: any action, any resource). Listed resources with wildcards are left to the
 * solver (the one filled in might not be what the list means).
 */
export function guessAccessGranted(
  catalog: Catalog,
  p: Policy,
  access: AccessSpec[],
  limits: GuessLimits = GUESS_LIMITS,
): Request | undefined {
  const budget = new Budget(limits);
  function* candidates(): Generator<Request> {
    for (const spec of access) {
      const resources = spec.resources?.length ? spec.resources.filter((r) => !isWild(r)) : undefined;
      if (resources?.length === 0) continue;
      const listed = spec.actions?.length
        ? spec.actions.flatMap((a) => actionsOf(catalog, a, limits))
        : undefined;
      for (const st of p.statements) {
        if (st.effect !== 'Allow') continue;
        const actions = listed
          ? listed
          : st.action.negated
            ? []
            : st.action.patterns.flatMap((x) => actionsOf(catalog, x.value, limits));
        const first = resources ? requestForStatement(st, { catalog }) : undefined;
        const bases: ForAction[] = resources
          ? resources.map((resource) => (action) => ({ ...first!, action, resource }))
          : statementRequests(catalog, st, limits);
        for (const a of actions) for (const base of bases) yield base(a.display);
      }
    }
  }
  return firstAllowed(candidates(), budget, allowedBy(catalog, p));
}

export function guessNewAccess(
  catalog: Catalog,
  oldP: Policy,
  newP: Policy,
  limits: GuessLimits = GUESS_LIMITS,
): Request | undefined {
  const budget = new Budget(limits);
  const named = actionNamedByAllow(oldP);
  const oldPatterns = new Set(
    oldP.statements
      .filter((st) => st.effect === 'Allow' && !st.action.negated)
      .flatMap((st) => st.action.patterns.map((x) => x.value.toLowerCase())),
  );
  const allows = newP.statements.filter((st) => st.effect === 'Allow' && !st.action.negated);
  const newOnly = (r: Request): boolean => !allowedBy(catalog, oldP)(r) && allowedBy(catalog, newP)(r);
  const tried = new Set<string>();
  // Candidates come in two passes over the new statements: patterns the old policy lacks, then the
  // ones it has too (new access through a wider resource or a looser condition). In each pass the
  // actions no old Allow names go first; the others wait until both passes have had their turn.
  const later: Request[] = [];
  for (const fresh of [true, false]) {
    const likely: Request[] = [];
    for (const st of allows) {
      const bases = statementRequests(catalog, st, limits);
      for (const pattern of st.action.patterns) {
        if (oldPatterns.has(pattern.value.toLowerCase()) === fresh) continue;
        if (budget.late()) return undefined;
        for (const a of actionsOf(catalog, pattern.value, limits, true)) {
          const id = `${st.index}|${a.key}`;
          if (tried.has(id)) continue;
          tried.add(id);
          for (const base of bases) (named(a.key) ? later : likely).push(base(a.display));
        }
      }
    }
    const found = firstAllowed(likely, budget, newOnly);
    if (found) return found;
  }
  return firstAllowed(later, budget, newOnly);
}

/**
 * A request the policy allows from outside: an AWS principal of an account neither trusted nor (for
 * CheckNoPublicAccess) named anywhere in the policy, an anonymous caller, or the statement's own
 * caller when its kind counts for the resource type (a service, an identity provider); none of the
 * policy's fencing keys (source IP, VPC, ARN, account, organization…) in its context, so the
 * question's fences and trusted organizations cannot count it as known; an action of the resource
 * type's services. Each candidate is an outsider's by outsider.ts before the evaluator sees it.
 */
export function guessOutsiderAccess(
  catalog: Catalog,
  p: Policy,
  o: OutsidersOptions,
  limits: GuessLimits = GUESS_LIMITS,
): Request | undefined {
  const budget = new Budget(limits);
  const known = o.publicMode ? namedAccounts(p) : [];
  const taken = new Set([...o.trusted, ...known]);
  let account = 999_999_999_999;
  while (taken.has(String(account))) account--;
  const callers: Principal[] = [
    { type: 'AWS', id: `arn:aws:iam::${account}:user/Outsider` },
    { type: 'Anonymous' },
  ];
  const fenced = o.publicMode ? fencesOf([p], o.reading) : new Map<string, string[]>();
  const dropped = new Set([
    ...fenced.keys(),
    'aws:principalaccount',
    'aws:principalarn',
    'aws:principalorgid',
  ]);
  const services = o.reading?.services.map((s) => `${s}:`);
  const outside = (r: Request): boolean => notOutsider(r, o, known, fenced) === undefined;
  function* candidates(): Generator<Request> {
    for (const st of p.statements) {
      if (st.effect !== 'Allow' || st.action.negated) continue;
      const actions = st.action.patterns
        .flatMap((x) => actionsOf(catalog, x.value, limits))
        .filter((a) => !services || services.some((s) => a.key.startsWith(s)));
      for (const forAction of statementRequests(catalog, st, limits))
        for (const a of actions) {
          const base = forAction(a.display);
          const context = Object.fromEntries(
            Object.entries(base.context).filter(([k]) => !dropped.has(k.toLowerCase())),
          );
          const own = base.principal && base.principal.type !== 'AWS' ? [base.principal] : [];
          for (const principal of [...callers, ...own]) {
            // a service acts for a resource owner: one of the outsider's account
            const ctx =
              principal.type === 'Service' ? { ...context, 'aws:SourceAccount': String(account) } : context;
            const r: Request = { action: a.display, resource: base.resource, context: ctx, principal };
            if (outside(r)) yield r;
          }
        }
    }
  }
  return firstAllowed(candidates(), budget, allowedBy(catalog, p));
}
