/**
 * Policy tests against the concrete evaluator, on seeded random policies (identity and resource
 * policies: Allow and Deny, Action/NotAction, Resource/NotResource, Principal/NotPrincipal,
 * conditions on string, Bool, IP address, numeric and multi-valued keys) and seeded random tests
 * over them (never-, sometimes-, always-allowed with actions, resources, principals and fixed
 * context; a few one-request decisions), each policy's tests run as one suite.
 *
 * Every result is re-checked without the solver:
 *  - a request a result shows is one its test describes (actions, resources, principals and fixed
 *    context read here, by rules written for this test) and gets the decision the result claims
 *    from the evaluator: allowed for a never-allowed FAIL and a sometimes-allowed PASS, denied for an
 *    always-allowed FAIL;
 *  - a never-allowed PASS, an always-allowed PASS and a sometimes-allowed FAIL: SAMPLES random
 *    concrete requests of the description (catalog actions the patterns match, or the pattern's own
 *    strings when it matches none, and for never-allowed also actions outside the catalog; resources
 *    the patterns match; callers the principals name; fixed keys as fixed, every other key absent or
 *    random) must all be denied (never, sometimes) or all allowed (always).
 * DIFF_SEED=n runs other seeds and prints the tallies.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import type { Principal, Request } from '../evaluate/request.ts';
import { arnMatches, globMatches } from '../policy/glob.ts';
import type { Policy } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { prng } from '../util/prng.ts';
import type { Engine } from './engine.ts';
import { createNodeEngine } from './node.ts';
import type { PolicyTest, RangeTest, TestResult } from './policy-tests.ts';

const SAMPLES = 50;
const POLICIES_PER_SEED = 60;
const TESTS_PER_POLICY = 4;

let engine: Engine;
let catalog: Catalog;
beforeAll(async () => {
  engine = await createNodeEngine();
  catalog = engine.catalog;
});

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const some = <T>(r: R, xs: readonly T[], max = 2): T[] => [
  ...new Set(Array.from({ length: 1 + Math.floor(r() * max) }, () => pick(r, xs))),
];

const A = '111122223333';
const B = '444455556666';
const DEPLOY = `arn:aws:iam::${A}:role/Deploy`;
const ALICE = `arn:aws:iam::${A}:user/alice`;

// --- the policies ------------------------------------------------------------------------------------

const POLICY_ACTIONS = [
  's3:GetObject',
  's3:Get*',
  's3:*',
  's3:Put*',
  's3:DeleteBucket',
  's3:List*',
  'ec2:Describe*',
  'ec2:RunInstances',
  'iam:PassRole',
  'iam:Get*',
  's3:Frob*',
  '*',
];
const POLICY_RESOURCES = [
  '*',
  'arn:aws:s3:::bucket/*',
  'arn:aws:s3:::bucket',
  'arn:aws:s3:::prod-*',
  'arn:aws:s3:::prod-*/*',
  `arn:aws:ec2:*:${A}:instance/*`,
];
const CONDITIONS: [string, string, string[]][] = [
  ['StringEquals', 'aws:RequestedRegion', ['us-east-1', 'eu-west-1']],
  ['StringNotEquals', 'aws:RequestedRegion', ['us-east-1']],
  ['StringLike', 's3:prefix', ['home/*']],
  ['Bool', 'aws:SecureTransport', ['true']],
  ['BoolIfExists', 'aws:MultiFactorAuthPresent', ['true']],
  ['Null', 'aws:MultiFactorAuthPresent', ['true']],
  ['IpAddress', 'aws:SourceIp', ['10.0.0.0/8']],
  ['NotIpAddress', 'aws:SourceIp', ['10.1.0.0/16', '192.0.2.0/24']],
  ['NumericLessThan', 's3:max-keys', ['10']],
  ['NumericGreaterThanEquals', 's3:max-keys', ['100']],
  ['ForAnyValue:StringEquals', 'aws:TagKeys', ['env', 'team']],
  ['ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team']],
  ['StringEquals', 'aws:PrincipalAccount', [A]],
];
const POLICY_PRINCIPALS: unknown[] = [
  '*',
  { AWS: A },
  { AWS: DEPLOY },
  { AWS: B },
  { AWS: [ALICE, B] },
  { Service: 's3.amazonaws.com' },
];

