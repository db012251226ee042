/**
 * The SMT-LIB export round trip: every exported script runs through the real Z3 (z3-solver in Node)
 * as one standalone script, and its verdict must be the engine's, on every seed example, on corpus
 * pairs, and on policies with conditions and policy variables. Timings are printed per case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog.ts';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { createNodeEngine } from './node.ts';
import type { CheckRequest } from './types.ts';
import { SEED_CASES, seedRequest } from './seed-cases.ts';
import { exportSmtLib, readAnswers, verdictOf } from './export.ts';
import { nodeRunner } from '../smt/runner-node.ts';

let catalog: Catalog;
const timings: string[] = [];
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});
afterAll(() => {
  console.log(`export round trip (export ms / Z3 ms / engine ms):\n  ${timings.join('\n  ')}`);
});

/** Runs the exported script in a fresh Z3 context state and returns its verdict. */
async function roundTrip(name: string, req: CheckRequest, expectedVerdict?: string): Promise<string> {
  const t0 = performance.now();
  const exported = exportSmtLib(req, catalog);
  if (!exported.ok) throw new Error(JSON.stringify(exported.error));
  const t1 = performance.now();
  const runner = await nodeRunner();
  await runner.run('(reset)');
  // the engine leaves its last :timeout in the shared context; give the script its own
  const out = await runner.run(`(set-option :timeout 120000)\n${exported.value.script}`);
  const t2 = performance.now();
  expect(out, 'Z3 accepted the script without errors').not.toMatch(/\(error/);
  const answers = readAnswers(out);
  expect(answers.length).toBe(req.check === 'ComparePolicies' ? 2 : 1);
  const verdict = verdictOf(req.check, answers, exported.value.approximate);
  const engine = await createNodeEngine();
  const outcome = await engine.run(req, { timeoutMs: 60_000 });
  const t3 = performance.now();
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.error));
  expect(outcome.response.result, 'the engine answers').not.toBe('UNKNOWN');
  if (exported.value.approximate && answers.includes('sat'))
    // sat of an over-approximation proves nothing; unsat still proves PASS
    expect(verdict).toBe('UNKNOWN');
  else expect(verdict, 'export and engine give the same verdict').toBe(outcome.response.result);
  if (expectedVerdict) expect(outcome.response.result).toBe(expectedVerdict);
  timings.push(
    `${name}: ${(t1 - t0).toFixed(0)} / ${(t2 - t1).toFixed(0)} / ${(t3 - t2).toFixed(0)} (${exported.value.size.atoms} atoms, ${exported.value.size.chars} chars)`,
  );
  return verdict;
}

