/**
 * The early answer against the solver on seeded random policies: whenever an early FAIL is announced,
 * its request is one the evaluator confirms for the check's property, and the solver's own answer is
 * FAIL too (the engine throws on a disagreement, so a PASS after an early FAIL fails this test).
 */
import { describe, expect, it } from 'vitest';
import { evaluatePolicy, type Evaluation } from '../evaluate/evaluate.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/model.ts';
import { prng } from '../util/prng.ts';
import { createNodeEngine } from './node.ts';
import type { CheckRequest, CheckResponse } from './types.ts';

const ACTIONS = ['s3:GetObject', 's3:Get*', 's3:*', 's3:DeleteBucket', 'ec2:Describe*', 'iam:PassRole', '*'];
const RESOURCES = [
  '*',
  'arn:aws:s3:::bucket/*',
  'arn:aws:s3:::bucket',
  'arn:aws:s3:::other/*',
  'arn:aws:s3:::bucket/${aws:username}/*',
  'arn:aws:iam::111122223333:role/*',
];
const CONDITIONS: [string, string, string[]][] = [
  ['StringEquals', 'aws:RequestedRegion', ['us-east-1']],
  ['StringLike', 's3:prefix', ['home/*']],
  ['Bool', 'aws:SecureTransport', ['true']],
  ['IpAddress', 'aws:SourceIp', ['10.0.0.0/8']],
  ['StringEquals', 'aws:SourceAccount', ['111122223333']],
  ['StringNotEquals', 'aws:PrincipalAccount', ['111122223333']],
  ['Null', 'aws:username', ['false']],
];
const PRINCIPALS: unknown[] = [
  '*',
  { AWS: '*' },
  { AWS: '111122223333' },
  { AWS: 'arn:aws:iam::444455556666:role/R' },
  { Service: 'ec2.amazonaws.com' },
];

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const some = <T>(r: R, xs: readonly T[]): T[] =>
  Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, xs));

function randomPolicy(r: R, withPrincipal: boolean): string {
  const statements = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
    const st: Record<string, unknown> = { Effect: r() < 0.8 ? 'Allow' : 'Deny' };
    if (withPrincipal) st.Principal = pick(r, PRINCIPALS);
    st[r() < 0.1 ? 'NotAction' : 'Action'] = some(r, ACTIONS);
    st[r() < 0.1 ? 'NotResource' : 'Resource'] = some(r, RESOURCES);
    if (r() < 0.4) {
      const [op, key, values] = pick(r, CONDITIONS);
      st.Condition = { [op]: { [key]: values } };
    }
    return st;
  });
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const parse = (text: string): Policy => {
  const p = parsePolicy(text);
  if (!p.ok) throw new Error(text);
  return p.policy;
};

async function run(req: CheckRequest): Promise<{ early?: CheckResponse; final: CheckResponse }> {
  const engine = await createNodeEngine();
  let early: CheckResponse | undefined;
  const out = await engine.run(req, {
    timeoutMs: 20_000,
    onPreliminary: (p) => {
      early ??= p;
    },
  });
  if (!out.ok) throw new Error(`${JSON.stringify(out.error)} for ${JSON.stringify(req)}`);
  return { early, final: out.response as CheckResponse };
}

describe('early FAIL and the solver agree (seeded random policies)', () => {
  it('CheckNoNewAccess, CheckAccessNotGranted, CheckNoPublicAccess', async () => {
    // EARLY_SEED=n explores another seed and prints the tallies (nine seeds tried: no disagreement).
    const r = prng(Number(process.env.EARLY_SEED ?? 20261124));
    const seen = { early: 0, fail: 0, pass: 0 };
    const allowed = (e: Evaluation): boolean => e.decision === 'Allowed';
    for (let i = 0; i < 60; i++) {
      const existing = randomPolicy(r, false);
      const next = randomPolicy(r, false);
      const a = await run({
        check: 'CheckNoNewAccess',
        existingPolicyDocument: existing,
        newPolicyDocument: next,
        policyType: 'IDENTITY_POLICY',
      });
      if (a.early) {
        expect(a.final.result, next).toBe('FAIL');
        const req = a.early.counterexamples[0]!.request;
        expect(allowed(evaluatePolicy(parse(next), req))).toBe(true);
        expect(allowed(evaluatePolicy(parse(existing), req))).toBe(false);
        seen.early++;
      }

      const policy = randomPolicy(r, false);
      const b = await run({
        check: 'CheckAccessNotGranted',
        policyDocument: policy,
        access: [{ actions: ['s3:DeleteBucket', 'iam:PassRole'] }],
        policyType: 'IDENTITY_POLICY',
      });
      if (b.early) {
        expect(b.final.result, policy).toBe('FAIL');
        const req = b.early.counterexamples[0]!.request;
        expect(['s3:deletebucket', 'iam:passrole']).toContain(req.action.toLowerCase());
        expect(allowed(evaluatePolicy(parse(policy), req))).toBe(true);
        seen.early++;
      }

      // Listed resources too: the referee matches them itself (a solver witness it cannot match
      // would throw, failing this test).
      const scoped = await run({
        check: 'CheckAccessNotGranted',
        policyDocument: policy,
        access: [
          { resources: ['arn:aws:s3:::bucket/report.csv'] },
          { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::other/x'] },
        ],
        policyType: 'IDENTITY_POLICY',
      });
      if (scoped.early) expect(scoped.final.result, policy).toBe('FAIL');
      seen[scoped.final.result === 'FAIL' ? 'fail' : 'pass']++;

      const bucket = randomPolicy(r, true);
      const c = await run({
        check: 'CheckNoPublicAccess',
        policyDocument: bucket,
        resourceType: 'AWS::S3::Bucket',
      });
      if (c.early) {
        expect(c.final.result, bucket).toBe('FAIL');
        const req = c.early.counterexamples[0]!.request;
        expect(req.action.toLowerCase().startsWith('s3:')).toBe(true);
        expect(allowed(evaluatePolicy(parse(bucket), req))).toBe(true);
        seen.early++;
      }
      for (const x of [a, b, c]) seen[x.final.result === 'FAIL' ? 'fail' : 'pass']++;
    }
    if (process.env.EARLY_SEED) console.log(JSON.stringify(seen));
    // Both answers well represented, and the early path taken often enough to mean something.
    expect(seen.fail).toBeGreaterThan(30);
    expect(seen.pass).toBeGreaterThan(30);
    expect(seen.early).toBeGreaterThan(30);
  }, 120_000);
});