interface Statement {
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

function randomPolicy(r: R, resource: boolean): Statement[] {
  return Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
    const st: Statement = { Effect: r() < 0.7 ? 'Allow' : 'Deny' };
    if (resource)
      st[st.Effect === 'Deny' && r() < 0.3 ? 'NotPrincipal' : 'Principal'] = pick(
        r,
        st.Effect === 'Deny' ? POLICY_PRINCIPALS.filter((p) => p !== '*') : POLICY_PRINCIPALS,
      );
    st[r() < 0.15 ? 'NotAction' : 'Action'] = some(r, POLICY_ACTIONS);
    st[r() < 0.1 ? 'NotResource' : 'Resource'] = some(r, POLICY_RESOURCES);
    const n = Math.floor(r() * 2.5);
    if (n) {
      const cond: Record<string, Record<string, string[]>> = {};
      for (let i = 0; i < n; i++) {
        const [op, key, values] = pick(r, CONDITIONS);
        (cond[op] ??= {})[key] = values;
      }
      st.Condition = cond;
    }
    return st;
  });
}

// --- the tests ---------------------------------------------------------------------------------------

const TEST_ACTIONS = [
  's3:GetObject',
  's3:Get*',
  's3:Put*',
  's3:Delete*',
  's3:*',
  'ec2:Describe*',
  'ec2:RunInstances',
  'iam:PassRole',
  's3:Frob*',
];
const TEST_RESOURCES = [
  'arn:aws:s3:::bucket/*',
  'arn:aws:s3:::bucket/home/*',
  'arn:aws:s3:::bucket',
  'arn:aws:s3:::prod-*',
  'arn:aws:s3:::prod-1/*',
  `arn:aws:ec2:us-east-1:${A}:instance/*`,
];
const TEST_PRINCIPALS = [A, DEPLOY, B, ALICE];

type KeyType = 'String' | 'Bool' | 'IP' | 'Numeric' | 'Strings';
/** The keys tests fix and requests carry, with their type and the values drawn for them. */
const KEYS: Record<string, { type: KeyType; values: (string | string[])[] }> = {
  'aws:RequestedRegion': { type: 'String', values: ['us-east-1', 'eu-west-1', 'ap-south-1'] },
  's3:prefix': { type: 'String', values: ['home/a', 'home/', 'tmp', 'Home/x'] },
  'aws:SecureTransport': { type: 'Bool', values: ['true', 'false'] },
  'aws:MultiFactorAuthPresent': { type: 'Bool', values: ['true', 'false'] },
  'aws:SourceIp': {
    type: 'IP',
    values: ['10.1.2.3', '10.200.0.1', '192.0.2.1', '203.0.113.9', '10.0.0.0/8'],
  },
  's3:max-keys': { type: 'Numeric', values: ['5', '10', '100', '1000'] },
  'aws:TagKeys': { type: 'Strings', values: [['env'], ['env', 'team'], ['cost'], ['team', 'cost']] },
};

/**
 * A random test; half of them (most always-allowed ones) drawn from an Allow statement of the
 * policy (some of its actions, its resources and principals, its condition keys fixed), so that
 * "always" and "sometimes" hold often.
 */
