/**
 * The caller model through the checks (IAM User Guide: "Principal", "NotPrincipal", "AWS global
 * condition context keys"; Access Analyzer's public-access reading). Each rule both ways: the
 * verdict, and for a FAIL a counterexample whose caller is of the kind the rule is about.
 */
import { describe, expect, it } from 'vitest';
import { evaluateText } from '../evaluate/evaluate.ts';
import { callerOf } from '../evaluate/caller.ts';
import { createNodeEngine } from './node.ts';
import type { CheckOutcome, CheckRequest, CheckResponse } from './types.ts';

const doc = (...statements: object[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });

async function run(req: CheckRequest): Promise<CheckResponse> {
  const engine = await createNodeEngine();
  const out: CheckOutcome = await engine.run(req, { timeoutMs: 10_000 });
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  if (!('counterexamples' in out.response)) throw new Error('not a check response');
  return out.response;
}

const noNewAccess = (existing: string, next: string, resource = true): Promise<CheckResponse> =>
  run({
    check: 'CheckNoNewAccess',
    existingPolicyDocument: existing,
    newPolicyDocument: next,
    policyType: resource ? 'RESOURCE_POLICY' : 'IDENTITY_POLICY',
  });
const isPublic = (policy: string, resourceType = 'AWS::KMS::Key'): Promise<CheckResponse> =>
  run({ check: 'CheckNoPublicAccess', policyDocument: policy, resourceType });

const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
/** A statement that grants something else, for "nothing granted before". */
const other = {
  Effect: 'Allow',
  Principal: { AWS: '111122223333' },
  Action: 's3:ListBucket',
  Resource: BUCKET,
};
const otherIdentity = { Effect: 'Allow', Action: 's3:ListBucket', Resource: BUCKET };
const allowAccount = {
  Effect: 'Allow',
  Principal: { AWS: '444455556666' },
  Action: 's3:*',
  Resource: `${BUCKET}/*`,
};
/** The NotPrincipal page's Deny example: every principal of the account but Bob is denied. */
const denyAllButBob = {
  Effect: 'Deny',
  NotPrincipal: { AWS: ['arn:aws:iam::444455556666:user/Bob', 'arn:aws:iam::444455556666:root'] },
  Action: 's3:*',
  Resource: `${BUCKET}/*`,
};

/** Every counterexample is allowed by `policy` per the evaluator (what the referee checked). */
function expectAllowed(policy: string, r: CheckResponse): void {
  expect(r.counterexamples.length).toBeGreaterThan(0);
  for (const c of r.counterexamples) {
    const e = evaluateText(policy, c.request);
    expect(e.ok && e.evaluation.decision).toBe('Allowed');
  }
}

describe('NotPrincipal (IAM "NotPrincipal", Deny example)', () => {
  it('removing "deny everyone but Bob" is new access, for the account\'s other principals', async () => {
    const before = doc(allowAccount, denyAllButBob);
    const after = doc(allowAccount);
    const r = await noNewAccess(before, after);
    expect(r.result).toBe('FAIL');
    expectAllowed(after, r);
    for (const c of r.counterexamples) {
      const caller = callerOf(c.request.principal!);
      expect('account' in caller && caller.account).toBe('444455556666');
      expect(c.request.principal!.type === 'AWS' && c.request.principal!.id).not.toBe(
        'arn:aws:iam::444455556666:user/Bob',
      );
    }
  });

  it('adding it back is no new access', async () => {
    const r = await noNewAccess(doc(allowAccount), doc(allowAccount, denyAllButBob));
    expect(r.result).toBe('PASS');
  });

  it('listing Bob without the account denies Bob too, so it closes everything the account had', async () => {
    const bobOnly = { ...denyAllButBob, NotPrincipal: { AWS: 'arn:aws:iam::444455556666:user/Bob' } };
    // With the account listed Bob keeps access; without it he loses it: the first grants more.
    const r = await noNewAccess(doc(allowAccount, bobOnly), doc(allowAccount, denyAllButBob));
    expect(r.result).toBe('FAIL');
    for (const c of r.counterexamples)
      expect(c.request.principal).toMatchObject({ type: 'AWS', id: 'arn:aws:iam::444455556666:user/Bob' });
  });
});

describe('role sessions', () => {
  const role = {
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111122223333:role/Dev' },
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  };
  const session = { ...role, Principal: { AWS: 'arn:aws:sts::111122223333:assumed-role/Dev/alice' } };

  it('a role ARN in Principal grants its sessions: widening one session to the role is new access', async () => {
    const r = await noNewAccess(doc(session), doc(role));
    expect(r.result).toBe('FAIL');
    const caller = callerOf(r.counterexamples[0]!.request.principal!);
    expect(caller.kind === 'role-session' && caller.role === 'Dev' && caller.session !== 'alice').toBe(true);
    expect((await noNewAccess(doc(session), doc(session, role))).result).toBe('FAIL');
  });

  it("a session ARN drops the role's path: it names session alice of a role Dev on any path", async () => {
    const r = await noNewAccess(doc(role), doc(session));
    expect(r.result).toBe('FAIL');
    const caller = callerOf(r.counterexamples[0]!.request.principal!);
    expect(caller.kind === 'role-session' && caller.session === 'alice' && caller.path !== '/').toBe(true);
  });

  it('aws:PrincipalArn of a session is the role ARN: naming the role in Principal or in the key is the same', async () => {
    const named = {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/Dev' },
      Action: 's3:GetObject',
      Resource: `${BUCKET}/*`,
    };
    const viaKey = {
      ...named,
      Principal: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/Dev' } },
    };
    expect((await noNewAccess(doc(named), doc(viaKey))).result).toBe('PASS');
    expect((await noNewAccess(doc(viaKey), doc(named))).result).toBe('PASS');
    // The session's own ARN in the key names nobody: aws:PrincipalArn never holds a session ARN.
    const sessionKey = {
      ...viaKey,
      Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:sts::111122223333:assumed-role/Dev/alice' } },
    };
    expect((await noNewAccess(doc(other), doc(other, sessionKey))).result).toBe('PASS');
  });
});

