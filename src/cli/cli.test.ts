/**
 * End-to-end: spawns the real CLI (`node --import tsx src/cli/main.ts`) and checks stdout JSON, stderr
 * and exit codes. The check cases come from src/fixtures/examples/seed-checks.json.
 */
import { runCli as cli } from './spawn-cli.ts';
import type { CliRun as Run } from './spawn-cli.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { nodeRunner } from '../smt/runner-node.ts';
import { SEED_CASES, type SeedCase } from '../checks/seed-cases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function json(r: Run): Record<string, unknown> {
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'cli-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let fileNo = 0;
function file(content: unknown): string {
  const path = join(tmp, `doc${fileNo++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const S3_READ = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' },
    { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::secrets/*' },
  ],
};

describe('help and bad input', () => {
  it('prints general and per-command help with exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('check-no-new-access');
    expect(r.stdout).toContain('Exit status');
    const c = await cli(['check-no-new-access', '--help']);
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('--existing-policy-document');
    expect(c.stdout).toContain('--exact-new-access');
  });

  it('rejects an unknown command with exit 2, a suggestion and a JSON error', async () => {
    const r = await cli(['check-no-public-acess', '--policy-document', 'x']);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ error: { code: 'UNKNOWN_COMMAND' } });
    expect(r.stderr).toContain("Did you mean 'check-no-public-access'?");
  });

  it('rejects a missing flag with exit 2', async () => {
    const r = await cli([
      'check-no-new-access',
      '--existing-policy-document',
      file(S3_READ),
      '--policy-type',
      'IDENTITY_POLICY',
    ]);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ error: { code: 'MISSING_FLAG' } });
    expect(r.stderr).toContain('--new-policy-document');
  });

  it('rejects an unknown flag with exit 2 and a suggestion', async () => {
    const r = await cli(['validate-policy', '--policy-doc', file(S3_READ)]);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ error: { code: 'UNKNOWN_FLAG' } });
    expect(r.stderr).toContain("'--policy-document'");
  });

  it('rejects a malformed JSON policy (inline or in a file) with exit 2 and its location', async () => {
    const bad = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",}';
    for (const doc of [bad, `file://${file(bad)}`]) {
      const r = await cli([
        'check-no-new-access',
        '--existing-policy-document',
        file(S3_READ),
        '--new-policy-document',
        doc,
        '--policy-type',
        'IDENTITY_POLICY',
      ]);
      expect(r.code).toBe(2);
      const out = json(r) as {
        error: { code: string; message: string; document: string; findings: unknown[] };
      };
      expect(out.error.code).toBe('MALFORMED_POLICY_DOCUMENT');
      expect(out.error.document).toBe('--new-policy-document');
      expect(out.error.findings.length).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/error \[MALFORMED_POLICY_DOCUMENT\].*line 1/);
    }
  });

  it('rejects a missing file and a value that is neither file nor JSON', async () => {
    const missing = await cli([
      'check-no-public-access',
      '--policy-document',
      'file://does/not/exist.json',
      '--resource-type',
      'AWS::S3::Bucket',
    ]);
    expect(missing.code).toBe(2);
    expect(json(missing)).toMatchObject({ error: { code: 'FILE_NOT_FOUND' } });
    const neither = await cli([
      'check-no-public-access',
      '--policy-document',
      'nope.json',
      '--resource-type',
      'AWS::S3::Bucket',
    ]);
    expect(neither.code).toBe(2);
    expect(json(neither)).toMatchObject({ error: { code: 'INVALID_DOCUMENT' } });
  });

  it('rejects bad check arguments before running the engine', async () => {
    const p = file(S3_READ);
    const acct = await cli(['check-no-access-outside', '--policy-document', p, '--trusted-accounts', '1234']);
    expect(acct.code).toBe(2);
    expect(json(acct)).toMatchObject({ error: { code: 'INVALID_ACCOUNT' } });
    const access = await cli([
      'check-access-not-granted',
      '--policy-document',
      p,
      '--access',
      '[{"action":["s3:x"]}]',
      '--policy-type',
      'IDENTITY_POLICY',
    ]);
    expect(access.code).toBe(2);
    expect(json(access)).toMatchObject({ error: { code: 'INVALID_ACCESS' } });
    const rt = await cli(['check-no-public-access', '--policy-document', p, '--resource-type', 's3 bucket']);
    expect(rt.code).toBe(2);
    expect(json(rt)).toMatchObject({ error: { code: 'INVALID_RESOURCE_TYPE' } });
  });
});

