/**
 * Policy tests through the real engine and Z3: each expectation both ways (a policy that meets it
 * and one that breaks it), the "always" direction with conditions the description leaves open, a
 * scenario target, and bad tests as coded errors. Every request a result shows is re-evaluated here
 * by the concrete evaluator, independently of the engine's own referee.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import { parseScenario } from '../evaluate/scenario.ts';
import { evaluateScenario } from '../evaluate/stack.ts';
import { globMatches, arnMatches } from '../policy/glob.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Engine } from './engine.ts';
import { createNodeEngine } from './node.ts';
import { readTestSuite, type PolicyTest, type TestResult } from './policy-tests.ts';

let engine: Engine;
let catalog: Catalog;
beforeAll(async () => {
  engine = await createNodeEngine();
  catalog = engine.catalog;
});

const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

const DEPLOY = 'arn:aws:iam::111122223333:role/Deploy';

/** The deploy role's policy: read artifacts, write scratch buckets, never delete prod. */
const POLICY = doc(
  {
    Sid: 'ReadArtifacts',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::artifacts', 'arn:aws:s3:::artifacts/*'],
  },
  {
    Sid: 'Scratch',
    Effect: 'Allow',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::scratch-*', 'arn:aws:s3:::scratch-*/*'],
  },
  { Sid: 'NoProdDeletes', Effect: 'Deny', Action: 's3:Delete*', Resource: 'arn:aws:s3:::prod-*' },
);

async function run(
  tests: PolicyTest[],
  text = POLICY,
  policyType = 'IDENTITY_POLICY',
): Promise<TestResult[]> {
  const out = await engine.runTests({
    target: { kind: 'policy', policyType, documents: [{ name: 'policy', text }] },
    tests,
    timeoutMs: 20_000,
  });
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  for (const r of out.results)
    check(
      r,
      tests.find((t) => t.name === r.name)!,
      text,
    );
  return out.results;
}

/** The shown request is one the test describes, and gets the decision the result claims. */
function check(r: TestResult, t: PolicyTest, text: string): void {
  if (!r.example || !('actions' in t || 'resources' in t || 'principals' in t || 'context' in t)) return;
  const req = r.example.request;
  if ('actions' in t && t.actions)
    expect(t.actions.some((a) => globMatches(a, req.action, { caseInsensitive: true }))).toBe(true);
  if ('resources' in t && t.resources)
    expect(t.resources.some((p) => arnMatches(p, req.resource))).toBe(true);
  const parsed = parsePolicy(text);
  if (!parsed.ok) return;
  const decision = evaluatePolicy(parsed.policy, req).decision;
  expect(decision).toBe(r.decision);
  if (t.expect === 'always-allowed') expect(decision).not.toBe('Allowed');
  else expect(decision).toBe('Allowed');
}

const one = async (t: PolicyTest, text?: string, type?: string): Promise<TestResult> =>
  (await run([t], text, type))[0]!;

describe('never-allowed', () => {
  it('passes when a Deny covers every request of the description', async () => {
    const r = await one({
      name: 'no prod deletes',
      expect: 'never-allowed',
      actions: ['s3:Delete*'],
      resources: ['arn:aws:s3:::prod-*'],
    });
    expect(r.status).toBe('pass');
    expect(r.example).toBeUndefined();
  });
  it('fails with an allowed request when one exists, naming the allowing statement', async () => {
    const r = await one({
      name: 'no scratch deletes',
      expect: 'never-allowed',
      actions: ['s3:Delete*'],
      resources: ['arn:aws:s3:::scratch-*'],
    });
    expect(r.status).toBe('fail');
    expect(r.decision).toBe('Allowed');
    expect(r.example?.grantedBy.map((g) => g.statementId)).toContain('Scratch');
    expect(r.message).toMatch(/allowed/i);
  });
  it('ranges over actions outside the catalog too', async () => {
    const text = doc({ Effect: 'Allow', Action: 's3:Frobnicate*', Resource: '*' });
    const r = await one({ name: 'no frobnication', expect: 'never-allowed', actions: ['s3:Frob*'] }, text);
    expect(r.status).toBe('fail');
    expect(r.example?.request.action.toLowerCase()).toMatch(/^s3:frobnicate/);
  });
});

