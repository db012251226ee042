/**
 * Policy variables in checks. A conflict found with the variables' chosen values is only a lemma if
 * it holds for every value, which the solver tests on an over-approximation of each variable atom;
 * that over-approximation must contain every instantiation and, in ARNs, keep the segments it can.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { parsePolicy } from '../policy/parse.ts';
import { MembershipOracle } from '../smt/automata.ts';
import type { Atom } from '../smt/atoms.ts';
import { Encoder } from '../smt/encode.ts';
import { instantiate, overApproximate } from '../smt/patterns.ts';
import { toSmt } from '../smt/regex.ts';
import { createNodeEngine } from './node.ts';
import type { CheckOutcome, CheckResponse } from './types.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

const doc = (resource: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: resource }],
  });

function variableAtom(resource: string): Atom {
  const parsed = parsePolicy(doc(resource));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
  const enc = new Encoder(catalog, { identity: true });
  enc.prepare([parsed.policy]);
  enc.policy(parsed.policy, 'p');
  enc.finish();
  const atom = enc.dims.get('resource')!.atoms.find((a) => a.pattern);
  if (!atom) throw new Error(`no variable atom for ${resource}`);
  return atom;
}

const PATTERNS = [
  'arn:aws:kms:*:*:key/${aws:PrincipalTag/K}',
  'arn:aws:kms:*:*:key/x${aws:PrincipalTag/K}y*',
  'arn:aws:kms:*:*:${aws:PrincipalTag/K}',
  'arn:aws:kms:${aws:PrincipalTag/K}:*:key/*',
  'arn:aws:s3:::${aws:PrincipalTag/B}/${aws:PrincipalTag/K}/*',
  'arn:${aws:PrincipalTag/K}',
];
const VALUES = ['', 'a', 'a:b', 'x/y:z::', 'key/1', '*'];

describe('over-approximation of a variable atom', () => {
  it('contains the pattern instantiated with any value, colons included', () => {
    const oracle = new MembershipOracle();
    for (const pattern of PATTERNS) {
      const atom = variableAtom(pattern);
      const over = overApproximate(atom);
      for (const v of VALUES) {
        const inst = instantiate(atom, () => v);
        expect(inst, pattern).toBeDefined();
        const escaped = oracle.search(
          [
            { re: inst!, positive: true },
            { re: over, positive: false },
          ],
          toSmt,
        );
        expect(escaped.status, `${pattern} with ${JSON.stringify(v)}: ${JSON.stringify(escaped)}`).toBe(
          'unsat',
        );
      }
    }
  });

  it('keeps the ARN segments when the variable is in the resource part', () => {
    const oracle = new MembershipOracle();
    const over = overApproximate(variableAtom('arn:aws:kms:*:*:key/${aws:PrincipalTag/K}'));
    const accepts = (s: string): boolean =>
      oracle.search(
        [
          { re: over, positive: true },
          { re: { k: 'str', s }, positive: true },
        ],
        toSmt,
      ).status === 'sat';
    expect(accepts('arn:aws:kms:us-east-1:111122223333:key/anything:at/all')).toBe(true);
    // Region and account stars end their segments, so they may span colons (IAM "Resource").
    expect(accepts('arn:aws:kms:a:b:c:key/x')).toBe(true);
    // An inner star keeps its segment: "c:key/x" is then the resource part, not "key/...".
    const inner = overApproximate(variableAtom('arn:aws:kms:u*1:111122223333:key/${aws:PrincipalTag/K}'));
    const innerAccepts = (s: string): boolean =>
      oracle.search(
        [
          { re: inner, positive: true },
          { re: { k: 'str', s }, positive: true },
        ],
        toSmt,
      ).status === 'sat';
    expect(innerAccepts('arn:aws:kms:us-1:111122223333:key/x')).toBe(true);
    expect(innerAccepts('arn:aws:kms:us:1:111122223333:key/x')).toBe(false);
  });
});

describe('checks with policy variables', () => {
  const noNewAccess = async (existing: string, next: string): Promise<CheckOutcome> => {
    const engine = await createNodeEngine();
    return engine.run(
      {
        check: 'CheckNoNewAccess',
        existingPolicyDocument: doc(existing),
        newPolicyDocument: doc(next),
        policyType: 'IDENTITY_POLICY',
      },
      { timeoutMs: 20_000 },
    );
  };

  it('a variable resource inside a wildcard the old policy allows is no new access (PASS, not UNKNOWN)', async () => {
    for (const next of [
      'arn:aws:kms:*:*:key/${aws:PrincipalTag/K}',
      'arn:aws:kms:*:*:key/x${aws:PrincipalTag/K}y',
    ]) {
      // Asked three times on one engine: the answer may not depend on what the solver picked before.
      for (let i = 0; i < 3; i++) {
        const out = await noNewAccess('arn:aws:kms:*:*:key/*', next);
        expect(out.ok).toBe(true);
        if (out.ok) expect(out.response.result, `${next} (run ${i + 1})`).toBe('PASS');
      }
    }
  });

  it('a variable resource wider than the old one is new access, with a confirmed request', async () => {
    const out = await noNewAccess('arn:aws:kms:*:*:key/abc', 'arn:aws:kms:*:*:key/${aws:PrincipalTag/K}');
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.response.result).toBe('FAIL');
    const ce = (out.response as CheckResponse).counterexamples[0];
    expect(ce?.request.resource).toMatch(/^arn:aws:kms:[^:]*:[^:]*:key\//);
    expect(ce?.request.resource).not.toBe('arn:aws:kms:*:*:key/abc');
    expect(ce?.grantedBy.length).toBeGreaterThan(0);
  });

  it('a variable before the fifth colon (its value may add segments) is never a PASS', async () => {
    // With aws:PrincipalTag/K = "x:x" the new policy allows arn:aws:kms:x:x:1a1:key/y, which the old
    // one does not (its inner stars keep their segments): the answer must be FAIL, or UNKNOWN when
    // the solver cannot decide it.
    const out = await noNewAccess('arn:aws:kms:x*x:1*1:key/*', 'arn:aws:kms:${aws:PrincipalTag/K}:1*1:key/*');
    expect(out.ok).toBe(true);
    if (out.ok) expect(['FAIL', 'UNKNOWN']).toContain(out.response.result);
  });
});

/**
 * Policy variables decided for every value (docs/semantics-decisions.md, "Policy variables"): each
 * pair answered PASS, or FAIL with a request the concrete evaluator confirms. All of the PASS
 * answers below were UNKNOWN ("could not decide the policy variables") before the joint decision.
 */
