/**
 * The findings from the Service Authorization Reference, one case that raises each and a near case
 * that must not, from the reference's own rows (ARN formats, condition keys per action) and Access
 * Analyzer's documented examples ("IAM policy validation check reference", `aws accessanalyzer
 * validate-policy` examples).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../../catalog/catalog.ts';
import { admitPolicy, validatePolicy, type PolicyType, type ValidationFinding } from '../validate.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

type Doc = Record<string, unknown>;

function text(...statements: Doc[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

function v(t: string, policyType: PolicyType = 'IDENTITY_POLICY'): ValidationFinding[] {
  return validatePolicy(t, { catalog, policyType });
}

function coded(fs: ValidationFinding[], code: string): ValidationFinding[] {
  return fs.filter((f) => f.issueCode === code);
}

/** The one finding with this code; its type and the text its first location covers. */
function one(
  t: string,
  fs: ValidationFinding[],
  code: string,
): { type: string; at: string; f: ValidationFinding } {
  const hits = coded(fs, code);
  expect(hits, `${code} in ${JSON.stringify(fs.map((f) => f.issueCode))}`).toHaveLength(1);
  const f = hits[0]!;
  return { type: f.findingType, at: t.slice(f.locations[0]!.span.start, f.locations[0]!.span.end), f };
}

const REFERENCE_CODES = [
  'INVALID_ARN_RESOURCE',
  'MISSING_ARN_REGION',
  'ARN_REGION_NOT_ALLOWED',
  'MISSING_ARN_ACCOUNT',
  'ARN_ACCOUNT_NOT_ALLOWED',
  'INVALID_ARN_ACCOUNT',
  'INVALID_ARN_PREFIX',
  'INVALID_PARTITION',
  'INVALID_ARN_SERVICE_CASE',
  'UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
  'ACTION_WITHOUT_MATCHING_RESOURCE',
  'RESOURCE_WITHOUT_MATCHING_ACTION',
];

/** None of the reference's findings. */
function clean(t: string, policyType?: PolicyType): void {
  const fs = v(t, policyType).filter((f) => REFERENCE_CODES.includes(f.issueCode));
  expect(fs.map((f) => `${f.issueCode}: ${f.findingDetails}`)).toEqual([]);
}

const allow = (Action: unknown, Resource: unknown, extra: Doc = {}): Doc => ({
  Effect: 'Allow',
  Action,
  Resource,
  ...extra,
});

