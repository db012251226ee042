/**
 * A request shaped by one statement: its first action and resource, its principal and its condition
 * values, wildcards and policy variables filled in with plain text. The Learn view offers it as "a
 * request statement N is about", the teaching tests vary it, and the checks try it as a quick first
 * witness (always confirmed by the evaluator, never taken on trust).
 *
 * With the catalog the request looks like AWS's (catalog/realistic.ts): a catalog action the
 * statement names, a resource of that action's own type inside the statement's pattern (region
 * `us-east-1`, account `111122223333`), a host address inside an IP range, a value of the key's type
 * where the statement only requires the key.
 */
import type { Catalog } from '../catalog/catalog.ts';
import {
  ACCOUNT,
  addressIn,
  firstResourceForPattern,
  resourceCandidates,
  resourcesForPattern,
  valueCandidates,
} from '../catalog/realistic.ts';
import { arnMatches, globMatches } from '../policy/glob.ts';
import type { Principal, Request } from './request.ts';
import type { Statement } from '../policy/model.ts';
import { callerOf, consistentContext, principalOfCaller } from './caller.ts';

/** Fills wildcards and policy variables in with plain text. */
export function instantiatePattern(pattern: string, fill = 'example', one = 'x'): string {
  return pattern
    .replace(/\$\{[^}]*\}/g, fill)
    .replace(/\*/g, fill)
    .replace(/\?/g, one);
}

function principalOf(value: string, type: string, realistic: boolean): Principal {
  const name = realistic ? 'Developer' : 'Example';
  if (type !== 'AWS') return { type: type as 'Service', id: instantiatePattern(value) };
  if (/^\d{12}$/.test(value)) return { type: 'AWS', id: `arn:aws:iam::${value}:role/${name}` };
  const root = /^arn:[^:*?]+:iam::(\d{12}):root$/.exec(value);
  if (root) return { type: 'AWS', id: `arn:aws:iam::${root[1]}:user/${realistic ? 'alice' : 'Example'}` };
  if (realistic && /[*?]/.test(value) && !value.includes('${')) {
    const filled = resourcesForPattern(undefined, '', value)[0];
    if (filled) return { type: 'AWS', id: filled };
  }
  return { type: 'AWS', id: instantiatePattern(value, name) };
}

/**
 * A resource for a Resource pattern (`*` or none: an S3 object ARN). With the catalog and the
 * request's action: a resource of the action's own type the pattern allows (`*` for an action without
 * a resource type), when there is one.
 */
export function resourceFor(pattern: string | undefined, catalog?: Catalog, action?: string): string {
  if (catalog && action) {
    const r =
      pattern === undefined
        ? resourceCandidates(catalog, action)[0]
        : firstResourceForPattern(catalog, action, pattern);
    if (r !== undefined) return r;
  }
  return pattern === undefined || pattern === '*'
    ? 'arn:aws:s3:::example-bucket/example'
    : instantiatePattern(pattern);
}

/** With the catalog: a resource of the action's type that none of a NotResource list's patterns match. */
export function resourceOutside(patterns: string[], catalog: Catalog | undefined, action: string): string {
  const named = (r: string) => patterns.some((p) => arnMatches(p, r));
  const candidates = catalog ? resourceCandidates(catalog, action) : [];
  return candidates.find((r) => !named(r)) ?? resourceFor(undefined);
}

/** A common action none of a NotAction list's patterns names. */
const COMMON_ACTIONS = ['s3:GetObject', 'ec2:DescribeInstances', 'sts:GetCallerIdentity', 'iam:ListRoles'];

/** The request's action for a statement: with the catalog, a catalog action its first pattern names. */
function actionFor(st: Statement, catalog: Catalog | undefined): string {
  if (st.action.negated) {
    const listed = st.action.patterns.map((p) => p.value);
    const free =
      catalog &&
      COMMON_ACTIONS.find((a) => !listed.some((p) => globMatches(p, a, { caseInsensitive: true })));
    return free ?? 'example:ExampleAction';
  }
  const pattern = st.action.patterns[0]?.value ?? 'example:ExampleAction';
  if (catalog) {
    if (!/[*?]/.test(pattern)) {
      const known = catalog.action(pattern);
      if (known) return known.display;
    } else {
      // A common action first (`*` is about s3:GetObject as well as anything), then the service's.
      const common = COMMON_ACTIONS.find((a) => globMatches(pattern, a, { caseInsensitive: true }));
      if (common) return common;
      const colon = pattern.indexOf(':');
      const service =
        colon > 0 && !/[*?]/.test(pattern.slice(0, colon)) ? pattern.slice(0, colon) : undefined;
      const known = service
        ? catalog.serviceActions(service).find((a) => globMatches(pattern, a.key, { caseInsensitive: true }))
        : catalog.matchingActions(pattern)[0];
      if (known) return known.display;
    }
  }
  const action = instantiatePattern(pattern, '', 'x') || 's3:GetObject';
  return action.endsWith(':') ? `${action}Example` : action;
}

