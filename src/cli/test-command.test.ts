/**
 * The `test` command: its flags (parse-args.ts, help, suggestions), its targets (one policy, a pair,
 * a scenario) through the real engine, its formats, its exit statuses (0 / 1 / 3 / 2, with a stub
 * engine for UNKNOWN), bad input that names its place, and the real process: argv and a batch line.
 */
import { runCli as cli } from './spawn-cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import type { Engine } from '../checks/engine.ts';
import { createNodeEngine } from '../checks/node.ts';
import { RunTestsOutcome, type PolicyTest, type TestResult } from '../checks/policy-tests.ts';
import { helpText } from './help.ts';
import { parseArgv, parseBatchLine } from './parse-args.ts';
import { once, runCommand, type RunContext } from './run.ts';
import { runTestCommand } from './test-command.ts';

const tmp = mkdtempSync(join(tmpdir(), 'cli-tests-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
function file(content: unknown): string {
  const path = join(tmp, `f${fileNo++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const POLICY = doc(
  {
    Sid: 'ReadArtifacts',
    Effect: 'Allow',
    Action: ['s3:GetObject', 's3:ListBucket'],
    Resource: ['arn:aws:s3:::artifacts', 'arn:aws:s3:::artifacts/*'],
  },
  {
    Sid: 'Scratch',
    Effect: 'Allow',
    Action: 's3:*',
    Resource: ['arn:aws:s3:::scratch-*', 'arn:aws:s3:::scratch-*/*'],
  },
  { Sid: 'NoProdDeletes', Effect: 'Deny', Action: 's3:Delete*', Resource: 'arn:aws:s3:::prod-*' },
);
/** The example file, as written: every test passes on POLICY. */
const PASSING: PolicyTest[] = [
  {
    name: 'no prod deletes',
    expect: 'never-allowed',
    actions: ['s3:Delete*'],
    resources: ['arn:aws:s3:::prod-*'],
  },
  {
    name: 'deploy reads artifacts',
    expect: 'always-allowed',
    actions: ['s3:GetObject'],
    resources: ['arn:aws:s3:::artifacts/*'],
    principals: ['arn:aws:iam::111122223333:role/Deploy'],
    context: {},
  },
  {
    name: 'can upload',
    expect: 'sometimes-allowed',
    actions: ['s3:PutObject'],
    resources: ['arn:aws:s3:::scratch-*'],
  },
  {
    name: 'this request',
    expect: 'ExplicitlyDenied',
    request: {
      action: 's3:DeleteObject',
      resource: 'arn:aws:s3:::prod-1/x',
      context: { 'aws:MultiFactorAuthPresent': 'false' },
    },
  },
];
const FAILING: PolicyTest = {
  name: 'no scratch deletes',
  expect: 'never-allowed',
  actions: ['s3:Delete*'],
  resources: ['arn:aws:s3:::scratch-*'],
};

let engine: Engine;
let ctx: RunContext;
beforeAll(async () => {
  engine = await createNodeEngine();
  ctx = { cwd: tmp, engine: () => Promise.resolve(engine), catalog: once(loadDefaultCatalog) };
});

const run = (flags: Record<string, unknown>) =>
  runCommand('test', { format: 'text', ...flags } as Parameters<typeof runCommand>[1], ctx);
const errorOf = (json: unknown) => (json as { error: { code: string; message: string } }).error;

describe('flags, help and suggestions', () => {
  it('parses the policy, pair and scenario forms; text is the default format', () => {
    const one = parseArgv(['test', '--policy-document', '{}', '--tests', '{}']);
    expect(one).toMatchObject({
      ok: true,
      value: { command: 'test', flags: { format: 'text', policyType: 'IDENTITY_POLICY', timeoutMs: 10_000 } },
    });
    const pair = parseArgv([
      'test',
      '--existing-policy-document',
      '{}',
      '--new-policy-document',
      '{}',
      '--tests',
      '{}',
      '--format',
      'JUNIT',
    ]);
    expect(pair).toMatchObject({ ok: true, value: { flags: { format: 'junit' } } });
    const scenario = parseArgv(['test', '--scenario', '{}', '--tests', '{}']);
    expect(scenario.ok && scenario.value.kind === 'run' && scenario.value.flags.policyType).toBeUndefined();
    expect(parseArgv(['test', '--scenario', '{}', '--policy-document', '{}', '--tests', '{}'])).toMatchObject(
      {
        ok: false,
        error: { code: 'UNEXPECTED_FLAG' },
      },
    );
    expect(parseArgv(['test', '--policy-document', '{}'])).toMatchObject({
      ok: false,
      error: { code: 'MISSING_FLAG', message: expect.stringContaining('--tests') as string },
    });
    expect(
      parseBatchLine('{"command":"test","args":{"policyDocument":{},"tests":{"tests":[]}}}'),
    ).toMatchObject({
      ok: true,
      value: { flags: { tests: expect.stringContaining('"tests"') as string } },
    });
  });

  it('suggests the command, its flags and its formats', () => {
    const cmd = parseArgv(['tset', '--tests', 'x']);
    expect(!cmd.ok && cmd.error.message).toContain("Did you mean 'test'?");
    const flag = parseArgv(['test', '--test', 'x']);
    expect(!flag.ok && flag.error.message).toContain("Did you mean '--tests'?");
    const batchFlag = parseBatchLine('{"command":"test","args":{"test":{}}}');
    expect(!batchFlag.ok && batchFlag.error.message).toContain("Did you mean 'tests'?");
    const format = parseArgv(['test', '--tests', 'x', '--policy-document', '{}', '--format', 'junt']);
    expect(!format.ok && format.error.message).toContain("Did you mean 'JUNIT'?".replace('JUNIT', 'junit'));
  });

  it('the help lists the command and says its flags, formats and exit statuses', () => {
    expect(helpText()).toMatch(/\n {2}test {2,}Run policy tests/);
    const help = helpText('test');
    for (const s of [
      '--policy-document',
      '--existing-policy-document',
      '--new-policy-document',
      '--scenario',
      '--tests',
      '--format <text|json|junit>',
      '--timeout-ms',
      'UNKNOWN as <skipped>',
      '0 every test passes, 1 one fails, 3 none fails but one is UNKNOWN, 2 bad input',
    ])
      expect(help).toContain(s);
  });
});

describe('test on a policy (the real engine)', () => {
  it('exit 0 when every test passes; --format json is the engine outcome', async () => {
    const out = await run({
      policyDocument: JSON.stringify(POLICY),
      tests: file({ tests: PASSING }),
      format: 'json',
    });
    expect(out.exitCode).toBe(0);
    const parsed = RunTestsOutcome.parse(out.json);
    expect(parsed.ok && parsed.results.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(out.text).toBeUndefined();
  }, 30_000);

  it('exit 1 when one fails: a line per test, the request and who decided, a summary', async () => {
    const out = await run({
      policyDocument: `file://${file(POLICY)}`,
      tests: JSON.stringify({ tests: [...PASSING, FAILING] }),
    });
    expect(out.exitCode).toBe(1);
    const lines = out.text!.trimEnd().split('\n');
    expect(lines.slice(0, 4).every((l) => l.startsWith('PASS    '))).toBe(true);
    expect(lines[4]).toMatch(
      /^FAIL {4}no scratch deletes: This request is allowed: s3:Delete\S+ on arn:aws:s3:::scratch-/,
    );
    expect(lines[5]).toMatch(/^ {8}request: s3:Delete\S+ on arn:aws:s3:::scratch-\S* by /);
    expect(lines[6]).toBe('        decided: Allowed by policy statement 1 (Scratch)');
    expect(lines[7]).toMatch(/^5 tests: 4 passed, 1 failed, 0 unknown, 0 errors \(\d+\.\d{3} s\)$/);
    // batch keeps the JSON, with the report as a field
    expect(out.json).toMatchObject({ ok: true, summary: { passed: 4, failed: 1 }, text: out.text });
  }, 30_000);

  it('a pair: documents "new" (the default) and "existing"; --format junit names the suite after the file', async () => {
    const existing = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    const next = doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' });
    const tests = file({
      tests: [
        { name: 'new reads acls', expect: 'sometimes-allowed', actions: ['s3:GetObjectAcl'] },
        {
          name: 'existing reads no acl',
          expect: 'never-allowed',
          actions: ['s3:GetObjectAcl'],
          document: 'existing',
        },
        {
          name: 'existing reads acls',
          expect: 'sometimes-allowed',
          actions: ['s3:GetObjectAcl'],
          document: 'existing',
        },
      ],
    });
    const out = await run({
      existingPolicyDocument: JSON.stringify(existing),
      newPolicyDocument: JSON.stringify(next),
      policyType: 'IDENTITY_POLICY',
      tests: `file://${tests}`,
      format: 'junit',
    });
    expect(out.exitCode).toBe(1);
    const results = (out.json as { results: TestResult[] }).results;
    expect(results.map((r) => [r.document, r.status])).toEqual([
      ['new', 'pass'],
      ['existing', 'pass'],
      ['existing', 'fail'],
    ]);
    expect(out.text).toContain(
      `<testsuite name="${tests.split('/').at(-1)}" tests="3" failures="1" errors="0" skipped="0"`,
    );
    expect(out.text).toContain('<testcase name="existing reads acls" classname="existing"');
  }, 30_000);

  it('a scenario: its caller, and the layer that decided', async () => {
    const scenario = {
      callerAccount: '111122223333',
      caller: 'arn:aws:iam::111122223333:role/Deploy',
      identityPolicies: [doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' })],
      scps: [
        [
          doc(
            { Effect: 'Allow', Action: '*', Resource: '*' },
            {
              Sid: 'Regions',
              Effect: 'Deny',
              Action: '*',
              Resource: '*',
              Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
            },
          ),
        ],
      ],
    };
    const out = await run({
      scenario: JSON.stringify(scenario),
      tests: JSON.stringify({
        tests: [
          { name: 'anywhere', expect: 'always-allowed', actions: ['ec2:RunInstances'] },
          {
            name: 'in eu',
            expect: 'always-allowed',
            actions: ['ec2:RunInstances'],
            context: { 'aws:RequestedRegion': 'eu-west-1' },
          },
        ],
      }),
    });
    expect(out.exitCode).toBe(1);
    expect(out.text).toMatch(
      /FAIL {4}anywhere: .*\n {8}request: ec2:RunInstances on .* by arn:aws:sts::111122223333:assumed-role\/Deploy\//,
    );
    expect(out.text).toMatch(
      /\n {8}decided: ExplicitlyDenied by scp\[0\]\[0\] statement 1 \(Regions\) \(SCPs at level 0\)\n/,
    );
    expect(out.text).toContain('PASS    in eu: ');
  }, 30_000);
});

