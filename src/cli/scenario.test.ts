/**
 * The CLI on scenarios (issue 12), end to end: spawns the real CLI (`node --import tsx
 * src/cli/main.ts`, the real engine) and checks stdout JSON, stderr and exit codes. Every check command
 * runs once each way (PASS and FAIL), on scenarios built from AWS's published SCP and RCP examples
 * (src/fixtures/org-policies).
 */
import { runCli as cli } from './spawn-cli.ts';
import type { CliRun as Run } from './spawn-cli.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioInput } from '../evaluate/scenario.ts';
import type { CheckResponse, CompareResponse, StackVerdict } from '../checks/types.ts';
import { helpText } from './help.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORG = join(ROOT, 'src/fixtures/org-policies');

function json<T = Record<string, unknown>>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'cli-scenario-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
/** The scenario in a file, as `file://path`. */
function file(content: unknown): string {
  const path = join(tmp, `scenario${fileNo++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return `file://${path}`;
}

const orgPolicy = (kind: 'scp' | 'rcp', name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ORG, kind, `${name}.json`), 'utf8')) as Record<string, unknown>;

const A = '111122223333';
const B = '444455556666';
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';
const doc = (...Statement: object[]): Record<string, unknown> => ({ Version: '2012-10-17', Statement });
/** AWS attaches FullAWSAccess at every SCP level: a level with only Denies would allow nothing. */
const FULL = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const DEVELOPER = `arn:aws:iam::${A}:role/Developer`;

const regionScp = orgPolicy('scp', 'Region-controls__Deny-access-to-AWS-based-on-the-requested-AWS-region');
const denyLeaving = orgPolicy(
  'scp',
  'Privileged-access-controls__Deny-member-accounts-from-leaving-your-AWS-organization',
);
const httpsOnly = orgPolicy(
  'rcp',
  'Restrict-resource-access-patterns__Restrict-access-to-only-HTTPS-connections-to-your-resources',
);

