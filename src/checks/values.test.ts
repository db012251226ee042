/**
 * Condition values and ARN wildcards through whole checks on the real Z3: the encoder, the solver's
 * model, its decoding into a request and the concrete evaluator's re-check must agree, whatever the
 * machine's time zone (docs/semantics-decisions.md, "Condition block" and "Resource / NotResource").
 * A disagreement between solver and evaluator throws inside the engine, failing these tests.
 */
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';
import { parsePolicy } from '../policy/parse.ts';
import { compareDecimal, parseDate } from '../policy/values.ts';
import { createNodeEngine } from './node.ts';
import type { CheckRequest, CheckResponse } from './types.ts';

const statement = (extra: Record<string, unknown>): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra }],
  });
const when = (condition: Record<string, unknown>): string => statement({ Condition: condition });

async function run(request: CheckRequest): Promise<CheckResponse> {
  const engine = await createNodeEngine();
  const out = await engine.run(request, { timeoutMs: 30_000 });
  if (!out.ok) throw new Error(JSON.stringify(out));
  return out.response as CheckResponse;
}

const noNewAccess = (existing: string, next: string): Promise<CheckResponse> =>
  run({
    check: 'CheckNoNewAccess',
    existingPolicyDocument: existing,
    newPolicyDocument: next,
    policyType: 'IDENTITY_POLICY',
  });

function allowed(doc: string, request: Request): boolean {
  const parsed = parsePolicy(doc);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
  return evaluatePolicy(parsed.policy, request).decision === 'Allowed';
}

/** The counterexample's aws:CurrentTime, as exact epoch seconds. */
function currentTime(r: CheckResponse): ReturnType<typeof parseDate> {
  const v = r.counterexamples[0]?.request.context['aws:CurrentTime'];
  expect(typeof v).toBe('string');
  const d = parseDate(v as string);
  expect(d, `${String(v)} is a date`).toBeDefined();
  return d;
}

