import { describe, expect, it } from 'vitest';
import { camelCase, COMMANDS, kebabCase } from './commands.ts';
import { exitCodeForResult } from './exit.ts';
import { helpText } from './help.ts';
import { parseArgv, parseBatchLine, type ArgsResult, type ParsedArgs } from './parse-args.ts';
import { suggest } from './suggest.ts';
import { CliError } from './errors.ts';
import { requestFromJson } from './input.ts';

function run(argv: string[]): { command: string; flags: Record<string, unknown> } {
  const r = parseArgv(argv);
  if (!r.ok) throw new Error(`unexpected error ${r.error.code}: ${r.error.message}`);
  if (r.value.kind !== 'run') throw new Error('expected a run');
  return r.value;
}

function err(r: ArgsResult<ParsedArgs> | ReturnType<typeof parseBatchLine>): {
  code: string;
  message: string;
} {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('parseArgv', () => {
  it('parses a check with every flag form', () => {
    const v = run([
      'check-no-new-access',
      '--existing-policy-document',
      'file://old.json',
      '--new-policy-document={"Statement":[]}',
      '--policy-type',
      'resource_policy',
    ]);
    expect(v.command).toBe('check-no-new-access');
    expect(v.flags).toEqual({
      existingPolicyDocument: 'file://old.json',
      newPolicyDocument: '{"Statement":[]}',
      policyType: 'RESOURCE_POLICY',
      exactNewAccess: true,
      timeoutMs: 10_000,
    });
  });

  it('reads boolean flags as --flag, --flag false, --flag=false and --no-flag', () => {
    const base = [
      'check-no-new-access',
      '--existing-policy-document',
      'a',
      '--new-policy-document',
      'b',
      '--policy-type',
      'IDENTITY_POLICY',
    ];
    expect(run([...base, '--exact-new-access']).flags.exactNewAccess).toBe(true);
    expect(run([...base, '--exact-new-access', 'false']).flags.exactNewAccess).toBe(false);
    expect(run([...base, '--exact-new-access=false']).flags.exactNewAccess).toBe(false);
    expect(run([...base, '--no-exact-new-access']).flags.exactNewAccess).toBe(false);
    expect(
      run([
        'check-no-new-access',
        '--exact-new-access',
        '--existing-policy-document',
        'a',
        '--new-policy-document',
        'b',
        '--policy-type',
        'IDENTITY_POLICY',
      ]).flags,
    ).toMatchObject({ exactNewAccess: true, existingPolicyDocument: 'a' });
  });

  it('splits and accumulates list flags', () => {
    const v = run([
      'check-no-access-outside',
      '--policy-document',
      'p.json',
      '--trusted-accounts',
      '111111111111, 222222222222',
      '--trusted-accounts',
      '333333333333',
      '--trusted-org',
      'o-abcdefghij',
    ]);
    expect(v.flags.trustedAccounts).toEqual(['111111111111', '222222222222', '333333333333']);
    expect(v.flags.trustedOrg).toEqual(['o-abcdefghij']);
    expect(v.flags.policyType).toBe('RESOURCE_POLICY');
  });

  it('fills defaults and accepts --timeout-ms everywhere', () => {
    const v = run(['compare-policies', '--policy-a', 'a', '--policy-b', 'b', '--timeout-ms', '500']);
    expect(v.flags).toEqual({ policyA: 'a', policyB: 'b', policyType: 'IDENTITY_POLICY', timeoutMs: 500 });
    expect(
      err(parseArgv(['compare-policies', '--policy-a', 'a', '--policy-b', 'b', '--timeout-ms', 'soon'])).code,
    ).toBe('INVALID_FLAG_VALUE');
  });

  it('answers help in every spelling', () => {
    expect(parseArgv([])).toEqual({ ok: true, value: { kind: 'help' } });
    expect(parseArgv(['--help'])).toEqual({ ok: true, value: { kind: 'help' } });
    expect(parseArgv(['help'])).toEqual({ ok: true, value: { kind: 'help' } });
    expect(parseArgv(['help', 'evaluate'])).toEqual({
      ok: true,
      value: { kind: 'help', command: 'evaluate' },
    });
    expect(parseArgv(['evaluate', '-h'])).toEqual({ ok: true, value: { kind: 'help', command: 'evaluate' } });
    // help wins over missing or unknown flags
    expect(parseArgv(['check-no-new-access', '--bogus', '--help'])).toEqual({
      ok: true,
      value: { kind: 'help', command: 'check-no-new-access' },
    });
  });

  it('rejects unknown commands with a suggestion', () => {
    const e = err(parseArgv(['check-no-new-acess']));
    expect(e.code).toBe('UNKNOWN_COMMAND');
    expect(e.message).toContain("Did you mean 'check-no-new-access'?");
    expect(err(parseArgv(['xyzzy'])).message).not.toContain('Did you mean');
    expect(err(parseArgv(['help', 'valdate-policy'])).message).toContain("'validate-policy'");
  });

  it('rejects unknown flags with a suggestion', () => {
    const e = err(
      parseArgv(['check-no-public-access', '--policy-documnt', 'x', '--resource-type', 'AWS::S3::Bucket']),
    );
    expect(e.code).toBe('UNKNOWN_FLAG');
    expect(e.message).toContain("Did you mean '--policy-document'?");
    expect(err(parseArgv(['validate-policy', '--policy-document', 'x', '--no-policy-type'])).code).toBe(
      'UNKNOWN_FLAG',
    );
  });

  it('reports missing flags, missing values, duplicates and stray arguments', () => {
    const missing = err(parseArgv(['check-no-new-access', '--existing-policy-document', 'a']));
    expect(missing.code).toBe('MISSING_FLAG');
    expect(missing.message).toContain('--new-policy-document');
    expect(missing.message).toContain('--policy-type');
    expect(err(parseArgv(['validate-policy', '--policy-document'])).code).toBe('MISSING_FLAG_VALUE');
    expect(
      err(parseArgv(['validate-policy', '--policy-document', '--policy-type', 'IDENTITY_POLICY'])).code,
    ).toBe('MISSING_FLAG_VALUE');
    expect(err(parseArgv(['validate-policy', '--policy-document', 'a', '--policy-document', 'b'])).code).toBe(
      'DUPLICATE_FLAG',
    );
    expect(err(parseArgv(['validate-policy', 'policy.json'])).code).toBe('UNEXPECTED_ARGUMENT');
    expect(err(parseArgv(['--policy-document', 'x'])).code).toBe('MISSING_COMMAND');
    expect(parseArgv(['batch'])).toEqual({ ok: true, value: { kind: 'run', command: 'batch', flags: {} } });
    expect(err(parseArgv(['batch', '--timeout-ms', '5'])).code).toBe('UNKNOWN_FLAG');
  });

  it('checks enum values and suggests the closest', () => {
    const e = err(
      parseArgv(['validate-policy', '--policy-document', 'a', '--policy-type', 'IDENTITY_POLCY']),
    );
    expect(e.code).toBe('INVALID_FLAG_VALUE');
    expect(e.message).toContain("Did you mean 'IDENTITY_POLICY'?");
    expect(
      run(['validate-policy', '--policy-document', 'a', '--policy-type', 'service_control_policy']).flags
        .policyType,
    ).toBe('SERVICE_CONTROL_POLICY');
    // only validate-policy knows the organization policy types
    expect(
      err(
        parseArgv([
          'compare-policies',
          '--policy-a',
          'a',
          '--policy-b',
          'b',
          '--policy-type',
          'SERVICE_CONTROL_POLICY',
        ]),
      ).code,
    ).toBe('INVALID_FLAG_VALUE');
  });
});

describe('parseBatchLine', () => {
  it('reads camelCase args and inline JSON documents', () => {
    const r = parseBatchLine(
      JSON.stringify({
        id: 7,
        command: 'check-access-not-granted',
        args: {
          policyDocument: { Statement: [] },
          access: [{ actions: ['s3:DeleteBucket'] }],
          policyType: 'IDENTITY_POLICY',
        },
      }),
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.id).toBe(7);
    expect(r.value.command).toBe('check-access-not-granted');
    expect(JSON.parse(r.value.flags.policyDocument as string)).toEqual({ Statement: [] });
    expect(JSON.parse(r.value.flags.access as string)).toEqual([{ actions: ['s3:DeleteBucket'] }]);
    expect(r.value.flags.timeoutMs).toBe(10_000);
  });

  it('accepts lists as arrays or comma strings and booleans as JSON booleans', () => {
    const a = parseBatchLine(
      '{"command":"check-no-access-outside","args":{"policyDocument":"p.json","trustedAccounts":["111111111111"]}}',
    );
    const b = parseBatchLine(
      '{"command":"check-no-access-outside","args":{"policyDocument":"p.json","trustedAccounts":"111111111111"}}',
    );
    expect(a.ok && a.value.flags.trustedAccounts).toEqual(['111111111111']);
    expect(b.ok && b.value.flags.trustedAccounts).toEqual(['111111111111']);
    const c = parseBatchLine(
      '{"command":"check-no-new-access","args":{"existingPolicyDocument":"a","newPolicyDocument":"b","policyType":"IDENTITY_POLICY","exactNewAccess":false}}',
    );
    expect(c.ok && c.value.flags.exactNewAccess).toBe(false);
  });

  it('turns every bad line into an error, keeping id and command', () => {
    expect(err(parseBatchLine('{not json')).code).toBe('INVALID_JSON');
    expect(err(parseBatchLine('[1,2]')).code).toBe('INVALID_BATCH_LINE');
    expect(err(parseBatchLine('{"args":{}}')).code).toBe('INVALID_BATCH_LINE');
    expect(err(parseBatchLine('{"command":"batch"}')).code).toBe('INVALID_BATCH_LINE');
    const unknown = parseBatchLine('{"id":"x","command":"validate-policy","args":{"policyDocumnt":"a"}}');
    expect(unknown).toMatchObject({
      ok: false,
      id: 'x',
      command: 'validate-policy',
      error: { code: 'UNKNOWN_FLAG' },
    });
    expect(err(unknown).message).toContain("Did you mean 'policyDocument'?");
    expect(err(parseBatchLine('{"command":"validate-policy","args":{}}'))).toMatchObject({
      code: 'MISSING_FLAG',
      message: expect.stringContaining('policyDocument') as unknown as string,
    });
    expect(err(parseBatchLine('{"command":"evaluat","args":{}}')).message).toContain("'evaluate'");
    expect(err(parseBatchLine('{"command":"validate-policy","args":{"policyDocument":42}}')).code).toBe(
      'INVALID_FLAG_VALUE',
    );
  });

  it('refuses a 20,000-deep document in a line (its text form would overflow the stack)', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const line = `{"command":"validate-policy","args":{"policyDocument":{"Version":"2012-10-17","Statement":${deep}}}}`;
    expect(err(parseBatchLine(line)).code).toBe('JSON_NESTING_TOO_DEEP');
    // A policy-shaped line is far from the limit.
    const ok = parseBatchLine(
      '{"command":"validate-policy","args":{"policyDocument":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:username":["a"]}}}]}}}',
    );
    expect(ok.ok).toBe(true);
  });
});