/** A developer role under the region SCP (level 1, beside FullAWSAccess). */
const regional: ScenarioInput = {
  callerAccount: A,
  caller: `arn:aws:sts::${A}:assumed-role/Dev/alice`,
  identityPolicies: [doc({ Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` })],
  scps: [[FULL], [FULL, regionScp]],
};

/** Before and after attaching AWS's deny-leaving SCP. */
const before: ScenarioInput = {
  callerAccount: A,
  caller: DEVELOPER,
  identityPolicies: [
    doc({ Effect: 'Allow', Action: ['s3:GetObject', 'organizations:LeaveOrganization'], Resource: '*' }),
  ],
  scps: [[FULL]],
};
const after: ScenarioInput = { ...before, scps: [[FULL, denyLeaving]] };

const request = (region: string) =>
  JSON.stringify({
    action: 's3:GetObject',
    resource: `${BUCKET}/k`,
    context: { 'aws:RequestedRegion': region },
  });

type EvaluateOut = StackVerdict & {
  request: { principal?: { id?: string } };
  decidedBy: { statements: { document: string; statementIndex: number }[] };
};

describe('evaluate --scenario', () => {
  it('shows the deciding layer and its statement, and every layer (JSON, the scenario from stdin)', async () => {
    const r = await cli(
      ['evaluate', '--scenario', '-', '--request', request('ap-south-1')],
      JSON.stringify(regional),
    );
    expect(r.code).toBe(0);
    const out = json<EvaluateOut>(r);
    expect(out.decision).toBe('ExplicitlyDenied');
    expect(out.decidedBy).toMatchObject({ layer: 'scp', level: 1 });
    expect(out.decidedBy.statements).toEqual([{ document: 'scp[1][1]', statementIndex: 0 }]);
    // the scenario's caller stands for the request's principal
    expect(out.request.principal?.id).toBe(regional.caller);
    expect(out.layers.map((l) => `${l.layer}${l.level ?? ''}:${l.applies ? l.decision : '-'}`)).toEqual([
      'scp0:Allow',
      'scp1:Deny',
      'resource:-',
      'identity:Allow',
      'boundary:-',
      'session:-',
    ]);
  });

  it('--format text: the decision, the deciding layer marked, for people', async () => {
    const r = await cli([
      'evaluate',
      '--scenario',
      file(regional),
      '--request',
      request('eu-west-1'),
      '--format',
      'text',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Decision: Allowed');
    expect(r.stdout).toContain('decided by: identity policies');
    expect(r.stdout).toContain('deciding statement: identity[0] statement 0 (Read)');
    expect(r.stdout).toMatch(/^> identity policies\s+Allow/m);
    expect(r.stdout).toMatch(/^ {2}SCPs at level 1\s+Allow/m);
  });
});

describe('the checks on scenarios, each way', () => {
  it('check-access-not-granted: PASS under the deny-leaving SCP, FAIL without it (with the stack)', async () => {
    const access = JSON.stringify([{ actions: ['organizations:LeaveOrganization'] }]);
    const pass = await cli(['check-access-not-granted', '--scenario', file(after), '--access', access]);
    expect(pass.code).toBe(0);
    expect(json<CheckResponse>(pass).result).toBe('PASS');
    const fail = await cli([
      'check-access-not-granted',
      '--scenario',
      JSON.stringify(before),
      '--access',
      access,
    ]);
    expect(fail.code).toBe(1);
    const out = json<CheckResponse>(fail);
    expect(out.result).toBe('FAIL');
    expect(out.counterexamples[0]?.request.action).toBe('organizations:LeaveOrganization');
    expect(out.counterexamples[0]?.stack).toMatchObject({
      decision: 'Allowed',
      decidedBy: { layer: 'identity' },
    });
  });

  it('check-no-new-access: PASS adding the SCP; FAIL removing it, with both traces and the exact list', async () => {
    const pass = await cli([
      'check-no-new-access',
      '--existing-scenario',
      file(before),
      '--new-scenario',
      file(after),
    ]);
    expect(pass.code).toBe(0);
    expect(json<CheckResponse>(pass).result).toBe('PASS');
    const fail = await cli([
      'check-no-new-access',
      '--existing-scenario',
      file(after),
      '--new-scenario',
      file(before),
    ]);
    expect(fail.code).toBe(1);
    const out = json<CheckResponse>(fail);
    expect(out.result).toBe('FAIL');
    const c = out.counterexamples[0]!;
    expect(c.stack?.decision).toBe('Allowed');
    expect(c.existingStack).toMatchObject({
      decision: 'ExplicitlyDenied',
      decidedBy: { layer: 'scp', level: 0 },
    });
    expect(out.newAccess?.services.flatMap((s) => s.actions.map((a) => a.action))).toEqual([
      'organizations:LeaveOrganization',
    ]);
    // --no-exact-new-access: stops at the counterexample, without the list
    const quick = await cli([
      'check-no-new-access',
      '--existing-scenario',
      file(after),
      '--new-scenario',
      file(before),
      '--no-exact-new-access',
    ]);
    expect(quick.code).toBe(1);
    expect(json<CheckResponse>(quick).newAccess).toBeUndefined();
  });

  it('compare-scenarios: EQUIVALENT to itself; the SCP change breaks exactly LeaveOrganization and opens nothing', async () => {
    const same = await cli(['compare-scenarios', '--scenario-a', file(before), '--scenario-b', file(before)]);
    expect(same.code).toBe(0);
    expect(json<CompareResponse>(same).result).toBe('EQUIVALENT');
    const r = await cli(['compare-scenarios', '--scenario-a', file(before), '--scenario-b', file(after)]);
    expect(r.code).toBe(1);
    const out = json<CompareResponse & { opens: string[]; breaks: string[] }>(r);
    expect(out.result).toBe('MORE_PERMISSIVE');
    expect(out.opens).toEqual([]);
    expect(out.breaks).toEqual(['organizations:LeaveOrganization']);
    expect(out.aNotB.counterexamples[0]?.existingStack?.decidedBy.layer).toBe('scp');
  });

  const publicRead = doc({
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  });
  const toB = doc({
    Effect: 'Allow',
    Principal: { AWS: B },
    Action: 's3:GetObject',
    Resource: `${BUCKET}/*`,
  });

  it('check-no-public-access: FAIL for a public bucket under the HTTPS-only RCP, PASS for a bucket shared with one account', async () => {
    const fail = await cli([
      'check-no-public-access',
      '--scenario',
      file({ callerAccount: A, resourcePolicy: publicRead, rcps: [[httpsOnly]] }),
      '--resource-type',
      'AWS::S3::Bucket',
    ]);
    expect(fail.code).toBe(1);
    const out = json<CheckResponse>(fail);
    expect(out.result).toBe('FAIL');
    expect(out.counterexamples[0]?.stack).toMatchObject({
      decision: 'Allowed',
      decidedBy: { layer: 'resource' },
    });
    const pass = await cli([
      'check-no-public-access',
      '--scenario',
      file({ callerAccount: A, resourcePolicy: toB, rcps: [[httpsOnly]] }),
      '--resource-type',
      'AWS::S3::Bucket',
    ]);
    expect(pass.code).toBe(0);
    expect(json<CheckResponse>(pass).result).toBe('PASS');
  });

  it('check-no-access-outside: FAIL when the bucket is shared with an untrusted account, PASS once it is trusted', async () => {
    const scenario = file({ callerAccount: A, resourcePolicy: toB, rcps: [[httpsOnly]] });
    const fail = await cli(['check-no-access-outside', '--scenario', scenario, '--trusted-accounts', A]);
    expect(fail.code).toBe(1);
    const out = json<CheckResponse>(fail);
    expect(out.result).toBe('FAIL');
    const c = out.counterexamples[0]!;
    expect(c.request.principal?.type === 'AWS' && c.request.principal.id.includes(B)).toBe(true);
    // the HTTPS-only RCP lets only TLS requests through
    expect(c.request.context['aws:SecureTransport']).toBe('true');
    const pass = await cli([
      'check-no-access-outside',
      '--scenario',
      scenario,
      '--trusted-accounts',
      `${A},${B}`,
    ]);
    expect(pass.code).toBe(0);
    expect(json<CheckResponse>(pass).result).toBe('PASS');
  });
});

describe('bad scenarios and flags: exit 2 with a clear message', () => {
  const access = '[{"actions":["s3:GetObject"]}]';
  it('a scenario the engine cannot read', async () => {
    const cases: [string, string, RegExp][] = [
      [
        JSON.stringify({ callerAccount: '1234' }),
        'INVALID_SCENARIO',
        /--scenario: callerAccount: .*12 digits/,
      ],
      ['{"callerAccount": "1111', 'INVALID_JSON', /--scenario: The scenario is not JSON/],
      [
        JSON.stringify({ callerAccount: A, scps: [[doc({ Effect: 'Alow', Action: '*', Resource: '*' })]] }),
        'INVALID_EFFECT',
        /--scenario: scp\[0\]\[0\]: Effect/,
      ],
      [JSON.stringify({ callerAccount: A, idPolicies: [] }), 'INVALID_SCENARIO', /idPolicies/],
      ['file://no/such/scenario.json', 'FILE_NOT_FOUND', /--scenario: file not found/],
    ];
    for (const [scenario, code, message] of cases) {
      const r = await cli(['check-access-not-granted', '--scenario', scenario, '--access', access]);
      expect(r.code, scenario).toBe(2);
      const out = json<{ error: { code: string; message: string } }>(r);
      expect(out.error.code, scenario).toBe(code);
      expect(out.error.message).toMatch(message);
      expect(r.stderr).toContain(`error [${code}]`);
    }
  });

  it('policy and scenario flags together, a mistyped flag or command, a request without a caller', async () => {
    const both = await cli([
      'check-no-new-access',
      '--existing-scenario',
      file(before),
      '--new-policy-document',
      JSON.stringify(FULL),
    ]);
    expect(both.code).toBe(2);
    expect(json(both)).toMatchObject({ error: { code: 'UNEXPECTED_FLAG' } });
    expect(both.stderr).toContain('not both');

    const typo = await cli(['check-no-new-access', '--new-scenarios', file(after)]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean '--new-scenario'?");
    const command = await cli(['compare-scenario', '--scenario-a', file(before)]);
    expect(command.stderr).toContain("Did you mean 'compare-scenarios'?");
    const missing = await cli(['compare-scenarios', '--scenario-a', file(before)]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--scenario-b');

    const noCaller = await cli([
      'evaluate',
      '--scenario',
      JSON.stringify({ callerAccount: A }),
      '--request',
      request('eu-west-1'),
    ]);
    expect(noCaller.code).toBe(2);
    expect(json(noCaller)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });

  it('--help documents the new commands and flags, with an example each', async () => {
    const all = await cli(['--help']);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('compare-scenarios');
    expect(all.stdout).toContain('- for stdin');
    for (const [command, flags] of [
      ['evaluate', ['--scenario', '--format']],
      ['check-access-not-granted', ['--scenario']],
      ['check-no-new-access', ['--existing-scenario', '--new-scenario']],
      ['compare-scenarios', ['--scenario-a', '--scenario-b']],
      ['check-no-public-access', ['--scenario']],
      ['check-no-access-outside', ['--scenario']],
    ] as const) {
      const help = helpText(command);
      for (const f of flags) expect(help, command).toContain(f);
      expect(help, command).toMatch(
        new RegExp(`^  npm run --silent cli -- ${command} --(scenario|existing-scenario)`, 'm'),
      );
    }
  });
});

describe('batch: the same arguments in camelCase, scenarios as objects or text', () => {
  it('runs each scenario command and refuses - (stdin holds the lines)', async () => {
    const lines = [
      {
        id: 'cmp',
        command: 'compare-scenarios',
        args: { scenarioA: before, scenarioB: JSON.stringify(after) },
      },
      { id: 'nna', command: 'check-no-new-access', args: { existingScenario: after, newScenario: before } },
      {
        id: 'eval',
        command: 'evaluate',
        args: { scenario: regional, request: JSON.parse(request('ap-south-1')) as object, format: 'text' },
      },
      {
        id: 'anG',
        command: 'check-access-not-granted',
        args: { scenario: after, access: [{ actions: ['organizations:LeaveOrganization'] }] },
      },
      {
        id: 'pub',
        command: 'check-no-public-access',
        args: { scenario: '-', resourceType: 'AWS::S3::Bucket' },
      },
      {
        id: 'out',
        command: 'check-no-access-outside',
        args: { scenario: { callerAccount: '1' }, trustedAccounts: [A] },
      },
    ];
    const r = await cli(['batch'], lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [cmp, nna, evaluate, anG, pub, bad] = out;
    expect(cmp).toMatchObject({
      id: 'cmp',
      exitCode: 1,
      result: 'MORE_PERMISSIVE',
      opens: [],
      breaks: ['organizations:LeaveOrganization'],
    });
    expect(nna).toMatchObject({ id: 'nna', exitCode: 1, result: 'FAIL' });
    expect(evaluate).toMatchObject({
      id: 'eval',
      exitCode: 0,
      decision: 'ExplicitlyDenied',
      decidedBy: { layer: 'scp', level: 1 },
    });
    expect(evaluate?.text).toMatch(/^> SCPs at level 1\s+Deny/m);
    expect(anG).toMatchObject({ id: 'anG', exitCode: 0, result: 'PASS' });
    expect(pub).toMatchObject({ id: 'pub', exitCode: 2, error: { code: 'INVALID_DOCUMENT' } });
    expect(bad).toMatchObject({ id: 'out', exitCode: 2, error: { code: 'INVALID_SCENARIO' } });
  });
});