describe('formula', () => {
  const STATEMENT_1 = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: ['ec2:DescribeInstance*', 'ec2:StartInstances', 'ec2:StopInstances'],
        Resource: 'arn:aws:ec2:*:*:instance/*',
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject*', 's3:PutObject', 's3:DeleteBucket'],
        Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*',
      },
    ],
  };
  const PUBLIC = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['s3:PutObject'],
        Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET',
      },
    ],
  };

  it('prints the policy as math, statement by statement, with the notation explained (exit 0)', async () => {
    const r = await cli(['formula', '--policy-document', file(S3_READ)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('S0 := Action ∈ {"s3:GetObject", "s3:ListBucket"}\n');
    expect(r.stdout).toContain('D1 := (Action = "s3:GetObject") ∧ (Resource ∈ ⟦arn:aws:s3:::secrets/*⟧)\n');
    expect(r.stdout).toContain('Allowed := S0 ∧ ¬D1\n');
    expect(r.stdout).toContain('--   ⟦s3:Get*⟧   the set of strings the pattern matches');
    // no legend line for symbols the formula does not use
    expect(r.stdout).not.toContain('∃v');
  });

  it('prints the question a check asks, with the policies it names and what sat/unsat mean', async () => {
    const r = await cli([
      'formula',
      '--check',
      'checkaccessnotgranted',
      '--policy-document',
      file(STATEMENT_1),
      '--access',
      '[{"actions":["s3:DeleteBucket"]}]',
      '--policy-type',
      'IDENTITY_POLICY',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'S1 := (Action ∈ ⟦s3:GetObject*⟧ ∪ {"s3:PutObject", "s3:DeleteBucket"}) ∧ (Resource ∈ ⟦arn:aws:s3:::DOC-EXAMPLE-BUCKET/*⟧)',
    );
    expect(r.stdout).toContain('Question: P ∧ (Action = "s3:DeleteBucket")\n');
    expect(r.stdout).toMatch(/sat {3}-> .*FAILs/);
    const nna = await cli([
      'formula',
      '--check',
      'CheckNoNewAccess',
      '--existing-policy-document',
      file(PUBLIC),
      '--new-policy-document',
      file(STATEMENT_1),
    ]);
    expect(nna.code).toBe(0);
    expect(nna.stdout).toMatch(
      /-- Pold: the existing policy\n[^]*-- Pnew: the new policy\n[^]*Question: Pnew ∧ ¬Pold/,
    );
  });

  it('--format smtlib prints a script that Z3 answers with the check verdict', async () => {
    const r = await cli([
      'formula',
      '--check',
      'NoAccessOutsideAccounts',
      '--policy-document',
      file(PUBLIC),
      '--trusted-accounts',
      '123456789012',
      '--format',
      'smtlib',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^; IAM policy playground: SMT-LIB2 export/);
    expect(r.stdout).toContain('(check-sat)');
    const runner = await nodeRunner();
    await runner.run('(reset)');
    const out = await runner.run(`(set-option :timeout 60000)\n${r.stdout}`);
    // Principal "*" lets a caller from any account in: sat, the check fails
    expect(out.trim()).toBe('sat');
  });

  it('batch: the text is a field of the JSON line', async () => {
    const line = JSON.stringify({ command: 'formula', args: { policyDocument: PUBLIC } });
    const r = await cli(['batch'], line + '\n');
    const out = JSON.parse(r.stdout.trim()) as { exitCode: number; text: string; allowed: string };
    expect(out.exitCode).toBe(0);
    expect(out.allowed).toBe('Allowed := S0');
    expect(out.text).toContain('Principal "*" (everyone) adds no constraint');
  });

  it('rejects what it cannot show with exit 2 and a reason', async () => {
    const p = file(PUBLIC);
    const noCheck = await cli(['formula', '--policy-document', p, '--format', 'smtlib']);
    expect(noCheck.code).toBe(2);
    expect(json(noCheck)).toMatchObject({ error: { code: 'MISSING_FLAG' } });
    expect(noCheck.stderr).toContain('needs --check');
    const wrongDoc = await cli(['formula', '--check', 'CheckNoNewAccess', '--policy-document', p]);
    expect(wrongDoc.code).toBe(2);
    expect(json(wrongDoc)).toMatchObject({ error: { code: 'UNEXPECTED_FLAG' } });
    expect(wrongDoc.stderr).toContain('--existing-policy-document and --new-policy-document');
    const noAccess = await cli(['formula', '--check', 'CheckAccessNotGranted', '--policy-document', p]);
    expect(noAccess.code).toBe(2);
    expect(json(noAccess)).toMatchObject({
      error: { code: 'MISSING_FLAG', message: '--access is required.' },
    });
    const typo = await cli(['formula', '--check', 'CheckNoPublicAcess', '--policy-document', p]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("Did you mean 'CheckNoPublicAccess'?");
    const bad = await cli(['formula', '--policy-document', '{"Statement": [']);
    expect(bad.code).toBe(2);
    expect(json(bad)).toMatchObject({ error: { code: 'MALFORMED_POLICY_DOCUMENT' } });
  });
});

describe('validate-policy', () => {
  it('prints findings; exit 0 without ERROR findings', async () => {
    const r = await cli(['validate-policy', '--policy-document', `file://${file(S3_READ)}`]);
    expect(r.code).toBe(0);
    const out = json(r) as { findings: { findingType: string }[] };
    expect(Array.isArray(out.findings)).toBe(true);
    expect(out.findings.filter((f) => f.findingType === 'ERROR')).toEqual([]);
  });

  it('exit 1 with an ERROR finding (bad Effect; invalid JSON)', async () => {
    const badEffect = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Permit', Action: 's3:GetObject', Resource: '*' }],
    };
    for (const doc of [JSON.stringify(badEffect), '{"Statement": [']) {
      const r = await cli(['validate-policy', '--policy-document', doc, '--policy-type', 'IDENTITY_POLICY']);
      expect(r.code).toBe(1);
      const out = json(r) as { findings: { findingType: string }[] };
      expect(out.findings.some((f) => f.findingType === 'ERROR')).toBe(true);
    }
  });

  type Findings = { findings: { findingType: string; issueCode: string; learnMoreLink: string }[] };

  it("takes Access Analyzer's four policy types; each finding links to its check", async () => {
    const rcp = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', NotAction: 's3:GetObject', Resource: '*' }],
    };
    const r = await cli([
      'validate-policy',
      '--policy-document',
      JSON.stringify(rcp),
      '--policy-type',
      'RESOURCE_CONTROL_POLICY',
    ]);
    expect(r.code).toBe(1);
    const out = json(r) as Findings;
    expect(out.findings.map((f) => f.issueCode)).toEqual(['RCP_SYNTAX_ERROR_NOTACTION']);
    expect(out.findings[0]!.learnMoreLink).toBe(
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-rcp-syntax-error-notaction',
    );
    const scp = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const s = await cli([
      'validate-policy',
      '--policy-document',
      JSON.stringify(scp),
      '--policy-type',
      'SERVICE_CONTROL_POLICY',
    ]);
    expect(s.code).toBe(0);
    expect(json(s)).toEqual({ findings: [] });
  });

  it("--validate-policy-resource-type brings the resource's rules, with RESOURCE_POLICY only", async () => {
    const bucket = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: '111122223333' },
          Action: ['s3:GetObject', 'kms:Decrypt'],
          Resource: 'arn:aws:s3:::b/*',
        },
      ],
    };
    const doc = JSON.stringify(bucket);
    const r = await cli([
      'validate-policy',
      '--policy-document',
      doc,
      '--policy-type',
      'RESOURCE_POLICY',
      '--validate-policy-resource-type',
      'AWS::S3::Bucket',
    ]);
    expect(r.code).toBe(1);
    expect((json(r) as Findings).findings.map((f) => f.issueCode)).toContain('UNSUPPORTED_ACTION_IN_POLICY');
    const id = await cli([
      'validate-policy',
      '--policy-document',
      doc,
      '--validate-policy-resource-type',
      'AWS::S3::Bucket',
    ]);
    expect(id.code).toBe(2);
    expect(json(id)).toMatchObject({ error: { code: 'INVALID_FLAG_VALUE' } });
    const unknown = await cli([
      'validate-policy',
      '--policy-document',
      doc,
      '--policy-type',
      'RESOURCE_POLICY',
      '--validate-policy-resource-type',
      'AWS::SQS::Queue',
    ]);
    expect(unknown.code).toBe(2);
    const line = JSON.stringify({
      command: 'validate-policy',
      args: {
        policyDocument: bucket,
        policyType: 'RESOURCE_POLICY',
        validatePolicyResourceType: 'AWS::S3::Bucket',
      },
    });
    const b = await cli(['batch'], line + '\n');
    expect((JSON.parse(b.stdout) as Findings).findings.map((f) => f.issueCode)).toContain(
      'UNSUPPORTED_ACTION_IN_POLICY',
    );
  });
});

