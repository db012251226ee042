/**
 * The request a statement is about (Learn's "a request statement N is about", the early witnesses):
 * with the catalog it looks like AWS's; without it, it is what it always was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy, Statement } from '../policy/model.ts';
import { evaluatePolicy } from './evaluate.ts';
import { requestForStatement } from './statement-request.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

function policyOf(st: Record<string, unknown>): Policy {
  const p = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [st] }));
  if (!p.ok) throw new Error(JSON.stringify(p.findings));
  return p.policy;
}

const statement = (st: Record<string, unknown>): Statement => policyOf(st).statements[0]!;

describe('requestForStatement with the catalog', () => {
  it('names a catalog action and a resource of its own type', () => {
    const r = requestForStatement(statement({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }), {
      catalog,
    });
    expect(r).toMatchObject({ action: 'iam:PassRole', resource: 'arn:aws:iam::111122223333:role/Developer' });
    const bucket = requestForStatement(
      statement({ Effect: 'Allow', Action: 's3:DeleteBucket', Resource: '*' }),
      {
        catalog,
      },
    );
    expect(bucket.resource).toBe('arn:aws:s3:::amzn-s3-demo-bucket');
    const wild = requestForStatement(
      statement({ Effect: 'Allow', Action: 'kms:*', Resource: 'arn:aws:kms:*:*:key/*' }),
      { catalog },
    );
    expect(catalog.action(wild.action)).toBeDefined();
    expect(wild.resource).toMatch(/^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f-]{36}$/);
  });

  it('gives condition keys values of their type, inside the statement’s ranges and patterns', () => {
    const policy = policyOf({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
      Condition: {
        IpAddress: { 'aws:SourceIp': '10.0.0.0/8' },
        Null: { 'aws:PrincipalTag/team': 'false' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:alerts-*' },
      },
    });
    const r = requestForStatement(policy.statements[0]!, { catalog });
    expect(r.context).toEqual({
      'aws:SourceIp': '10.0.0.10',
      'aws:PrincipalTag/team': 'engineering',
      'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:alerts-example',
    });
    expect(r.resource).toBe('arn:aws:s3:::amzn-s3-demo-bucket/example.txt');
    expect(evaluatePolicy(policy, r, { catalog }).decision).toBe('Allowed');
  });

  it('without the catalog, the plain request of before', () => {
    const r = requestForStatement(statement({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }));
    expect(r).toEqual({ action: 's3:Get', resource: 'arn:aws:s3:::example-bucket/example', context: {} });
  });
});