describe('ARN formats (INVALID_ARN_RESOURCE and the finer codes)', () => {
  it('a Lambda function written function/NAME is not of the format function:${FunctionName}', () => {
    const t = text(allow('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:111122223333:function/my-fn'));
    const { type, at, f } = one(t, v(t), 'INVALID_ARN_RESOURCE');
    expect([type, at]).toEqual(['ERROR', '"arn:aws:lambda:us-east-1:111122223333:function/my-fn"']);
    expect(f.findingDetails).toContain(
      'function (arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName})',
    );
    clean(text(allow('lambda:InvokeFunction', 'arn:aws:lambda:us-east-1:111122223333:function:my-fn')));
  });

  it('a `*` that ends a field and reaches the right shape only past the colon is a WARNING', () => {
    // AWSGlueServiceRole's log groups: no `log-group:`, yet the account's `*` expands past the colon.
    const t = text(allow('logs:PutLogEvents', 'arn:aws:logs:*:*:/aws-glue/*'));
    const { type, f } = one(t, v(t), 'INVALID_ARN_RESOURCE');
    expect(type).toBe('WARNING');
    expect(f.findingDetails).toContain('expands past the colon');
    clean(text(allow('logs:PutLogEvents', 'arn:aws:logs:*:*:log-group:/aws-glue/*')));
  });

  it('MISSING_ARN_REGION: a DynamoDB table has a Region', () => {
    const t = text(allow('dynamodb:GetItem', 'arn:aws:dynamodb::111122223333:table/Books'));
    expect(one(t, v(t), 'MISSING_ARN_REGION').type).toBe('ERROR');
    clean(text(allow('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111122223333:table/Books')));
    clean(text(allow('dynamodb:GetItem', 'arn:aws:dynamodb:*:111122223333:table/Books')));
  });

  it("ARN_REGION_NOT_ALLOWED: IAM is global (Access Analyzer's example), as are S3 buckets", () => {
    const t = text(allow('iam:GetRole', 'arn:aws:iam:us-east-1:111122223333:role/Admin'));
    expect(one(t, v(t), 'ARN_REGION_NOT_ALLOWED').type).toBe('ERROR');
    const b = text(allow('s3:ListBucket', 'arn:aws:s3:us-east-1::my-bucket'));
    expect(one(b, v(b), 'ARN_REGION_NOT_ALLOWED').type).toBe('ERROR');
    clean(text(allow('iam:GetRole', 'arn:aws:iam::111122223333:role/Admin')));
  });

  it("MISSING_ARN_ACCOUNT and ARN_ACCOUNT_NOT_ALLOWED (an S3 bucket ARN has no account, Access Analyzer's example)", () => {
    const q = text(allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1::orders'));
    expect(one(q, v(q), 'MISSING_ARN_ACCOUNT').type).toBe('ERROR');
    const b = text(allow('s3:ListBucket', 'arn:aws:s3::111122223333:my-bucket'));
    expect(one(b, v(b), 'ARN_ACCOUNT_NOT_ALLOWED').type).toBe('ERROR');
    clean(text(allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:111122223333:orders')));
    clean(text(allow('s3:ListBucket', 'arn:aws:s3:::my-bucket')));
  });

  it('INVALID_ARN_ACCOUNT: twelve digits, or `aws` for AWS-owned resources', () => {
    const t = text(allow('sqs:SendMessage', 'arn:aws:sqs:us-east-1:1234:orders'));
    expect(one(t, v(t), 'INVALID_ARN_ACCOUNT').type).toBe('ERROR');
    clean(text(allow('iam:GetPolicy', 'arn:aws:iam::aws:policy/ReadOnlyAccess')));
  });

  it('INVALID_ARN_PREFIX, INVALID_PARTITION, INVALID_ARN_SERVICE_CASE', () => {
    for (const [resource, code] of [
      ['ARN:aws:s3:::my-bucket', 'INVALID_ARN_PREFIX'],
      ['arn:aws-moon:s3:::my-bucket', 'INVALID_PARTITION'],
      ['arn:aws:S3:::my-bucket', 'INVALID_ARN_SERVICE_CASE'],
    ] as const) {
      const t = text(allow('s3:ListBucket', resource));
      expect(one(t, v(t), code).type, resource).toBe('ERROR');
    }
    clean(text(allow('s3:ListBucket', 'arn:aws-cn:s3:::my-bucket')));
    clean(text(allow('s3:ListBucket', 'arn:*:s3:::my-bucket')));
  });

  it('leaves alone what it cannot judge: `*`, fewer than six fields, a service the catalog lacks, a variable, a placeholder service (AWS Backup recovery points)', () => {
    clean(text(allow('s3:ListBucket', '*')));
    clean(text(allow('nosuchservice:Do', 'arn:aws:nosuchservice:us-east-1:111122223333:thing/x')));
    clean(text(allow('s3:ListBucket', 'arn:aws:s3:::${aws:username}')));
    clean(text(allow('backup:DescribeRecoveryPoint', 'arn:aws:backup:*:*:recovery-point:*')));
    // MISSING_ARN_FIELD's (a warning that explains the glob), not the reference's.
    expect(v(text(allow('s3:ListBucket', 'arn:aws:s3'))).map((f) => f.issueCode)).toContain(
      'MISSING_ARN_FIELD',
    );
  });
});

describe('condition keys per action (UNSUPPORTED_ACTION_FOR_CONDITION_KEY)', () => {
  it("Access Analyzer's example: sts:TagSession does not support cognito-identity.amazonaws.com:aud", () => {
    const t = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: '',
            Effect: 'Allow',
            Principal: { Federated: 'cognito-identity.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: { StringEquals: { 'cognito-identity.amazonaws.com:aud': 'us-west-2_EXAMPLE' } },
          },
        ],
      },
      null,
      4,
    );
    const fs = v(t, 'RESOURCE_POLICY');
    const { type, at, f } = one(t, fs, 'UNSUPPORTED_ACTION_FOR_CONDITION_KEY');
    expect([type, at]).toEqual(['ERROR', '"sts:TagSession"']);
    expect(f.findingDetails).toBe(
      'The following actions: sts:TagSession are not supported by the condition key cognito-identity.amazonaws.com:aud. The condition will not be evaluated for these actions. We recommend that you move these actions to a different statement without this condition key.',
    );
    expect(f.locations.map((l) => l.path)).toEqual([
      ['Statement', 0, 'Action', 1],
      ['Statement', 0, 'Condition', 'StringEquals', 'cognito-identity.amazonaws.com:aud'],
    ]);
    expect(f.learnMoreLink).toBe(
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-unsupported-action-for-condition-key',
    );
    // The same example's other ERROR.
    expect(one(t, fs, 'MISMATCHED_ACTION_FOR_PRINCIPAL').at).toBe('"sts:AssumeRole"');
  });

  it("s3:x-amz-acl is PutObject's, not GetObject's; a wildcard none of whose actions has it", () => {
    const cond = { Condition: { StringEquals: { 's3:x-amz-acl': 'private' } } };
    const t = text(allow(['s3:PutObject', 's3:GetObject'], 'arn:aws:s3:::b/*', cond));
    expect(one(t, v(t), 'UNSUPPORTED_ACTION_FOR_CONDITION_KEY').at).toBe('"s3:GetObject"');
    clean(text(allow(['s3:PutObject'], 'arn:aws:s3:::b/*', cond)));
    const w = text(allow(['s3:GetObject*'], 'arn:aws:s3:::b/*', cond));
    expect(one(w, v(w), 'UNSUPPORTED_ACTION_FOR_CONDITION_KEY').f.findingDetails).toContain(
      'no action of statement 0 supports it',
    );
    clean(text(allow(['s3:Put*'], 'arn:aws:s3:::b/*', cond)));
  });

  it('global keys, cross-service keys and keys no action lists apply to every action; "*" and NotAction are not judged', () => {
    const with_ = (key: string): Doc => ({ Condition: { StringEquals: { [key]: 'x' } } });
    for (const key of [
      'aws:ResourceTag/team',
      'AWS:SourceVpc',
      'lambda:SourceFunctionArn',
      'ec2:SourceInstanceArn',
      'glue:RoleAssumedBy',
      'codebuild:buildArn',
    ])
      clean(text(allow('s3:GetObject', 'arn:aws:s3:::b/*', with_(key))));
    clean(text(allow('*', '*', with_('s3:x-amz-acl'))));
    clean(text({ Effect: 'Deny', NotAction: 's3:PutObject', Resource: '*', ...with_('s3:x-amz-acl') }));
  });
});