describe('exit statuses', () => {
  const stub = (statuses: TestResult['status'][]) => ({
    cwd: tmp,
    engine: () =>
      Promise.resolve({
        runTests: (): Promise<RunTestsOutcome> =>
          Promise.resolve({
            ok: true,
            results: statuses.map((status, i) => ({
              name: `t${i}`,
              expect: 'never-allowed',
              status,
              message: status,
              document: 'policy',
              stats: { elapsedMs: 1, solverCalls: 0 },
            })),
            summary: {
              passed: statuses.filter((s) => s === 'pass').length,
              failed: statuses.filter((s) => s === 'fail').length,
              unknown: statuses.filter((s) => s === 'unknown').length,
              errors: statuses.filter((s) => s === 'error').length,
              elapsedMs: 1,
            },
          }),
      }),
  });
  const flags = { policyDocument: JSON.stringify(POLICY), tests: '{"tests": []}', format: 'junit' };
  it('0 all pass, 1 one fails, 3 none fails but one is UNKNOWN, 2 when a test cannot run', async () => {
    const cases: [TestResult['status'][], number][] = [
      [['pass', 'pass'], 0],
      [[], 0],
      [['pass', 'fail', 'unknown'], 1],
      [['pass', 'unknown'], 3],
      [['fail', 'error'], 2],
    ];
    for (const [statuses, code] of cases)
      expect((await runTestCommand(flags, stub(statuses))).exitCode, statuses.join()).toBe(code);
    const unknown = await runTestCommand(flags, stub(['unknown']));
    expect(unknown.text).toContain('<skipped message="UNKNOWN: unknown"/>');
  });

  it('a test that cannot run as written is an error result and exit 2; the others still run', async () => {
    const out = await run({
      policyDocument: JSON.stringify(POLICY),
      tests: JSON.stringify({
        tests: [
          ...PASSING.slice(0, 1),
          {
            name: 'bad value',
            expect: 'always-allowed',
            actions: ['s3:GetObject'],
            context: { 's3:max-keys': 'abc' },
          },
          { name: 'no such document', expect: 'never-allowed', document: 'existing' },
        ],
      }),
    });
    expect(out.exitCode).toBe(2);
    expect(out.text).toMatch(
      /^PASS {4}no prod deletes: .*\nERROR {3}bad value: .*\nERROR {3}no such document: /,
    );
  }, 30_000);
});