/**
 * A request built from one statement: its first action and resource, its principal, its condition
 * values. With the catalog, realistic (see the module's comment).
 */
export function requestForStatement(st: Statement, opts: { catalog?: Catalog } = {}): Request {
  const catalog = opts.catalog;
  const realistic = catalog !== undefined;
  const action = actionFor(st, catalog);
  const resource =
    st.resource && st.resource.negated
      ? resourceOutside(
          st.resource.patterns.map((p) => p.value),
          catalog,
          action,
        )
      : resourceFor(st.resource?.patterns[0]?.value, catalog, action);
  const req: Request = { action, resource, context: {} };
  const p = st.principal;
  if (p && !p.negated) {
    if (p.spec.kind === 'any')
      req.principal = {
        type: 'AWS',
        id: `arn:aws:iam::${ACCOUNT}:role/${realistic ? 'Developer' : 'Example'}`,
      };
    else {
      const e = p.spec.entries[0];
      const v = e?.values[0];
      if (e && v) req.principal = principalOf(v.value, e.type, realistic);
    }
  }
  for (const c of st.conditions) {
    const base = c.operator.base;
    const negated = /Not/.test(base);
    const v = c.values[0]?.value;
    if (v === undefined) continue;
    if (base === 'Null') {
      if (v.toLowerCase() === 'false')
        req.context[c.key] = catalog ? valueCandidates(catalog, c.key)[0]! : 'example';
      continue;
    }
    if (negated) continue;
    req.context[c.key] = base.startsWith('Ip')
      ? ((realistic ? addressIn(v) : undefined) ?? v.replace(/\/\d+$/, ''))
      : realistic
        ? conditionValue(catalog, c.key, v)
        : instantiatePattern(v);
  }
  // Every policy variable was filled with "example": give its key that value too, so a pattern like
  // `${aws:PrincipalOrgID}` in a condition or a resource matches what was filled in.
  const texts = [
    ...(st.resource?.patterns ?? []).map((x) => x.value),
    ...st.conditions.flatMap((c) => c.values.map((x) => x.value)),
  ];
  for (const text of texts)
    for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
      const key = m[1]!.split(',')[0]!.trim();
      if (key === '*' || key === '?' || key === '$' || !key.includes(':')) continue;
      if (!Object.keys(req.context).some((k) => k.toLowerCase() === key.toLowerCase()))
        req.context[key] = 'example';
    }
  return settleCaller(req);
}

/**
 * A request whose keys occur together with its caller (evaluate/caller.ts): a condition's
 * aws:PrincipalArn names the caller when it is a caller's ARN (a role's: a session of it); the keys
 * the caller brings are then its own, not the statement's values.
 */
function settleCaller(req: Request): Request {
  if (!req.principal) return req;
  const arnKey = Object.keys(req.context).find((k) => k.toLowerCase() === 'aws:principalarn');
  const arn = arnKey === undefined ? undefined : req.context[arnKey];
  if (typeof arn === 'string' && req.principal.type === 'AWS') {
    try {
      req.principal = principalOfCaller(callerOf({ type: 'AWS', id: arn }));
    } catch {
      // not a caller's ARN: the caller stays as the Principal element named it
    }
  }
  try {
    req.context = consistentContext(callerOf(req.principal), req.context);
  } catch {
    // a principal that is no caller: the evaluator says so
  }
  return req;
}

/** A value a positive string or ARN condition accepts: the policy's, its wildcards filled realistically. */
function conditionValue(catalog: Catalog, key: string, value: string): string {
  if (value.includes('${') || !/[*?]/.test(value)) return instantiatePattern(value);
  if (value === '*') return valueCandidates(catalog, key)[0] ?? instantiatePattern(value);
  const typed = valueCandidates(catalog, key).find((x) => globMatches(value, x));
  if (typed !== undefined) return typed;
  if (value.startsWith('arn:'))
    return resourcesForPattern(undefined, '', value)[0] ?? instantiatePattern(value);
  return instantiatePattern(value);
}