function randomTest(r: R, name: string, expect: RangeTest['expect'], statements: Statement[]): RangeTest {
  const allows = statements.filter((st) => st.Effect === 'Allow' && st.Action);
  if (allows.length && r() < (expect === 'always-allowed' ? 0.8 : 0.5)) {
    const st = pick(r, allows);
    const t: RangeTest = { name, expect, actions: some(r, st.Action!) };
    if (st.Resource && r() < 0.8) t.resources = st.Resource;
    const aws = (st.Principal as { AWS?: string | string[] } | undefined)?.AWS;
    if (aws && r() < 0.7) t.principals = typeof aws === 'string' ? [aws] : aws;
    const keys = Object.values(st.Condition ?? {}).flatMap((c) => Object.keys(c).filter((k) => k in KEYS));
    if (keys.length) t.context = Object.fromEntries(keys.map((k) => [k, pick(r, KEYS[k]!.values)]));
    return t;
  }
  const t: RangeTest = { name, expect };
  if (r() < 0.85) t.actions = some(r, TEST_ACTIONS);
  if (r() < 0.6) t.resources = some(r, TEST_RESOURCES);
  if (r() < 0.35) t.principals = some(r, TEST_PRINCIPALS);
  if (r() < 0.6) {
    const context: NonNullable<RangeTest['context']> = {};
    for (const key of some(r, Object.keys(KEYS))) {
      // a CIDR fixes a range of addresses; single values elsewhere
      const v = r() < 0.2 ? null : pick(r, KEYS[key]!.values);
      context[key] = v;
    }
    t.context = context;
  }
  return t;
}

// --- reading a request against a test, here and not by the engine ---------------------------------

const account = (id: string): string | undefined => /^\d{12}$/.exec(id)?.[0] ?? /::(\d{12}):/.exec(id)?.[1];

/** Does the Principal value `v` name the caller `p` (an account names all its principals; a role its sessions)? */
function names(v: string, p: Principal | undefined): boolean {
  if (!p || p.type !== 'AWS') return false;
  if (/^\d{12}$/.test(v)) return account(p.id) === v;
  const role = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(v);
  if (role) {
    if (p.id === v) return true;
    const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(p.id);
    return session !== null && session[1] === role[1] && session[2] === role[2];
  }
  return p.id === v;
}

const ipv4 = (s: string): number | undefined => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  return m ? m.slice(1).reduce((n, x) => n * 256 + Number(x), 0) : undefined;
};
function inCidr(value: string, cidr: string): boolean {
  const [net, bits = '32'] = cidr.split('/');
  const a = ipv4(value.replace(/\/32$/, ''));
  const b = ipv4(net!);
  if (a === undefined || b === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(b / size);
}

const contextValue = (req: Request, key: string): string[] | undefined => {
  const hit = Object.entries(req.context).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!hit) return undefined;
  const v = typeof hit[1] === 'string' ? [hit[1]] : hit[1];
  return v.length ? v : undefined;
};

/** Is a fixed key's value in the request the one the test fixes (null: the key is absent)? */
function fixedHolds(req: Request, key: string, fixed: string | string[] | null): boolean {
  const got = contextValue(req, key);
  if (fixed === null) return got === undefined;
  if (!got) return false;
  const type = KEYS[key]!.type;
  if (type === 'Strings') {
    const want = new Set(fixed as string[]);
    return got.every((g) => want.has(g)) && [...want].every((w) => got.includes(w));
  }
  if (got.length !== 1) return false;
  const v = got[0]!;
  const f = fixed as string;
  switch (type) {
    case 'String':
      return v === f;
    case 'Bool':
      return v.toLowerCase() === f.toLowerCase();
    case 'Numeric':
      return Number(v) === Number(f);
    case 'IP':
      return inCidr(v, f);
  }
}

/** Why the request is not one the test describes, or undefined when it is. */
function outsideDescription(t: RangeTest, req: Request, resourcePolicy: boolean): string | undefined {
  const action = req.action;
  if (t.actions && !t.actions.some((p) => globMatches(p, action, { caseInsensitive: true })))
    return `action ${action}`;
  if (t.resources && !t.resources.some((p) => arnMatches(p, req.resource))) return `resource ${req.resource}`;
  if (t.principals && !t.principals.some((v) => names(v, req.principal)))
    return `principal ${JSON.stringify(req.principal)}`;
  if (!resourcePolicy && req.principal?.type !== 'AWS')
    return `an identity policy's caller is a principal of an account: ${JSON.stringify(req.principal)}`;
  for (const [key, fixed] of Object.entries(t.context ?? {}))
    if (!fixedHolds(req, key, fixed)) return `${key}: ${JSON.stringify(contextValue(req, key))}`;
  return undefined;
}

