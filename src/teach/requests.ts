/**
 * Requests shaped by a policy: for a statement, a request that is likely to match it (its actions,
 * resources, principals and condition values, wildcards filled in), and seeded random variations of
 * such requests. Used to hold the teaching formula to the concrete evaluator, and by the Learn view to
 * offer "a request statement 1 is about".
 */
import type { Request, Principal } from '../evaluate/request.ts';
import type { Policy, Statement } from '../policy/model.ts';
import { multiValuedKeys, type BuildOptions } from './terms.ts';
import { prng } from '../util/prng.ts';

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

/** A request built from one statement: its first action and resource, its principal, its condition values. */
export function requestForStatement(st: Statement): Request {
  const action = st.action.negated
    ? 'example:ExampleAction'
    : instantiatePattern(st.action.patterns[0]?.value ?? 'example:ExampleAction', '', 'x') || 's3:GetObject';
  const resourcePattern = st.resource && !st.resource.negated ? st.resource.patterns[0]?.value : undefined;
  const resource =
    resourcePattern === undefined || resourcePattern === '*'
      ? 'arn:aws:s3:::example-bucket/example'
      : instantiatePattern(resourcePattern);
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
  return req;
}

const OTHER_VALUES = [
  'other',
  'true',
  'false',
  '5',
  '0',
  '2020-01-01T00:00:00Z',
  '10.1.2.3',
  'arn:aws:iam::999999999999:role/Other',
];

/**
 * `count` requests around the policy's statements: each starts from a statement's request and then
 * changes parts at random (another action or resource, another caller, keys dropped, changed or
 * given several values where the key is multi-valued).
 */
export function sampleRequests(
  policy: Policy,
  count: number,
  seed: number,
  opts: BuildOptions = {},
): Request[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const multi = multiValuedKeys(policy, opts);
  const bases = policy.statements.map(requestForStatement);
  const actions = [
    ...new Set(bases.map((b) => b.action)),
    's3:GetObject',
    'iam:PassRole',
    'EC2:StartInstances',
  ];
  const resources = [...new Set(bases.map((b) => b.resource)), 'arn:aws:s3:::other/key', 'not-an-arn', '*'];
  const principals: (Principal | undefined)[] = [
    undefined,
    { type: 'Anonymous' },
    { type: 'AWS', id: 'arn:aws:iam::123456789012:role/R' },
    { type: 'AWS', id: 'arn:aws:iam::999999999999:user/U' },
    { type: 'Service', id: 'ec2.amazonaws.com' },
    ...bases.flatMap((b) => (b.principal ? [b.principal] : [])),
  ];
  const keyValues = new Map<string, { display: string; values: string[] }>();
  for (const st of policy.statements)
    for (const c of st.conditions) {
      const k = c.key.toLowerCase();
      const entry = keyValues.get(k) ?? { display: c.key, values: [] };
      for (const v of c.values) {
        entry.values.push(instantiatePattern(v.value), v.value.replace(/\/\d+$/, ''));
        if (c.operator.base.startsWith('Ip')) entry.values.push(v.value.replace(/\/\d+$/, ''));
      }
      keyValues.set(k, entry);
    }
  const variableKeys = ['aws:username', 'aws:userid', 'aws:PrincipalTag/team'];
  const out: Request[] = [];
  for (let i = 0; i < count; i++) {
    const base = bases.length ? pick(bases) : { action: 's3:GetObject', resource: '*', context: {} };
    const req: Request = { action: base.action, resource: base.resource, context: { ...base.context } };
    if (base.principal) req.principal = base.principal;
    if (rnd() < 0.3) req.action = pick(actions);
    if (rnd() < 0.1) req.action = req.action.toUpperCase();
    if (rnd() < 0.3) req.resource = pick(resources);
    if (rnd() < 0.4) {
      const p = pick(principals);
      if (p) req.principal = p;
      else delete req.principal;
    }
    for (const [k, { display, values }] of keyValues) {
      const r = rnd();
      if (r < 0.25) {
        for (const key of Object.keys(req.context)) if (key.toLowerCase() === k) delete req.context[key];
      } else if (r < 0.6) {
        const choose = () => (rnd() < 0.7 ? pick(values) : pick(OTHER_VALUES));
        req.context[display] = multi.has(k)
          ? Array.from({ length: 1 + Math.floor(rnd() * 3) }, choose)
          : choose();
      }
    }
    if (rnd() < 0.3) req.context[pick(variableKeys)] = pick(['alice', 'example', 'team-a']);
    out.push(req);
  }
  return out;
}