describe('helpers', () => {
  it('converts flag spellings both ways', () => {
    expect(camelCase('existing-policy-document')).toBe('existingPolicyDocument');
    expect(kebabCase('existingPolicyDocument')).toBe('existing-policy-document');
    for (const c of COMMANDS) for (const f of c.flags) expect(kebabCase(camelCase(f.name))).toBe(f.name);
  });

  it('suggests near misses only', () => {
    expect(suggest('comapre-policies', ['compare-policies', 'evaluate'])).toBe('compare-policies');
    expect(suggest('validate', ['validate-policy', 'evaluate'])).toBe('validate-policy');
    expect(suggest('zzz', ['compare-policies', 'evaluate'])).toBeUndefined();
  });

  it('maps results to exit codes', () => {
    expect(exitCodeForResult('PASS')).toBe(0);
    expect(exitCodeForResult('EQUIVALENT')).toBe(0);
    expect(exitCodeForResult('FAIL')).toBe(1);
    expect(exitCodeForResult('MORE_PERMISSIVE')).toBe(1);
    expect(exitCodeForResult('INCOMPARABLE')).toBe(1);
    expect(exitCodeForResult('UNKNOWN')).toBe(3);
  });

  it('writes help for every command, listing its flags', () => {
    expect(helpText()).toContain('check-no-new-access');
    for (const c of COMMANDS) {
      const h = helpText(c.name);
      for (const f of c.flags) expect(h).toContain(`--${f.name}`);
    }
  });

  it('reads evaluate requests', () => {
    expect(
      requestFromJson({
        principal: 'arn:aws:iam::123456789012:role/R',
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: { 'aws:SecureTransport': true, 'aws:TagKeys': ['a', 'b'] },
      }),
    ).toEqual({
      principal: { type: 'AWS', id: 'arn:aws:iam::123456789012:role/R' },
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::b/k',
      context: { 'aws:SecureTransport': 'true', 'aws:TagKeys': ['a', 'b'] },
    });
    expect(requestFromJson({ action: 's3:GetObject', resource: '*' })).toEqual({
      action: 's3:GetObject',
      resource: '*',
      context: {},
    });
    expect(() => requestFromJson({ action: 'GetObject', resource: '*' })).toThrow(CliError);
    expect(() => requestFromJson({ action: 's3:GetObject' })).toThrow(/resource/);
    expect(() => requestFromJson({ action: 's3:GetObject', resource: '*', contxt: {} })).toThrow(/contxt/);
    expect(() =>
      requestFromJson({ action: 's3:GetObject', resource: '*', context: { k: { a: 1 } } }),
    ).toThrow(/context key/);
  });
});

describe('formula flags', () => {
  it('normalises --check to the check name and defaults --format to math', () => {
    const r = run([
      'formula',
      '--check',
      'checknonewaccess',
      '--existing-policy-document',
      'a',
      '--new-policy-document',
      'b',
    ]);
    expect(r.flags).toMatchObject({ check: 'CheckNoNewAccess', format: 'math', existingPolicyDocument: 'a' });
    expect(r.flags.policyDocument).toBeUndefined();
    expect(run(['formula', '--policy-document', 'a', '--format', 'SMTLIB']).flags.format).toBe('smtlib');
  });
  it('rejects an unknown check or format with a suggestion', () => {
    const e = err(parseArgv(['formula', '--policy-document', 'a', '--check', 'CheckNoNewAcess']));
    expect(e.code).toBe('INVALID_FLAG_VALUE');
    expect(e.message).toContain("Did you mean 'CheckNoNewAccess'?");
    expect(err(parseArgv(['formula', '--policy-document', 'a', '--format', 'latex'])).code).toBe(
      'INVALID_FLAG_VALUE',
    );
  });
});
