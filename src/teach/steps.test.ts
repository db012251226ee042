/** Step-by-step evaluation and the request form. */
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import type { Policy } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { policyNotation } from './notation.ts';
import { formFromJson, formFromRequest, formToJson, readRequestForm } from './request-form.ts';
import { evaluationSteps, valuation } from './steps.ts';

const TEXT = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:PutObject'],
        Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET',
      },
      {
        Effect: 'Deny',
        NotPrincipal: '123456789012',
        Action: '*',
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:SourceVpc': 'vpc-1' } },
      },
    ],
  },
  null,
  2,
);
function policy(): Policy {
  const r = parsePolicy(TEXT);
  if (!r.ok) throw new Error('bad policy');
  return r.policy;
}

describe('evaluation steps', () => {
  it('walks each statement, element and condition, then the decision rule with the formula valuation', () => {
    const p = policy();
    const e = evaluatePolicy(p, {
      principal: { type: 'Anonymous' },
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET',
      context: {},
    });
    const steps = evaluationSteps(p, e, policyNotation(p).allowed.text);
    expect(steps.map((s) => `${s.kind}:${s.title}:${s.matched ?? '-'}`)).toEqual([
      'statement:Statement 0 (S0) · Allow:-',
      'element:Principal:true',
      'element:Action:true',
      'element:Resource:true',
      'result:Statement 0 matches: S0 = ⊤:true',
      'statement:Statement 1 (D1) · Deny:-',
      'element:NotPrincipal:true',
      'element:Action:true',
      'element:Resource:true',
      'condition:StringNotEqualsIfExists aws:SourceVpc:true',
      'result:Statement 1 matches: D1 = ⊤:true',
      'decision:Decision: explicitly denied:false',
    ]);
    const decision = steps.at(-1)!;
    expect(decision.detail).toContain('Allowed = S0 ∧ ¬D1 = ⊤ ∧ ¬⊤ = ⊥');
    expect(decision.detail).toContain('1. explicit deny');
    // every element and condition step points at its JSON
    for (const s of steps.filter((x) => x.kind === 'element' || x.kind === 'condition'))
      expect(TEXT.slice(s.span!.start, s.span!.end).length).toBeGreaterThan(0);
    const cond = steps.find((s) => s.kind === 'condition')!;
    expect(TEXT.slice(cond.span!.start, cond.span!.end)).toBe('"aws:SourceVpc": "vpc-1"');
  });

  it('names what failed in a statement that does not match', () => {
    const p = policy();
    const e = evaluatePolicy(p, {
      // the account's root: NotPrincipal {"AWS": account} exempts it (and only it)
      principal: { type: 'AWS', id: 'arn:aws:iam::123456789012:root' },
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET',
      context: {},
    });
    const steps = evaluationSteps(p, e);
    expect(steps.find((s) => s.id === 's0r')!.detail).toBe(
      'Not matched: Action. The statement does not apply to this request.',
    );
    expect(steps.at(-1)!.title).toBe('Decision: implicitly denied (default deny)');
    expect(valuation('Allowed := S0 ∧ ¬D1', e)).toBe('Allowed = S0 ∧ ¬D1 = ⊥ ∧ ¬⊥ = ⊥');
  });
});

describe('request form', () => {
  it('reads principals, actions, resources and context lines', () => {
    const r = readRequestForm({
      principal: 'Service:ec2.amazonaws.com',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: 'aws:SourceIp = 10.0.0.1\naws:TagKeys = ["team", "env"]\n\n# a comment\naws:Note = " padded "',
    });
    expect(r).toEqual({
      ok: true,
      request: {
        principal: { type: 'Service', id: 'ec2.amazonaws.com' },
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: { 'aws:SourceIp': '10.0.0.1', 'aws:TagKeys': ['team', 'env'], 'aws:Note': ' padded ' },
      },
    });
    const anon = readRequestForm({
      principal: 'anonymous',
      action: 's3:GetObject',
      resource: '*',
      context: '',
    });
    expect(anon.ok && anon.request.principal).toEqual({ type: 'Anonymous' });
    const implicit = readRequestForm({ principal: '', action: 's3:GetObject', resource: '*', context: '' });
    expect(implicit.ok && implicit.request.principal).toBeUndefined();
    const acct = readRequestForm({
      principal: '123456789012',
      action: 's3:GetObject',
      resource: '*',
      context: '',
    });
    expect(acct.ok && acct.request.principal).toEqual({ type: 'AWS', id: '123456789012' });
  });

  it('reports every problem', () => {
    const r = readRequestForm({
      principal: 'bob',
      action: 'GetObject',
      resource: '',
      context: 'novalue\nk = [1,',
    });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors).toEqual([
        'action: write it as service:Name, e.g. s3:GetObject',
        'resource: give an ARN (or * for a service without resources)',
        'principal: "bob" is not an account id, an ARN, "anonymous" or Service:<name>',
        'context line 1: write key = value',
        'context line 2: k: a list must be JSON, like ["a", "b"]',
      ]);
  });

  it('writes a request back to the form it reads from, and survives storage', () => {
    const request = {
      principal: { type: 'AWS' as const, id: 'arn:aws:iam::111122223333:role/R' },
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::b',
      context: { 'aws:TagKeys': ['a'], 'aws:SourceVpc': 'vpc-1' },
    };
    const form = formFromRequest(request);
    expect(readRequestForm(form)).toEqual({ ok: true, request });
    expect(formFromJson(formToJson(form))).toEqual(form);
    expect(formFromJson('not json').action).toBe('');
  });
});
