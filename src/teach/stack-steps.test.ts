/**
 * The flow chart's walk held to the IAM User Guide's "Policy evaluation logic" rules, each both ways:
 * the steps come in AWS's order, the deciding step is the gate the rule names, and the steps after a
 * stop are not reached.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import type { Request } from '../evaluate/request.ts';
import { parseScenario, type ScenarioInput } from '../evaluate/scenario.ts';
import { evaluateScenario } from '../evaluate/stack.ts';
import { stackSteps, type StackWalk } from './stack-steps.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

const A = '111122223333';
const B = '444455556666';
const ALICE = `arn:aws:iam::${A}:user/alice`;
const BOB = `arn:aws:iam::${B}:user/bob`;
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
const KEY = `arn:aws:kms:us-east-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const doc = (...Statement: object[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement });
const FULL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const s3Get = (effect = 'Allow', extra: object = {}) =>
  doc({ Effect: effect, Action: 's3:GetObject', Resource: `${BUCKET}/*`, ...extra });
const EC2 = doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' });
const GET: Request = { action: 's3:GetObject', resource: `${BUCKET}/k`, context: {} };

function walk(input: ScenarioInput, request: Request = GET): { w: StackWalk; decision: string } {
  const s = parseScenario(input);
  const ev = evaluateScenario(s, request, catalog);
  return { w: stackSteps(s, request, ev), decision: ev.decision };
}
const ids = (w: StackWalk) => w.steps.map((s) => s.id);
const deciding = (w: StackWalk) => w.steps[w.decidingIndex]!;
const step = (w: StackWalk, id: string) => w.steps.find((s) => s.id === id)!;

describe('the stack walk follows the flow chart', () => {
  it('comes in AWS order: deny, SCP levels, RCP levels, resource, identity, boundary, session, decision', () => {
    const { w } = walk({
      callerAccount: A,
      caller: ALICE,
      identityPolicies: [s3Get()],
      scps: [[FULL], [FULL]],
      rcps: [[]],
    });
    expect(ids(w)).toEqual([
      'deny',
      'scp-0',
      'scp-1',
      'rcp-0',
      'resource',
      'identity',
      'boundary',
      'session',
      'decision',
    ]);
    expect(w.steps.at(-1)!.outcome).toBe('decides');
    expect(step(w, 'rcp-0').outcome).toBe('allow');
    expect(step(w, 'rcp-0').detail).toContain('RCPFullAWSAccess');
  });

  it('an explicit Deny anywhere decides first; the later steps are not reached', () => {
    const { w, decision } = walk({
      callerAccount: A,
      caller: ALICE,
      identityPolicies: [s3Get()],
      scps: [[FULL, s3Get('Deny', { Sid: 'NoGet' })]],
    });
    expect(decision).toBe('ExplicitlyDenied');
    expect(deciding(w).id).toBe('deny');
    expect(deciding(w).refs).toEqual([{ document: 'scp[0][1]', statementIndex: 0, statementId: 'NoGet' }]);
    expect(step(w, 'scp-0').outcome).toBe('deny');
    expect(w.steps.filter((s) => !s.reached).map((s) => s.id)).toEqual([
      'scp-0',
      'rcp',
      'resource',
      'identity',
      'boundary',
      'session',
    ]);
    expect(w.steps.at(-1)!.refs).toHaveLength(1);
  });

  it('an SCP level without Allow denies implicitly, and with an Allow lets the identity policy decide', () => {
    const narrow = walk({
      callerAccount: A,
      caller: ALICE,
      identityPolicies: [s3Get()],
      scps: [[FULL], [EC2]],
    });
    expect(narrow.decision).toBe('ImplicitlyDenied');
    expect(deciding(narrow.w)).toMatchObject({ id: 'scp-1', outcome: 'no-match', level: 1 });
    expect(step(narrow.w, 'scp-0').outcome).toBe('allow');
    expect(step(narrow.w, 'identity').reached).toBe(false);

    const wide = walk({
      callerAccount: A,
      caller: ALICE,
      identityPolicies: [s3Get()],
      scps: [[FULL], [FULL]],
    });
    expect(wide.decision).toBe('Allowed');
    expect(deciding(wide.w)).toMatchObject({ id: 'identity', outcome: 'allow' });
    expect(wide.w.steps.every((s) => s.reached)).toBe(true);
    expect(wide.w.steps.at(-1)!.refs).toEqual([{ document: 'identity[0]', statementIndex: 0 }]);
  });

  it('SCPs do not apply to the management account', () => {
    const { w, decision } = walk({
      callerAccount: A,
      caller: ALICE,
      isManagementAccount: true,
      identityPolicies: [s3Get()],
      scps: [[EC2]],
    });
    expect(decision).toBe('Allowed');
    expect(step(w, 'scp-0').outcome).toBe('not-applicable');
  });

  it('a permissions boundary limits an identity grant, and lets it through when it allows', () => {
    const limited = walk({
      callerAccount: A,
      caller: ALICE,
      identityPolicies: [FULL],
      permissionsBoundary: EC2,
    });
    expect(limited.decision).toBe('ImplicitlyDenied');
    expect(deciding(limited.w)).toMatchObject({ id: 'boundary', outcome: 'no-match' });
    expect(step(limited.w, 'identity').outcome).toBe('allow');

    const within = walk({
      callerAccount: A,
      caller: ALICE,
      identityPolicies: [FULL],
      permissionsBoundary: s3Get(),
    });
    expect(within.decision).toBe('Allowed');
    expect(deciding(within.w).id).toBe('identity');
    expect(step(within.w, 'boundary').outcome).toBe('allow');
  });

  it('across accounts a missing resource policy denies; one that names the account allows', () => {
    const base: ScenarioInput = {
      callerAccount: B,
      resourceAccount: A,
      caller: BOB,
      identityPolicies: [s3Get()],
    };
    const missing = walk(base);
    expect(missing.decision).toBe('ImplicitlyDenied');
    expect(missing.w.rule).toBe('cross-account');
    expect(deciding(missing.w)).toMatchObject({ id: 'resource', outcome: 'not-applicable' });
    expect(missing.w.steps.at(-1)!.detail).toContain('must both allow');

    const granted = walk({ ...base, resourcePolicy: s3Get('Allow', { Principal: { AWS: B } }) });
    expect(granted.decision).toBe('Allowed');
    expect(deciding(granted.w)).toMatchObject({ id: 'resource', outcome: 'allow' });
    expect(step(granted.w, 'identity').outcome).toBe('allow');
    expect(granted.w.steps.every((s) => s.reached)).toBe(true);
  });

  it('a KMS key policy must allow even in the same account; delegating to the account lets identity decide', () => {
    const request: Request = { action: 'kms:Decrypt', resource: KEY, context: {} };
    const identity = doc({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });
    const noKeyPolicy = walk({ callerAccount: A, caller: ALICE, identityPolicies: [identity] }, request);
    expect(noKeyPolicy.decision).toBe('ImplicitlyDenied');
    expect(noKeyPolicy.w.rule).toBe('same-account');
    expect(deciding(noKeyPolicy.w).id).toBe('resource');
    expect(step(noKeyPolicy.w, 'resource').detail).toContain('key policy');

    const keyPolicy = doc({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    });
    const delegated = walk(
      { callerAccount: A, caller: ALICE, identityPolicies: [identity], resourcePolicy: keyPolicy },
      request,
    );
    expect(delegated.decision).toBe('Allowed');
    expect(deciding(delegated.w).id).toBe('identity');
    expect(step(delegated.w, 'resource').detail).toContain("caller's account only");
  });

  it('in the same account a resource policy naming the caller itself allows alone; the rest is not reached', () => {
    const direct = walk({
      callerAccount: A,
      caller: ALICE,
      resourcePolicy: s3Get('Allow', { Principal: { AWS: ALICE } }),
    });
    expect(direct.decision).toBe('Allowed');
    expect(deciding(direct.w)).toMatchObject({ id: 'resource', outcome: 'allow' });
    expect(step(direct.w, 'resource').detail).toContain('names the caller itself');
    expect(step(direct.w, 'identity').reached).toBe(false);

    const other = walk({
      callerAccount: A,
      caller: ALICE,
      resourcePolicy: s3Get('Allow', { Principal: { AWS: `arn:aws:iam::${A}:user/carol` } }),
    });
    expect(other.decision).toBe('ImplicitlyDenied');
    expect(deciding(other.w)).toMatchObject({ id: 'identity', outcome: 'no-match' });
  });

  it('reads the worker verdict too (no resourceGrant, no caller): the same steps', () => {
    const input: ScenarioInput = {
      callerAccount: A,
      caller: ALICE,
      resourcePolicy: s3Get('Allow', { Principal: { AWS: ALICE } }),
    };
    const s = parseScenario(input);
    const ev = evaluateScenario(s, GET, catalog);
    const { decision, decidedBy, layers } = ev;
    expect(stackSteps(s, GET, { decision, decidedBy, layers })).toEqual(stackSteps(s, GET, ev));
  });
});
