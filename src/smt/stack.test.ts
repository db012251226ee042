/**
 * The authorization stack held to the IAM User Guide's "Policy evaluation logic" and the
 * Organizations pages, rule by rule and both ways — decided twice, by the concrete evaluator
 * (evaluate/stack.ts) and by the stack's formula at the same request in Z3 (smt/stack.ts via pin.ts)
 * — then on seeded random scenarios and requests, where the two must always agree.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import type { Principal, Request } from '../evaluate/request.ts';
import { parseScenario, type Scenario, type ScenarioInput } from '../evaluate/scenario.ts';
import { evaluateScenario } from '../evaluate/stack.ts';
import { Encoder } from './encode.ts';
import { holdsAt } from './pin.ts';
import { nodeRunner } from './runner-node.ts';
import type { SmtRunner } from './runner.ts';
import { encodeStack } from './stack.ts';
import { prng } from '../util/prng.ts';

let catalog: Catalog;
let runner: SmtRunner;
beforeAll(async () => {
  [catalog, runner] = await Promise.all([loadDefaultCatalog(), nodeRunner()]);
});

const A = '111122223333';
const B = '444455556666';
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
const doc = (...Statement: object[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement });
const allow = (extra: object = {}) => ({
  Effect: 'Allow',
  Action: 's3:GetObject',
  Resource: `${BUCKET}/*`,
  ...extra,
});
const deny = (extra: object = {}) => ({
  Effect: 'Deny',
  Action: 's3:GetObject',
  Resource: `${BUCKET}/*`,
  ...extra,
});
const session = (account = A, role = 'Dev', name = 'alice', path?: string): Principal =>
  path
    ? { type: 'AWS', id: `arn:aws:sts::${account}:assumed-role/${role}/${name}`, path }
    : { type: 'AWS', id: `arn:aws:sts::${account}:assumed-role/${role}/${name}` };
const get = (principal: Principal, action = 's3:GetObject', resource = `${BUCKET}/k`): Request => ({
  principal,
  action,
  resource,
  context: {},
});

/** The evaluator's and the formula's answer: is the request allowed? */
async function decide(
  input: ScenarioInput,
  req: Request,
): Promise<{ evaluator: boolean; encoding: boolean }> {
  const s: Scenario = parseScenario(input);
  const evaluator = evaluateScenario(s, req, catalog).decision === 'Allowed';
  const enc = new Encoder(catalog, { identity: false });
  enc.prepare(s.all.map((p) => p.policy));
  const st = encodeStack(enc, s, catalog.rcpServiceList());
  const background = enc.finish();
  const encoding = await holdsAt(runner, enc, st.allowed, background, req);
  if (encoding === undefined) throw new Error('request not expressible');
  return { evaluator, encoding };
}

interface Row {
  rule: string;
  scenario: ScenarioInput;
  yes: Request;
  no: Request;
}