describe('evaluate', () => {
  const req = (o: unknown) => JSON.stringify(o);
  it('allows, denies explicitly and implicitly (exit 0 each time)', async () => {
    const p = file(S3_READ);
    const cases: [unknown, string][] = [
      [{ action: 's3:GetObject', resource: 'arn:aws:s3:::public/k' }, 'Allowed'],
      [{ action: 's3:GetObject', resource: 'arn:aws:s3:::secrets/k' }, 'ExplicitlyDenied'],
      [{ action: 's3:PutObject', resource: 'arn:aws:s3:::public/k', context: {} }, 'ImplicitlyDenied'],
    ];
    for (const [request, decision] of cases) {
      const r = await cli(['evaluate', '--policy-document', p, '--request', req(request)]);
      expect(r.code).toBe(0);
      expect(json(r)).toMatchObject({ decision });
    }
  });

  it('reads the request from a file and rejects a bad request with exit 2', async () => {
    const p = file(S3_READ);
    const ok = await cli([
      'evaluate',
      '--policy-document',
      p,
      '--request',
      `file://${file({ action: 's3:ListBucket', resource: 'arn:aws:s3:::b' })}`,
    ]);
    expect(ok.code).toBe(0);
    expect(json(ok)).toMatchObject({ decision: 'Allowed', allowedBy: [0] });
    const bad = await cli([
      'evaluate',
      '--policy-document',
      p,
      '--request',
      '{"action":"GetObject","resource":"*"}',
    ]);
    expect(bad.code).toBe(2);
    expect(json(bad)).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
  });
});

