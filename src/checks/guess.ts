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
import { globMatches } from '../evaluate/glob.ts';
import type { Principal, Request } from '../evaluate/request.ts';
import { requestForStatement, resourceFor } from '../evaluate/statement-request.ts';
import type { Policy, Statement } from '../policy/model.ts';
import { IDENTIFYING_KEYS, namedAccounts, type OutsidersOptions } from './questions.ts';
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

/** One request per Resource pattern of the statement (new access may be a new resource). */
function statementRequests(st: Statement, limits: GuessLimits): Request[] {
  const first = requestForStatement(st);
  return st.resource && !st.resource.negated
    ? st.resource.patterns
        .slice(0, limits.perPattern)
        .map((r) => ({ ...first, resource: resourceFor(r.value) }))
    : [first];
}

/** Catalog actions a pattern names (the first `perPattern` of a wildcard's). */
function actionsOf(catalog: Catalog, pattern: string, limits: GuessLimits): string[] {
  if (!isWild(pattern)) return [catalog.action(pattern.toLowerCase())?.display ?? pattern];
  return catalog
    .matchingActions(pattern)
    .slice(0, limits.perPattern)
    .map((a) => a.display);
}

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
  const started = Date.now();
  const late = (): boolean => Date.now() - started > limits.maxMs;
  let tries = 0;
  const allows = p.statements.filter((st) => st.effect === 'Allow');
  for (const spec of access) {
    const resources = spec.resources?.length ? spec.resources.filter((r) => !isWild(r)) : undefined;
    if (resources && resources.length === 0) continue;
    const listed = spec.actions?.length
      ? spec.actions.flatMap((a) => actionsOf(catalog, a, limits))
      : undefined;
    for (const st of allows) {
      if (late()) return undefined;
      const actions =
        listed ??
        (st.action.negated ? [] : st.action.patterns.flatMap((x) => actionsOf(catalog, x.value, limits)));
      const bases = resources
        ? resources.map((resource) => ({ ...requestForStatement(st), resource }))
        : statementRequests(st, limits);
      for (const action of actions)
        for (const base of bases) {
          if (++tries > limits.maxTries || late()) return undefined;
          const request = { ...base, action };
          if (evaluatePolicy(p, request, { catalog, brief: true }).decision === 'Allowed') return request;
        }
    }
  }
  return undefined;
}

export function guessNewAccess(
  catalog: Catalog,
  oldP: Policy,
  newP: Policy,
  limits: GuessLimits = GUESS_LIMITS,
): Request | undefined {
  const started = Date.now();
  const late = (): boolean => Date.now() - started > limits.maxMs;
  const named = actionNamedByAllow(oldP);
  const oldPatterns = new Set(
    oldP.statements
      .filter((st) => st.effect === 'Allow' && !st.action.negated)
      .flatMap((st) => st.action.patterns.map((x) => x.value.toLowerCase())),
  );
  const allows = newP.statements.filter((st) => st.effect === 'Allow' && !st.action.negated);
  let tries = 0;
  const tried = new Set<string>();
  /** Evaluates the candidates in order; the first the new policy allows and the old does not wins. */
  const attempt = (candidates: Request[]): Request | 'stop' | undefined => {
    for (const request of candidates) {
      if (tries >= limits.maxTries || late()) return 'stop';
      tries++;
      if (evaluatePolicy(oldP, request, { catalog, brief: true }).decision === 'Allowed') continue;
      if (evaluatePolicy(newP, request, { catalog, brief: true }).decision === 'Allowed') return request;
    }
    return undefined;
  };
  // Candidates come in two passes over the new statements: patterns the old policy lacks, then the
  // ones it has too (new access through a wider resource or a looser condition). In each pass the
  // actions no old Allow names go first; the others wait until both passes have had their turn.
  const later: Request[] = [];
  for (const fresh of [true, false]) {
    const likely: Request[] = [];
    for (const st of allows) {
      const bases = statementRequests(st, limits);
      for (const pattern of st.action.patterns) {
        if (oldPatterns.has(pattern.value.toLowerCase()) === fresh) continue;
        if (late()) return undefined;
        const actions = catalog.matchingActions(pattern.value);
        for (const a of isWild(pattern.value) ? actions.slice(0, limits.perPattern) : actions) {
          const id = `${st.index}|${a.key}`;
          if (tried.has(id)) continue;
          tried.add(id);
          for (const base of bases) (named(a.key) ? later : likely).push({ ...base, action: a.display });
        }
      }
    }
    const found = attempt(likely);
    if (found === 'stop') return undefined;
    if (found) return found;
  }
  const found = attempt(later);
  if (found && found !== 'stop') return found;
  return undefined;
}

/**
 * A request the policy allows from outside: an AWS principal of an account neither trusted nor (for
 * CheckNoPublicAccess) named anywhere in the policy, or an anonymous caller; no identifying key
 * (source IP, VPC, ARN, account, organization…) in its context, so the question's fixed values and
 * trusted organizations cannot count it as known; an action of the resource type's service.
 */
export function guessOutsiderAccess(
  catalog: Catalog,
  p: Policy,
  o: OutsidersOptions,
  limits: GuessLimits = GUESS_LIMITS,
): Request | undefined {
  const started = Date.now();
  const late = (): boolean => Date.now() - started > limits.maxMs;
  const known = new Set(o.trusted);
  if (o.publicMode) for (const a of namedAccounts(p)) known.add(a);
  let account = 999_999_999_999;
  while (known.has(String(account))) account--;
  const callers: Principal[] = [
    { type: 'AWS', id: `arn:aws:iam::${account}:user/Outsider` },
    { type: 'Anonymous' },
  ];
  const dropped = new Set([...IDENTIFYING_KEYS, 'aws:principalaccount', 'aws:principalarn']);
  const ofService = (action: string): boolean =>
    !o.service || action.toLowerCase().startsWith(`${o.service.toLowerCase()}:`);
  let tries = 0;
  for (const st of p.statements) {
    if (st.effect !== 'Allow' || st.action.negated) continue;
    const actions = st.action.patterns.flatMap((x) => actionsOf(catalog, x.value, limits)).filter(ofService);
    for (const base of statementRequests(st, limits)) {
      const context = Object.fromEntries(
        Object.entries(base.context).filter(([k]) => !dropped.has(k.toLowerCase())),
      );
      for (const action of actions)
        for (const principal of callers) {
          if (++tries > limits.maxTries || late()) return undefined;
          const request: Request = { action, resource: base.resource, context, principal };
          if (evaluatePolicy(p, request, { catalog, brief: true }).decision === 'Allowed') return request;
        }
    }
  }
  return undefined;
}