describe('sometimes-allowed', () => {
  it('passes with a witness the policy allows', async () => {
    const r = await one({
      name: 'can upload',
      expect: 'sometimes-allowed',
      actions: ['s3:PutObject'],
      resources: ['arn:aws:s3:::scratch-*'],
    });
    expect(r.status).toBe('pass');
    expect(r.example?.request.action).toBe('s3:PutObject');
    expect(r.decision).toBe('Allowed');
  });
  it('fails when no request of the description is allowed', async () => {
    const r = await one({
      name: 'can delete prod',
      expect: 'sometimes-allowed',
      actions: ['s3:DeleteBucket'],
      resources: ['arn:aws:s3:::prod-*'],
    });
    expect(r.status).toBe('fail');
    expect(r.example).toBeUndefined();
  });
});

describe('always-allowed', () => {
  it('passes when every request of the description is allowed, whatever the context', async () => {
    const r = await one({
      name: 'deploy reads artifacts',
      expect: 'always-allowed',
      actions: ['s3:GetObject'],
      resources: ['arn:aws:s3:::artifacts/*'],
      principals: [DEPLOY],
      context: {},
    });
    expect(r.status).toBe('pass');
    expect(r.scope).toMatch(/any value, or none, of every other condition key/);
  });
  it('fails with a denied request when a condition the description leaves open can deny', async () => {
    const text = doc(
      { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/*' },
      {
        Sid: 'OnlyFromTheOffice',
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
      },
    );
    const r = await one(
      {
        name: 'reads',
        expect: 'always-allowed',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::artifacts/*'],
      },
      text,
    );
    expect(r.status).toBe('fail');
    expect(r.decision).toBe('ExplicitlyDenied');
    expect(r.example?.whyNot).toMatchObject({ kind: 'deniedBy' });
    // Fixing the key the Deny reads makes every remaining request allowed.
    const fixed = await one(
      {
        name: 'reads from the office',
        expect: 'always-allowed',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::artifacts/*'],
        context: { 'aws:SourceIp': '203.0.113.7' },
      },
      text,
    );
    expect(fixed.status).toBe('pass');
  });
  it('fails with an implicitly denied action of the pattern (catalog actions only)', async () => {
    const r = await one({
      name: 'all reads',
      expect: 'always-allowed',
      actions: ['s3:Get*'],
      resources: ['arn:aws:s3:::artifacts/*'],
    });
    expect(r.status).toBe('fail');
    expect(r.decision).toBe('ImplicitlyDenied');
    expect(catalog.action(r.example!.request.action)).toBeDefined();
  });
  it('a key fixed as absent (null) and a Bool key', async () => {
    const text = doc({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
    const withMfa = await one(
      {
        name: 'mfa',
        expect: 'always-allowed',
        actions: ['s3:GetObject'],
        context: { 'aws:MultiFactorAuthPresent': 'true' },
      },
      text,
    );
    expect(withMfa.status).toBe('pass');
    const without = await one(
      {
        name: 'no mfa',
        expect: 'never-allowed',
        actions: ['s3:GetObject'],
        context: { 'aws:MultiFactorAuthPresent': null },
      },
      text,
    );
    expect(without.status).toBe('pass');
    const open = await one({ name: 'open', expect: 'always-allowed', actions: ['s3:GetObject'] }, text);
    expect(open.status).toBe('fail');
  });
  it('a multi-valued key fixed to a set of values', async () => {
    const text = doc({
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: '*',
      Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] } },
    });
    const ok = await one(
      {
        name: 'team tags',
        expect: 'always-allowed',
        actions: ['ec2:CreateTags'],
        context: { 'aws:TagKeys': ['team'] },
      },
      text,
    );
    expect(ok.status).toBe('pass');
    const bad = await one(
      {
        name: 'owner tag',
        expect: 'never-allowed',
        actions: ['ec2:CreateTags'],
        context: { 'aws:TagKeys': ['team', 'owner'] },
      },
      text,
    );
    expect(bad.status).toBe('pass');
  });
});

describe('one request', () => {
  it('checks the decision, and "denied" accepts either denial', async () => {
    const rs = await run([
      {
        name: 'explicit',
        expect: 'ExplicitlyDenied',
        request: {
          action: 's3:DeleteObject',
          resource: 'arn:aws:s3:::prod-1/x',
          context: { 'aws:MultiFactorAuthPresent': 'false' },
        },
      },
      {
        name: 'denied',
        expect: 'denied',
        request: { action: 's3:PutObject', resource: 'arn:aws:s3:::prod-1/x' },
      },
      {
        name: 'wrong',
        expect: 'Allowed',
        request: { action: 's3:PutObject', resource: 'arn:aws:s3:::prod-1/x' },
      },
    ]);
    expect(rs.map((r) => r.status)).toEqual(['pass', 'pass', 'fail']);
    expect(rs[2]!.message).toMatch(/Expected Allowed, got ImplicitlyDenied/);
    expect(rs[0]!.example?.whyNot).toMatchObject({ kind: 'deniedBy' });
  });
});

describe('resource policies and callers', () => {
  const BUCKET_POLICY = doc({
    Effect: 'Allow',
    Principal: { AWS: DEPLOY },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::artifacts/*',
  });
  it('principals name callers as a Principal element does (a role names its sessions)', async () => {
    const r = await one(
      {
        name: 'deploy reads',
        expect: 'always-allowed',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::artifacts/*'],
        principals: [DEPLOY],
      },
      BUCKET_POLICY,
      'RESOURCE_POLICY',
    );
    expect(r.status).toBe('pass');
    const others = await one(
      {
        name: 'others read',
        expect: 'never-allowed',
        actions: ['s3:GetObject'],
        principals: ['444455556666'],
      },
      BUCKET_POLICY,
      'RESOURCE_POLICY',
    );
    expect(others.status).toBe('pass');
    const account = await one(
      {
        name: 'account reads',
        expect: 'always-allowed',
        actions: ['s3:GetObject'],
        resources: ['arn:aws:s3:::artifacts/*'],
        principals: ['111122223333'],
      },
      BUCKET_POLICY,
      'RESOURCE_POLICY',
    );
    expect(account.status).toBe('fail');
    expect(account.example?.request.principal).toBeDefined();
  });
});

describe("the target as a test's actions see it", () => {
  it('NotAction, Deny and wildcard lists read as before for those actions', async () => {
    const text = doc(
      { Sid: 'AllButIam', Effect: 'Allow', NotAction: ['iam:*', 's3:Delete*'], Resource: '*' },
      {
        Sid: 'NoProdPuts',
        Effect: 'Deny',
        Action: ['s3:PutObject*', 'ec2:*'],
        Resource: 'arn:aws:s3:::prod-*/*',
      },
      { Sid: 'Policies', Effect: 'Allow', Action: ['s*:GetBucketPolicy', 'iam:Get*'], Resource: '*' },
    );
    const rs = await run(
      [
        { name: 'no iam writes', expect: 'never-allowed', actions: ['iam:CreateUser', 'iam:Pass*'] },
        { name: 'iam reads', expect: 'always-allowed', actions: ['iam:GetRole'] },
        { name: 'no s3 deletes', expect: 'never-allowed', actions: ['s3:DeleteObject'] },
        { name: 's3 puts', expect: 'sometimes-allowed', actions: ['s3:PutObject'] },
        {
          name: 'no puts on prod',
          expect: 'never-allowed',
          actions: ['s3:PutObject'],
          resources: ['arn:aws:s3:::prod-1/*'],
        },
        { name: 'every get', expect: 'always-allowed', actions: ['s3:Get*', 'sqs:Get*'] },
        { name: 'all of s3', expect: 'always-allowed', actions: ['s3:*'] },
        { name: 'no deletes anywhere', expect: 'never-allowed', actions: ['*:Delete*'] },
      ],
      text,
    );
    expect(rs.map((r) => [r.name, r.status])).toEqual([
      ['no iam writes', 'pass'],
      ['iam reads', 'pass'],
      ['no s3 deletes', 'pass'],
      ['s3 puts', 'pass'],
      ['no puts on prod', 'pass'],
      ['every get', 'pass'],
      ['all of s3', 'fail'],
      ['no deletes anywhere', 'fail'],
    ]);
    expect(rs[6]!.example?.request.action).toMatch(/^s3:Delete/i);
    expect(rs[7]!.example?.grantedBy.map((g) => g.statementId)).toEqual(['AllButIam']);
  });
});