describe('keys the caller brings', () => {
  it('aws:username exists for IAM users only: a home folder grants users, never sessions', async () => {
    const home = { Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/home/\${aws:username}/*` };
    const r = await noNewAccess(doc(otherIdentity), doc(otherIdentity, home), false);
    expect(r.result).toBe('FAIL');
    for (const c of r.counterexamples) {
      const caller = callerOf(c.request.principal!);
      expect(caller.kind).toBe('user');
      expect(caller.kind === 'user' && c.request.resource.includes(`/home/${caller.name}/`)).toBe(true);
    }
  });

  it('aws:PrincipalIsAWSService is true only for service principals, which have no account', async () => {
    const svc = {
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${BUCKET}/*`,
      Condition: { Bool: { 'aws:PrincipalIsAWSService': 'true' } },
    };
    const r = await noNewAccess(doc(other), doc(other, svc));
    expect(r.result).toBe('FAIL');
    expect(r.counterexamples[0]!.request.principal!.type).toBe('Service');
    // A service principal never carries an account: requiring both allows nobody.
    const both = {
      ...svc,
      Condition: { ...svc.Condition, StringEquals: { 'aws:PrincipalAccount': '111122223333' } },
    };
    expect((await noNewAccess(doc(other), doc(other, both))).result).toBe('PASS');
  });

  it('a request naming a caller and a contradicting key is refused by the evaluator', () => {
    const policy = doc({ Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' });
    const root = { type: 'AWS' as const, id: 'arn:aws:iam::111122223333:root' };
    const bad: Record<string, string>[] = [
      { 'aws:PrincipalIsAWSService': 'true' },
      { 'kms:CallerAccount': '444455556666' },
      { 'aws:username': 'alice' },
    ];
    for (const context of bad) {
      const e = evaluateText(policy, { principal: root, action: 'kms:Decrypt', resource: '*', context });
      expect(e.ok).toBe(false);
      if (!e.ok) expect(e.error.code).toBe('INCONSISTENT_REQUEST');
    }
    const service = { type: 'Service' as const, id: 's3.amazonaws.com' };
    const e = evaluateText(policy, {
      principal: service,
      action: 'kms:Decrypt',
      resource: '*',
      context: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
    });
    expect(e.ok).toBe(false);
  });
});

describe('keys that fence callers (CheckNoPublicAccess)', () => {
  const kmsAllow = (condition?: object) => ({
    Effect: 'Allow',
    Principal: '*',
    Action: 'kms:Decrypt',
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
  });

  it('no condition: public, by a caller outside every named account', async () => {
    const p = doc(kmsAllow());
    const r = await isPublic(p);
    expect(r.result).toBe('FAIL');
    expectAllowed(p, r);
  });

  it('a fixed kms:CallerAccount (the default key policy pattern) fences: the caller is that account', async () => {
    expect(
      await isPublic(doc(kmsAllow({ StringEquals: { 'kms:CallerAccount': '111122223333' } }))),
    ).toMatchObject({
      result: 'PASS',
    });
  });

  it('aws:PrincipalOrgPaths under a fixed organization fences under ForAnyValue; a wildcard organization does not', async () => {
    const fenced = doc(
      kmsAllow({
        'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'] },
      }),
    );
    expect((await isPublic(fenced)).result).toBe('PASS');
    const open = doc(kmsAllow({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-*/*'] } }));
    const r = await isPublic(open);
    expect(r.result).toBe('FAIL');
    expectAllowed(open, r);
  });

  it("aws:userid of one role's sessions (AROA…:*) fences; a wildcard unique id does not", async () => {
    expect(
      (await isPublic(doc(kmsAllow({ StringLike: { 'aws:userid': 'AROAEXAMPLEID12345678:*' } })))).result,
    ).toBe('PASS');
    const open = doc(kmsAllow({ StringLike: { 'aws:userid': '*:alice' } }));
    const r = await isPublic(open);
    expect(r.result).toBe('FAIL');
    expectAllowed(open, r);
  });
});

describe('a realistic pick never breaks a check', () => {
  it('kms:CallerAccount compared to ${aws:ResourceAccount}: an answer, not a crash', async () => {
    const key = {
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': '${aws:ResourceAccount}' } },
    };
    const r = await noNewAccess(doc(other), doc(other, key));
    expect(['PASS', 'FAIL', 'UNKNOWN']).toContain(r.result);
    for (const c of r.counterexamples) {
      const e = evaluateText(doc(other, key), c.request);
      expect(e.ok).toBe(true);
    }
  });
});
