/**
 * The words of "Check my answer": a hint from the first failing test's counterexample (with the parts
 * the exercise's hint style shows), the proof listing each test's scope, and UNKNOWN, errors and an
 * unreadable answer said as they are. Failures and proofs come from the real engine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../checks/engine.ts';
import { createNodeEngine } from '../checks/node.ts';
import type { RunTestsOutcome, TestResult } from '../checks/policy-tests.ts';
import { feedbackFor } from './exercise-feedback.ts';
import { answerTarget } from './exercise-format.ts';
import { EXERCISES, type BuiltinExercise } from './exercises.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

const exercise = (id: string): BuiltinExercise => EXERCISES.find((e) => e.id === id)!;

async function check(ex: BuiltinExercise, answer: string) {
  const out = await engine.runTests({ target: answerTarget(ex.target, answer), tests: ex.suite.tests });
  return feedbackFor(ex, out);
}

describe('feedbackFor', () => {
  it('a request still allowed: the failing test is the title, the request and its statement the hint', async () => {
    const ex = exercise('read-one-bucket');
    const f = await check(ex, ex.wrong[0]!.text);
    expect(f).toMatchObject({
      kind: 'hint',
      title: 'Other buckets stay closed',
      headline: 'This request is still allowed:',
      request: 's3:GetObject on arn:aws:s3:::other-bucket',
      why: 'statement 0 allows it',
      passed: 5,
      total: 7,
    });
    expect(f.kind === 'hint' && f.example?.request.action).toBe('s3:GetObject');
  });

  it('hint style "context" names the keys, and the key the request lacks', async () => {
    const ex = exercise('mfa-for-deletes');
    const f = await check(ex, ex.wrong[0]!.text);
    expect(f.kind).toBe('hint');
    if (f.kind !== 'hint') return;
    expect(f.title).toContain('no MFA key at all');
    expect(f.request).toMatch(
      /^s3:Delete\S+ on arn:aws:s3:::prod-data\S* with aws:MultiFactorAuthPresent absent$/,
    );
  });

  it('a request that must be allowed and is denied: the deciding statement', async () => {
    const ex = exercise('mfa-for-deletes');
    const f = await check(ex, ex.wrong[2]!.text);
    expect(f).toMatchObject({
      kind: 'hint',
      title: 'Reading and writing objects need no MFA',
      headline: 'This request must be allowed, but it is explicitly denied:',
      why: 'statement 1 denies it',
    });
  });

  it('hint style "caller" names who sent it', async () => {
    const ex = exercise('trust-one-role');
    const f = await check(ex, ex.wrong[0]!.text);
    expect(f).toMatchObject({
      kind: 'hint',
      title: 'A role whose name only starts with "Deployer" is another role',
    });
    expect(f.kind === 'hint' && f.request).toMatch(
      / by arn:aws:sts::111122223333:assumed-role\/DeployerTest\//,
    );
  });

  it('a scenario: the layer that decided, and which of your statements', async () => {
    const ex = exercise('scp-breaks-nothing');
    const f = await check(ex, ex.start);
    expect(f).toMatchObject({
      kind: 'hint',
      headline: 'This request must be allowed, but it is explicitly denied:',
      why: "an explicit Deny in the SCPs at level 1 wins (your SCP's statement 0 (ProtectBuckets))",
    });
  });

  it('a scenario request still allowed: who allows it, and that no layer denies it', async () => {
    const ex = exercise('two-regions-scp');
    const f = await check(ex, ex.wrong[2]!.text);
    expect(f).toMatchObject({
      kind: 'hint',
      title: 'Nothing regional runs in us-east-1',
      headline: 'This request is still allowed:',
      why: 'identity[0] statement 0 allows it, and no layer denies it',
    });
    expect(f.kind === 'hint' && f.request).toMatch(
      / by arn:aws:sts::111122223333:assumed-role\/Admin\/ops with aws:RequestedRegion = us-east-1$/,
    );
  });

  it("an answer that does not parse: the reason, without the engine's name for the document", async () => {
    expect(await check(exercise('two-regions-scp'), '{"Statement": [')).toMatchObject({
      kind: 'error',
      headline: expect.stringMatching(/^Your SCP cannot be checked yet: Invalid JSON/),
    });
    expect(await check(exercise('read-one-bucket'), '{"Statement": [')).toMatchObject({
      kind: 'error',
      headline: expect.stringMatching(
        /^Your identity policy cannot be checked yet: JSON_SYNTAX_ERROR at line 1/,
      ),
    });
  });

  it('a decision test that fails says what was expected', async () => {
    const ex = exercise('no-public-bucket');
    const only = { ...ex, suite: { tests: ex.suite.tests.filter((t) => t.expect === 'denied') } };
    const f = await check(only, ex.start);
    expect(f).toMatchObject({
      kind: 'hint',
      title: 'An anonymous visitor cannot read',
      headline: 'This request must be denied, but it is allowed:',
      request: 's3:GetObject on arn:aws:s3:::team-uploads/index.html by anonymous',
      why: 'statement 0 (TeamUploads) allows it',
    });
  });

  it('a right answer: a proof, one claim per test from its scope', async () => {
    const ex = exercise('mfa-for-deletes');
    const f = await check(ex, ex.solution);
    expect(f.kind).toBe('solved');
    if (f.kind !== 'solved') return;
    expect(f.headline).toBe('Correct for every request:');
    expect(f.proven.map((p) => p.name)).toEqual(ex.suite.tests.map((t) => t.name));
    expect(f.proven[1]!.claim).toMatch(
      /^never allowed: s3:Delete\* \(\d+ catalog actions\) on arn:aws:s3:::prod-data, .* with aws:MultiFactorAuthPresent absent and any value/,
    );
    expect(f.proven[2]!.claim).toMatch(/^always allowed: s3:DeleteObject/);
    const decision = await check(exercise('no-public-bucket'), exercise('no-public-bucket').solution);
    expect(decision.kind === 'solved' && decision.proven[2]!.claim).toBe(
      's3:GetObject on arn:aws:s3:::team-uploads/index.html by anonymous is implicitly denied',
    );
  });

  const result = (
    name: string,
    status: TestResult['status'],
    extra: Partial<TestResult> = {},
  ): TestResult => ({
    name,
    expect: 'never-allowed',
    status,
    message: '',
    document: 'policy',
    stats: { elapsedMs: 1, solverCalls: 1 },
    ...extra,
  });
  const outcome = (results: TestResult[]): RunTestsOutcome => ({
    ok: true,
    results,
    summary: { passed: 0, failed: 0, unknown: 0, errors: 0, elapsedMs: 1 },
  });

  it('UNKNOWN is neither right nor wrong, and says which test and why', () => {
    const f = feedbackFor(
      exercise('read-one-bucket'),
      outcome([result('a', 'pass'), result('b', 'unknown', { unknownReason: 'timeout' })]),
    );
    expect(f.kind).toBe('unknown');
    expect(f.kind === 'unknown' && f.headline).toContain('neither right nor wrong');
    expect(f.kind === 'unknown' && f.details).toEqual(['b: timeout']);
  });

  it('a failure wins over an UNKNOWN before it', () => {
    const f = feedbackFor(
      exercise('read-one-bucket'),
      outcome([result('a', 'unknown'), result('b', 'fail'), result('c', 'fail')]),
    );
    expect(f).toMatchObject({
      kind: 'hint',
      title: 'b',
      headline: 'No request of this kind is allowed yet.',
    });
  });

  it('a test that cannot run, and an answer that cannot be read, are errors', () => {
    const e = feedbackFor(
      exercise('read-one-bucket'),
      outcome([
        result('a', 'pass'),
        result('b', 'error', { error: { code: 'INVALID_TEST', message: 'bad' } }),
      ]),
    );
    expect(e).toMatchObject({ kind: 'error', details: ['b: bad'] });
    const unread = feedbackFor(exercise('two-regions-scp'), {
      ok: false,
      error: { code: 'MALFORMED_POLICY', message: 'Unexpected end of JSON' },
    });
    expect(unread).toEqual({
      kind: 'error',
      headline: 'Your SCP cannot be checked yet: Unexpected end of JSON',
      details: [],
    });
  });
});