describe('a scenario target', () => {
  it('a layer that denies shows in the counterexample', async () => {
    const scenario = {
      callerAccount: '111122223333',
      caller: DEPLOY,
      identityPolicies: [JSON.parse(doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })) as object],
      scps: [
        [
          JSON.parse(
            doc(
              { Effect: 'Allow', Action: '*', Resource: '*' },
              {
                Effect: 'Deny',
                Action: '*',
                Resource: '*',
                Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1', 'eu-central-1'] } },
              },
            ),
          ) as object,
        ],
      ],
    };
    const out = await engine.runTests({
      target: { kind: 'scenario', scenario },
      tests: [
        { name: 'runs instances', expect: 'always-allowed', actions: ['ec2:RunInstances'] },
        {
          name: 'runs in eu',
          expect: 'always-allowed',
          actions: ['ec2:RunInstances'],
          context: { 'aws:RequestedRegion': 'eu-west-1' },
        },
      ],
      timeoutMs: 20_000,
    });
    if (!out.ok) throw new Error(out.error.message);
    const [anywhere, eu] = out.results;
    expect(anywhere!.status).toBe('fail');
    expect(anywhere!.stack?.decidedBy.layer).toBe('scp');
    const s = parseScenario(scenario);
    expect(evaluateScenario(s, anywhere!.example!.request, catalog).decision).toBe('ExplicitlyDenied');
    expect(eu!.status).toBe('pass');
    expect(out.summary).toMatchObject({ passed: 1, failed: 1, unknown: 0, errors: 0 });
  });
});

