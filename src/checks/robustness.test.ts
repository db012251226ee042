/**
 * Bad and hostile input: every case ends in a clear error (a code and a message that says what is
 * wrong and where) or in a verdict/UNKNOWN within the time budget — never a crash or a hang.
 */
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from './node.ts';
import type { CheckOutcome, CheckRequest } from './types.ts';

const BUDGET_MS = 3000;
/** what the engine may take beyond its budget (JS work between solver calls, a loaded machine) */
const SLACK_MS = 4000;

async function run(req: CheckRequest, timeoutMs = BUDGET_MS): Promise<{ out: CheckOutcome; ms: number }> {
  const engine = await createNodeEngine();
  const t = Date.now();
  const out = await engine.run(req, { timeoutMs });
  return { out, ms: Date.now() - t };
}

const noNewAccess = (existing: string, next: string): CheckRequest => ({
  check: 'CheckNoNewAccess',
  existingPolicyDocument: existing,
  newPolicyDocument: next,
  policyType: 'IDENTITY_POLICY',
});

const doc = (statements: unknown[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements });
const OK = doc([{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }]);

describe('bad input gets a clear error', () => {
  it('malformed JSON names the document and the place', async () => {
    const { out } = await run(
      noNewAccess(OK, '{"Version": "2012-10-17", "Statement": [ {"Effect": "Allow",, } ]}'),
    );
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.error.document).toBe('new');
    expect(out.error.message).toMatch(/new policy is not valid/);
    // The location points at the stray comma (offset 58), not at the start of the text.
    const at = out.error.findings?.[0]?.locations[0]?.span.start ?? -1;
    expect(at).toBeGreaterThanOrEqual(50);
    expect(at).toBeLessThanOrEqual(64);
  });

  it('wrong types: Statement is a number, Action is an object', async () => {
    for (const text of [
      JSON.stringify({ Version: '2012-10-17', Statement: 5 }),
      doc([{ Effect: 'Allow', Action: { s3: 'GetObject' }, Resource: '*' }]),
    ]) {
      const { out } = await run(noNewAccess(OK, text));
      expect(out.ok, text).toBe(false);
      if (!out.ok) expect(out.error.message.length).toBeGreaterThan(20);
    }
  });

  it('an unknown condition operator names the statement and the operator', async () => {
    const { out } = await run(
      noNewAccess(
        OK,
        doc([
          { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
          {
            Effect: 'Allow',
            Action: 's3:PutObject',
            Resource: '*',
            Condition: { StringSorta: { 'aws:username': 'x' } },
          },
        ]),
      ),
    );
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.error.message).toMatch(/StringSorta/);
  });

  it('a 1 MB policy is refused with its size, quickly', async () => {
    const statements = Array.from({ length: 8000 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 'ec2:DescribeInstances'],
      Resource: `arn:aws:s3:::bucket-${i}/*`,
    }));
    const big = doc(statements);
    expect(big.length).toBeGreaterThan(1_000_000);
    const { out, ms } = await run(noNewAccess(OK, big));
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.error.code).toBe('POLICY_TOO_LARGE');
      expect(out.error.message).toMatch(/KiB/);
    }
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});

describe('hostile input ends in a verdict or UNKNOWN within the budget', () => {
  it('pathological wildcards (*?*?*?*?*?*a) in actions and resources', async () => {
    const p = (action: string, resource: string) =>
      doc([{ Effect: 'Allow', Action: action, Resource: resource }]);
    // Actions keep the service:Name shape: one without a colon is an ERROR and refused (Invalid input).
    const cases: [string, string][] = [
      [p('s3:*?*?*?*?*?*a', '*?*?*?*?*?*a'), p('s3:*?*?*?*?*?*b', '*?*?*?*?*?*b')],
      [p('*?*?*?*?:*?*?*?*?*a', 'arn:*?*?*:*?*?*:*?*:*?*?*:*?*?*:*?*?*?*a'), p('*', '*')],
      [p('*', '*'), p('*?*?*?*?:*?*?*?*?*a', 'arn:*?*?*:*?*?*:*?*:*?*?*:*?*?*:*?*?*?*a')],
    ];
    for (const [a, b] of cases) {
      const { out, ms } = await run(noNewAccess(a, b));
      expect(out.ok).toBe(true);
      if (out.ok) expect(['PASS', 'FAIL', 'UNKNOWN']).toContain(out.response.result);
      expect(ms).toBeLessThan(BUDGET_MS + SLACK_MS);
    }
  });

  it('a large synthetic policy pair (300 KB, 1,500 statements) answers within the budget', async () => {
    const statements = (n: number, salt: string) =>
      Array.from({ length: n }, (_, i) => ({
        Effect: 'Allow',
        Action: [`s3:Get${salt}${i}*`, `ec2:Describe${i % 97}*`, 'iam:Get*'],
        Resource: [`arn:aws:s3:::bucket-${i}/*`, `arn:aws:ec2:*:*:instance/${salt}${i}`],
        Condition: { StringEquals: { 'aws:RequestedRegion': [`r${i % 13}`] } },
      }));
    const a = doc(statements(1500, 'a'));
    const b = doc(statements(1500, 'b'));
    expect(a.length).toBeGreaterThan(250_000);
    const { out, ms } = await run(noNewAccess(a, b));
    expect(out.ok).toBe(true);
    if (out.ok) expect(['FAIL', 'UNKNOWN']).toContain(out.response.result);
    expect(ms).toBeLessThan(BUDGET_MS + SLACK_MS);
  }, 60_000);

  it('a budget too small for the question gives UNKNOWN with a reason, never PASS', async () => {
    const wide = doc([{ Effect: 'Allow', NotAction: ['s3:*', 'ec2:*', 'iam:*'], Resource: '*' }]);
    const narrow = doc([{ Effect: 'Allow', Action: ['sqs:*', 'sns:*'], Resource: '*' }]);
    const { out } = await run(noNewAccess(wide, narrow), 1);
    expect(out.ok).toBe(true);
    if (out.ok && out.response.result !== 'FAIL') {
      expect(out.response.result).toBe('UNKNOWN');
      expect('unknownReason' in out.response && out.response.unknownReason).toBeTruthy();
    }
  });
});
