/**
 * Requests shaped by a policy: seeded random variations of each statement's own request
 * (`requestForStatement`), used to hold the teaching formula to the concrete evaluator.
 */
import type { Request, Principal } from '../evaluate/request.ts';
import { instantiatePattern, requestForStatement } from '../evaluate/statement-request.ts';
import { callerOf, consistentContext } from '../evaluate/caller.ts';
import type { Policy } from '../policy/model.ts';
import { multiValuedKeys, type BuildOptions } from './terms.ts';
import { prng } from '../util/prng.ts';

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
  const bases = policy.statements.map((st) => requestForStatement(st));
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
    { type: 'AWS', id: 'arn:aws:sts::123456789012:assumed-role/R/alice' },
    { type: 'AWS', id: 'arn:aws:iam::123456789012:root' },
    { type: 'AWS', id: 'arn:aws:iam::999999999999:user/U' },
    { type: 'AWS', id: 'arn:aws:sts::999999999999:federated-user/bob' },
    { type: 'Service', id: 'ec2.amazonaws.com' },
    { type: 'Federated', id: 'cognito-identity.amazonaws.com' },
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
    // A request's keys occur together with its caller (evaluate/caller.ts): the caller brings its own.
    if (req.principal) {
      try {
        req.context = consistentContext(callerOf(req.principal), req.context);
      } catch {
        // a principal that is no caller: the evaluator reports it
      }
    }
    out.push(req);
  }
  return out;
}
