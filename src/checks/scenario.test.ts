/**
 * Checks on scenarios through the real engine: the questions security engineers ask of the whole
 * stack, built from AWS's published SCP and RCP examples (src/fixtures/org-policies). Each FAIL's
 * counterexamples are re-checked here by the stack evaluator, and carry the deciding layer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { parseScenario, type ScenarioInput } from '../evaluate/scenario.ts';
import { evaluateScenario } from '../evaluate/stack.ts';
import { createNodeEngine } from './node.ts';
import type { CheckResponse, CompareResponse } from './types.ts';

const ORG = fileURLToPath(new URL('../fixtures/org-policies/', import.meta.url));
const orgPolicy = (kind: 'scp' | 'rcp', name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ORG, kind, `${name}.json`), 'utf8')) as Record<string, unknown>;

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

const A = '111122223333';
const B = '444455556666';
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
const doc = (...Statement: object[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement });
const FULL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

async function run(request: object): Promise<CheckResponse | CompareResponse | { kind: 'evaluate' }> {
  const engine = await createNodeEngine();
  const out = await engine.runScenario(request, { timeoutMs: 15_000 });
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.response;
}
const check = async (request: object): Promise<CheckResponse> => (await run(request)) as CheckResponse;

/** Every counterexample is allowed by the scenario's stack, per the stack evaluator. */
function expectAllowedBy(input: ScenarioInput, r: CheckResponse): void {
  const s = parseScenario(input);
  expect(r.counterexamples.length).toBeGreaterThan(0);
  for (const c of r.counterexamples) {
    expect(evaluateScenario(s, c.request, catalog).decision).toBe('Allowed');
    expect(c.stack?.decision).toBe('Allowed');
  }
}