// --- sampling requests of a description -------------------------------------------------------------

const matchingCatalog = new Map<string, string[]>();
function catalogMatches(pattern: string): string[] {
  let hit = matchingCatalog.get(pattern);
  if (!hit) {
    hit = catalog.actions
      .filter((a) => globMatches(pattern, a.key, { caseInsensitive: true }))
      .map((a) => a.display);
    matchingCatalog.set(pattern, hit);
  }
  return hit;
}

/** A string the glob matches: each `*` some text from `fills`, each `?` one character. */
function instantiate(r: R, pattern: string, fills: readonly string[]): string {
  return pattern.replace(/[*?]/g, (w) => (w === '?' ? 'q' : pick(r, fills)));
}

const ACTION_FILLS = ['', 'Zz9', 'Frobnicate', 'Object'];
const RESOURCE_FILLS = ['', 'a', 'x1', 'prod-1', 'bucket', 'home/a', 'us-east-1', A, 'i-123', 'a/b/c'];
const OTHER_RESOURCES = [
  'arn:aws:s3:::bucket/home/a',
  'arn:aws:s3:::prod-1/k',
  'arn:aws:s3:::other',
  `arn:aws:ec2:eu-west-1:${A}:instance/i-9`,
  `arn:aws:iam::${A}:role/Deploy`,
];

function sampleAction(r: R, t: RangeTest, outside: boolean): string | undefined {
  const p = pick(r, t.actions ?? ['*']);
  const inCatalog = catalogMatches(p);
  if (inCatalog.length && !(outside && /[*?]/.test(p) && r() < 0.2)) return pick(r, inCatalog);
  const a = instantiate(r, p === '*' ? 's3:*' : p, ACTION_FILLS);
  // an action outside the catalog: never-allowed only, or a pattern that matches no catalog action
  if (!/^[^:]+:[^:]+$/.test(a) || (inCatalog.length && !outside)) return undefined;
  return catalogMatches(a).length && inCatalog.length ? undefined : a;
}

function sampleResource(r: R, t: RangeTest): string {
  const patterns = t.resources ?? [...POLICY_RESOURCES.filter((p) => p !== '*'), ...TEST_RESOURCES];
  if (!t.resources && r() < 0.3) return pick(r, OTHER_RESOURCES);
  const resource = instantiate(r, pick(r, patterns), RESOURCE_FILLS);
  return resource === '' ? pick(r, OTHER_RESOURCES) : resource;
}

const ACCOUNT_CALLERS = (acct: string): Principal[] => [
  { type: 'AWS', id: `arn:aws:iam::${acct}:root` },
  { type: 'AWS', id: `arn:aws:iam::${acct}:user/alice` },
  { type: 'AWS', id: `arn:aws:iam::${acct}:role/Deploy` },
  { type: 'AWS', id: `arn:aws:sts::${acct}:assumed-role/Deploy/s1` },
  { type: 'AWS', id: `arn:aws:sts::${acct}:assumed-role/Other/s2` },
  { type: 'AWS', id: `arn:aws:sts::${acct}:federated-user/bob` },
];
const OTHER_CALLERS: Principal[] = [{ type: 'Anonymous' }, { type: 'Service', id: 's3.amazonaws.com' }];

