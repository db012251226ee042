/**
 * The notation printer: golden outputs (src/teach/golden/*.txt, refresh with UPDATE_GOLDEN=1 and read
 * the diff), node spans that point at the right JSON, and agreement of the formula's meaning with the
 * concrete evaluator on seeded requests around every seed policy, a policy using every construct, and
 * real managed policies with many conditions.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../catalog/catalog.ts';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import seed from '../fixtures/examples/seed-checks.json';
import { evaluatePolicy, EvaluationError } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';
import type { Policy } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { interpretPolicy, InterpretError } from './interpret.ts';
import { nodesAt, notationRoots, notationText, policyNotation, walk, type FNode } from './notation.ts';
import { sampleRequests } from './requests.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const UPDATE = !!process.env.UPDATE_GOLDEN;

function parse(text: string): Policy {
  const r = parsePolicy(text);
  if (!r.ok) throw new Error(JSON.stringify(r.findings));
  return r.policy;
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, `${name}.txt`);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) throw new Error(`missing golden file ${file} (run with UPDATE_GOLDEN=1, then read it)`);
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

interface SeedCase {
  name: string;
  policyDocument?: unknown;
  existingPolicyDocument?: unknown;
  newPolicyDocument?: unknown;
}
const CASES = (seed as unknown as { cases: SeedCase[] }).cases;
const DOCS = ['policyDocument', 'existingPolicyDocument', 'newPolicyDocument'] as const;

/** Every construct the notation has a form for. */
export const FEATURES_POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Everything',
        Effect: 'Allow',
        NotAction: ['iam:*', 's3:Get*'],
        NotResource: 'arn:aws:s3:::secret/*',
        Condition: {
          StringNotEqualsIfExists: { 'aws:SourceVpc': ['vpc-1', 'vpc-2'] },
          'ForAnyValue:StringLike': { 'aws:TagKeys': ['team*'] },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env'] },
          Null: { 'aws:MultiFactorAuthAge': 'true' },
          NumericLessThan: { 's3:max-keys': '10' },
          DateGreaterThan: { 'aws:CurrentTime': '2024-01-01T00:00:00Z' },
          IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '192.168.1.1'] },
          StringEqualsIgnoreCase: { 'aws:username': ['Bob', 'alice'] },
          Bool: { 'aws:SecureTransport': 'true' },
          ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:topic-?' },
        },
      },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::public'],
        Condition: { StringLike: { 's3:prefix': ['${aws:username}/*'] } },
      },
      {
        Effect: 'Deny',
        NotPrincipal: {
          AWS: ['arn:aws:iam::111122223333:role/Admin', '123456789012'],
          Service: 'ec2.amazonaws.com',
        },
        Action: '*',
        Resource: '*',
        Condition: { StringNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Break*' } },
      },
      { Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', NotResource: '*' },
    ],
  },
  null,
  2,
);

let catalog: Catalog;
const multi = (k: string) => (catalog.conditionKey(k) ? catalog.isMultiValued(k) : undefined);
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