describe('bad input', () => {
  it('a bad test is an error result; the others still run', async () => {
    const rs = await run([
      {
        name: 'bad value',
        expect: 'always-allowed',
        actions: ['s3:GetObject'],
        context: { 's3:max-keys': 'abc' },
      },
      { name: 'fine', expect: 'never-allowed', actions: ['s3:Delete*'], resources: ['arn:aws:s3:::prod-*'] },
      {
        name: 'bad principal',
        expect: 'Allowed',
        request: { principal: 42, action: 's3:GetObject', resource: '*' },
      },
      { name: 'no document', expect: 'never-allowed', actions: ['s3:*'], document: 'existing' },
    ]);
    expect(rs.map((r) => r.status)).toEqual(['error', 'pass', 'error', 'error']);
    expect(rs[0]!.error?.code).toBeTruthy();
    expect(rs[2]!.error?.code).toBe('INVALID_PRINCIPAL');
  });
  it('a target that does not parse is a coded error', async () => {
    const out = await engine.runTests({
      target: { kind: 'policy', policyType: 'IDENTITY_POLICY', documents: [{ name: 'policy', text: '{' }] },
      tests: [],
    });
    expect(out.ok).toBe(false);
  });
  it("the file format: the README's example reads as written; mistakes name their place", () => {
    // The README's example (section "Policy tests"), the file as written.
    const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
    const block = /```json\n(\{"tests": \[[\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const example = readTestSuite(block!);
    expect(example.ok && example.suite.tests.map((t) => t.expect)).toEqual([
      'never-allowed',
      'always-allowed',
      'sometimes-allowed',
      'ExplicitlyDenied',
    ]);
    expect(example.ok).toBe(true);
    const typo = readTestSuite(
      JSON.stringify({ tests: [{ name: 'x', expect: 'never-allowed', action: ['s3:*'] }] }),
    );
    expect(typo).toMatchObject({ ok: false });
    expect(!typo.ok && typo.message).toMatch(/tests\[0\]/);
    const twice = readTestSuite(
      JSON.stringify({
        tests: [
          { name: 'x', expect: 'denied', request: { action: 'a:b', resource: '*' } },
          { name: 'x', expect: 'denied', request: { action: 'a:b', resource: '*' } },
        ],
      }),
    );
    expect(!twice.ok && twice.message).toMatch(/used twice/);
    expect(readTestSuite('{')).toMatchObject({ ok: false });
  });
});
