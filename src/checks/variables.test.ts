/**
 * Policy variables in checks. A conflict found with the variables' chosen values is only a lemma if
 * it holds for every value, which the solver tests on an over-approximation of each variable atom;
 * that over-approximation must contain every instantiation and, in ARNs, keep the segments it can.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { parsePolicy } from '../policy/parse.ts';
import { MembershipOracle } from '../smt/automata.ts';
import { Encoder, instantiate, overApproximate, type Atom } from '../smt/encode.ts';
import { toSmt } from '../smt/regex.ts';
import { createNodeEngine } from './node.ts';
import type { CheckOutcome, CheckResponse } from './types.ts';

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
