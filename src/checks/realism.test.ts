/**
 * Counterexamples that look like AWS's requests (realism.ts over catalog/realistic.ts), end to end
 * through the engine: the action's own resource type, values of each key's type, keys spelled as
 * the policy spells them; and never another verdict than the solver's own strings give.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { fitsAction } from '../catalog/realistic.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Engine } from './engine.ts';
import { createNodeEngine } from './node.ts';
import type { CheckResponse } from './types.ts';

let engine: Engine;
let catalog: Catalog;
beforeAll(async () => {
  [engine, catalog] = await Promise.all([createNodeEngine(), loadDefaultCatalog()]);
});

type St = Record<string, unknown>;
const doc = (...statements: St[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const allow = (Action: string | string[], Resource: string | string[], Condition?: St): St =>
  Condition ? { Effect: 'Allow', Action, Resource, Condition } : { Effect: 'Allow', Action, Resource };
const NOTHING = doc(allow('s3:GetObject', 'arn:aws:s3:::unrelated-bucket/x'));

async function noNewAccess(existing: string, next: string, exact = false): Promise<CheckResponse> {
  const o = await engine.run(
    {
      check: 'CheckNoNewAccess',
      existingPolicyDocument: existing,
      newPolicyDocument: next,
      policyType: 'IDENTITY_POLICY',
      exactNewAccess: exact,
    },
    { timeoutMs: 20000 },
  );
  if (!o.ok) throw new Error(o.error.message);
  return o.response as CheckResponse;
}

async function firstRequest(existing: string, next: string): Promise<Request> {
  const r = await noNewAccess(existing, next);
  expect(r.result).toBe('FAIL');
  return r.counterexamples[0]!.request;
}

const allowed = (text: string, r: Request): boolean => {
  const p = parsePolicy(text);
  if (!p.ok) throw new Error('bad policy');
  return evaluatePolicy(p.policy, r, { catalog }).decision === 'Allowed';
};

describe('counterexamples name a resource of the action’s own type', () => {
  it('sts:AssumeRole on "*": a role ARN', async () => {
    const r = await firstRequest(NOTHING, doc(allow('sts:AssumeRole', '*')));
    expect(r.action).toBe('sts:AssumeRole');
    expect(r.resource).toMatch(/^arn:aws:iam::\d{12}:role\/\w+/);
    expect(fitsAction(catalog, r.action, r.resource)).toBe(true);
  });

  it('s3:DeleteBucket on "*": a bucket ARN', async () => {
    const r = await firstRequest(NOTHING, doc(allow('s3:DeleteBucket', '*')));
    expect(r.resource).toBe('arn:aws:s3:::amzn-s3-demo-bucket');
  });

  it('iam:PassRole inside the policy’s pattern, with a real account', async () => {
    const r = await firstRequest(NOTHING, doc(allow('iam:PassRole', 'arn:aws:iam::*:role/service-role/*')));
    expect(r.resource).toBe('arn:aws:iam::111122223333:role/service-role/Developer');
  });

  it('an action without a resource type: "*"', async () => {
    const r = await firstRequest(NOTHING, doc(allow('sts:GetCallerIdentity', '*')));
    expect(r.resource).toBe('*');
  });

  it('kms:Decrypt: a key ARN with a real region, account and key id', async () => {
    const r = await firstRequest(NOTHING, doc(allow('kms:Decrypt', 'arn:aws:kms:*:*:key/*')));
    expect(r.resource).toBe('arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  it('where the old policy covers every resource of the type, the witness still breaks the property', async () => {
    const old = doc(allow('secretsmanager:PutSecretValue', 'arn:aws:secretsmanager:*:*:secret:*'));
    const next = doc(allow('secretsmanager:PutSecretValue', '*'));
    const r = await firstRequest(old, next);
    expect(allowed(next, r)).toBe(true);
    expect(allowed(old, r)).toBe(false);
  });

  it('the exact list’s counterexamples fit their own actions', async () => {
    const next = doc(allow('s3:DeleteBucket', '*'), allow('sts:AssumeRole', '*'), allow('iam:PassRole', '*'));
    const r = await noNewAccess(NOTHING, next, true);
    expect(r.result).toBe('FAIL');
    expect(r.counterexamples.length).toBeGreaterThan(1);
    for (const ce of r.counterexamples)
      expect(fitsAction(catalog, ce.request.action, ce.request.resource), JSON.stringify(ce.request)).toBe(
        true,
      );
  });
});

describe('context values of the key’s type', () => {
  it('aws:SourceIp required present: an IP address, not "example"', async () => {
    const old = doc(allow('s3:GetObject', '*', { Null: { 'aws:SourceIp': 'true' } }));
    const r = await firstRequest(old, doc(allow('s3:GetObject', '*')));
    expect(r.context['aws:SourceIp']).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('aws:SourceIp inside a range: a host of the range', async () => {
    const next = doc(allow('s3:GetObject', '*', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }));
    const r = await firstRequest(NOTHING, next);
    expect(r.context['aws:SourceIp']).toBe('10.0.0.10');
  });

  it('a tag any value matches: a tag value, never empty', async () => {
    const next = doc(allow('s3:GetObject', '*', { StringLike: { 'aws:PrincipalTag/team': '*' } }));
    const r = await firstRequest(NOTHING, next);
    expect(r.context['aws:PrincipalTag/team']).toBe('engineering');
  });

  it('a policy-variable key keeps the policy’s spelling and gets a value', async () => {
    const next = doc(allow('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/Team}/*'));
    const r = await firstRequest(NOTHING, next);
    expect(Object.keys(r.context)).toContain('aws:PrincipalTag/Team');
    expect(Object.keys(r.context)).not.toContain('aws:principaltag/team');
    const team = r.context['aws:PrincipalTag/Team'];
    expect(typeof team === 'string' && team.length > 0).toBe(true);
    expect(r.resource.startsWith(`arn:aws:s3:::amzn-s3-demo-bucket/${team as string}/`)).toBe(true);
  });

  it('a policy variable forcing a value keeps it', async () => {
    const next = doc(
      allow('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/Team}/*', {
        StringEquals: { 'aws:PrincipalTag/Team': 'blue' },
      }),
    );
    const r = await firstRequest(NOTHING, next);
    expect(r.context['aws:PrincipalTag/Team']).toBe('blue');
    expect(r.resource.startsWith('arn:aws:s3:::amzn-s3-demo-bucket/blue/')).toBe(true);
  });
});

describe('realism never changes a verdict', () => {
  it('PASS stays PASS', async () => {
    const p = doc(allow(['sts:AssumeRole', 's3:DeleteBucket'], '*'));
    expect((await noNewAccess(p, p)).result).toBe('PASS');
  });
});
