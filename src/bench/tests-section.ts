/**
 * Policy-tests benchmark (issue 14): one suite of 50 mixed tests over ReadOnlyAccess (AWS's managed
 * policy, src/fixtures/largest: ~2,900 action patterns in two Allow statements and one conditional
 * s3express statement), run as the app and `cli test` run it, through Engine.runTests.
 *
 * The suite: never-, sometimes- and always-allowed tests and one-request decisions, passing and
 * failing, over a dozen services, with principals (a role, an account) and context the description
 * fixes (a string, a Bool, an IP address, a multi-valued key, the condition ReadOnlyAccess itself
 * reads: s3express:SessionMode). Each test says the status it must get; another status is a wrong
 * answer (the section's mismatches).
 *
 * Figures: the whole suite's wall time, cold (the first run in the process) and warm (the median of
 * RUNS further runs: re-running on every edit is how the app uses it), each kind's median and p95 per
 * test, solver calls. Target: the whole suite ≤ 1 s (warm).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PolicyTest, RunTestsOutcome, TestResult, TestStatus } from '../checks/policy-tests.ts';
import type { BenchContext, BenchSection } from './sections.ts';
import { ms, summarize, table, type TimeSummary } from './stats.ts';

const TARGET_MS = 1000;
const RUNS = 3;

const READ_ONLY = fileURLToPath(new URL('../fixtures/largest/ReadOnlyAccess.json', import.meta.url));
const DEPLOY = 'arn:aws:iam::111122223333:role/Deploy';
const ACCOUNT = '111122223333';

/** A test and the status it must get on ReadOnlyAccess. */
export type BenchTest = PolicyTest & { want: Exclude<TestStatus, 'error'> };

type Kind = 'never' | 'sometimes' | 'always' | 'decision';
const KINDS: Kind[] = ['never', 'sometimes', 'always', 'decision'];
export const kindOf = (t: PolicyTest): Kind =>
  t.expect === 'never-allowed'
    ? 'never'
    : t.expect === 'sometimes-allowed'
      ? 'sometimes'
      : t.expect === 'always-allowed'
        ? 'always'
        : 'decision';

const never = (name: string, want: 'pass' | 'fail', t: Partial<PolicyTest>): BenchTest =>
  ({ name, expect: 'never-allowed', want, ...t }) as BenchTest;
const sometimes = (name: string, want: 'pass' | 'fail', t: Partial<PolicyTest>): BenchTest =>
  ({ name, expect: 'sometimes-allowed', want, ...t }) as BenchTest;
const always = (name: string, want: 'pass' | 'fail', t: Partial<PolicyTest>): BenchTest =>
  ({ name, expect: 'always-allowed', want, ...t }) as BenchTest;
const decision = (
  name: string,
  want: 'pass' | 'fail',
  expect: 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'denied',
  action: string,
  resource: string,
  context?: Record<string, string>,
): BenchTest => ({
  name,
  expect,
  want,
  request: { principal: DEPLOY, action, resource, ...(context ? { context } : {}) },
});

