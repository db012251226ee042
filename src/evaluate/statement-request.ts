/**
 * A request shaped by one statement: its first action and resource, its principal and its condition
 * values, wildcards and policy variables filled in with plain text. The Learn view offers it as "a
 * request statement N is about", the teaching tests vary it, and the checks try it as a quick first
 * witness (always confirmed by the evaluator, never taken on trust).
 */
import type { Principal, Request } from './request.ts';
import type { Statement } from '../policy/model.ts';

/** Fills wildcards and policy variables in with plain text. */
export function instantiatePattern(pattern: string, fill = 'example', one = 'x'): string {
  return pattern
    .replace(/\$\{[^}]*\}/g, fill)
    .replace(/\*/g, fill)
    .replace(/\?/g, one);
}

function principalOf(value: string, type: string): Principal {
  if (type !== 'AWS') return { type: type as 'Service', id: instantiatePattern(value) };
  if (/^\d{12}$/.test(value)) return { type: 'AWS', id: `arn:aws:iam::${value}:role/Example` };
  const root = /^arn:[^:*?]+:iam::(\d{12}):root$/.exec(value);
  if (root) return { type: 'AWS', id: `arn:aws:iam::${root[1]}:user/Example` };
  return { type: 'AWS', id: instantiatePattern(value, 'Example') };
}

/** A resource for a Resource pattern (`*` or none: an S3 object ARN). */
export function resourceFor(pattern: string | undefined): string {
  return pattern === undefined || pattern === '*'
    ? 'arn:aws:s3:::example-bucket/example'
    : instantiatePattern(pattern);
}

/** A request built from one statement: its first action and resource, its principal, its condition values. */
export function requestForStatement(st: Statement): Request {
  const action = st.action.negated
    ? 'example:ExampleAction'
    : instantiatePattern(st.action.patterns[0]?.value ?? 'example:ExampleAction', '', 'x') || 's3:GetObject';
  const resource = resourceFor(
    st.resource && !st.resource.negated ? st.resource.patterns[0]?.value : undefined,
  );
  const req: Request = { action: action.endsWith(':') ? `${action}Example` : action, resource, context: {} };
  const p = st.principal;
  if (p && !p.negated) {
    if (p.spec.kind === 'any') req.principal = { type: 'AWS', id: 'arn:aws:iam::111122223333:role/Example' };
    else {
      const e = p.spec.entries[0];
      const v = e?.values[0];
      if (e && v) req.principal = principalOf(v.value, e.type);
    }
  }
  for (const c of st.conditions) {
    const base = c.operator.base;
    const negated = /Not/.test(base);
    const v = c.values[0]?.value;
    if (v === undefined) continue;
    if (base === 'Null') {
      if (v.toLowerCase() === 'false') req.context[c.key] = 'example';
      continue;
    }
    if (negated) continue;
    req.context[c.key] = base.startsWith('Ip') ? v.replace(/\/\d+$/, '') : instantiatePattern(v);
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
  return req;
}
