/**
 * The early witnesses (guess.ts). Over the real corpus: every request it returns is one the new
 * policy allows and the old does not (by the evaluator); nothing for a pair that passes; with time
 * enough a witness for every pair marked FAIL. For CheckAccessNotGranted: only listed accesses. And
 * the early answer (before Z3 has started) on the seed examples: a FAIL only where FAIL is expected.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/model.ts';
import { earlyAnswer } from './early.ts';
import { GUESS_LIMITS, guessAccessGranted, guessNewAccess } from './guess.ts';
import { SEED_CASES, seedRequest } from './seed-cases.ts';

interface Pair {
  expected?: { result?: 'PASS' | 'FAIL' };
  old: unknown;
  new: unknown;
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'pairs');
const pairs = readdirSync(dir)
  .filter((f) => /^\d{3}_.*\.json$/.test(f))
  .sort()
  .map((f) => ({ f, pair: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Pair }));

const parse = (doc: unknown): Policy => {
  const p = parsePolicy(JSON.stringify(doc));
  if (!p.ok) throw new Error('corpus policy does not parse');
  return p.policy;
};

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

describe('early witness of new access', () => {
  const unhurried = { ...GUESS_LIMITS, maxTries: 1_000_000, maxMs: 60_000 };

  it('finds a confirmed witness for every corpus pair marked FAIL, and none for those marked PASS', () => {
    const missed: string[] = [];
    let fails = 0;
    let passes = 0;
    for (const { f, pair } of pairs) {
      const result = pair.expected?.result;
      if (!result) continue;
      const [oldP, newP] = [parse(pair.old), parse(pair.new)];
      const request = guessNewAccess(catalog, oldP, newP, unhurried);
      if (result === 'PASS') {
        passes++;
        expect(request, f).toBeUndefined();
        continue;
      }
      fails++;
      if (!request) {
        missed.push(f);
        continue;
      }
      expect(evaluatePolicy(newP, request).decision, f).toBe('Allowed');
      expect(evaluatePolicy(oldP, request).decision, f).not.toBe('Allowed');
    }
    expect(fails).toBe(106);
    expect(passes).toBeGreaterThan(0);
    expect(missed).toEqual([]);
  }, 60_000);

  it('gives up within its budget (never a long pause before the solver starts)', () => {
    const { pair } = pairs.find((p) => p.f.startsWith('000_'))!;
    const [oldP, newP] = [parse(pair.old), parse(pair.new)];
    const t = Date.now();
    guessNewAccess(catalog, oldP, newP, { ...GUESS_LIMITS, maxMs: 1 });
    // One pattern's candidates may be prepared after the budget is spent; never the whole policy.
    expect(Date.now() - t).toBeLessThan(50);
  });

  it('ignores Deny and NotAction statements of the new policy (a Deny grants nothing)', () => {
    const doc = (statements: unknown[]) => parse({ Version: '2012-10-17', Statement: statements });
    const old = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    const next = doc([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
    ]);
    expect(guessNewAccess(catalog, old, next, unhurried)).toBeUndefined();
    const wider = doc([{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' }]);
    const r = guessNewAccess(catalog, old, wider, unhurried);
    expect(r?.action.toLowerCase()).not.toBe('s3:getobject');
    // A resource of the action's own type inside the pattern (an object of bucket b).
    expect(r?.resource).toBe('arn:aws:s3:::b/example.txt');
  });

  it('names a resource of each action’s own type, as AWS spells it', () => {
    const doc = (statements: unknown[]) => parse({ Version: '2012-10-17', Statement: statements });
    const old = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);
    const guess = (action: string, resource = '*') =>
      guessNewAccess(catalog, old, doc([{ Effect: 'Allow', Action: action, Resource: resource }]), unhurried);
    expect(guess('sts:AssumeRole')?.resource).toBe('arn:aws:iam::111122223333:role/Developer');
    expect(guess('s3:DeleteBucket')?.resource).toBe('arn:aws:s3:::amzn-s3-demo-bucket');
    expect(guess('sts:GetCallerIdentity')?.resource).toBe('*');
    expect(guess('logs:CreateLogGroup', 'arn:aws:logs:*:*:log-group:/aws/lambda/*')?.resource).toBe(
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/my-log-group',
    );
  });
});

describe('early witness of a listed access (CheckAccessNotGranted)', () => {
  const unhurried = { ...GUESS_LIMITS, maxTries: 1_000_000, maxMs: 60_000 };
  const policy = parse({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::reports/*' },
      { Effect: 'Allow', Action: 's3:DeleteBucket', Resource: 'arn:aws:s3:::scratch' },
    ],
  });

  it('performs a listed action (on any resource) the policy allows', () => {
    const r = guessAccessGranted(catalog, policy, [{ actions: ['s3:DeleteBucket'] }], unhurried);
    expect(r?.action).toBe('s3:DeleteBucket');
    expect(r?.resource).toBe('arn:aws:s3:::scratch');
    expect(evaluatePolicy(policy, r!).decision).toBe('Allowed');
    expect(guessAccessGranted(catalog, policy, [{ actions: ['iam:PassRole'] }], unhurried)).toBeUndefined();
    // A listed wildcard that names no catalog action never falls back to the statement's actions.
    expect(
      guessAccessGranted(catalog, policy, [{ actions: ['s3:NoSuchAction*'] }], unhurried),
    ).toBeUndefined();
  });

  it('touches a listed resource, with a listed action when both are given', () => {
    const r = guessAccessGranted(
      catalog,
      policy,
      [{ resources: ['arn:aws:s3:::reports/q1.csv'] }],
      unhurried,
    );
    expect(r?.resource).toBe('arn:aws:s3:::reports/q1.csv');
    expect(r?.action.toLowerCase().startsWith('s3:get')).toBe(true);
    const both = [{ actions: ['s3:DeleteBucket'], resources: ['arn:aws:s3:::reports/q1.csv'] }];
    expect(guessAccessGranted(catalog, policy, both, unhurried)).toBeUndefined();
    // A listed resource with a wildcard is left to the solver.
    expect(guessAccessGranted(catalog, policy, [{ resources: ['arn:aws:s3:::reports/*'] }], unhurried)).toBe(
      undefined,
    );
  });
});

describe('early answer (no solver)', () => {
  it('is a FAIL only for the seed examples whose answer is FAIL, with a confirmed counterexample', () => {
    let fails = 0;
    for (const c of SEED_CASES) {
      const early = earlyAnswer(catalog, seedRequest(c));
      if (!early) continue;
      expect(c.expected.result, c.name).toBe('FAIL');
      expect(early.result).toBe('FAIL');
      expect(early.counterexamples).toHaveLength(1);
      expect(early.reasons.length).toBeGreaterThan(0);
      expect(early.stats.solverCalls).toBe(0);
      fails++;
    }
    // Every seed example that fails gets its answer early: the six FAIL cases, across
    // CheckNoPublicAccess, NoAccessOutsideAccount, CheckNoNewAccess and CheckAccessNotGranted.
    expect(fails).toBe(SEED_CASES.filter((c) => c.expected.result === 'FAIL').length);
    expect(fails).toBe(6);
  });

  it('leaves bad input and comparisons to the full check', () => {
    const bad = { ...seedRequest(SEED_CASES[0]!), policyDocument: '{' } as never;
    expect(earlyAnswer(catalog, bad)).toBeUndefined();
    const open = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }],
    });
    const compare = { check: 'ComparePolicies', policyA: open, policyB: '{"Statement": []}' } as const;
    expect(earlyAnswer(catalog, { ...compare, policyType: 'IDENTITY_POLICY' })).toBeUndefined();
  });

  it('an outsider for the public and cross-account questions: unknown account or anonymous, no identifying key', () => {
    const outsiders = SEED_CASES.filter(
      (c) => c.check === 'CheckNoPublicAccess' || c.check === 'NoAccessOutsideAccount',
    );
    for (const c of outsiders) {
      const early = earlyAnswer(catalog, seedRequest(c));
      if (!early) continue;
      const req = early.counterexamples[0]!.request;
      const p = req.principal;
      expect(p?.type === 'Anonymous' || (p?.type === 'AWS' && p.id.includes(':999999999999:')), c.name).toBe(
        true,
      );
      const keys = Object.keys(req.context).map((k) => k.toLowerCase());
      expect(
        keys.filter((k) => /^aws:(source|principalorg|userid)/.test(k)),
        c.name,
      ).toEqual([]);
    }
    // A policy open only to a source IP is not public: no early FAIL (the solver decides, PASS).
    const ipOnly = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } },
        },
      ],
    });
    const req = {
      check: 'CheckNoPublicAccess',
      policyDocument: ipOnly,
      resourceType: 'AWS::S3::Bucket',
    } as const;
    expect(earlyAnswer(catalog, req)).toBeUndefined();
  });
});