describe('bad input: exit 2, the message names the place', () => {
  const policy = JSON.stringify(POLICY);
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    [
      'a misspelt field',
      {
        policyDocument: policy,
        tests: '{"tests": [{"name": "x", "expect": "never-allowed", "action": ["s3:*"]}]}',
      },
      'INVALID_TESTS',
      /^--tests: tests\[0\]: /,
    ],
    [
      'an unknown expectation',
      { policyDocument: policy, tests: '{"tests": [{"name": "x", "expect": "sometimes"}]}' },
      'INVALID_TESTS',
      /^--tests: tests\[0\]/,
    ],
    [
      'a name used twice',
      { policyDocument: policy, tests: JSON.stringify({ tests: [FAILING, FAILING] }) },
      'INVALID_TESTS',
      /tests\[1\]\.name: "no scratch deletes" is used twice/,
    ],
    [
      'not JSON',
      { policyDocument: policy, tests: '{"tests": [' },
      'INVALID_TESTS',
      /^--tests: The tests are not JSON/,
    ],
    [
      'a missing file',
      { policyDocument: policy, tests: 'file://nowhere.json' },
      'FILE_NOT_FOUND',
      /^--tests: file not found/,
    ],
    [
      'a policy that does not parse',
      { policyDocument: '{"Statement": [', tests: '{"tests": []}' },
      'MALFORMED_POLICY_DOCUMENT',
      /^--policy-document: /,
    ],
    [
      'a resource policy without a principal',
      {
        policyDocument: JSON.stringify(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' })),
        policyType: 'RESOURCE_POLICY',
        tests: '{"tests": []}',
      },
      'MISSING_PRINCIPAL',
      /^--policy-document: /,
    ],
    [
      'a scenario that does not read',
      { scenario: '{"caller": 5}', tests: '{"tests": []}' },
      'INVALID_SCENARIO',
      /^--scenario: /,
    ],
    [
      'no target',
      { tests: '{"tests": []}' },
      'MISSING_FLAG',
      /--policy-document, or --existing-policy-document and --new-policy-document, or --scenario/,
    ],
    [
      'half a pair',
      { newPolicyDocument: policy, tests: '{"tests": []}' },
      'MISSING_FLAG',
      /needs --existing-policy-document/,
    ],
    [
      'a policy and a pair',
      { policyDocument: policy, newPolicyDocument: policy, tests: '{"tests": []}' },
      'UNEXPECTED_FLAG',
      /not both/,
    ],
  ];
  for (const [what, flags, code, message] of cases)
    it(what, async () => {
      const out = await run(flags);
      expect(out.exitCode).toBe(2);
      expect(errorOf(out.json).code).toBe(code);
      expect(errorOf(out.json).message).toMatch(message);
    });
});

describe('the real process', () => {
  it('argv: the text report on stdout and the exit status; batch: one JSON line per test run', async () => {
    const policy = file(POLICY);
    const tests = file({ tests: [...PASSING, FAILING] });
    const r = await cli(['test', '--policy-document', `file://${policy}`, '--tests', tests]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^PASS {4}no prod deletes: /);
    expect(r.stdout).toMatch(/5 tests: 4 passed, 1 failed, 0 unknown, 0 errors/);
    const lines = [
      {
        command: 'test',
        id: 'all',
        args: { policyDocument: POLICY, tests: { tests: PASSING }, format: 'json' },
      },
      { command: 'test', id: 'bad', args: { policyDocument: POLICY, tests: { tests: [{ name: 'x' }] } } },
    ];
    const b = await cli(['batch'], lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(b.code).toBe(0);
    const out = b.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out[0]).toMatchObject({
      id: 'all',
      command: 'test',
      exitCode: 0,
      ok: true,
      summary: { passed: 4 },
    });
    expect(out[1]).toMatchObject({ id: 'bad', exitCode: 2, error: { code: 'INVALID_TESTS' } });
    expect((out[1]!.error as { message: string }).message).toMatch(/^--tests: tests\[0\]/);
  }, 60_000);
});
