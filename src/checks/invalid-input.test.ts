/**
 * Invalid input never passes silently (issue 10 §7; docs/semantics-decisions.md, "Invalid input"):
 * a check refuses a document with an ERROR finding and says which finding, in which document and
 * where; the same policy fixed gets its verdict. ERRORs that only say the catalog lacks a name (real
 * managed policies carry them) do not stop the check: they come back next to the verdict. The CLI
 * exits 2 on the refusal.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from './node.ts';
import type { CheckOutcome, CheckRequest, CheckResponse, InputError } from './types.ts';

const doc = (...statements: unknown[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const S3_ALL = { Effect: 'Allow', Action: 's3:*', Resource: '*' };

async function run(req: CheckRequest): Promise<CheckOutcome> {
  const engine = await createNodeEngine();
  return engine.run(req, { timeoutMs: 20_000 });
}

async function refused(req: CheckRequest): Promise<InputError> {
  const out = await run(req);
  if (out.ok) throw new Error(`expected an input error, got ${out.response.result}`);
  return out.error;
}

async function verdict(req: CheckRequest): Promise<CheckResponse> {
  const out = await run(req);
  if (!out.ok) throw new Error(`expected a verdict, got ${JSON.stringify(out.error)}`);
  return out.response as CheckResponse;
}

const noNewAccess = (
  existing: string,
  next: string,
  policyType: 'IDENTITY_POLICY' | 'RESOURCE_POLICY' = 'IDENTITY_POLICY',
): CheckRequest => ({
  check: 'CheckNoNewAccess',
  existingPolicyDocument: existing,
  newPolicyDocument: next,
  policyType,
});
const publicAccess = (policy: string): CheckRequest => ({
  check: 'CheckNoPublicAccess',
  policyDocument: policy,
  resourceType: 'AWS::S3::Bucket',
});

describe('a check refuses a document with an ERROR finding, and answers once it is fixed', () => {
  it('a Deny whose Action has no service prefix ("iam") would silently deny nothing', async () => {
    const existing = doc(S3_ALL);
    const e = await refused(
      noNewAccess(existing, doc(S3_ALL, { Effect: 'Deny', Action: 'iam', Resource: '*' })),
    );
    expect(e.code).toBe('INVALID_ACTION');
    expect(e.document).toBe('new');
    expect(e.message).toMatch(
      /^The new policy is not valid: INVALID_ACTION in statement 1 \(line 11, column \d+\): "iam" is not an action/,
    );
    expect(e.findings?.map((f) => f.locations[0]!.path)).toEqual([['Statement', 1, 'Action']]);
    const fixed = await verdict(
      noNewAccess(existing, doc(S3_ALL, { Effect: 'Deny', Action: 'iam:*', Resource: '*' })),
    );
    expect(fixed.result).toBe('PASS');
    expect(fixed.inputFindings).toBeUndefined();
  });

  it('a Principal element in an identity policy', async () => {
    const withPrincipal = doc({ ...S3_ALL, Principal: { AWS: '111122223333' } });
    const e = await refused(noNewAccess(withPrincipal, doc(S3_ALL)));
    expect(e).toMatchObject({ code: 'UNSUPPORTED_PRINCIPAL', document: 'existing' });
    expect(e.message).toContain('The existing policy is not valid: UNSUPPORTED_PRINCIPAL in statement 0');
    expect((await verdict(noNewAccess(doc(S3_ALL), doc(S3_ALL)))).result).toBe('PASS');
    // The same text as a resource policy is what Principal is for: a verdict.
    const asResource = await verdict(noNewAccess(withPrincipal, withPrincipal, 'RESOURCE_POLICY'));
    expect(asResource.result).toBe('PASS');
  });

  it('an empty Principal ({} or {"AWS": []}) in a bucket policy', async () => {
    const bucket = (principal: unknown) =>
      doc({ Effect: 'Allow', Principal: principal, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    expect(await refused(publicAccess(bucket({})))).toMatchObject({
      code: 'EMPTY_OBJECT_PRINCIPAL',
      document: 'policy',
    });
    expect(await refused(publicAccess(bucket({ AWS: [] })))).toMatchObject({ code: 'EMPTY_ARRAY_PRINCIPAL' });
    expect((await verdict(publicAccess(bucket({ AWS: '111122223333' })))).result).toBe('PASS');
    expect((await verdict(publicAccess(bucket('*')))).result).toBe('FAIL');
  });

  it('two StringEquals in one Condition block (a JSON parser keeps only the last)', async () => {
    const guarded = (condition: string) =>
      `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": ${condition}}]}`;
    const req = (policy: string): CheckRequest => ({
      check: 'CheckAccessNotGranted',
      policyDocument: policy,
      access: [{ actions: ['s3:GetObject'] }],
      policyType: 'IDENTITY_POLICY',
    });
    const e = await refused(
      req(
        guarded(
          '{"StringEquals": {"aws:PrincipalTag/team": "red"}, "StringEquals": {"aws:ResourceTag/team": "red"}}',
        ),
      ),
    );
    expect(e.code).toBe('DUPLICATE_KEY');
    expect(e.message).toContain('Duplicate key "StringEquals" in the Condition block of statement 0');
    expect(e.findings?.[0]?.locations).toHaveLength(2);
    const fixed = await verdict(
      req(guarded('{"StringEquals": {"aws:PrincipalTag/team": "red", "aws:ResourceTag/team": "red"}}')),
    );
    expect(fixed.result).toBe('FAIL');
  });

  it('a 20,000-deep document is an input error, not a stack overflow', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const e = await refused(publicAccess(`{"Version": "2012-10-17", "Statement": ${deep}}`));
    expect(e.code).toBe('JSON_NESTING_TOO_DEEP');
    const inCondition = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpc": ${deep}}}}]}`;
    expect((await refused(publicAccess(inCondition))).code).toBe('JSON_NESTING_TOO_DEEP');
  });
});

describe('ERRORs that only say the catalog lacks a name: the verdict, with the findings next to it', () => {
  it('a retired service and a misspelt action', async () => {
    const r = await verdict(
      noNewAccess(
        doc({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }),
        doc(
          { Effect: 'Allow', Action: ['s3:GetObject', 'deepcomposer:GetModel'], Resource: '*' },
          {
            Effect: 'Deny',
            Action: 's3:GetObjekt',
            Resource: '*',
          },
        ),
      ),
    );
    expect(r.result).toBe('FAIL');
    expect(r.inputFindings?.map((x) => [x.document, x.findings.map((f) => f.issueCode)])).toEqual([
      ['new', ['INVALID_SERVICE', 'INVALID_ACTION']],
    ]);
    expect(r.counterexamples[0]?.request.action.toLowerCase()).toBe('deepcomposer:getmodel');
  });
});

describe('the CLI', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  const tmp = mkdtempSync(join(tmpdir(), 'invalid-input-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
        cwd: ROOT,
        stdio: 'pipe',
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end('');
    });
  }

  it('exits 2 (bad input) with the finding on stderr and in the JSON; the fixed policy gets its verdict', async () => {
    const existing = join(tmp, 'existing.json');
    const bad = join(tmp, 'bad.json');
    const fixed = join(tmp, 'fixed.json');
    writeFileSync(existing, doc(S3_ALL));
    writeFileSync(bad, doc({ ...S3_ALL, Principal: '*' }));
    writeFileSync(fixed, doc(S3_ALL));
    const args = (next: string) => [
      'check-no-new-access',
      '--existing-policy-document',
      existing,
      '--new-policy-document',
      next,
      '--policy-type',
      'IDENTITY_POLICY',
    ];
    const r = await cli(args(bad));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(
      /^error \[UNSUPPORTED_PRINCIPAL\]: The new policy is not valid: UNSUPPORTED_PRINCIPAL in statement 0/,
    );
    const body = JSON.parse(r.stdout) as { error: InputError };
    expect(body.error).toMatchObject({ code: 'UNSUPPORTED_PRINCIPAL', document: 'new' });
    expect(body.error.findings?.[0]?.locations[0]?.path).toEqual(['Statement', 0, 'Principal']);
    const ok = await cli(args(fixed));
    expect(ok.code, ok.stderr).toBe(0);
    expect((JSON.parse(ok.stdout) as CheckResponse).result).toBe('PASS');
  });
});