describe('SMT-LIB export: the script gives the engine verdict in Z3', () => {
  for (const c of SEED_CASES)
    it(`seed ${c.name} (${c.expected.result})`, async () => {
      await roundTrip(c.name, seedRequest(c), c.expected.result);
    });

  const pairsDir = join(import.meta.dirname, '..', 'fixtures', 'pairs');
  for (const f of [
    '044_AWSMigrationHubDiscoveryAccess_v1_v2.json',
    '062_AmazonEC2FullAccess_v4_v5.json',
    '025_LexBotPolicy_v1_v2.json',
    '038_AWSXRayDaemonWriteAccess_v1_v2.json',
    '041_AmazonVPCCrossAccountNetworkInterfaceOperations_v3_v4.json',
    '049_AWSGrafanaConsoleReadOnlyAccess_v2_v3.json',
  ])
    it(`corpus pair ${f}`, async () => {
      const pair = JSON.parse(readFileSync(join(pairsDir, f), 'utf8')) as {
        old: unknown;
        new: unknown;
        expected?: { result: string };
      };
      await roundTrip(
        f,
        {
          check: 'CheckNoNewAccess',
          existingPolicyDocument: JSON.stringify(pair.old),
          newPolicyDocument: JSON.stringify(pair.new),
          policyType: 'IDENTITY_POLICY',
        },
        pair.expected?.result,
      );
    });

  const withConditions = (cond: unknown, resource = 'arn:aws:s3:::b/*') =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource, Condition: cond }],
    });
  const plain = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }],
  });

  it('conditions: a condition narrows (PASS), dropping it widens (FAIL)', async () => {
    const narrow = withConditions({
      StringEquals: { 'aws:SourceVpc': 'vpc-1' },
      'ForAnyValue:StringLike': { 'aws:TagKeys': ['team*'] },
      NumericLessThan: { 's3:max-keys': '10' },
      IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
    });
    const req = (oldP: string, newP: string): CheckRequest => ({
      check: 'CheckNoNewAccess',
      existingPolicyDocument: oldP,
      newPolicyDocument: newP,
      policyType: 'IDENTITY_POLICY',
    });
    expect(await roundTrip('conditions narrow', req(plain, narrow))).toBe('PASS');
    expect(await roundTrip('conditions widen', req(narrow, plain))).toBe('FAIL');
  });

  it('policy variables are written exactly (the value constant inside the regex)', async () => {
    const home = withConditions(undefined, 'arn:aws:s3:::home/${aws:PrincipalTag/home}/*');
    const req = (oldP: string, newP: string): CheckRequest => ({
      check: 'CheckNoNewAccess',
      existingPolicyDocument: oldP,
      newPolicyDocument: newP,
      policyType: 'IDENTITY_POLICY',
    });
    const exported = exportSmtLib(req(plain, home), catalog);
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.value.approximate).toBe(false);
    expect(exported.value.script).toContain('(str.to_re |ctx:aws:principaltag/home|)');
    // home/<user>/* is not inside b/*: new access
    expect(await roundTrip('variable widens', req(plain, home))).toBe('FAIL');
    const every = withConditions(undefined, 'arn:aws:s3:::home/*');
    expect(await roundTrip('variable narrows', req(every, home))).toBe('PASS');
  });

  it('a key the caller brings (other than aws:PrincipalArn/Account) as a variable is left free, and said so', () => {
    const home = withConditions(undefined, 'arn:aws:s3:::home/${aws:username}/*');
    const exported = exportSmtLib(
      {
        check: 'CheckNoNewAccess',
        existingPolicyDocument: plain,
        newPolicyDocument: home,
        policyType: 'IDENTITY_POLICY',
      },
      catalog,
    );
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.value.approximate).toBe(true);
    expect(exported.value.notes.join(' ')).toContain('aws:username');
  });

  it('compare: two questions in one script', async () => {
    const other = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' }],
    });
    expect(
      await roundTrip('compare', {
        check: 'ComparePolicies',
        policyA: other,
        policyB: plain,
        policyType: 'IDENTITY_POLICY',
      }),
    ).toBe('MORE_PERMISSIVE');
  });

  it('bad input is an error value, not a script', () => {
    const r = exportSmtLib(
      { check: 'CheckNoPublicAccess', policyDocument: '{"Statement": [', resourceType: 'AWS::S3::Bucket' },
      catalog,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('JSON_SYNTAX_ERROR');
    const t = exportSmtLib(
      { check: 'CheckNoPublicAccess', policyDocument: plain, resourceType: 'AWS::Nope::X' },
      catalog,
    );
    expect(t.ok || t.error.code).toBe('INVALID_RESOURCE_TYPE');
  });

  it('declares one String per dimension, and each atom m as (dimension ∈ re_m)', () => {
    const c = SEED_CASES.find((x) => x.name === 'public-bucket-put')!;
    const r = exportSmtLib(seedRequest(c), catalog);
    if (!r.ok) throw new Error(r.error.message);
    const s = r.value.script;
    expect(s).toMatch(/^\(declare-const action String\)/m);
    expect(s).toMatch(/^\(declare-const resource String\)/m);
    expect(s).toMatch(/^\(declare-const principal String\)/m);
    expect(s).toMatch(/^\(declare-const m\d+ Bool\)/m);
    expect(s).toMatch(/^\(define-fun re_m\d+ \(\) RegLan \(str\.to_re "s3:putobject"\)\)/m);
    // one membership per dimension: the atoms' meanings intersected
    expect(s).toMatch(
      /^\(assert \(str\.in_re action \(re\.inter .*\(ite m\d+ re_m\d+ \(re\.comp re_m\d+\)\)/m,
    );
    expect(s.match(/^\(assert \(str\.in_re principal /gm)?.length).toBe(1);
    expect(s).toContain('(check-sat)');
    expect(r.value.size.large).toBe(false);
  });
});