// --- the check commands on the seed cases -----------------------------------------------------------

const seed = { cases: SEED_CASES };

/** argv for a seed case; documents alternate between file://, plain path and inline JSON. */
function argvFor(c: SeedCase, i: number): string[] {
  const doc = (d: unknown, j: number): string => {
    const mode = (i + j) % 3;
    if (mode === 0) return `file://${file(d)}`;
    if (mode === 1) return file(d);
    return JSON.stringify(d);
  };
  const pt = c.policyType ? ['--policy-type', c.policyType] : [];
  switch (c.check) {
    case 'CheckNoNewAccess':
      return [
        'check-no-new-access',
        '--existing-policy-document',
        doc(c.existingPolicyDocument, 0),
        '--new-policy-document',
        doc(c.newPolicyDocument, 1),
        ...pt,
      ];
    case 'CheckAccessNotGranted':
      return [
        'check-access-not-granted',
        '--policy-document',
        doc(c.policyDocument, 0),
        '--access',
        JSON.stringify(c.access),
        ...pt,
      ];
    case 'CheckNoPublicAccess':
      return [
        'check-no-public-access',
        '--policy-document',
        doc(c.policyDocument, 0),
        '--resource-type',
        c.resourceType ?? '',
      ];
    case 'NoAccessOutsideAccount':
      return [
        'check-no-access-outside',
        '--policy-document',
        doc(c.policyDocument, 0),
        '--trusted-accounts',
        (c.trustedAccounts ?? []).join(','),
        ...pt,
      ];
    default:
      throw new Error(`seed case ${c.name}: unknown check ${c.check}`);
  }
}