describe('actions and resources that cannot meet', () => {
  it("issue 13's example: s3:DeleteBucket acts on buckets, the statement names objects", () => {
    const t = text(
      { Effect: 'Allow', Action: 'ec2:StartInstances', Resource: 'arn:aws:ec2:*:*:instance/*' },
      {
        Sid: 'Objects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:DeleteBucket'],
        Resource: 'arn:aws:s3:::BUCKET/*',
      },
    );
    const { type, at, f } = one(t, v(t), 'ACTION_WITHOUT_MATCHING_RESOURCE');
    expect([type, at]).toEqual(['ERROR', '"s3:DeleteBucket"']);
    expect(f.findingDetails).toContain('statement 1 (Sid Objects)');
    expect(f.findingDetails).toContain('bucket (arn:${Partition}:s3:::${BucketName})');
    expect(f.locations[1]!.path).toEqual(['Statement', 1, 'Resource']);
    // Near: the bucket itself, a wildcard that can be a bucket, `*`, NotResource, a variable.
    for (const resource of [
      'arn:aws:s3:::BUCKET',
      'arn:aws:s3:::BUCKET*',
      '*',
      'arn:aws:s3:::${aws:username}',
    ])
      clean(text(allow(['s3:DeleteBucket'], resource)));
    clean(text({ Effect: 'Deny', Action: 's3:DeleteBucket', NotResource: 'arn:aws:s3:::BUCKET/*' }));
  });

  it('a wildcard action is one entry: reported when none of its actions can apply', () => {
    const t = text(allow('s3:*Bucket', 'arn:aws:s3:::BUCKET/*'));
    expect(one(t, v(t), 'ACTION_WITHOUT_MATCHING_RESOURCE').at).toBe('"s3:*Bucket"');
    clean(text(allow('s3:*', 'arn:aws:s3:::BUCKET/*')));
  });

  it('an action with no resource types (requested on "*") is left open', () => {
    clean(text(allow(['s3:ListAllMyBuckets'], 'arn:aws:s3:::*')));
    clean(text(allow(['s3:ListAllMyBuckets', 's3:GetObject'], ['arn:aws:s3:::b/*', 'arn:aws:s3:::b'])));
  });

  it('RESOURCE_WITHOUT_MATCHING_ACTION: a Resource entry no action of the statement acts on (a WARNING)', () => {
    const t = text(allow(['s3:GetObject'], ['arn:aws:s3:::b/*', 'arn:aws:s3:::b']));
    const { type, at } = one(t, v(t), 'RESOURCE_WITHOUT_MATCHING_ACTION');
    expect([type, at]).toEqual(['WARNING', '"arn:aws:s3:::b"']);
    clean(text(allow(['s3:GetObject', 's3:ListBucket'], ['arn:aws:s3:::b/*', 'arn:aws:s3:::b'])));
  });

  it('does not refuse a check: the reference says what AWS would authorize, not what the policy means', () => {
    const t = text(allow('s3:DeleteBucket', 'arn:aws:s3:::BUCKET/*'));
    expect(admitPolicy(t, { catalog }).ok).toBe(true);
  });
});
