/**
 * check-no-public-access from the command line with Access Analyzer's resource type names: every one
 * of the 26 in the help, a role trust policy and an S3 Glacier vault answered, and a name AWS does not
 * accept (the engine's old AWS::Glacier::Vault and AWS::ECR::Repository) refused with exit 2, the
 * accepted names listed and, where AWS has one, the name to use.
 */
import { runCli as cli } from './spawn-cli.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC_RESOURCE_TYPES } from '../checks/public-types.ts';

const tmp = mkdtempSync(join(tmpdir(), 'cli-public-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function file(name: string, statements: object[]): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify({ Version: '2012-10-17', Statement: statements }));
  return path;
}

const vault = file('vault.json', [
  {
    Effect: 'Allow',
    Principal: '*',
    Action: ['glacier:InitiateJob', 'glacier:GetJobOutput'],
    Resource: 'arn:aws:glacier:us-west-2:111122223333:vaults/examplevault',
  },
]);

describe('check-no-public-access and the resource types', () => {
  it('the help lists all 26 names', async () => {
    const r = await cli(['check-no-public-access', '--help']);
    expect(r.code).toBe(0);
    for (const t of PUBLIC_RESOURCE_TYPES) expect(r.stdout).toContain(t);
  });

  it('AWS::S3::Glacier: a vault readable by everyone FAILs (exit 1)', async () => {
    const r = await cli([
      'check-no-public-access',
      '--policy-document',
      vault,
      '--resource-type',
      'AWS::S3::Glacier',
    ]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'FAIL' });
  });

  it('AWS::IAM::AssumeRolePolicyDocument: a GitHub OIDC trust fenced by its subject PASSes (exit 0)', async () => {
    const trust = file('trust.json', [
      {
        Effect: 'Allow',
        Principal: {
          Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' },
        },
      },
    ]);
    const r = await cli([
      'check-no-public-access',
      '--policy-document',
      trust,
      '--resource-type',
      'AWS::IAM::AssumeRolePolicyDocument',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: 'PASS' });
  });

  it('a name AWS does not accept: exit 2, INVALID_RESOURCE_TYPE, the accepted names and the one meant', async () => {
    const glacier = await cli([
      'check-no-public-access',
      '--policy-document',
      vault,
      '--resource-type',
      'AWS::Glacier::Vault',
    ]);
    expect(glacier.code).toBe(2);
    const e = JSON.parse(glacier.stdout) as { error: { code: string; message: string } };
    expect(e.error.code).toBe('INVALID_RESOURCE_TYPE');
    expect(e.error.message).toContain('--resource-type');
    expect(e.error.message).toContain('Access Analyzer names it AWS::S3::Glacier');
    for (const t of PUBLIC_RESOURCE_TYPES) expect(e.error.message).toContain(t);
    const ecr = await cli([
      'check-no-public-access',
      '--policy-document',
      vault,
      '--resource-type',
      'AWS::ECR::Repository',
    ]);
    expect(ecr.code).toBe(2);
    expect(ecr.stdout).toContain('does not check it for public access');
  });
});