interface CheckOut {
  result: string;
  message: string;
  reasons: { statementIndex?: number }[];
  counterexamples: {
    request: { principal?: { type: string; id?: string }; action: string; resource: string };
    grantedBy: { statementIndex: number }[];
  }[];
  newAccess?: { services: { actions: { action: string }[] }[] };
}

function accountOf(p: { type: string; id?: string } | undefined): string | undefined {
  if (!p || p.type !== 'AWS' || !p.id) return undefined;
  return /^\d{12}$/.test(p.id) ? p.id : p.id.split(':')[4];
}

function assertSeed(c: SeedCase, out: CheckOut, code: number | null): void {
  expect(out.result, `${c.name}: ${JSON.stringify((out as { error?: unknown }).error) ?? out.message}`).toBe(
    c.expected.result,
  );
  expect(code).toBe(c.expected.result === 'PASS' ? 0 : 1);
  expect(typeof out.message).toBe('string');
  expect(Array.isArray(out.reasons)).toBe(true);
  if (c.expected.result === 'PASS') {
    expect(out.counterexamples).toEqual([]);
    return;
  }
  expect(out.counterexamples.length).toBeGreaterThan(0);
  if (c.expected.statementIndex !== undefined) {
    const cited = [
      ...out.reasons.map((r) => r.statementIndex),
      ...out.counterexamples.flatMap((x) => x.grantedBy.map((g) => g.statementIndex)),
    ];
    expect(cited).toContain(c.expected.statementIndex);
  }
  const cx = c.expected.counterexample;
  if (cx) {
    expect(
      out.counterexamples.some(
        (x) =>
          (cx.action === undefined || x.request.action.toLowerCase() === cx.action.toLowerCase()) &&
          (cx.resource === undefined || x.request.resource === cx.resource) &&
          (cx.principalAccountNot === undefined || accountOf(x.request.principal) !== cx.principalAccountNot),
      ),
      JSON.stringify(out.counterexamples),
    ).toBe(true);
  }
  if (c.expected.newlyAllowedActions) {
    const actions = (out.newAccess?.services ?? []).flatMap((s) =>
      s.actions.map((a) => a.action.toLowerCase()),
    );
    expect(actions.sort()).toEqual(c.expected.newlyAllowedActions.map((a) => a.toLowerCase()).sort());
  }
}

describe('check commands on the seed cases', () => {
  for (const [i, c] of seed.cases.entries()) {
    it(`${c.name}: ${c.check} -> ${c.expected.result}`, async () => {
      const r = await cli(argvFor(c, i));
      assertSeed(c, json(r) as unknown as CheckOut, r.code);
    });
  }
});