/** The suite (deterministic): 50 tests, every kind passing and failing. */
export const BENCH_TESTS: BenchTest[] = [
  // never-allowed: ReadOnlyAccess grants no write, and every read it lists
  never('no s3 deletes', 'pass', { actions: ['s3:Delete*'] }),
  never('no writes to prod buckets', 'pass', {
    actions: ['s3:Put*', 's3:Delete*', 's3:Restore*'],
    resources: ['arn:aws:s3:::prod-*', 'arn:aws:s3:::prod-*/*'],
  }),
  never('no iam changes', 'pass', { actions: ['iam:Create*', 'iam:Delete*', 'iam:Attach*', 'iam:Put*'] }),
  never('no kms crypto', 'pass', { actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:ReEncrypt*'] }),
  never('the deploy role runs nothing', 'pass', {
    actions: ['ec2:RunInstances', 'ec2:TerminateInstances'],
    principals: [DEPLOY],
  }),
  never('no secret values', 'pass', { actions: ['secretsmanager:GetSecretValue'] }),
  never('no invoking from the office', 'pass', {
    actions: ['lambda:InvokeFunction'],
    context: { 'aws:SourceIp': '203.0.113.7' },
  }),
  never('no table writes', 'pass', {
    actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
    resources: ['arn:aws:dynamodb:*:111122223333:table/*'],
  }),
  never('no queue writes', 'pass', { actions: ['sqs:SendMessage', 'sqs:DeleteMessage', 'sqs:Purge*'] }),
  never('no read-write s3express sessions', 'pass', {
    actions: ['s3express:CreateSession'],
    context: { 's3express:SessionMode': 'ReadWrite' },
  }),
  never('no reading secrets/ objects', 'fail', {
    actions: ['s3:GetObject'],
    resources: ['arn:aws:s3:::secrets/*'],
  }),
  never('no iam reads', 'fail', { actions: ['iam:Get*'] }),
  never('no s3express sessions', 'fail', { actions: ['s3express:CreateSession'] }),
  never('no describing from the office', 'fail', {
    actions: ['ec2:Describe*'],
    context: { 'aws:SourceIp': '203.0.113.7' },
  }),
  never('no parameters', 'fail', { actions: ['ssm:GetParameter*'], principals: [ACCOUNT] }),
  never('no session tokens', 'fail', { actions: ['sts:GetSessionToken'], principals: [DEPLOY] }),

  // sometimes-allowed
  sometimes('reads artifacts', 'pass', {
    actions: ['s3:GetObject'],
    resources: ['arn:aws:s3:::artifacts/*'],
  }),
  sometimes('the deploy role queries', 'pass', {
    actions: ['dynamodb:Query'],
    principals: [DEPLOY],
    resources: ['arn:aws:dynamodb:eu-west-1:111122223333:table/Orders'],
  }),
  sometimes('filters logs in eu-west-1', 'pass', {
    actions: ['logs:FilterLogEvents'],
    context: { 'aws:RequestedRegion': 'eu-west-1' },
  }),
  sometimes('opens s3express sessions', 'pass', { actions: ['s3express:CreateSession'] }),
  sometimes('describes keys', 'pass', { actions: ['kms:Describe*'] }),
  sometimes('reads metrics with MFA', 'pass', {
    actions: ['cloudwatch:GetMetricData'],
    context: { 'aws:MultiFactorAuthPresent': 'true' },
  }),
  sometimes('uploads to scratch', 'fail', {
    actions: ['s3:PutObject'],
    resources: ['arn:aws:s3:::scratch-*/*'],
  }),
  sometimes('creates users', 'fail', { actions: ['iam:CreateUser'] }),
  sometimes('read-write s3express sessions', 'fail', {
    actions: ['s3express:CreateSession'],
    context: { 's3express:SessionMode': 'ReadWrite' },
  }),
  sometimes('invokes functions', 'fail', { actions: ['lambda:InvokeFunction'] }),
  sometimes('the deploy role runs instances', 'fail', {
    actions: ['ec2:RunInstances'],
    principals: [DEPLOY],
  }),
  sometimes('reads secrets from the office', 'fail', {
    actions: ['secretsmanager:GetSecretValue'],
    context: { 'aws:SourceIp': '203.0.113.7' },
  }),

  // always-allowed: whatever the values the description leaves open
  always('the deploy role reads artifacts', 'pass', {
    actions: ['s3:GetObject'],
    resources: ['arn:aws:s3:::artifacts/*'],
    principals: [DEPLOY],
    context: {},
  }),
  always('describes ec2', 'pass', { actions: ['ec2:Describe*'] }),
  always('lists iam', 'pass', { actions: ['iam:List*'] }),
  always('read-only s3express sessions', 'pass', {
    actions: ['s3express:CreateSession'],
    context: { 's3express:SessionMode': 'ReadOnly' },
  }),
  always('queries and scans from the office', 'pass', {
    actions: ['dynamodb:Query', 'dynamodb:Scan'],
    resources: ['arn:aws:dynamodb:*:111122223333:table/*'],
    context: { 'aws:SourceIp': '203.0.113.7' },
  }),
  always('the account reads keys', 'pass', { actions: ['kms:Get*', 'kms:List*'], principals: [ACCOUNT] }),
  always('describes logs', 'pass', { actions: ['logs:Describe*'] }),
  always('reads metrics in us-east-1', 'pass', {
    actions: ['cloudwatch:Get*'],
    context: { 'aws:RequestedRegion': 'us-east-1' },
  }),
  always('describes tagged instances', 'pass', {
    actions: ['ec2:DescribeInstances'],
    context: { 'aws:TagKeys': ['team', 'env'] },
  }),
  always('everything on artifacts', 'fail', {
    actions: ['s3:*'],
    resources: ['arn:aws:s3:::artifacts', 'arn:aws:s3:::artifacts/*'],
  }),
  always('any s3express session', 'fail', { actions: ['s3express:CreateSession'] }),
  always('all of dynamodb', 'fail', { actions: ['dynamodb:*'] }),
  always('iam reads and creates', 'fail', { actions: ['iam:Get*', 'iam:Create*'] }),
  always('the deploy role does all of lambda', 'fail', { actions: ['lambda:*'], principals: [DEPLOY] }),
  always('all of sqs over TLS', 'fail', { actions: ['sqs:*'], context: { 'aws:SecureTransport': 'true' } }),

  // one request each
  decision('reads an artifact', 'pass', 'Allowed', 's3:GetObject', 'arn:aws:s3:::artifacts/app.zip'),
  decision('cannot upload', 'pass', 'ImplicitlyDenied', 's3:PutObject', 'arn:aws:s3:::artifacts/app.zip'),
  decision('cannot create users', 'pass', 'denied', 'iam:CreateUser', 'arn:aws:iam::111122223333:user/eve'),
  decision('read-only session', 'pass', 'Allowed', 's3express:CreateSession', '*', {
    's3express:SessionMode': 'ReadOnly',
  }),
  decision('read-write session', 'fail', 'Allowed', 's3express:CreateSession', '*', {
    's3express:SessionMode': 'ReadWrite',
  }),
  decision(
    'deleting is explicitly denied',
    'fail',
    'ExplicitlyDenied',
    's3:DeleteBucket',
    'arn:aws:s3:::artifacts',
  ),
  decision('runs an instance', 'fail', 'Allowed', 'ec2:RunInstances', '*'),
];

/** The suite's tests, a filter (on names) and a limit applied; `want` stripped off. */
export function benchSuite(o: { filter?: string; limit?: number } = {}): BenchTest[] {
  const f = o.filter?.toLowerCase();
  const picked = BENCH_TESTS.filter((t) => !f || t.name.toLowerCase().includes(f));
  return o.limit !== undefined ? picked.slice(0, o.limit) : picked;
}

const strip = ({ want: _want, ...t }: BenchTest): PolicyTest => t as PolicyTest;

interface SuiteRun {
  totalMs: number;
  /** this process's CPU time (every thread, Z3's included): less sensitive to other processes' load */
  cpuMs: number;
  results: TestResult[];
}

async function runSuite(ctx: BenchContext, text: string, tests: BenchTest[]): Promise<SuiteRun> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const out: RunTestsOutcome = await ctx.engine.runTests({
    target: { kind: 'policy', policyType: 'IDENTITY_POLICY', documents: [{ name: 'policy', text }] },
    tests: tests.map(strip),
    timeoutMs: ctx.timeoutMs,
  });
  const totalMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (!out.ok) throw new Error(`the suite's target was refused: ${out.error.code}: ${out.error.message}`);
  return { totalMs, cpuMs: (used.user + used.system) / 1000, results: out.results };
}

export const testsSection: BenchSection = {
  name: 'tests',
  description: `${BENCH_TESTS.length} mixed policy tests over ReadOnlyAccess in one suite (target: the whole suite <= ${TARGET_MS / 1000} s)`,
  async run(ctx) {
    const text = JSON.stringify(
      (JSON.parse(readFileSync(READ_ONLY, 'utf8')) as { document: unknown }).document,
    );
    const tests = benchSuite(ctx);
    const counts = KINDS.map((k) => `${k} ${tests.filter((t) => kindOf(t) === k).length}`).join(', ');
    ctx.log(
      `## tests: ${tests.length} tests (${counts}; ${tests.filter((t) => t.want === 'pass').length} must pass) over ReadOnlyAccess`,
    );
    const cold = await runSuite(ctx, text, tests);
    const warm: SuiteRun[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await runSuite(ctx, text, tests));
    const totals = summarize(warm.map((r) => r.totalMs));
    // the per-test figures of the run whose total is the median
    const typical = [...warm].sort((a, b) => a.totalMs - b.totalMs)[Math.floor(warm.length / 2)]!;

    const byKind = KINDS.map((k) => {
      const rs = typical.results.filter((r, i) => kindOf(tests[i]!) === k);
      return {
        kind: k,
        times: summarize(rs.map((r) => r.stats.elapsedMs)),
        calls: summarize(rs.map((r) => r.stats.solverCalls)),
      };
    });
    ctx.log(
      table(
        ['kind', 'tests', 'median ms', 'p95 ms', 'max ms', 'total ms', 'solver calls (median)'],
        byKind.map((k) => [
          k.kind,
          String(k.times.n),
          ms(k.times.median),
          ms(k.times.p95),
          ms(k.times.max),
          ms(k.times.total),
          String(k.calls.median),
        ]),
      ),
    );
    const mismatches = tests.flatMap((t, i) => {
      const got = typical.results[i]!;
      return got.status === t.want
        ? []
        : [{ name: t.name, want: t.want, got: got.status, message: got.message }];
    });
    for (const m of mismatches)
      ctx.log(`  MISMATCH ${m.name}: expected ${m.want}, got ${m.got} (${m.message})`);
    const statuses = (['pass', 'fail', 'unknown', 'error'] as const).map(
      (s) => `${s} ${typical.results.filter((r) => r.status === s).length}`,
    );
    ctx.log(`results: ${statuses.join(', ')}; wrong answers: ${mismatches.length}`);
    const slowest = [...typical.results].sort((a, b) => b.stats.elapsedMs - a.stats.elapsedMs).slice(0, 5);
    ctx.log(`5 slowest: ${slowest.map((r) => `${r.name} ${ms(r.stats.elapsedMs)} ms`).join('; ')}`);
    const met = totals.median <= TARGET_MS;
    ctx.log(
      `whole suite: cold ${ms(cold.totalMs)} ms (first run in the process); warm ${warm.map((r) => ms(r.totalMs)).join(', ')} ms, median ${ms(totals.median)} ms`,
    );
    const cpu = summarize(warm.map((r) => r.cpuMs));
    ctx.log(
      `CPU time of this process: cold ${ms(cold.cpuMs)} ms; warm ${warm.map((r) => ms(r.cpuMs)).join(', ')} ms, median ${ms(cpu.median)} ms`,
    );
    ctx.log(`target: the whole suite <= ${TARGET_MS} ms (warm median, wall time): ${met ? 'met' : 'MISSED'}`);
    const kinds: Record<string, { times: TimeSummary; solverCalls: TimeSummary }> = {};
    for (const k of byKind) kinds[k.kind] = { times: k.times, solverCalls: k.calls };
    return {
      json: {
        tests: tests.length,
        coldMs: cold.totalMs,
        warmMs: warm.map((r) => r.totalMs),
        warm: totals,
        coldCpuMs: cold.cpuMs,
        warmCpu: cpu,
        byKind: kinds,
        results: typical.results.map((r) => ({
          name: r.name,
          status: r.status,
          ms: r.stats.elapsedMs,
          solverCalls: r.stats.solverCalls,
        })),
        mismatches,
        target: { ms: TARGET_MS, met },
      },
      mismatches: mismatches.length,
    };
  },
};