describe('golden notation', () => {
  for (const c of CASES)
    for (const d of DOCS) {
      if (c[d] === undefined) continue;
      it(`${c.name} (${d})`, () => {
        const p = parse(JSON.stringify(c[d], null, 2));
        golden(`${c.name}.${d}`, notationText(policyNotation(p, { isMultiValued: multi })));
      });
    }
  it('every construct', () => {
    golden('features', notationText(policyNotation(parse(FEATURES_POLICY), { isMultiValued: multi })));
  });
  it('an unknown operator and a malformed value are shown as errors, like the evaluator refuses them', () => {
    const text = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*', Condition: { StringEqualz: { 'aws:x': 'a' } } },
        {
          Effect: 'Allow',
          Action: 's3:*',
          Resource: '*',
          Condition: { IpAddress: { 'aws:SourceIp': '10.0.0' } },
        },
      ],
    });
    const n = policyNotation(parse(text));
    expect(n.issues.map((i) => [i.code, i.statementIndex])).toEqual([
      ['INVALID_OPERATOR', 0],
      ['INVALID_VALUE', 1],
    ]);
    expect(n.statements[0]!.definition.text).toContain(
      '⚠ Statement 0: unknown condition operator "StringEqualz"',
    );
  });
  it('is deterministic (same text, same node ids)', () => {
    const a = policyNotation(parse(FEATURES_POLICY));
    const b = policyNotation(parse(FEATURES_POLICY));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('nodes and source spans', () => {
  const text = FEATURES_POLICY;
  const n = policyNotation(parse(text), { doc: 'policy' });
  const nodes = notationRoots(n).flatMap((r) => [...walk(r)]);

  it('each node text is the concatenation of its parts', () => {
    for (const node of nodes)
      expect(node.parts.map((p) => (typeof p === 'string' ? p : p.text)).join('')).toBe(node.text);
  });

  it('member nodes point at exactly the JSON string they print', () => {
    const members = nodes.filter((x) => x.role === 'member');
    expect(members.length).toBeGreaterThan(20);
    for (const m of members) {
      const src = JSON.parse(text.slice(m.spans[0]!.start, m.spans[0]!.end)) as string;
      // a member prints the JSON value itself, quoted, in ⟦…⟧, or (numbers, CIDRs, Bool) as written
      expect([JSON.stringify(src), `⟦${src}⟧`, src, src.toLowerCase()]).toContain(m.text);
    }
  });

  it('an offset in the JSON selects the innermost formula part, and the statement name in Allowed', () => {
    const at = (needle: string): FNode[] => nodesAt(notationRoots(n), text.indexOf(needle) + 1);
    expect(at('"s3:Get*"').map((x) => x.text)).toEqual(['⟦s3:Get*⟧']);
    expect(at('"192.168.1.1"').map((x) => x.text)).toEqual(['192.168.1.1']);
    // the operator name selects every clause it holds (here one)
    expect(at('"NumericLessThan"').map((x) => x.text)).toEqual(['s3:max-keys < 10']);
    const effect = at('"Deny"');
    expect(effect.map((x) => x.role).sort()).toEqual(['definition', 'ref', 'ref']);
    expect(effect.filter((x) => x.role === 'ref').map((x) => x.text)).toEqual(['D2', 'D2']);
  });

  it('simplified parts are listed with their spans', () => {
    const deny = n.statements[2]!;
    expect(deny.simplified.map((s) => text.slice(s.span.start, s.span.end))).toEqual(['"*"', '"*"']);
  });
});

/** The evaluator's decision and per-statement matches vs the formula's. */
function agree(policy: Policy, requests: Request[]): number {
  let allowed = 0;
  for (const req of requests) {
    let expected: ReturnType<typeof evaluatePolicy> | EvaluationError;
    try {
      expected = evaluatePolicy(policy, req, { catalog });
    } catch (e) {
      if (!(e instanceof EvaluationError)) throw e;
      expected = e;
    }
    let actual: ReturnType<typeof interpretPolicy> | InterpretError;
    try {
      actual = interpretPolicy(policy, req, { isMultiValued: multi });
    } catch (e) {
      if (!(e instanceof InterpretError)) throw e;
      actual = e;
    }
    const show = JSON.stringify(req);
    if (expected instanceof EvaluationError || actual instanceof InterpretError) {
      expect(actual instanceof InterpretError && expected instanceof EvaluationError, show).toBe(true);
      expect((actual as InterpretError).code, show).toBe((expected as EvaluationError).code);
      continue;
    }
    expect(actual.allowed, show).toBe(expected.decision === 'Allowed');
    expect(
      actual.statements.map((s) => s.value),
      show,
    ).toEqual(expected.statements.map((s) => s.matched));
    if (actual.allowed) allowed++;
  }
  return allowed;
}

describe('the formula means what the evaluator decides', () => {
  for (const c of CASES)
    for (const d of DOCS) {
      if (c[d] === undefined) continue;
      it(`${c.name} (${d})`, () => {
        const p = parse(JSON.stringify(c[d]));
        agree(p, sampleRequests(p, 300, 1, { isMultiValued: multi }));
      });
    }

  it('every construct (3000 requests, some allowed)', () => {
    const p = parse(FEATURES_POLICY);
    const allowed = agree(p, sampleRequests(p, 3000, 7, { isMultiValued: multi }));
    expect(allowed).toBeGreaterThan(0);
  });

  it('policy variables inactive under the old Version', () => {
    const p = parse(FEATURES_POLICY.replace('2012-10-17', '2008-10-17'));
    agree(p, sampleRequests(p, 1000, 3, { isMultiValued: multi }));
  });

  for (const name of [
    'SageMakerStudioProjectUserRolePolicy',
    'AmazonDataZoneSageMakerEnvironmentRolePermissionsBoundary',
    'SageMakerStudioProjectRoleMachineLearningPolicy',
    'AWSBackupFullAccess',
  ])
    it(`managed policy ${name}`, () => {
      const doc = JSON.parse(
        readFileSync(join(import.meta.dirname, '..', 'fixtures', 'largest', `${name}.json`), 'utf8'),
      ) as { document: unknown };
      const p = parse(JSON.stringify(doc.document));
      const allowed = agree(p, sampleRequests(p, 600, 11, { isMultiValued: multi }));
      expect(allowed).toBeGreaterThan(0);
    });
});
