/** The question panel's formulas for each check, and the legend picked for a formula. */
import { describe, expect, it } from 'vitest';
import seed from '../fixtures/examples/seed-checks.json';
import { legendFor } from './legend.ts';
import { describeQuestion, questionText } from './question.ts';

const cases = (seed as unknown as { cases: Record<string, unknown>[] }).cases;
const doc = (name: string, key = 'policyDocument') =>
  JSON.stringify(cases.find((c) => c.name === name)![key]);

describe('the question each check asks', () => {
  it('CheckNoNewAccess: Pnew ∧ ¬Pold', () => {
    const r = describeQuestion({
      check: 'CheckNoNewAccess',
      existingPolicyDocument: doc('no-new-access-added-delete-bucket', 'existingPolicyDocument'),
      newPolicyDocument: doc('no-new-access-added-delete-bucket', 'newPolicyDocument'),
      policyType: 'RESOURCE_POLICY',
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.formulas.map((f) => f.formula.text)).toEqual(['Pnew ∧ ¬Pold']);
    expect(r.value.policies.map((p) => [p.name, p.document])).toEqual([
      ['Pold', 'existing'],
      ['Pnew', 'new'],
    ]);
    expect(r.value.formulas[0]!.sat).toMatch(/FAILs/);
    expect(r.value.formulas[0]!.unsat).toMatch(/PASSes/);
  });

  it('CheckAccessNotGranted: P ∧ (Action = "s3:DeleteBucket"), lists and resources', () => {
    const p = doc('access-not-granted-identity-statement-1');
    const one = describeQuestion({
      check: 'CheckAccessNotGranted',
      policyDocument: p,
      policyType: 'IDENTITY_POLICY',
      access: [{ actions: ['s3:DeleteBucket'] }],
    });
    const many = describeQuestion({
      check: 'CheckAccessNotGranted',
      policyDocument: p,
      policyType: 'IDENTITY_POLICY',
      access: [{ actions: ['s3:DeleteBucket', 'iam:Pass*'], resources: ['arn:aws:s3:::prod-*'] }],
    });
    if (!one.ok || !many.ok) throw new Error('no question');
    expect(one.value.formulas[0]!.formula.text).toBe('P ∧ (Action = "s3:DeleteBucket")');
    expect(many.value.formulas[0]!.formula.text).toBe(
      'P ∧ (Action ∈ {"s3:DeleteBucket"} ∪ ⟦iam:Pass*⟧) ∧ (Resource ∈ ⟦arn:aws:s3:::prod-*⟧)',
    );
    // nothing in the question points into the document
    expect(one.value.formulas[0]!.formula.spans).toEqual([]);
  });

  it('no access outside trusted accounts: P ∧ Outside, with the trusted accounts', () => {
    const r = describeQuestion({
      check: 'NoAccessOutsideAccounts',
      policyDocument: doc('cross-account-open'),
      trustedAccounts: ['123456789012'],
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.formulas[0]!.formula.text).toBe('P ∧ Outside');
    expect(r.value.definitions.map((d) => d.text)).toEqual([
      'Outside := (Principal ∈ Anonymous ∪ AWS) ∧ (Account(Principal) ∉ {"123456789012"})',
    ]);
  });

  it('CheckNoPublicAccess: the service actions, the accounts the policy names, fixed identifying keys', () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::b/*',
          Condition: {
            IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
            StringLike: { 'aws:SourceVpce': 'vpce-*' },
          },
        },
        { Effect: 'Deny', NotPrincipal: { AWS: '123456789012' }, Action: '*', Resource: '*' },
      ],
    });
    const r = describeQuestion({
      check: 'CheckNoPublicAccess',
      policyDocument: policy,
      resourceType: 'AWS::S3::Bucket',
    });
    if (!r.ok) throw new Error(r.error.message);
    // the wildcard vpce-* bounds nobody, the fixed CIDR does
    expect(r.value.formulas[0]!.formula.text).toBe(
      'P ∧ Outside ∧ (Action ∈ ⟦s3:*⟧) ∧ ¬(present(aws:SourceIp) ∧ (aws:SourceIp ∈ 10.0.0.0/8))',
    );
    expect(r.value.definitions[0]!.text).toContain('∉ {"123456789012"}');
    const bad = describeQuestion({
      check: 'CheckNoPublicAccess',
      policyDocument: policy,
      resourceType: 'AWS::X::Y',
    });
    expect(bad.ok).toBe(false);
  });

  it('compare: two questions and the verdict table', () => {
    const p = doc('public-bucket-put');
    const r = describeQuestion({
      check: 'ComparePolicies',
      policyA: p,
      policyB: p,
      policyType: 'IDENTITY_POLICY',
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.formulas.map((f) => f.formula.text)).toEqual(['PA ∧ ¬PB', 'PB ∧ ¬PA']);
    expect(questionText(r.value)).toContain('EQUIVALENT');
  });
});

describe('legend', () => {
  it('explains the symbols a formula uses, and only those', () => {
    const symbols = (t: string) => legendFor(t).map((e) => e.symbol);
    expect(symbols('S0 := (Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::b")')).toEqual([
      'X := …',
      '∧  ∨  ¬',
      'S0, D1',
      'Action = "s3:PutObject"',
    ]);
    expect(symbols('S0 := ∃v ∈ aws:TagKeys: (v ∈ ⟦team*⟧)')).toContain('∃v ∈ k: …   ∀v ∈ k: …');
    expect(symbols('S0 := present(aws:x) → ¬(aws:x = "a")')).toContain('present(k) → …');
    expect(symbols('S0 := (s3:max-keys < 10)')).toContain('k = "x",  k ∈ …,  k < 5');
  });
});