describe('evaluate a request against the stack', () => {
  const regionScp = orgPolicy('scp', 'Region-controls__Deny-access-to-AWS-based-on-the-requested-AWS-region');
  const scenario: ScenarioInput = {
    callerAccount: A,
    caller: `arn:aws:sts::${A}:assumed-role/Dev/alice`,
    identityPolicies: [doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` })],
    // AWS attaches FullAWSAccess at every level: a level with only Denies would allow nothing.
    scps: [[FULL], [FULL, regionScp]],
  };

  it('the region SCP (NotAction) denies outside its regions, and names its level', async () => {
    const out = (await run({
      check: 'EvaluateScenario',
      scenario,
      request: {
        action: 's3:GetObject',
        resource: `${BUCKET}/k`,
        context: { 'aws:RequestedRegion': 'ap-south-1' },
      },
    })) as { kind: 'evaluate'; verdict: { decision: string; decidedBy: { layer: string; level?: number } } };
    expect(out.verdict.decision).toBe('ExplicitlyDenied');
    expect(out.verdict.decidedBy).toMatchObject({ layer: 'scp', level: 1 });
  });

  it('inside its regions the identity policy decides', async () => {
    const out = (await run({
      check: 'EvaluateScenario',
      scenario,
      request: {
        action: 's3:GetObject',
        resource: `${BUCKET}/k`,
        context: { 'aws:RequestedRegion': 'eu-west-1' },
      },
    })) as { kind: 'evaluate'; verdict: { decision: string; decidedBy: { layer: string } } };
    expect(out.verdict).toMatchObject({ decision: 'Allowed', decidedBy: { layer: 'identity' } });
  });

  it('a scenario it cannot read is a clear error', async () => {
    const engine = await createNodeEngine();
    const out = await engine.runScenario({
      check: 'EvaluateScenario',
      scenario: { callerAccount: '1234', identityPolicies: [] },
      request: { action: 's3:GetObject', resource: '*' },
    });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toContain('callerAccount');
  });
});

describe('can anyone outside the organization read the bucket? (bucket policy and RCPs)', () => {
  const publicBucket = doc({
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  });
  const perimeter = doc({
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  });

  it('a public bucket policy alone: FAIL, decided by the resource policy', async () => {
    const scenario: ScenarioInput = { callerAccount: A, resourcePolicy: publicBucket, rcps: [[]] };
    const r = await check({ check: 'ScenarioNoPublicAccess', scenario, resourceType: 'AWS::S3::Bucket' });
    expect(r.result).toBe('FAIL');
    expectAllowedBy(scenario, r);
    expect(r.counterexamples[0]!.stack?.decidedBy.layer).toBe('resource');
  });

  // AWS's data-perimeter RCP for service principals (the published "EnforceConfusedDeputyProtection"
  // statement, src/fixtures/org-policies/rcp), with this organization's id.
  const confusedDeputy = doc({
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:SourceOrgID': 'o-a1b2c3d4e5' },
      Null: { 'aws:SourceAccount': 'false' },
      Bool: { 'aws:PrincipalIsAWSService': 'true' },
    },
  });

  it('with a data-perimeter RCP on aws:PrincipalOrgID: service-linked roles (RCPs exempt them) and services acting for other accounts (the RCP exempts them) get through', async () => {
    const scenario: ScenarioInput = { callerAccount: A, resourcePolicy: publicBucket, rcps: [[perimeter]] };
    const r = await check({ check: 'ScenarioNoPublicAccess', scenario, resourceType: 'AWS::S3::Bucket' });
    expect(r.result).toBe('FAIL');
    expectAllowedBy(scenario, r);
    for (const c of r.counterexamples) {
      const p = c.request.principal!;
      const serviceLinked = p.type === 'AWS' && p.path?.startsWith('/aws-service-role/') === true;
      const deputy = p.type === 'Service' && c.request.context['aws:SourceAccount'] !== undefined;
      expect(serviceLinked || deputy, JSON.stringify(c.request)).toBe(true);
      if (serviceLinked) expect(c.stack?.layers.find((l) => l.layer === 'rcp')?.applies).toBe(false);
    }
  });

  it('with the perimeter in the bucket policy as well, services acting for other accounts still get in: FAIL', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      resourcePolicy: doc(
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` },
        { ...(perimeter.Statement as object[])[0], Resource: `${BUCKET}/*` },
      ),
      rcps: [[perimeter]],
    };
    const r = await check({ check: 'ScenarioNoPublicAccess', scenario, resourceType: 'AWS::S3::Bucket' });
    expect(r.result).toBe('FAIL');
    expect(r.counterexamples[0]!.request.principal?.type).toBe('Service');
  });

  it('and with the confused-deputy RCP too: PASS', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      resourcePolicy: doc(
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${BUCKET}/*` },
        { ...(perimeter.Statement as object[])[0], Resource: `${BUCKET}/*` },
      ),
      rcps: [[perimeter, confusedDeputy]],
    };
    expect(
      (await check({ check: 'ScenarioNoPublicAccess', scenario, resourceType: 'AWS::S3::Bucket' })).result,
    ).toBe('PASS');
  });

  it('the same RCP on the management account does nothing: FAIL', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      isManagementAccount: true,
      resourcePolicy: publicBucket,
      rcps: [[perimeter]],
    };
    expect(
      (await check({ check: 'ScenarioNoPublicAccess', scenario, resourceType: 'AWS::S3::Bucket' })).result,
    ).toBe('FAIL');
  });
});

describe('a boundary caps a developer role', () => {
  const identity = doc({ Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' });
  const boundary = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });

  it('without the boundary the role can create IAM users: FAIL', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      caller: `arn:aws:iam::${A}:role/Developer`,
      identityPolicies: [identity],
    };
    const r = await check({
      check: 'ScenarioAccessNotGranted',
      scenario,
      access: [{ actions: ['iam:CreateUser'] }],
    });
    expect(r.result).toBe('FAIL');
    expectAllowedBy(scenario, r);
  });

  it('with it, no IAM action is ever allowed: PASS', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      caller: `arn:aws:iam::${A}:role/Developer`,
      identityPolicies: [identity],
      permissionsBoundary: boundary,
    };
    expect(
      (await check({ check: 'ScenarioAccessNotGranted', scenario, access: [{ actions: ['iam:*'] }] })).result,
    ).toBe('PASS');
  });
});

describe('cross-account bucket access', () => {
  const identity = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` });
  const bucketPolicy = doc({
    Effect: 'Allow',
    Principal: { AWS: A },
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  });

  it('both sides allow: FAIL for "never read"', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      resourceAccount: B,
      identityPolicies: [identity],
      resourcePolicy: bucketPolicy,
    };
    const r = await check({
      check: 'ScenarioAccessNotGranted',
      scenario,
      access: [{ actions: ['s3:GetObject'] }],
    });
    expect(r.result).toBe('FAIL');
    expectAllowedBy(scenario, r);
  });

  it('the bucket policy alone is not enough across accounts for a role: PASS', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      resourceAccount: B,
      caller: `arn:aws:iam::${A}:role/Reader`,
      resourcePolicy: bucketPolicy,
    };
    expect(
      (await check({ check: 'ScenarioAccessNotGranted', scenario, access: [{ actions: ['s3:GetObject'] }] }))
        .result,
    ).toBe('PASS');
  });
});

describe('a KMS key policy must allow, even in the same account', () => {
  const identity = doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });
  it('identity policy alone: PASS (no decrypt)', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      identityPolicies: [identity],
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:role/KeyAdmin` },
        Action: 'kms:Describe*',
        Resource: '*',
      }),
    };
    expect(
      (await check({ check: 'ScenarioAccessNotGranted', scenario, access: [{ actions: ['kms:Decrypt'] }] }))
        .result,
    ).toBe('PASS');
  });
  it('the default key policy (the account root) delegates to IAM: FAIL', async () => {
    const scenario: ScenarioInput = {
      callerAccount: A,
      identityPolicies: [identity],
      resourcePolicy: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${A}:root` },
        Action: 'kms:*',
        Resource: '*',
      }),
    };
    const r = await check({
      check: 'ScenarioAccessNotGranted',
      scenario,
      access: [{ actions: ['kms:Decrypt'] }],
    });
    expect(r.result).toBe('FAIL');
    expectAllowedBy(scenario, r);
  });
});

describe('what an SCP change breaks and opens (compare-scenarios)', () => {
  const identity = doc({
    Effect: 'Allow',
    Action: ['s3:GetObject', 'organizations:LeaveOrganization'],
    Resource: '*',
  });
  const before: ScenarioInput = { callerAccount: A, identityPolicies: [identity], scps: [[FULL]] };
  const after: ScenarioInput = {
    ...before,
    scps: [
      [
        FULL,
        orgPolicy(
          'scp',
          'Privileged-access-controls__Deny-member-accounts-from-leaving-your-AWS-organization',
        ),
      ],
    ],
  };

  it('adding the deny-leaving SCP breaks exactly organizations:LeaveOrganization and opens nothing', async () => {
    const r = (await run({
      check: 'CompareScenarios',
      scenarioA: before,
      scenarioB: after,
    })) as CompareResponse;
    // A (before) allows everything B (after) does, and more.
    expect(r.result).toBe('MORE_PERMISSIVE');
    expect(r.bNotA.result).toBe('PASS');
    const broken = (r.aNotB.newAccess?.services ?? []).flatMap((s) => s.actions.map((a) => a.action));
    expect(broken).toEqual(['organizations:LeaveOrganization']);
  });

  it('CheckNoNewAccess on the same change: PASS one way, FAIL with the SCP layer the other', async () => {
    expect(
      (await check({ check: 'ScenarioNoNewAccess', existingScenario: before, newScenario: after })).result,
    ).toBe('PASS');
    const r = await check({ check: 'ScenarioNoNewAccess', existingScenario: after, newScenario: before });
    expect(r.result).toBe('FAIL');
    expect(r.counterexamples[0]!.existingStack?.decidedBy.layer).toBe('scp');
  });
});