describe('batch', () => {
  it('answers one line per input line, survives bad lines, reuses one engine', async () => {
    const checks = seed.cases.slice(0, 3);
    const lines = [
      JSON.stringify({ id: 'v', command: 'validate-policy', args: { policyDocument: S3_READ } }),
      '{this is not json',
      '',
      JSON.stringify({
        id: 'e',
        command: 'evaluate',
        args: {
          policyDocument: S3_READ,
          request: { action: 's3:GetObject', resource: 'arn:aws:s3:::secrets/x' },
        },
      }),
      JSON.stringify({ command: 'evaluat', args: {} }),
      JSON.stringify({
        command: 'check-no-new-access',
        args: {
          existingPolicyDocument: S3_READ,
          newPolicyDocument: '{"Statement": [',
          policyType: 'IDENTITY_POLICY',
        },
      }),
      ...checks.map((c, k) =>
        JSON.stringify({
          id: c.name,
          command: argvFor(c, k)[0],
          args: {
            policyDocument: c.policyDocument,
            ...(c.resourceType ? { resourceType: c.resourceType } : {}),
            ...(c.trustedAccounts ? { trustedAccounts: c.trustedAccounts } : {}),
          },
        }),
      ),
    ];
    const r = await cli(['batch'], lines.join('\n') + '\n');
    expect(r.code).toBe(0);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.length).toBe(lines.length - 1); // the blank line produces nothing
    for (const o of out) expect(typeof o.elapsedMs).toBe('number');
    const [v, badJson, e, unknown, malformed, ...checkLines] = out;
    expect(v).toMatchObject({ id: 'v', line: 1, command: 'validate-policy', exitCode: 0 });
    expect(Array.isArray(v?.findings)).toBe(true);
    expect(badJson).toMatchObject({ line: 2, exitCode: 2, error: { code: 'INVALID_JSON' } });
    expect(e).toMatchObject({ id: 'e', line: 4, exitCode: 0, decision: 'ExplicitlyDenied' });
    expect(unknown).toMatchObject({ line: 5, exitCode: 2, error: { code: 'UNKNOWN_COMMAND' } });
    expect(malformed).toMatchObject({ exitCode: 2, error: { code: 'MALFORMED_POLICY_DOCUMENT' } });
    expect(checkLines.length).toBe(checks.length);
    for (const [k, c] of checks.entries()) {
      const o = checkLines[k] as unknown as CheckOut & { id: string; exitCode: number };
      expect(o.id).toBe(c.name);
      assertSeed(c, o, o.exitCode);
    }
  });
});

describe('recommend', () => {
  const rec = JSON.parse(
    readFileSync(join(ROOT, 'src/fixtures/examples/recommendation-seed.json'), 'utf8'),
  ) as {
    policyDocument: unknown;
    unusedPermissions: { serviceNamespace: string; actions: string[] }[];
    expected: { today: { Statement: { Action: string[] }[] } };
  };
  const actionSets = (doc: { Statement: { Action: string[] | string }[] }) =>
    doc.Statement.map((s) => [...(Array.isArray(s.Action) ? s.Action : [s.Action])].sort());
  const finding = {
    findingDetails: rec.unusedPermissions.map((e) => ({
      unusedPermissionDetails: {
        serviceNamespace: e.serviceNamespace,
        actions: e.actions.map((action) => ({ action })),
      },
    })),
  };

  it('gives the worked example answer from a plain list or an Access Analyzer finding', async () => {
    for (const unused of [rec.unusedPermissions, finding]) {
      const r = await cli([
        'recommend',
        '--policy-document',
        file(rec.policyDocument),
        '--unused-permissions',
        `file://${file(unused)}`,
      ]);
      expect(r.code).toBe(0);
      const out = json(r) as {
        recommendedSteps: {
          unusedPermissionsRecommendedStep: { recommendedAction: string; recommendedPolicy: string };
        }[];
      };
      const step = out.recommendedSteps[0]?.unusedPermissionsRecommendedStep;
      expect(step?.recommendedAction).toBe('CREATE_POLICY');
      expect(
        actionSets(JSON.parse(step?.recommendedPolicy ?? '{}') as { Statement: { Action: string[] }[] }),
      ).toEqual(actionSets(rec.expected.today));
    }
  });

  it('rejects malformed unused permissions with exit 2', async () => {
    const r = await cli([
      'recommend',
      '--policy-document',
      file(rec.policyDocument),
      '--unused-permissions',
      '{"nope": 1}',
    ]);
    expect(r.code).toBe(2);
    expect(json(r)).toMatchObject({ error: { code: 'INVALID_UNUSED_PERMISSIONS' } });
  });

  it('--verify proves the recommendation with the solver (exit 0)', async () => {
    const r = await cli([
      'recommend',
      '--policy-document',
      file(rec.policyDocument),
      '--unused-permissions',
      file(rec.unusedPermissions),
      '--verify',
    ]);
    const out = json(r) as { proof?: Record<string, { holds: boolean }> };
    expect(out.proof, r.stdout.slice(0, 500)).toBeDefined();
    expect(Object.keys(out.proof ?? {}).sort()).toEqual(['complete', 'noNewAccess', 'notGranted']);
    for (const p of Object.values(out.proof ?? {})) expect(p.holds).toBe(true);
    expect(r.code).toBe(0);
  });
});
