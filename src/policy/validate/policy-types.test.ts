/**
 * The four policy types and a resource policy's resource type, from the documentation: AWS
 * Organizations' "SCP syntax" (full IAM language since 2025, no Principal) and "RCP syntax"
 * (Principal "*", no NotPrincipal, no NotAction, services that support RCPs, Allow only as
 * RCPFullAWSAccess), its quotas (5,120 characters), and Access Analyzer's checks for role trust
 * policies and resource types. Each rule: a case that raises it and a near case that must not.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../../catalog/catalog.ts';
import { learnMoreLink } from './learn-more.ts';
import {
  validatePolicy,
  type PolicyType,
  type ValidateResourceType,
  type ValidationFinding,
} from '../validate.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

type Doc = Record<string, unknown>;

function text(...statements: Doc[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

function v(
  t: string,
  policyType: PolicyType,
  validatePolicyResourceType?: ValidateResourceType,
): ValidationFinding[] {
  return validatePolicy(t, {
    catalog,
    policyType,
    ...(validatePolicyResourceType ? { validatePolicyResourceType } : {}),
  });
}

const codes = (fs: ValidationFinding[]): string[] => fs.map((f) => f.issueCode);
const errors = (fs: ValidationFinding[]): string[] => codes(fs.filter((f) => f.findingType === 'ERROR'));

/** The single finding with this code, and the text its first location covers. */
function at(t: string, fs: ValidationFinding[], code: string): string {
  const hits = fs.filter((f) => f.issueCode === code);
  expect(hits, `${code} in ${JSON.stringify(codes(fs))}`).toHaveLength(1);
  const s = hits[0]!.locations[0]!.span;
  return t.slice(s.start, s.end);
}

describe('SERVICE_CONTROL_POLICY', () => {
  it('has no Principal (SCP_SYNTAX_ERROR_PRINCIPAL)', () => {
    const t = text({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' });
    expect(at(t, v(t, 'SERVICE_CONTROL_POLICY'), 'SCP_SYNTAX_ERROR_PRINCIPAL')).toBe('"*"');
    const n = text({ Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: 's3:*', Resource: '*' });
    expect(errors(v(n, 'SERVICE_CONTROL_POLICY'))).toEqual(['SCP_SYNTAX_ERROR_PRINCIPAL']);
    expect(v(text({ Effect: 'Deny', Action: 's3:*', Resource: '*' }), 'SERVICE_CONTROL_POLICY')).toEqual([]);
  });

  it('takes the full policy language since 2025: NotAction and Condition with Allow, NotResource, wildcards anywhere', () => {
    const t = text(
      {
        Effect: 'Allow',
        NotAction: 'iam:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } },
      },
      { Effect: 'Allow', Action: ['iam:*Role', 's3:Get*'], NotResource: 'arn:aws:s3:::secret/*' },
    );
    expect(errors(v(t, 'SERVICE_CONTROL_POLICY'))).toEqual([]);
  });

  it("FullAWSAccess raises nothing: an SCP's Allow grants nothing, so no broad-grant warning", () => {
    const full = text({ Effect: 'Allow', Action: '*', Resource: '*' });
    expect(v(full, 'SERVICE_CONTROL_POLICY')).toEqual([]);
    expect(codes(v(full, 'IDENTITY_POLICY'))).toEqual(['ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES']);
  });

  it('POLICY_SIZE_EXCEEDS_SCP_QUOTA: 5,120 characters, whitespace included (a WARNING when only the whitespace is too much)', () => {
    const actions = Array.from({ length: 400 }, (_, i) => `ec2:Action${String(i).padStart(3, '0')}`);
    const big = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }],
    });
    expect(big.length).toBeGreaterThan(5120);
    const fs = v(big, 'SERVICE_CONTROL_POLICY');
    expect(fs.find((f) => f.issueCode === 'POLICY_SIZE_EXCEEDS_SCP_QUOTA')?.findingType).toBe('ERROR');
    const small = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Action: actions.slice(0, 100), Resource: '*' }],
    };
    const compact = JSON.stringify(small);
    const spaced = JSON.stringify(small, null, 12);
    expect(compact.length).toBeLessThan(5120);
    expect(spaced.length).toBeGreaterThan(5120);
    expect(codes(v(compact, 'SERVICE_CONTROL_POLICY'))).not.toContain('POLICY_SIZE_EXCEEDS_SCP_QUOTA');
    expect(
      v(spaced, 'SERVICE_CONTROL_POLICY').find((f) => f.issueCode === 'POLICY_SIZE_EXCEEDS_SCP_QUOTA')
        ?.findingType,
    ).toBe('WARNING');
    expect(codes(v(big, 'IDENTITY_POLICY'))).not.toContain('POLICY_SIZE_EXCEEDS_SCP_QUOTA');
  });
});