const ROWS: Row[] = [
  {
    rule: 'same account: an identity policy alone allows (no resource policy)',
    scenario: { callerAccount: A, identityPolicies: [doc(allow())] },
    yes: get(session()),
    no: get(session(), 's3:PutObject'),
  },
  {
    rule: 'same account: the resource policy alone allows a user or session it names',
    scenario: {
      callerAccount: A,
      resourcePolicy: doc(allow({ Principal: { AWS: `arn:aws:sts::${A}:assumed-role/Dev/alice` } })),
    },
    yes: get(session()),
    no: get(session(A, 'Dev', 'bob')),
  },
  {
    rule: 'an explicit Deny in any layer wins (resource policy Deny over an identity Allow)',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc(allow())],
      resourcePolicy: doc(
        deny({
          Principal: '*',
          Condition: { StringEquals: { 'aws:PrincipalArn': `arn:aws:iam::${A}:role/Dev` } },
        }),
      ),
    },
    yes: get(session(A, 'Ops')),
    no: get(session()),
  },
  {
    rule: 'a permissions boundary limits identity grants',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc(allow({ Action: 's3:*' }))],
      permissionsBoundary: doc(allow()),
    },
    yes: get(session()),
    no: get(session(), 's3:PutObject'),
  },
  {
    rule: "a boundary limits a resource policy's grant to the role ARN",
    scenario: {
      callerAccount: A,
      permissionsBoundary: doc(allow({ Action: 's3:PutObject' })),
      resourcePolicy: doc(allow({ Principal: { AWS: `arn:aws:iam::${A}:role/Dev` } })),
    },
    yes: get(session(A, 'Dev'), 's3:GetObject'), // placeholder, replaced below
    no: get(session()),
  },
  {
    rule: "a boundary does not limit a resource policy's grant to the session ARN",
    scenario: {
      callerAccount: A,
      permissionsBoundary: doc(allow({ Action: 's3:PutObject' })),
      resourcePolicy: doc(allow({ Principal: { AWS: `arn:aws:sts::${A}:assumed-role/Dev/alice` } })),
    },
    yes: get(session()),
    no: get(session(A, 'Dev', 'bob')),
  },
  {
    rule: 'session policies limit the session',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc(allow({ Action: 's3:*' }))],
      sessionPolicies: [doc(allow({ Action: 's3:PutObject' }))],
    },
    yes: get(session(), 's3:PutObject'),
    no: get(session()),
  },
  {
    rule: 'session policies do not limit an IAM user',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc(allow())],
      sessionPolicies: [doc(allow({ Action: 's3:PutObject' }))],
    },
    yes: get({ type: 'AWS', id: `arn:aws:iam::${A}:user/alice` }),
    no: get(session()),
  },
  {
    rule: 'across accounts both sides must allow',
    scenario: {
      callerAccount: A,
      resourceAccount: B,
      identityPolicies: [doc(allow())],
      resourcePolicy: doc(allow({ Principal: { AWS: A } })),
    },
    yes: get(session()),
    no: get(session(), 's3:GetObject', `${BUCKET}/k`), // replaced below: no resource grant
  },
  {
    rule: 'a KMS key policy must allow even in the same account',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })],
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:root` },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    },
    yes: get(session(), 'kms:Decrypt', `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
    no: get(session(), 'kms:Encrypt', `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
  },
  {
    rule: 'every SCP level must allow',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc(allow({ Action: 's3:*' }))],
      scps: [[doc({ Effect: 'Allow', Action: '*', Resource: '*' })], [doc(allow())]],
    },
    yes: get(session()),
    no: get(session(), 's3:PutObject'),
  },
  {
    rule: 'SCPs do not apply to the management account',
    scenario: {
      callerAccount: A,
      isManagementAccount: true,
      identityPolicies: [doc(allow({ Action: 's3:*' }))],
      scps: [[doc(allow())]],
    },
    yes: get(session(), 's3:PutObject'),
    no: get(session(), 'ec2:StartInstances', `arn:aws:ec2:us-east-1:${A}:instance/i-0abcd1234efgh5678`),
  },
  {
    rule: 'SCPs do not apply to service-linked roles',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc(allow({ Action: 's3:*' }))],
      scps: [[doc(allow())]],
    },
    yes: get(
      session(A, 'AWSServiceRoleForExample', 'x', '/aws-service-role/example.amazonaws.com/'),
      's3:PutObject',
    ),
    no: get(session(), 's3:PutObject'),
  },
  {
    rule: 'an RCP Deny applies to every caller of a supported service (RCPFullAWSAccess allows the rest)',
    scenario: {
      callerAccount: A,
      identityPolicies: [doc(allow({ Action: 's3:*' }))],
      rcps: [[doc({ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' })]],
    },
    yes: get(session()),
    no: get(session(), 's3:PutObject'),
  },
];
// Rows whose second request needs a different scenario shape.
ROWS[4]!.yes = get(session(), 's3:PutObject');
ROWS[4]!.scenario = {
  callerAccount: A,
  permissionsBoundary: doc(allow({ Action: 's3:PutObject' })),
  resourcePolicy: doc(
    allow({ Principal: { AWS: `arn:aws:iam::${A}:role/Dev` }, Action: ['s3:GetObject', 's3:PutObject'] }),
  ),
};
ROWS[8]!.no = get(session(), 's3:PutObject');

describe('the authorization stack, rule by rule (evaluator and formula)', () => {
  for (const row of ROWS)
    it(row.rule, async () => {
      expect(await decide(row.scenario, row.yes), 'must be allowed').toEqual({
        evaluator: true,
        encoding: true,
      });
      expect(await decide(row.scenario, row.no), 'must not be allowed').toEqual({
        evaluator: false,
        encoding: false,
      });
    });
});

// ---------------------------------------------------------------------------------------------------
// Seeded differential

const ACTIONS = ['s3:GetObject', 's3:PutObject', 'kms:Decrypt', 'sts:AssumeRole', 'ec2:StartInstances'];
const RESOURCES = [`${BUCKET}/k`, `arn:aws:kms:us-east-1:${A}:key/k1`, `arn:aws:iam::${A}:role/Dev`, '*'];
const CALLERS: Principal[] = [
  session(),
  session(A, 'Ops', 'bob'),
  session(A, 'AWSServiceRoleForX', 's', '/aws-service-role/x.amazonaws.com/'),
  { type: 'AWS', id: `arn:aws:iam::${A}:user/alice` },
  { type: 'AWS', id: `arn:aws:iam::${A}:root` },
  session(B),
  { type: 'AWS', id: `arn:aws:iam::${B}:root` },
  { type: 'AWS', id: `arn:aws:sts::${A}:federated-user/carol` },
  { type: 'Service', id: 's3.amazonaws.com' },
  { type: 'Anonymous' },
];
const PRINCIPALS = [
  '*',
  { AWS: A },
  { AWS: `arn:aws:iam::${A}:role/Dev` },
  { AWS: `arn:aws:sts::${A}:assumed-role/Dev/alice` },
  { AWS: `arn:aws:iam::${A}:user/alice` },
  { AWS: B },
  { Service: 's3.amazonaws.com' },
];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomStatement(r: () => number, withPrincipal: boolean): Record<string, unknown> {
  const st: Record<string, unknown> = {
    Effect: r() < 0.75 ? 'Allow' : 'Deny',
    Action: pick(r, [['s3:*'], ['s3:GetObject'], ['kms:*', 'sts:AssumeRole'], ['*'], ['s3:Put*', 'ec2:*']]),
    Resource: pick(r, ['*', `${BUCKET}/*`, `arn:aws:kms:*:${A}:key/*`]),
  };
  if (withPrincipal) st.Principal = pick(r, PRINCIPALS);
  if (r() < 0.2) st.Condition = { StringEquals: { 'aws:PrincipalAccount': A } };
  return st;
}

function randomPolicy(r: () => number, withPrincipal = false): Record<string, unknown> {
  return doc(...Array.from({ length: 1 + Math.floor(r() * 2) }, () => randomStatement(r, withPrincipal)));
}

function randomScenario(r: () => number): ScenarioInput {
  const s: ScenarioInput = {
    callerAccount: A,
    resourceAccount: r() < 0.7 ? A : B,
    identityPolicies: r() < 0.8 ? [randomPolicy(r)] : [],
  };
  if (r() < 0.1) s.isManagementAccount = true;
  if (r() < 0.3) s.permissionsBoundary = randomPolicy(r);
  if (r() < 0.3) s.sessionPolicies = [randomPolicy(r)];
  if (r() < 0.7) s.resourcePolicy = randomPolicy(r, true);
  if (r() < 0.4) s.scps = Array.from({ length: 1 + Math.floor(r() * 2) }, () => [randomPolicy(r)]);
  if (r() < 0.3) s.rcps = [[doc({ ...randomStatement(r, true), Effect: 'Deny' })]];
  return s;
}

describe('differential: the stack formula at a request = the stack evaluator (seeded)', () => {
  it('agrees on 400 random scenarios and requests, with both answers represented', async () => {
    const r = prng(7_301_205);
    let allowed = 0;
    for (let i = 0; i < 400; i++) {
      const scenario = randomScenario(r);
      const req = {
        principal: pick(r, CALLERS),
        action: pick(r, ACTIONS),
        resource: pick(r, RESOURCES),
        context: {},
      };
      const d = await decide(scenario, req);
      expect(d.encoding, `case ${i}: ${JSON.stringify({ scenario, req })}`).toBe(d.evaluator);
      if (d.evaluator) allowed++;
    }
    expect(allowed).toBeGreaterThan(30);
    expect(allowed).toBeLessThan(370);
  }, 120_000);
});