/** Runs `body` with the process's time zone set to `tz` (Node re-reads TZ when it is assigned). */
async function inZone<T>(tz: string, body: () => Promise<T>): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('dates in checks', () => {
  it('a date window narrower than a millisecond: FAIL with a witness inside it, never a throw', async () => {
    const lo = '2030-01-01T00:00:00.0001Z';
    const hi = '2030-01-01T00:00:00.0002Z';
    const r = await noNewAccess(
      when({ DateLessThanEquals: { 'aws:CurrentTime': lo } }),
      when({ DateLessThan: { 'aws:CurrentTime': hi } }),
    );
    expect(r.result).toBe('FAIL');
    const t = currentTime(r)!;
    expect(compareDecimal(t, parseDate(lo)!)).toBe(1);
    expect(compareDecimal(t, parseDate(hi)!)).toBe(-1);

    const window = when({
      DateGreaterThan: { 'aws:CurrentTime': lo },
      DateLessThan: { 'aws:CurrentTime': hi },
    });
    const granted = await run({
      check: 'CheckAccessNotGranted',
      policyDocument: window,
      access: [{ actions: ['s3:GetObject'] }],
      policyType: 'IDENTITY_POLICY',
    });
    expect(granted.result).toBe('FAIL');
    expect(allowed(window, granted.counterexamples[0]!.request)).toBe(true);
    // and the window grants nothing a slightly wider one does not
    const wider = when({
      DateGreaterThanEquals: { 'aws:CurrentTime': lo },
      DateLessThanEquals: { 'aws:CurrentTime': hi },
    });
    expect((await noNewAccess(wider, window)).result).toBe('PASS');
    expect((await noNewAccess(window, wider)).result).toBe('FAIL');
  });

  it('an epoch far beyond year 9999 decodes to a request the evaluator reads back (no Invalid Date)', async () => {
    const r = await noNewAccess(
      when({ DateLessThan: { 'aws:CurrentTime': '99999999999999' } }),
      when({ DateLessThan: { 'aws:CurrentTime': '99999999999999.5' } }),
    );
    expect(r.result).toBe('FAIL');
    const t = currentTime(r)!;
    expect(compareDecimal(t, parseDate('99999999999999')!)).toBeGreaterThanOrEqual(0);
  });

  for (const tz of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
    it(`a date without a zone is the same instant as with Z, in TZ=${tz}`, async () => {
      await inZone(tz, async () => {
        // The zone really is in force for this process's Date (else this test would prove nothing).
        const offset = new Date(Date.UTC(2030, 0, 1)).getTimezoneOffset();
        expect(offset).toBe({ UTC: 0, 'Asia/Tokyo': -540, 'America/Los_Angeles': 480 }[tz]);
        const zoneless = when({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00' } });
        const utc = when({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } });
        expect((await noNewAccess(utc, zoneless)).result).toBe('PASS');
        expect((await noNewAccess(zoneless, utc)).result).toBe('PASS');
        // one second later is new access, found and confirmed
        const later = when({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:01' } });
        const r = await noNewAccess(zoneless, later);
        expect(r.result).toBe('FAIL');
        expect(compareDecimal(currentTime(r)!, parseDate('2030-01-01T00:00:00Z')!)).toBeGreaterThanOrEqual(0);
      });
    });
  }

  it('an impossible date (Feb 30) is refused as a policy value, not rolled over to March', async () => {
    const engine = await createNodeEngine();
    const out = await engine.run(
      {
        check: 'CheckAccessNotGranted',
        policyDocument: when({ DateLessThan: { 'aws:CurrentTime': '2030-02-30T00:00:00Z' } }),
        access: [{ actions: ['s3:GetObject'] }],
        policyType: 'IDENTITY_POLICY',
      },
      { timeoutMs: 30_000 },
    );
    expect(out.ok && out.response.result === 'FAIL').toBe(false);
  });
});

describe('numbers in checks', () => {
  it('.5 and long decimals are exact numbers on both sides', async () => {
    const half = when({ NumericGreaterThan: { 's3:max-keys': '.5' } });
    const tiny = when({ NumericGreaterThan: { 's3:max-keys': '0.50000000000000000001' } });
    expect((await noNewAccess(half, tiny)).result).toBe('PASS');
    const r = await noNewAccess(tiny, half);
    expect(r.result).toBe('FAIL');
    const v = r.counterexamples[0]!.request.context['s3:max-keys'] as string;
    expect(allowed(half, r.counterexamples[0]!.request)).toBe(true);
    expect(allowed(tiny, r.counterexamples[0]!.request), v).toBe(false);
  });
});

describe('ARN wildcards in checks', () => {
  const ec2 = (resource: string): string =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ec2:StartInstances', Resource: resource }],
    });

  it('a * ending the region segment covers resources whose region spans colons (PASS)', async () => {
    // With a * that never crossed a colon this was new access: region "a", account "b".
    const r = await noNewAccess(
      ec2('arn:aws:ec2:*:111122223333:instance/*'),
      ec2('arn:aws:ec2:a:b:111122223333:instance/*'),
    );
    expect(r.result).toBe('PASS');
  });

  it('an inner * stays in its segment (FAIL, with a confirmed request)', async () => {
    const existing = ec2('arn:aws:ec2:us-*1:111122223333:instance/*');
    const next = ec2('arn:aws:ec2:us-a:b1:111122223333:instance/*');
    const r = await noNewAccess(existing, next);
    expect(r.result).toBe('FAIL');
    const req = r.counterexamples[0]!.request;
    expect(allowed(next, req)).toBe(true);
    expect(allowed(existing, req)).toBe(false);
  });

  it('CheckAccessNotGranted: a listed resource reached only through a segment-ending * is granted', async () => {
    const policy = ec2('arn:aws:ec2:*:111122223333:instance/*');
    const listed = 'arn:aws:ec2:us:east:111122223333:instance/i-1';
    const r = await run({
      check: 'CheckAccessNotGranted',
      policyDocument: policy,
      access: [{ actions: ['ec2:StartInstances'], resources: [listed] }],
      policyType: 'IDENTITY_POLICY',
    });
    expect(r.result).toBe('FAIL');
    expect(r.counterexamples[0]?.request.resource).toBe(listed);
    const other = await run({
      check: 'CheckAccessNotGranted',
      policyDocument: policy,
      access: [
        { actions: ['ec2:StartInstances'], resources: ['arn:aws:ec2:us:east:444455556666:instance/i-1'] },
      ],
      policyType: 'IDENTITY_POLICY',
    });
    expect(other.result).toBe('PASS');
  });
});