describe('RESOURCE_CONTROL_POLICY', () => {
  const deny = (extra: Doc): Doc => ({
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    ...extra,
  });

  it('Principal is "*" only; no NotPrincipal (RCP_SYNTAX_ERROR_PRINCIPAL); a statement needs one (MISSING_PRINCIPAL)', () => {
    for (const p of [{ Principal: { AWS: '111122223333' } }, { Principal: { AWS: '*' } }]) {
      const t = text(deny(p));
      expect(errors(v(t, 'RESOURCE_CONTROL_POLICY')), JSON.stringify(p)).toEqual([
        'RCP_SYNTAX_ERROR_PRINCIPAL',
      ]);
    }
    const { Principal: _omit, ...noPrincipal } = deny({});
    expect(
      errors(v(text({ ...noPrincipal, NotPrincipal: { AWS: '111122223333' } }), 'RESOURCE_CONTROL_POLICY')),
    ).toEqual(['RCP_SYNTAX_ERROR_PRINCIPAL']);
    expect(errors(v(text(noPrincipal), 'RESOURCE_CONTROL_POLICY'))).toEqual(['MISSING_PRINCIPAL']);
    expect(v(text(deny({})), 'RESOURCE_CONTROL_POLICY')).toEqual([]);
  });

  it('no NotAction (RCP_SYNTAX_ERROR_NOTACTION)', () => {
    const { Action: _a, ...rest } = deny({});
    const t = text({ ...rest, NotAction: 's3:GetObject' });
    expect(at(t, v(t, 'RESOURCE_CONTROL_POLICY'), 'RCP_SYNTAX_ERROR_NOTACTION')).toBe('"s3:GetObject"');
  });

  it("actions of the services that support RCPs only (RCP_SYNTAX_ERROR_ACTION), from the catalog's list", () => {
    expect(catalog.rcpServiceList()).toContain('s3');
    expect(catalog.rcpServiceList()).not.toContain('ec2');
    const t = text(deny({ Action: ['s3:GetObject', 'ec2:RunInstances', 'kms:*'] }));
    expect(at(t, v(t, 'RESOURCE_CONTROL_POLICY'), 'RCP_SYNTAX_ERROR_ACTION')).toBe('"ec2:RunInstances"');
    for (const action of ['*', 'sts:*', 'secretsmanager:GetSecretValue'])
      expect(errors(v(text(deny({ Action: action })), 'RESOURCE_CONTROL_POLICY')), action).toEqual([]);
  });

  it('Allow only as RCPFullAWSAccess writes it (RCP_SYNTAX_ERROR_ALLOW)', () => {
    const full = { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' };
    expect(v(text(full), 'RESOURCE_CONTROL_POLICY')).toEqual([]);
    for (const bad of [
      { ...full, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      { ...full, Resource: 'arn:aws:s3:::b' },
    ]) {
      const t = text(bad);
      expect(at(t, v(t, 'RESOURCE_CONTROL_POLICY'), 'RCP_SYNTAX_ERROR_ALLOW')).toBe('"Allow"');
    }
  });

  it("AWS's published RCPs and SCPs: the only ERRORs are their placeholders and one sample's Allow statement", () => {
    const dir = join(import.meta.dirname, '../../fixtures/org-policies');
    const found: string[] = [];
    for (const [sub, type] of [
      ['scp', 'SERVICE_CONTROL_POLICY'],
      ['rcp', 'RESOURCE_CONTROL_POLICY'],
    ] as const)
      for (const f of readdirSync(join(dir, sub)).sort()) {
        const t = readFileSync(join(dir, sub, f), 'utf8');
        for (const e of v(t, type).filter((x) => x.findingType === 'ERROR'))
          found.push(`${sub}/${f.split('__')[1]} ${e.issueCode}`);
      }
    expect(found.sort()).toEqual(
      [
        // Actions the pinned catalog does not know (INVALID_ACTION only says so: it does not refuse a check).
        'scp/Deny-unwanted-cancellation-or-changes-to-AWS-Marketplace-product-subscription.json INVALID_ACTION',
        'scp/Deny-unwanted-cancellation-or-changes-to-AWS-Marketplace-product-subscription.json INVALID_ACTION',
        // The reference lists bedrock:InferenceProfileArn for InvokeModel*, not for CreateModelInvocationJob.
        'scp/Deny-access-to-AWS-based-on-the-requested-AWS-region-with-Bedrock-CRIS.json UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
        'scp/Deny-use-of-IAM-user-credentials-from-unexpected-networks.json TYPE_MISMATCH_IP_RANGE',
        // The published example's `Allow` with a Condition and no Resource (statement 19), in a policy over the quota.
        'rcp/Shared-Issuers.json POLICY_SIZE_EXCEEDS_RCP_QUOTA',
        'rcp/Shared-Issuers.json RCP_SYNTAX_ERROR_ALLOW',
        'rcp/Shared-Issuers.json MISSING_RESOURCE',
        'rcp/S3-Prevent-long-term-presigned-url.json TYPE_MISMATCH_NUMBER',
        'rcp/STS-protect-IAMRA-session-tags.json INVALID_OPERATOR',
      ].sort(),
    );
  });
});

describe('RESOURCE_POLICY with validatePolicyResourceType', () => {
  it('AWS::S3::Bucket: S3 actions, bucket and object ARNs, no federated principal, a Resource', () => {
    const ok = {
      Effect: 'Allow',
      Principal: { AWS: '111122223333' },
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
    };
    expect(v(text(ok), 'RESOURCE_POLICY', 'AWS::S3::Bucket')).toEqual([]);
    const t = text({ ...ok, Action: ['s3:GetObject', 'kms:Decrypt'] });
    expect(at(t, v(t, 'RESOURCE_POLICY', 'AWS::S3::Bucket'), 'UNSUPPORTED_ACTION_IN_POLICY')).toBe(
      '"kms:Decrypt"',
    );
    const r = text({ ...ok, Resource: ['arn:aws:s3:::b/*', 'arn:aws:kms:us-east-1:111122223333:key/k'] });
    expect(at(r, v(r, 'RESOURCE_POLICY', 'AWS::S3::Bucket'), 'UNSUPPORTED_RESOURCE_ARN_IN_POLICY')).toBe(
      '"arn:aws:kms:us-east-1:111122223333:key/k"',
    );
    const f = text({ ...ok, Principal: { Federated: 'accounts.google.com' } });
    expect(errors(v(f, 'RESOURCE_POLICY', 'AWS::S3::Bucket'))).toContain('FEDERATED_PRINCIPAL_NOT_SUPPORTED');
    const { Resource: _r, ...noResource } = ok;
    expect(errors(v(text(noResource), 'RESOURCE_POLICY', 'AWS::S3::Bucket'))).toEqual(['MISSING_RESOURCE']);
    // Without a resource type: the checks for all resource policies only (and the reference's: kms:Decrypt acts on keys).
    expect(errors(v(t, 'RESOURCE_POLICY'))).toEqual(['ACTION_WITHOUT_MATCHING_RESOURCE']);
    expect(errors(v(text(noResource), 'RESOURCE_POLICY'))).toEqual([]);
  });

  it('AWS::S3::AccessPoint, MultiRegionAccessPoint, S3ObjectLambda::AccessPoint, DynamoDB::Table: their own ARNs and actions', () => {
    const st = (Action: string, Resource: string): string =>
      text({ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action, Resource });
    const cases: [ValidateResourceType, string, string, string][] = [
      [
        'AWS::S3::AccessPoint',
        's3:GetObject',
        'arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/*',
        'arn:aws:s3:::b/*',
      ],
      [
        'AWS::S3::MultiRegionAccessPoint',
        's3:GetObject',
        'arn:aws:s3::111122223333:accesspoint/abc.mrap/object/*',
        'arn:aws:s3:::b/*',
      ],
      [
        'AWS::S3ObjectLambda::AccessPoint',
        's3-object-lambda:GetObject',
        'arn:aws:s3-object-lambda:us-east-1:111122223333:accesspoint/olap',
        'arn:aws:s3:us-east-1:111122223333:accesspoint/ap',
      ],
      [
        'AWS::DynamoDB::Table',
        'dynamodb:GetItem',
        'arn:aws:dynamodb:us-east-1:111122223333:table/Books',
        'arn:aws:dynamodb:us-east-1:111122223333:table/Books/stream/2024-01-01T00:00:00.000',
      ],
    ];
    for (const [type, action, good, bad] of cases) {
      expect(errors(v(st(action, good), 'RESOURCE_POLICY', type)), type).toEqual([]);
      // (An action on another service's ARN is also the reference's ACTION_WITHOUT_MATCHING_RESOURCE.)
      expect(
        errors(v(st(action, bad), 'RESOURCE_POLICY', type)).filter(
          (c) => c !== 'ACTION_WITHOUT_MATCHING_RESOURCE',
        ),
        type,
      ).toEqual(['UNSUPPORTED_RESOURCE_ARN_IN_POLICY']);
      expect(errors(v(st('sqs:SendMessage', good), 'RESOURCE_POLICY', type)), type).toContain(
        'UNSUPPORTED_ACTION_IN_POLICY',
      );
    }
  });

  it('AWS::IAM::AssumeRolePolicyDocument: no Resource, no NotPrincipal, no bare "*", only the sts actions that act on a role', () => {
    const trust = {
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    };
    const T = 'AWS::IAM::AssumeRolePolicyDocument';
    expect(v(text(trust), 'RESOURCE_POLICY', T)).toEqual([]);
    expect(errors(v(text({ ...trust, Resource: '*' }), 'RESOURCE_POLICY', T))).toEqual([
      'ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE',
    ]);
    const { Principal: _p, ...noPrincipal } = trust;
    expect(
      errors(
        v(
          text({ ...noPrincipal, Effect: 'Deny', NotPrincipal: { AWS: '111122223333' } }),
          'RESOURCE_POLICY',
          T,
        ),
      ),
    ).toEqual(['ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL']);
    expect(errors(v(text({ ...trust, Principal: '*' }), 'RESOURCE_POLICY', T))).toEqual([
      'ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
    ]);
    expect(errors(v(text({ ...trust, Principal: { AWS: '*' } }), 'RESOURCE_POLICY', T))).toEqual([]);
    const a = text({ ...trust, Action: ['sts:AssumeRole', 's3:GetObject'] });
    expect(at(a, v(a, 'RESOURCE_POLICY', T), 'UNSUPPORTED_ACTION_IN_POLICY')).toBe('"s3:GetObject"');
    for (const action of ['sts:*', 'sts:SetSourceIdentity', 'sts:AssumeRole*'])
      expect(errors(v(text({ ...trust, Action: action }), 'RESOURCE_POLICY', T)), action).toEqual([]);
    const fed = text({ ...trust, Principal: { Federated: '*' }, Action: 'sts:AssumeRoleWithWebIdentity' });
    expect(errors(v(fed, 'RESOURCE_POLICY', T))).toContain(
      'INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY',
    );
    for (const provider of [
      'accounts.google.com',
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
    ])
      expect(
        errors(
          v(
            text({ ...trust, Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity' }),
            'RESOURCE_POLICY',
            T,
          ),
        ),
        provider,
      ).toEqual([]);
  });

  it('MISMATCHED_ACTION_FOR_PRINCIPAL: SAML with AssumeRoleWithSAML, OIDC with AssumeRoleWithWebIdentity, AWS and services with AssumeRole', () => {
    const saml = 'arn:aws:iam::111122223333:saml-provider/Okta';
    const st = (Principal: unknown, Action: string): string => text({ Effect: 'Allow', Principal, Action });
    expect(errors(v(st({ Federated: saml }, 'sts:AssumeRoleWithSAML'), 'RESOURCE_POLICY'))).toEqual([]);
    expect(errors(v(st({ Federated: saml }, 'sts:AssumeRoleWithWebIdentity'), 'RESOURCE_POLICY'))).toEqual([
      'MISMATCHED_ACTION_FOR_PRINCIPAL',
    ]);
    expect(errors(v(st({ AWS: '111122223333' }, 'sts:AssumeRoleWithSAML'), 'RESOURCE_POLICY'))).toEqual([
      'MISMATCHED_ACTION_FOR_PRINCIPAL',
    ]);
    expect(errors(v(st({ AWS: '111122223333' }, 'sts:AssumeRole'), 'RESOURCE_POLICY'))).toEqual([]);
    // Not for a bucket policy (its principals are another check's), nor for Principal "*".
    expect(errors(v(st('*', 'sts:AssumeRoleWithSAML'), 'RESOURCE_POLICY'))).toEqual([]);
  });

  it('MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY: the three actions IAM Roles Anywhere needs', () => {
    const st = (Action: string[]): string =>
      text({ Effect: 'Allow', Principal: { Service: 'rolesanywhere.amazonaws.com' }, Action });
    expect(errors(v(st(['sts:AssumeRole']), 'RESOURCE_POLICY'))).toEqual([
      'MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY',
    ]);
    expect(
      errors(v(st(['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession']), 'RESOURCE_POLICY')),
    ).toEqual([]);
  });

  it('the resource type applies to RESOURCE_POLICY only', () => {
    const t = text({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });
    expect(errors(v(t, 'IDENTITY_POLICY', 'AWS::S3::Bucket'))).toEqual([]);
  });
});

describe('learnMoreLink', () => {
  it("every finding has one; Access Analyzer's codes link to their section of the check reference", () => {
    const t = text({
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject', 'ec2:RunInstances'],
      NotAction: 's3:*',
      Resource: 'arn:aws:s3',
    });
    for (const type of [
      'IDENTITY_POLICY',
      'RESOURCE_POLICY',
      'SERVICE_CONTROL_POLICY',
      'RESOURCE_CONTROL_POLICY',
    ] as const)
      for (const f of v(t, type))
        expect(f.learnMoreLink, f.issueCode).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    expect(learnMoreLink('RCP_SYNTAX_ERROR_PRINCIPAL')).toBe(
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-rcp-syntax-error-principal',
    );
    expect(learnMoreLink('MISSING_VERSION')).toContain(
      '#access-analyzer-reference-policy-checks-general-warning-missing-version',
    );
    expect(learnMoreLink('ACTION_WITHOUT_MATCHING_RESOURCE')).toContain(
      'service-authorization/latest/reference/',
    );
  });
});