describe('policy variables decided for every value', () => {
  const policy = (statements: object[]): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const allow = (resource: string, condition?: object): object => ({
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: resource,
    ...(condition ? { Condition: condition } : {}),
  });
  const check = async (existing: object[], next: object[]): Promise<CheckResponse> => {
    const engine = await createNodeEngine();
    const out = await engine.run(
      {
        check: 'CheckNoNewAccess',
        existingPolicyDocument: policy(existing),
        newPolicyDocument: policy(next),
        policyType: 'IDENTITY_POLICY',
      },
      { timeoutMs: 20_000 },
    );
    if (!out.ok) throw new Error(JSON.stringify(out));
    return out.response as CheckResponse;
  };
  /** FAIL, and the evaluator agrees: the new policy allows the request, the old one does not. */
  const expectConfirmedFail = (r: CheckResponse, existing: object[], next: object[]): void => {
    expect(r.result, r.unknownReason).toBe('FAIL');
    const req = r.counterexamples[0]!.request as Request;
    const parse = (sts: object[]) => {
      const p = parsePolicy(policy(sts));
      if (!p.ok) throw new Error('unparsable');
      return p.policy;
    };
    expect(evaluatePolicy(parse(next), req, { catalog }).decision, JSON.stringify(req)).toBe('Allowed');
    expect(evaluatePolicy(parse(existing), req, { catalog }).decision, JSON.stringify(req)).not.toBe(
      'Allowed',
    );
  };
  const both = async (
    narrow: object[],
    wide: object[],
  ): Promise<{ pass: CheckResponse; fail: CheckResponse }> => ({
    // narrow -> wide is new access; wide -> narrow is not
    pass: await check(wide, narrow),
    fail: await check(narrow, wide),
  });

  it('the same variable on both sides: a narrower pattern is no new access, a wider one is', async () => {
    const narrow = [allow('arn:aws:s3:::b/${aws:username}/*')];
    const wide = [allow('arn:aws:s3:::b/${aws:username}*')];
    const { pass, fail } = await both(narrow, wide);
    expect(pass.result, pass.unknownReason).toBe('PASS');
    expectConfirmedFail(fail, narrow, wide);
  });

  it("a default decides the absent key: ${aws:PrincipalTag/team, 'shared'}", async () => {
    const shared = [allow('arn:aws:s3:::b/shared/*')];
    const withDefault = [allow("arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*")];
    // Present, the tag names another folder: new access both ways.
    expectConfirmedFail(await check(shared, withDefault), shared, withDefault);
    expectConfirmedFail(await check(withDefault, shared), withDefault, shared);
    // The default and the tag's own folder are both granted already: no new access.
    const both = [allow('arn:aws:s3:::b/shared/*'), allow('arn:aws:s3:::b/${aws:PrincipalTag/team}/*')];
    const r = await check(both, withDefault);
    expect(r.result, r.unknownReason).toBe('PASS');
  });

  it('a variable in a condition value: StringEquals aws:ResourceTag/p ${aws:PrincipalTag/p}', async () => {
    const equals = [allow('*', { StringEquals: { 'aws:ResourceTag/p': '${aws:PrincipalTag/p}' } })];
    const prefix = [allow('*', { StringLike: { 'aws:ResourceTag/p': '${aws:PrincipalTag/p}*' } })];
    const { pass, fail } = await both(equals, prefix);
    expect(pass.result, pass.unknownReason).toBe('PASS');
    expectConfirmedFail(fail, equals, prefix);
    const differs = [allow('*', { StringNotEquals: { 'aws:ResourceTag/p': '${aws:PrincipalTag/p}' } })];
    expectConfirmedFail(await check(equals, differs), equals, differs);
  });

  it('${aws:PrincipalAccount} inside an ARN, before and after the fifth colon', async () => {
    const table = [allow('arn:aws:dynamodb:us-east-1:${aws:PrincipalAccount}:table/t')];
    const tables = [allow('arn:aws:dynamodb:*:${aws:PrincipalAccount}:table/*')];
    let { pass, fail } = await both(table, tables);
    expect(pass.result, pass.unknownReason).toBe('PASS');
    expectConfirmedFail(fail, table, tables);
    const folder = [allow('arn:aws:s3:::b/${aws:PrincipalAccount}/*')];
    const bucket = [allow('arn:aws:s3:::b/*')];
    ({ pass, fail } = await both(folder, bucket));
    expect(pass.result, pass.unknownReason).toBe('PASS');
    expectConfirmedFail(fail, folder, bucket);
    // An account is twelve digits: never the folder "shared" the old policy denies.
    const denyShared = [
      allow('arn:aws:s3:::b/*'),
      { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/shared/*' },
    ];
    const r = await check(denyShared, folder);
    expect(r.result, r.unknownReason).toBe('PASS');
    const tagFolder = [allow('arn:aws:s3:::b/${aws:PrincipalTag/team}/*')];
    expectConfirmedFail(await check(denyShared, tagFolder), denyShared, tagFolder);
  });

  it('one value shared by every place a variable appears (resource and condition)', async () => {
    const tied = [
      allow('arn:aws:s3:::b/${aws:PrincipalTag/team}/*', {
        StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' },
      }),
    ];
    const loose = [allow('arn:aws:s3:::b/*', { StringLike: { 'aws:ResourceTag/team': '*' } })];
    const { pass, fail } = await both(tied, loose);
    expect(pass.result, pass.unknownReason).toBe('PASS');
    expectConfirmedFail(fail, tied, loose);
  });

  it('UNKNOWN remains only with its reason (a case-insensitive comparison with a variable)', async () => {
    const ci = [allow('*', { StringEqualsIgnoreCase: { 'aws:ResourceTag/p': '${aws:PrincipalTag/p}' } })];
    const exact = [allow('*', { StringEquals: { 'aws:ResourceTag/p': '${aws:PrincipalTag/p}' } })];
    const r = await check(ci, exact);
    expect(['PASS', 'UNKNOWN']).toContain(r.result);
    if (r.result === 'UNKNOWN') expect(r.unknownReason).toMatch(/case-insensitive/);
  });
});
