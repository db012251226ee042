/**
 * The service-aware reading beside Access Analyzer's, through the real engine and Z3. Expected
 * answers come from the Service Authorization Reference: s3:PutObject and s3:GetObject act on
 * objects (`…:::${BucketName}/${ObjectName}`), s3:DeleteBucket on buckets, s3:prefix is a key of
 * s3:ListBucket's requests only. Every service-aware counterexample must be one AWS could authorize,
 * and every request marked impossible one it could not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ServiceReference } from '../catalog/reference.ts';
import { compileMatcher } from '../smt/regex.ts';
import type { Engine } from './engine.ts';
import { createNodeEngine } from './node.ts';
import { SEED_CASES, seedRequest } from './seed-cases.ts';
import { formatRe } from './service-aware.ts';
import type { CheckRequest, CheckResponse } from './types.ts';

let engine: Engine;
let ref: ServiceReference;
beforeAll(async () => {
  engine = await createNodeEngine();
  ref = new ServiceReference(engine.catalog);
});

async function check(request: CheckRequest): Promise<CheckResponse> {
  const out = await engine.run(request, { serviceAware: true, timeoutMs: 20_000 });
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  const r = out.response as CheckResponse;
  const sa = r.serviceAware!;
  expect(sa).toBeDefined();
  // A restriction of the same question: never FAIL where Access Analyzer's reading passes.
  if (r.result === 'PASS') expect(sa.result).toBe('PASS');
  for (const ce of sa.counterexamples) expect(ref.ruledOut(ce.request)).toBeUndefined();
  for (const ce of r.counterexamples)
    expect(ce.impossible !== undefined).toBe(ref.ruledOut(ce.request) !== undefined);
  return r;
}

const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement });

describe('the seed examples under both readings', () => {
  const expected: Record<string, string> = {
    // PutObject on the bucket's ARN: no object, so no request AWS would authorize.
    'public-bucket-put': 'PASS',
    'no-new-access-reverse-direction': 'PASS',
    // DeleteBucket on the bucket's ARN: a real request.
    'no-new-access-added-delete-bucket': 'FAIL',
    'access-not-granted-delete-bucket-resource-policy': 'FAIL',
    // DeleteBucket on objects (`BUCKET/*`): the example; never authorized.
    'access-not-granted-identity-statement-1': 'PASS',
  };
  for (const c of SEED_CASES)
    it(`${c.name}: Access Analyzer ${c.expected.result}, service-aware ${expected[c.name] ?? '(no stronger claim)'}`, async () => {
      const r = await check(seedRequest(c));
      expect(r.result).toBe(c.expected.result);
      if (expected[c.name]) expect(r.serviceAware!.result).toBe(expected[c.name]);
      if (r.result === 'FAIL' && r.serviceAware!.result === 'PASS') {
        expect(r.counterexamples.every((ce) => ce.impossible)).toBe(true);
        expect(r.serviceAware!.ruledOut.length).toBeGreaterThan(0);
        expect(r.serviceAware!.message).toMatch(/complete and current \(catalog \d{4}-\d{2}-\d{2}\)/);
      }
    });
});

describe('exact lists and keys', () => {
  const OLD = doc({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
  });
  it('marks the newly granted actions AWS would never authorize, keeps the others', async () => {
    const r = await check({
      check: 'CheckNoNewAccess',
      existingPolicyDocument: OLD,
      newPolicyDocument: doc({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:DeleteBucket', 's3:DeleteObject'],
        Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
      }),
      policyType: 'IDENTITY_POLICY',
      exactNewAccess: true,
    });
    const listed = r.newAccess!.services.flatMap((s) => s.actions);
    expect(listed.find((a) => a.action === 's3:DeleteBucket')?.impossible).toMatch(
      /s3:DeleteBucket acts on bucket/,
    );
    expect(listed.find((a) => a.action === 's3:DeleteObject')?.impossible).toBeUndefined();
    expect(r.serviceAware!.result).toBe('FAIL');
    expect(r.serviceAware!.newAccess!.services.flatMap((s) => s.actions.map((a) => a.action))).toEqual([
      's3:DeleteObject',
    ]);
  });
  it('a grant that needs a key the action never carries is no access in practice', async () => {
    const r = await check({
      check: 'CheckNoNewAccess',
      existingPolicyDocument: OLD,
      newPolicyDocument: doc(
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*' },
        {
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
          Condition: { StringEquals: { 's3:prefix': 'home/' } },
        },
      ),
      policyType: 'IDENTITY_POLICY',
    });
    expect(r.result).toBe('FAIL');
    expect(r.serviceAware!.result).toBe('PASS');
  });
  it('without the option, the response is Access Analyzer’s alone', async () => {
    const out = await engine.run(seedRequest(SEED_CASES[0]!));
    if (!out.ok) throw new Error(out.error.message);
    expect(out.response.kind).toBe('check');
    expect('serviceAware' in out.response).toBe(false);
  });
});

describe('one reading of a shape, two implementations', () => {
  it('the encoder’s regex and the reference’s matcher agree on resources of many services', () => {
    const samples = [
      'arn:aws:s3:::b',
      'arn:aws:s3:::b/k',
      'arn:aws:s3:::b/a/b:c',
      'arn:aws:iam::111122223333:role/a/b',
      'arn:aws:logs:us-east-1:111122223333:log-group:/x/y:log-stream:z',
      'arn:aws:logs:us-east-1:111122223333:log-group:g',
      'arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/2026',
      'arn:aws:dynamodb:eu-west-1:111122223333:table/t',
      'arn:aws:lambda:us-east-1:111122223333:function:f:1',
      'arn:aws:sqs:us-east-1:111122223333:q',
      'arn:aws:events:us-east-1:111122223333:event-bus/aws.partner/example.com/123/orders',
      'arn:aws:events:us-east-1:111122223333:event-bus/default',
      'arn:aws:s3::111122223333:accesspoint/abc.mrap',
      'arn:aws:s3:us-east-1:111122223333:accesspoint/ap',
      'arn:aws:execute-api:us-east-1:111122223333:a1b2c3/prod/GET/pets',
      'arn::s3:::b',
      '*',
      '',
    ];
    let compared = 0;
    for (const name of [
      's3:GetObject',
      's3:DeleteBucket',
      'iam:GetRole',
      'logs:PutLogEvents',
      'logs:CreateLogGroup',
      'dynamodb:GetRecords',
      'dynamodb:GetItem',
      'lambda:InvokeFunction',
      'sqs:SendMessage',
      'events:DescribeEventBus',
      'events:PutEvents',
      's3:GetAccessPoint',
      'execute-api:Invoke',
      'dynamodb:ListExports',
      'cloudwatch:PutMetricData',
    ]) {
      const a = engine.catalog.action(name)!;
      const formats = ref.formats(a).map((f) => compileMatcher(formatRe(f)));
      for (const s of samples) {
        const byRegex = formats.some((m) => m(s)) || (a.anyResource && s === '*');
        expect([name, s, byRegex]).toEqual([name, s, ref.resourceProblem(a, s) === undefined]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});