function samplePrincipal(r: R, t: RangeTest, resourcePolicy: boolean): Principal {
  if (t.principals) {
    const v = pick(r, t.principals);
    const acct = account(v)!;
    const named = ACCOUNT_CALLERS(acct).filter((p) => names(v, p));
    return pick(r, named.length ? named : [{ type: 'AWS', id: v }]);
  }
  const pool = [...ACCOUNT_CALLERS(A), ...ACCOUNT_CALLERS(B)];
  return resourcePolicy && r() < 0.25 ? pick(r, OTHER_CALLERS) : pick(r, pool);
}

function sampleContext(r: R, t: RangeTest): Request['context'] {
  const context: Request['context'] = {};
  for (const [key, spec] of Object.entries(KEYS)) {
    const fixed = t.context?.[key];
    if (fixed === null) continue;
    if (fixed !== undefined) {
      context[key] =
        spec.type === 'IP' && typeof fixed === 'string' && fixed.includes('/')
          ? `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`
          : fixed;
      continue;
    }
    if (r() < 0.35) continue;
    const v = pick(
      r,
      spec.values.filter((x) => typeof x !== 'string' || !x.includes('/') || spec.type !== 'IP'),
    );
    context[key] = v;
  }
  return context;
}

/** Random concrete requests of the description (checked to be in it by `outsideDescription`). */
function sampleRequests(r: R, t: RangeTest, resourcePolicy: boolean): Request[] {
  const out: Request[] = [];
  for (let tries = 0; out.length < SAMPLES && tries < SAMPLES * 20; tries++) {
    const action = sampleAction(r, t, t.expect === 'never-allowed');
    if (!action) continue;
    const req: Request = {
      principal: samplePrincipal(r, t, resourcePolicy),
      action,
      resource: sampleResource(r, t),
      context: sampleContext(r, t),
    };
    const why = outsideDescription(t, req, resourcePolicy);
    if (why) throw new Error(`the sampler left the description (${why}): ${JSON.stringify(req)}`);
    out.push(req);
  }
  return out;
}

// --- the run ------------------------------------------------------------------------------------------

const parse = (text: string): Policy => {
  const p = parsePolicy(text);
  if (!p.ok) throw new Error(`the random policy does not parse: ${text}`);
  return p.policy;
};

interface Tally {
  [kind: string]: number;
}

async function runSeed(seed: number, resourcePolicy: boolean, tally: Tally): Promise<void> {
  const r = prng(seed);
  for (let i = 0; i < POLICIES_PER_SEED; i++) {
    const statements = randomPolicy(r, resourcePolicy);
    const text = JSON.stringify({ Version: '2012-10-17', Statement: statements });
    const policy = parse(text);
    const tests: PolicyTest[] = Array.from({ length: TESTS_PER_POLICY }, (_v, k) =>
      randomTest(
        r,
        `t${k}`,
        pick(r, ['never-allowed', 'sometimes-allowed', 'always-allowed'] as const),
        statements,
      ),
    );
    // one test about a single request, drawn from the first test's description
    const one = sampleRequests(
      r,
      { ...(tests[0] as RangeTest), expect: 'sometimes-allowed' },
      resourcePolicy,
    )[0];
    if (one)
      tests.push({
        name: 'one request',
        expect: pick(r, ['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied', 'denied'] as const),
        request: {
          principal:
            one.principal?.type === 'AWS'
              ? one.principal.id
              : one.principal?.type === 'Anonymous'
                ? 'anonymous'
                : { Service: 's3.amazonaws.com' },
          action: one.action,
          resource: one.resource,
          context: one.context,
        },
      });
    const out = await engine.runTests({
      target: {
        kind: 'policy',
        policyType: resourcePolicy ? 'RESOURCE_POLICY' : 'IDENTITY_POLICY',
        documents: [{ name: 'policy', text }],
      },
      tests,
      timeoutMs: 20_000,
    });
    const where = (t: PolicyTest, extra = ''): string =>
      `seed ${seed} policy ${i}: ${text}\ntest: ${JSON.stringify(t)}${extra}`;
    if (!out.ok) throw new Error(`${where(tests[0]!)}\nrefused: ${out.error.message}`);
    for (const [k, res] of out.results.entries())
      check(tests[k]!, res, policy, resourcePolicy, r, tally, (extra) => where(tests[k]!, extra));
  }
}

function check(
  t: PolicyTest,
  res: TestResult,
  policy: Policy,
  resourcePolicy: boolean,
  r: R,
  tally: Tally,
  where: (extra?: string) => string,
): void {
  const decision = (req: Request) => evaluatePolicy(policy, req).decision;
  expect(res.status, where(`\nresult: ${JSON.stringify(res)}`)).not.toBe('error');
  expect(res.status, where(`\nresult: ${JSON.stringify(res)}`)).not.toBe('unknown');
  tally[`${t.expect} ${res.status}`] = (tally[`${t.expect} ${res.status}`] ?? 0) + 1;
  if (!('actions' in t || t.expect.endsWith('-allowed'))) return;
  if (!t.expect.endsWith('-allowed')) {
    // a decision test: the evaluator decides its request as the result says
    const d = decision(res.example!.request);
    expect(res.decision, where()).toBe(d);
    const holds = t.expect === 'denied' ? d !== 'Allowed' : d === t.expect;
    expect(res.status, where()).toBe(holds ? 'pass' : 'fail');
    return;
  }
  const rt = t as RangeTest;
  const shows =
    (rt.expect === 'sometimes-allowed' && res.status === 'pass') ||
    (rt.expect !== 'sometimes-allowed' && res.status === 'fail');
  if (shows) {
    const req = res.example?.request;
    expect(req, where(`\nresult: ${JSON.stringify(res)}`)).toBeDefined();
    const why = outsideDescription(rt, req!, resourcePolicy);
    expect(why, where(`\nshown: ${JSON.stringify(req)}`)).toBeUndefined();
    const d = decision(req!);
    expect(d, where(`\nshown: ${JSON.stringify(req)}`)).toBe(res.decision);
    if (rt.expect === 'always-allowed') expect(d, where()).not.toBe('Allowed');
    else expect(d, where()).toBe('Allowed');
    tally.shown = (tally.shown ?? 0) + 1;
    return;
  }
  // no request shown: the claim is about every request of the description
  const allowed = rt.expect === 'always-allowed';
  const samples = sampleRequests(r, rt, resourcePolicy);
  for (const req of samples) {
    const d = decision(req);
    expect(d === 'Allowed', where(`\nsample: ${JSON.stringify(req)} is ${d}`)).toBe(allowed);
  }
  tally.sampled = (tally.sampled ?? 0) + samples.length;
  if (samples.length < SAMPLES) tally.fewSamples = (tally.fewSamples ?? 0) + 1;
}

describe('policy tests agree with the evaluator (seeded random policies and tests)', () => {
  const seed = Number(process.env.DIFF_SEED ?? 20261205);

  it('identity policies', async () => {
    const tally: Tally = {};
    await runSeed(seed, false, tally);
    expectWellSpread(tally);
  }, 120_000);

  it('resource policies (Principal, NotPrincipal, callers of any kind)', async () => {
    const tally: Tally = {};
    await runSeed(seed + 1, true, tally);
    expectWellSpread(tally);
  }, 120_000);
});

/** Both answers of every kind occur, requests are shown and samples drawn. */
function expectWellSpread(tally: Tally): void {
  if (process.env.DIFF_SEED) console.log(JSON.stringify(tally));
  for (const kind of ['never-allowed', 'sometimes-allowed', 'always-allowed'])
    for (const status of ['pass', 'fail'])
      expect(tally[`${kind} ${status}`] ?? 0, `${kind} ${status}: ${JSON.stringify(tally)}`).toBeGreaterThan(
        3,
      );
  expect(tally.shown).toBeGreaterThan(50);
  expect(tally.sampled).toBeGreaterThan(50 * SAMPLES);
  expect(tally.fewSamples ?? 0, JSON.stringify(tally)).toBe(0);
}
