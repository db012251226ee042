import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import type { Finding } from './model.ts';
import { validatePolicy, type PolicyType } from './validate.ts';
import { globIncludes } from './validate-glob.ts';
import { isDate, isIpOrCidr, isNumber } from './validate-values.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

type Doc = Record<string, unknown>;

function v(doc: Doc | string, policyType?: PolicyType): Finding[] {
  const text = typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2);
  return validatePolicy(text, policyType ? { catalog, policyType } : { catalog });
}

/** A 2012-10-17 policy with these statements. */
function pol(...statements: Doc[]): Doc {
  return { Version: '2012-10-17', Statement: statements };
}

function allow(extra: Doc): Doc {
  return { Effect: 'Allow', Resource: '*', ...extra };
}

function only(fs: Finding[], code: string): Finding[] {
  return fs.filter((f) => f.issueCode === code);
}

/** The single finding with this code; asserts its type and the path of its first location. */
function one(fs: Finding[], code: string, type: Finding['findingType'], path: (string | number)[]): Finding {
  const hits = only(fs, code);
  expect(hits, `${code} in ${JSON.stringify(fs.map((f) => f.issueCode))}`).toHaveLength(1);
  const f = hits[0]!;
  expect(f.findingType).toBe(type);
  expect(f.locations[0]?.path).toEqual(path);
  return f;
}

function codes(fs: Finding[]): string[] {
  return fs.map((f) => f.issueCode);
}

/** The text a finding's first location covers. */
function covered(text: string, f: Finding): string {
  const s = f.locations[0]!.span;
  return text.slice(s.start, s.end);
}

describe('validatePolicy: actions', () => {
  it('reports an unknown service prefix as INVALID_SERVICE', () => {
    const fs = v(pol(allow({ Action: ['s3:GetObject', 'notaservice:GetThing'] })));
    const f = one(fs, 'INVALID_SERVICE', 'ERROR', ['Statement', 0, 'Action', 1]);
    expect(f.findingDetails).toContain('notaservice');
  });

  it('reports an unknown action of a known service as INVALID_ACTION, also in NotAction', () => {
    one(v(pol(allow({ Action: 's3:GetObjekt' }))), 'INVALID_ACTION', 'ERROR', ['Statement', 0, 'Action']);
    one(
      v(pol({ Effect: 'Deny', NotAction: ['s3:GetObject', 's3:Nope'], Resource: '*' })),
      'INVALID_ACTION',
      'ERROR',
      ['Statement', 0, 'NotAction', 1],
    );
  });

  it('reports an action without a service prefix as INVALID_ACTION', () => {
    one(v(pol(allow({ Action: ['GetObject'] }))), 'INVALID_ACTION', 'ERROR', ['Statement', 0, 'Action', 0]);
  });

  it('warns about a wildcard that matches no catalog action', () => {
    const f = one(v(pol(allow({ Action: ['s3:Zzz*', 's3:Get*'] }))), 'NO_MATCHING_ACTION', 'WARNING', [
      'Statement',
      0,
      'Action',
      0,
    ]);
    expect(f.findingDetails).toContain('s3:Zzz*');
  });

  it('warns about a wildcard in the service prefix, and about one that matches nothing anywhere', () => {
    const fs = v(pol(allow({ Action: ['s3*:GetObject', 'zz*:Qq*'] })));
    expect(only(fs, 'WILDCARD_IN_SERVICE_NAME').map((f) => f.locations[0]?.path)).toEqual([
      ['Statement', 0, 'Action', 0],
      ['Statement', 0, 'Action', 1],
    ]);
    one(fs, 'NO_MATCHING_ACTION', 'WARNING', ['Statement', 0, 'Action', 1]);
  });

  it('treats actions case-insensitively', () => {
    const fs = v(pol(allow({ Action: ['S3:GETOBJECT', 'Ec2:describeinstances', 'IAM:list*'] })));
    expect(fs).toEqual([]);
  });

  it('reports a policy variable in Action as an error', () => {
    one(v(pol(allow({ Action: ['s3:${aws:username}'] }))), 'INVALID_VARIABLE_FOR_ELEMENT', 'ERROR', [
      'Statement',
      0,
      'Action',
      0,
    ]);
  });
});

describe('validatePolicy: redundant actions', () => {
  it('suggests removing an action covered by a wildcard of the same statement', () => {
    const fs = v(pol(allow({ Action: ['s3:GetObject', 's3:Get*', 's3:PutObject'] })));
    const f = one(fs, 'REDUNDANT_ACTION', 'SUGGESTION', ['Statement', 0, 'Action', 0]);
    expect(f.locations[1]?.path).toEqual(['Statement', 0, 'Action', 1]);
  });

  it('reports duplicates (case-insensitive), narrower wildcards, and everything under "*"', () => {
    const dup = v(pol(allow({ Action: ['s3:GetObject', 'S3:getobject'] })));
    one(dup, 'REDUNDANT_ACTION', 'SUGGESTION', ['Statement', 0, 'Action', 1]);
    const narrower = v(pol(allow({ Action: ['s3:Get*', 's3:GetObject*'] })));
    one(narrower, 'REDUNDANT_ACTION', 'SUGGESTION', ['Statement', 0, 'Action', 1]);
    const star = v(
      pol({ Effect: 'Allow', Action: ['*', 'ec2:Describe*', 'sqs:SendMessage'], Resource: '*' }),
    );
    expect(only(star, 'REDUNDANT_ACTION').map((f) => f.locations[0]?.path)).toEqual([
      ['Statement', 0, 'Action', 1],
      ['Statement', 0, 'Action', 2],
    ]);
  });

  it('reports only the later of two equivalent wildcards, and nothing across statements', () => {
    const fs = v(pol(allow({ Action: ['s3:Get*', 's3:Get**'] }), allow({ Action: ['s3:GetObject'] })));
    one(fs, 'REDUNDANT_ACTION', 'SUGGESTION', ['Statement', 0, 'Action', 1]);
  });

  it('does not call overlapping but incomparable wildcards redundant', () => {
    expect(only(v(pol(allow({ Action: ['s3:Get*', 's3:*Object'] }))), 'REDUNDANT_ACTION')).toEqual([]);
  });

  it('glob inclusion', () => {
    expect(globIncludes('s3:GetObject', 's3:Get*')).toBe(true);
    expect(globIncludes('s3:Get*', 's3:*')).toBe(true);
    expect(globIncludes('s3:Get?bject', 's3:Get*')).toBe(true);
    expect(globIncludes('s3:Get*', 's3:Get?')).toBe(false);
    expect(globIncludes('s3:Get?', 's3:Get*')).toBe(true);
    expect(globIncludes('s3:*', 's3:Get*')).toBe(false);
    expect(globIncludes('S3:GETOBJECT', 's3:get*')).toBe(true);
    expect(globIncludes('a*b', '*')).toBe(true);
    expect(globIncludes('', '*')).toBe(true);
    expect(globIncludes('a', '')).toBe(false);
  });
});

describe('validatePolicy: condition operators and values', () => {
  it('accepts every valid operator with qualifiers and IfExists', () => {
    const bases: [string, string][] = [
      ['StringEquals', 'x'],
      ['StringNotEquals', 'x'],
      ['StringEqualsIgnoreCase', 'x'],
      ['StringNotEqualsIgnoreCase', 'x'],
      ['StringLike', 'x*'],
      ['StringNotLike', 'x*'],
      ['NumericEquals', '1'],
      ['NumericNotEquals', '1'],
      ['NumericLessThan', '1'],
      ['NumericLessThanEquals', '1'],
      ['NumericGreaterThan', '1'],
      ['NumericGreaterThanEquals', '1'],
      ['DateEquals', '2024-01-01'],
      ['DateNotEquals', '2024-01-01'],
      ['DateLessThan', '2024-01-01T00:00:00Z'],
      ['DateLessThanEquals', '1700000000'],
      ['DateGreaterThan', '2024-01-01T00:00:00.123+02:00'],
      ['DateGreaterThanEquals', '2024-02-29'],
      ['Bool', 'true'],
      ['BinaryEquals', 'QmluYXJ5'],
      ['IpAddress', '203.0.113.0/24'],
      ['NotIpAddress', '2001:db8::/32'],
      ['ArnEquals', 'arn:aws:iam::111122223333:role/R'],
      ['ArnLike', 'arn:aws:iam::*:role/*'],
      ['ArnNotEquals', 'arn:aws:iam::111122223333:role/R'],
      ['ArnNotLike', 'arn:aws:iam::*:role/*'],
    ];
    const condition: Record<string, Record<string, string>> = {};
    for (const [op, value] of bases)
      for (const form of [op, `${op}IfExists`, `ForAnyValue:${op}`, `ForAllValues:${op}IfExists`])
        condition[form] = { 'aws:CalledVia': value };
    condition['Null'] = { 'aws:CalledVia': 'false' };
    const fs = v(pol(allow({ Action: 's3:GetObject', Condition: condition })));
    expect(fs.filter((f) => f.findingType === 'ERROR')).toEqual([]);
    expect(only(fs, 'INVALID_OPERATOR')).toEqual([]);
  });

  it('reports an unknown operator once, at the operator', () => {
    const text = JSON.stringify(
      pol(
        allow({
          Action: 's3:GetObject',
          Condition: { StringEqualz: { 'aws:SourceVpc': 'vpc-1', 'aws:SourceVpce': 'vpce-1' } },
        }),
      ),
    );
    const fs = v(text);
    const f = one(fs, 'INVALID_OPERATOR', 'ERROR', ['Statement', 0, 'Condition', 'StringEqualz']);
    expect(covered(text, f)).toBe('"StringEqualz"');
  });

  it('reports an unknown qualifier, a lower-case operator and a qualifier on Null', () => {
    const bad = (op: string): Finding[] =>
      v(pol(allow({ Action: 's3:GetObject', Condition: { [op]: { 'aws:TagKeys': 'true' } } })));
    one(bad('ForSomeValues:StringEquals'), 'INVALID_OPERATOR', 'ERROR', [
      'Statement',
      0,
      'Condition',
      'ForSomeValues:StringEquals',
    ]);
    one(bad('stringequals'), 'INVALID_OPERATOR', 'ERROR', ['Statement', 0, 'Condition', 'stringequals']);
    one(bad('IfExists'), 'INVALID_OPERATOR', 'ERROR', ['Statement', 0, 'Condition', 'IfExists']);
    one(bad('ForAllValues:Null'), 'INVALID_OPERATOR', 'ERROR', [
      'Statement',
      0,
      'Condition',
      'ForAllValues:Null',
    ]);
  });

  it('reports Null with IfExists', () => {
    const fs = v(
      pol(allow({ Action: 's3:GetObject', Condition: { NullIfExists: { 'aws:SourceVpc': 'true' } } })),
    );
    one(fs, 'NULL_WITH_IF_EXISTS', 'ERROR', ['Statement', 0, 'Condition', 'NullIfExists']);
  });

  const malformed: [string, string, string, string][] = [
    ['NumericLessThan', 'aws:MultiFactorAuthAge', 'ten', 'TYPE_MISMATCH_NUMBER'],
    ['DateGreaterThan', 'aws:CurrentTime', '2024-13-01', 'TYPE_MISMATCH_DATE'],
    ['DateLessThan', 'aws:CurrentTime', 'yesterday', 'TYPE_MISMATCH_DATE'],
    ['DateLessThan', 'aws:CurrentTime', '2023-02-29', 'TYPE_MISMATCH_DATE'],
    ['Bool', 'aws:SecureTransport', 'yes', 'TYPE_MISMATCH_BOOLEAN'],
    ['Null', 'aws:SourceVpc', 'maybe', 'TYPE_MISMATCH_BOOLEAN'],
    ['IpAddress', 'aws:SourceIp', '10.0.0.256', 'TYPE_MISMATCH_IP_RANGE'],
    ['IpAddress', 'aws:SourceIp', '10.0.0.0/33', 'TYPE_MISMATCH_IP_RANGE'],
    ['NotIpAddress', 'aws:SourceIp', '2001:db8::/129', 'TYPE_MISMATCH_IP_RANGE'],
    ['IpAddress', 'aws:SourceIp', '2001:db8:::1', 'TYPE_MISMATCH_IP_RANGE'],
    ['IpAddress', 'aws:SourceIp', 'example.com', 'TYPE_MISMATCH_IP_RANGE'],
  ];
  for (const [op, key, value, code] of malformed)
    it(`reports ${op} with ${JSON.stringify(value)} as ${code}`, () => {
      const text = JSON.stringify(
        pol(allow({ Action: 's3:GetObject', Condition: { [op]: { [key]: ['ok', value] } } })),
      );
      const fs = v(text).filter((f) => f.issueCode === code && covered(text, f) === JSON.stringify(value));
      expect(fs).toHaveLength(1);
      expect(fs[0]?.findingType).toBe('ERROR');
      expect(fs[0]?.locations[0]?.path).toEqual(['Statement', 0, 'Condition', op, key, 1]);
    });

  it('accepts well-formed values, JSON numbers and booleans included', () => {
    const text = `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
      "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": [3600, "-1.5"]}, "Bool": {"aws:SecureTransport": true},
        "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.1", "::1", "::ffff:10.0.0.1", "2001:db8::/32", "fe80::1:2:3:4:5"]},
        "DateGreaterThan": {"aws:CurrentTime": ["2024-01-31T12:00:00Z", "2024-01-31 12:00", "1700000000"]},
        "Null": {"aws:SourceVpc": "TRUE"}}}]}`;
    expect(v(text)).toEqual([]);
  });

  it('value grammars', () => {
    expect(['1', '-2.5', '+0.25', '.5', '10.'].every(isNumber)).toBe(true);
    expect(['', '1e3', '0x10', '1,0'].some(isNumber)).toBe(false);
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2024-04-31')).toBe(false);
    expect(isDate('2024-01-01T24:00:00Z')).toBe(false);
    expect(isIpOrCidr('1:2:3:4:5:6:7:8')).toBe(true);
    expect(isIpOrCidr('1:2:3:4:5:6:7:8:9')).toBe(false);
    expect(isIpOrCidr('1::2::3')).toBe(false);
    expect(isIpOrCidr('::')).toBe(true);
    expect(isIpOrCidr('0.0.0.0/0')).toBe(true);
    expect(isIpOrCidr('10.0.0.0/')).toBe(false);
  });

  it('reports a policy variable in a Numeric/Date/Ip/Bool value as an error', () => {
    const fs = v(
      pol(
        allow({ Action: 's3:GetObject', Condition: { NumericEquals: { 's3:max-keys': '${aws:username}' } } }),
      ),
    );
    one(fs, 'INVALID_VARIABLE_FOR_OPERATOR', 'ERROR', [
      'Statement',
      0,
      'Condition',
      'NumericEquals',
      's3:max-keys',
    ]);
  });
});

describe('validatePolicy: condition keys', () => {
  const cond = (op: string, key: string, value: string | string[] = 'x'): Finding[] =>
    v(pol(allow({ Action: 's3:GetObject', Condition: { [op]: { [key]: value } } })));

  it('ForAllValues on a single-valued key is a security warning', () => {
    const f = one(
      cond('ForAllValues:StringEquals', 'aws:SourceVpc'),
      'FORALLVALUES_WITH_SINGLE_VALUED_KEY',
      'SECURITY_WARNING',
      ['Statement', 0, 'Condition', 'ForAllValues:StringEquals', 'aws:SourceVpc'],
    );
    expect(f.findingDetails).toContain('overly permissive');
  });

  it('ForAnyValue on a single-valued key is a warning', () => {
    one(
      cond('ForAnyValue:StringLike', 'aws:PrincipalTag/team'),
      'FORANYVALUE_WITH_SINGLE_VALUED_KEY',
      'WARNING',
      ['Statement', 0, 'Condition', 'ForAnyValue:StringLike', 'aws:PrincipalTag/team'],
    );
  });

  it('a single-valued operator on a multi-valued key is a warning; Null and set operators are fine', () => {
    one(cond('StringEquals', 'aws:TagKeys'), 'SINGLE_VALUED_OPERATOR_WITH_MULTI_VALUED_KEY', 'WARNING', [
      'Statement',
      0,
      'Condition',
      'StringEquals',
      'aws:TagKeys',
    ]);
    expect(cond('ForAllValues:StringEquals', 'aws:TagKeys')).toEqual([]);
    expect(cond('ForAnyValue:StringLike', 'aws:TagKeys')).toEqual([]);
    expect(cond('Null', 'aws:TagKeys', 'true')).toEqual([]);
  });

  it('warns about an unknown condition key', () => {
    one(cond('IpAddress', 'aws:SourceIpp', '10.0.0.0/8'), 'UNKNOWN_CONDITION_KEY', 'WARNING', [
      'Statement',
      0,
      'Condition',
      'IpAddress',
      'aws:SourceIpp',
    ]);
    one(cond('StringEquals', 'nosuchservice:Thing'), 'UNKNOWN_CONDITION_KEY', 'WARNING', [
      'Statement',
      0,
      'Condition',
      'StringEquals',
      'nosuchservice:Thing',
    ]);
  });

  it('knows global keys, service keys, tag-suffixed and templated keys (case-insensitively) and identity-provider keys', () => {
    for (const key of [
      'aws:SourceVpc',
      'AWS:sourcevpc',
      'aws:PrincipalTag/team',
      'aws:RequestTag/cost-center',
      'aws:ResourceTag/Owner',
      'ec2:ResourceTag/env',
      's3:prefix',
      's3:ExistingObjectTag/classification',
      'kms:EncryptionContext:aws:s3:arn',
      'sts:ExternalId',
      'token.actions.githubusercontent.com:sub',
    ])
      // Known to the catalog; whether s3:GetObject supports them is the reference's finding (validate-reference.test.ts).
      expect(
        cond('StringLike', key).filter((f) => f.issueCode !== 'UNSUPPORTED_ACTION_FOR_CONDITION_KEY'),
        key,
      ).toEqual([]);
  });
});

describe('validatePolicy: broad grants', () => {
  it('Allow with NotAction is a security warning, stronger on Resource "*"', () => {
    const f = one(
      v(pol({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })),
      'ALLOW_WITH_NOT_ACTION',
      'SECURITY_WARNING',
      ['Statement', 0, 'NotAction'],
    );
    expect(f.findingDetails).toContain('Resource "*"');
    const g = one(
      v(pol({ Effect: 'Allow', NotAction: ['iam:*'], Resource: 'arn:aws:s3:::b/*' })),
      'ALLOW_WITH_NOT_ACTION',
      'SECURITY_WARNING',
      ['Statement', 0, 'NotAction'],
    );
    expect(g.findingDetails).not.toContain('Resource "*"');
    expect(
      only(v(pol({ Effect: 'Deny', NotAction: 'iam:*', Resource: '*' })), 'ALLOW_WITH_NOT_ACTION'),
    ).toEqual([]);
  });

  it('Allow with NotResource is a security warning', () => {
    one(
      v(pol({ Effect: 'Allow', Action: 's3:GetObject', NotResource: ['arn:aws:s3:::secret/*'] })),
      'ALLOW_WITH_NOT_RESOURCE',
      'SECURITY_WARNING',
      ['Statement', 0, 'NotResource'],
    );
  });

  it('Allow of "*" on "*" is a security warning', () => {
    one(
      v(pol({ Effect: 'Allow', Action: '*', Resource: '*' })),
      'ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES',
      'SECURITY_WARNING',
      ['Statement', 0, 'Action'],
    );
    expect(
      only(
        v(pol({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' })),
        'ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES',
      ),
    ).toEqual([]);
  });
});

describe('validatePolicy: policy types, principals and resources', () => {
  const bucket = 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*';

  it('Principal or NotPrincipal in an identity policy (the default) or SCP is an error', () => {
    const p = pol({
      Effect: 'Allow',
      Principal: { AWS: '111122223333' },
      Action: 's3:GetObject',
      Resource: bucket,
    });
    one(v(p), 'UNSUPPORTED_PRINCIPAL', 'ERROR', ['Statement', 0, 'Principal']);
    one(v(p, 'SERVICE_CONTROL_POLICY'), 'SCP_SYNTAX_ERROR_PRINCIPAL', 'ERROR', ['Statement', 0, 'Principal']);
    const np = pol({
      Effect: 'Deny',
      NotPrincipal: { AWS: '111122223333' },
      Action: 's3:GetObject',
      Resource: bucket,
    });
    one(v(np, 'IDENTITY_POLICY'), 'UNSUPPORTED_PRINCIPAL', 'ERROR', ['Statement', 0, 'NotPrincipal']);
    expect(v(p, 'RESOURCE_POLICY')).toEqual([]);
  });

  it('a resource policy statement without Principal is an error', () => {
    one(
      v(pol({ Effect: 'Allow', Action: 's3:GetObject', Resource: bucket }), 'RESOURCE_POLICY'),
      'MISSING_PRINCIPAL',
      'ERROR',
      ['Statement', 0],
    );
  });

  it('an identity policy statement without Resource is an error; a trust policy needs none', () => {
    one(v(pol({ Effect: 'Allow', Action: 's3:GetObject' })), 'MISSING_RESOURCE', 'ERROR', ['Statement', 0]);
    const trust = pol({
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    expect(v(trust, 'RESOURCE_POLICY')).toEqual([]);
  });

  it('NotPrincipal with Allow is a security warning', () => {
    const p = pol({
      Effect: 'Allow',
      NotPrincipal: { AWS: '111122223333' },
      Action: 's3:GetObject',
      Resource: bucket,
    });
    one(v(p, 'RESOURCE_POLICY'), 'ALLOW_WITH_NOT_PRINCIPAL', 'SECURITY_WARNING', [
      'Statement',
      0,
      'NotPrincipal',
    ]);
  });

  it('a wildcard inside a Principal value is an error; "*" alone is fine', () => {
    const p = pol({
      Effect: 'Allow',
      Principal: { AWS: ['*', 'arn:aws:iam::*:root'], Service: 's3.amazonaws.co?' },
      Action: 's3:GetObject',
      Resource: bucket,
    });
    const fs = only(v(p, 'RESOURCE_POLICY'), 'UNSUPPORTED_WILDCARD_IN_PRINCIPAL');
    expect(fs.map((f) => [f.findingType, f.locations[0]?.path])).toEqual([
      ['ERROR', ['Statement', 0, 'Principal', 'AWS', 1]],
      ['ERROR', ['Statement', 0, 'Principal', 'Service']],
    ]);
    expect(
      v(
        pol({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: bucket }),
        'RESOURCE_POLICY',
      ),
    ).toEqual([]);
  });

  it('a policy variable in Principal is an error', () => {
    const p = pol({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:user/${aws:username}' },
      Action: 's3:GetObject',
      Resource: bucket,
    });
    one(v(p, 'RESOURCE_POLICY'), 'INVALID_VARIABLE_FOR_ELEMENT', 'ERROR', [
      'Statement',
      0,
      'Principal',
      'AWS',
    ]);
  });

  it('a resource pattern with fewer than six ARN segments is a warning that explains the glob matching', () => {
    const f = one(
      v(pol(allow({ Action: 's3:GetObject', Resource: ['arn:aws:s3:::b/*', 'arn:aws:s3'] }))),
      'MISSING_ARN_FIELD',
      'WARNING',
      ['Statement', 0, 'Resource', 1],
    );
    expect(f.findingDetails).toContain('plain glob');
    one(
      v(pol({ Effect: 'Deny', Action: 's3:GetObject', NotResource: 'bucket/*' })),
      'MISSING_ARN_FIELD',
      'WARNING',
      ['Statement', 0, 'NotResource'],
    );
  });

  it('policy variables under Version 2008-10-17 or no Version are literal text (warning); active under 2012-10-17', () => {
    const st = {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: 'arn:aws:s3:::b-${aws:username}',
      Condition: { StringLike: { 's3:prefix': '${aws:username}/*' } },
    };
    const old = v({ Version: '2008-10-17', Statement: [st] });
    expect(
      only(old, 'POLICY_VARIABLE_WITHOUT_VERSION').map((f) => [f.findingType, f.locations[0]?.path]),
    ).toEqual([
      ['WARNING', ['Statement', 0, 'Resource']],
      ['WARNING', ['Statement', 0, 'Condition', 'StringLike', 's3:prefix']],
    ]);
    expect(only(v({ Statement: [st] }), 'POLICY_VARIABLE_WITHOUT_VERSION')).toHaveLength(2);
    expect(v(pol(st))).toEqual([]);
  });
});

describe('validatePolicy: Sid', () => {
  it('duplicate Sids are an error pointing at both', () => {
    const fs = v(
      pol(allow({ Sid: 'A1', Action: 's3:GetObject' }), allow({ Sid: 'A1', Action: 's3:PutObject' })),
    );
    const f = one(fs, 'UNIQUE_SIDS_REQUIRED', 'ERROR', ['Statement', 1, 'Sid']);
    expect(f.locations[1]?.path).toEqual(['Statement', 0, 'Sid']);
  });

  it('a Sid with characters other than letters and digits is an error (a warning in resource policies)', () => {
    const text = JSON.stringify(pol(allow({ Sid: 'read objects', Action: 's3:GetObject' })));
    const f = one(v(text), 'INVALID_SID', 'ERROR', ['Statement', 0, 'Sid']);
    expect(covered(text, f)).toBe('"read objects"');
    const rp = pol({
      Sid: 'read-objects',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: 'arn:aws:s3:::b/*',
    });
    one(v(rp, 'RESOURCE_POLICY'), 'INVALID_SID', 'WARNING', ['Statement', 0, 'Sid']);
  });

  it('an empty Sid counts as none (valid, never a duplicate)', () => {
    expect(
      v(pol(allow({ Sid: '', Action: 's3:GetObject' }), allow({ Sid: '', Action: 's3:PutObject' }))),
    ).toEqual([]);
  });
});

describe('validatePolicy: output shape', () => {
  it('returns the parser findings when the policy does not parse', () => {
    expect(codes(v('{"Version": "2012-10-17", "Statement": ['))).toContain('JSON_SYNTAX_ERROR');
    const fs = v(pol({ Effect: 'Allow', Action: 'notaservice:X', NotAction: 's3:*', Resource: '*' }));
    expect(codes(fs)).toEqual(['MUTUALLY_EXCLUSIVE_ELEMENTS']);
  });

  it('sorts findings by offset and gives 0-based line/column', () => {
    const text = [
      '{"Version": "2012-10-17", "Statement": [',
      '  {"Effect": "Allow", "Action": ["s3:Nope", "zz:Top"], "Resource": "arn:aws:s3"},',
      '  {"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "*"}',
      ']}',
    ].join('\n');
    const fs = v(text);
    expect(codes(fs)).toEqual([
      'INVALID_ACTION',
      'INVALID_SERVICE',
      'MISSING_ARN_FIELD',
      'ALLOW_WITH_NOT_ACTION',
    ]);
    const starts = fs.map((f) => f.locations[0]!.span.start);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    const loc = fs[1]!.locations[0]!;
    expect(loc.start).toEqual({
      line: 1,
      column: text.split('\n')[1]!.indexOf('"zz:Top"'),
      offset: loc.span.start,
    });
    expect(covered(text, fs[1]!)).toBe('"zz:Top"');
  });
});

describe('validatePolicy: real policies', () => {
  const dir = join(import.meta.dirname, '../fixtures/largest');
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  const load = (f: string): string =>
    JSON.stringify(
      (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { document: unknown }).document,
      null,
      2,
    );

  /**
   * The only errors in the largest managed policies: actions of services that AWS retired and the
   * pinned catalog no longer lists (DeepComposer, IoT 1-Click, DeepRacer, Elastic Inference), still
   * present in the published documents. Access Analyzer's own catalog knows them; ours does not.
   */
  const expectedErrors: Record<string, string[]> = {
    'AmazonDataZoneSageMakerEnvironmentRolePermissionsBoundary.json': ['elastic-inference:Connect'],
    'ReadOnlyAccess.json': [
      'deepcomposer:GetComposition',
      'deepcomposer:GetModel',
      'deepcomposer:GetSampleModel',
      'deepcomposer:ListCompositions',
      'deepcomposer:ListModels',
      'deepcomposer:ListSampleModels',
      'deepcomposer:ListTrainingTopics',
      'iot1click:DescribeDevice',
      'iot1click:DescribePlacement',
      'iot1click:DescribeProject',
      'iot1click:GetDeviceMethods',
      'iot1click:GetDevicesInPlacement',
      'iot1click:ListDeviceEvents',
      'iot1click:ListDevices',
      'iot1click:ListPlacements',
      'iot1click:ListProjects',
      'iot1click:ListTagsForResource',
    ],
    'SecurityAudit.json': ['deepracer:ListModels'],
  };

  /**
   * The findings from the Service Authorization Reference that are ERRORs in them, each checked by
   * hand against the reference (validate-reference.ts): actions listed with resources none of their
   * types can be (ListBucketMultipartUploads acts on buckets, the statement names objects; ImageBuilder
   * actions next to ECR repositories; GetWebACLForResource and DisassociateWebACL act on the protected
   * resource, not on the web ACL) and condition keys the reference does not list for some actions.
   */
  const referenceErrors: Record<string, string[]> = {
    'AWSTransformNetworkMigrationAgentPolicy.json': [
      'ACTION_WITHOUT_MATCHING_RESOURCE s3:ListBucketMultipartUploads',
    ],
    'AWSTransformServerMigrationAgentPolicy.json': [
      'ACTION_WITHOUT_MATCHING_RESOURCE s3:ListBucketMultipartUploads',
    ],
    'FMSServiceRolePolicy.json': [
      'ACTION_WITHOUT_MATCHING_RESOURCE waf-regional:GetWebACLForResource',
      'ACTION_WITHOUT_MATCHING_RESOURCE wafv2:DisassociateWebACL',
    ],
    'SageMakerStudioProjectProvisioningRolePolicy.json': [
      'ACTION_WITHOUT_MATCHING_RESOURCE imagebuilder:GetComponent',
      'ACTION_WITHOUT_MATCHING_RESOURCE imagebuilder:GetContainerRecipe',
    ],
    'SageMakerStudioProjectUserRolePermissionsBoundary.json': [
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY redshift-data:DescribeStatement',
    ],
    'SageMakerStudioProjectUserRolePolicy.json': [
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY glue:BatchGetTableOptimizer',
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY redshift-data:DescribeStatement',
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY ec2:DescribeSubnets',
    ],
  };

  it('has the fixtures', () => {
    expect(files.length).toBeGreaterThan(20);
    for (const f of [...Object.keys(expectedErrors), ...Object.keys(referenceErrors)])
      expect(files).toContain(f);
  });

  for (const f of files)
    it(`${f}: only the known errors`, () => {
      const text = load(f);
      const errors = v(text).filter((x) => x.findingType === 'ERROR');
      const catalogOnly = errors.filter((e) => e.issueCode === 'INVALID_SERVICE');
      expect(catalogOnly.map((e) => JSON.parse(covered(text, e)) as string)).toEqual(expectedErrors[f] ?? []);
      expect(
        errors
          .filter((e) => e.issueCode !== 'INVALID_SERVICE')
          .map((e) => `${e.issueCode} ${JSON.parse(covered(text, e)) as string}`),
      ).toEqual(referenceErrors[f] ?? []);
    });

  it('ReadOnlyAccess (4,500 action entries) validates in well under 200 ms', () => {
    const text = load('ReadOnlyAccess.json');
    const t0 = performance.now();
    const fs = v(text);
    const ms = performance.now() - t0;
    expect(fs.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(200);
  });

  it('the seed examples have no ERROR of the grammar (the bare-account NotPrincipal is a parser WARNING); the reference finds their object actions on a bucket', () => {
    const seeds = JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/examples/seed-checks.json'), 'utf8'),
    ) as {
      cases: { name: string; policyType?: PolicyType; [k: string]: unknown }[];
    };
    let shorthand = 0;
    const reference: string[] = [];
    for (const c of seeds.cases)
      for (const field of ['policyDocument', 'existingPolicyDocument', 'newPolicyDocument']) {
        const doc = c[field] as { Statement: Doc[] } | undefined;
        if (!doc) continue;
        const hasPrincipal = doc.Statement.some((s) => 'Principal' in s || 'NotPrincipal' in s);
        const type = c.policyType ?? (hasPrincipal ? 'RESOURCE_POLICY' : 'IDENTITY_POLICY');
        const text = JSON.stringify(doc, null, 2);
        const fs = v(text, type);
        const errors = fs.filter((x) => x.findingType === 'ERROR');
        expect(
          errors.filter((x) => x.issueCode !== 'ACTION_WITHOUT_MATCHING_RESOURCE'),
          `${c.name}.${field}`,
        ).toEqual([]);
        for (const e of errors) reference.push(`${c.name} ${JSON.parse(covered(text, e)) as string}`);
        shorthand += only(fs, 'PRINCIPAL_SHORTHAND').length;
      }
    expect(shorthand).toBeGreaterThan(0);
    // Access Analyzer's own samples: s3:PutObject (objects) on arn:aws:s3:::DOC-EXAMPLE-BUCKET (the
    // bucket), and issue 13's s3:DeleteBucket (a bucket) on DOC-EXAMPLE-BUCKET/* (objects).
    expect(reference).toEqual([
      'public-bucket-put s3:PutObject',
      'deny-notprincipal-closes-public-access s3:PutObject',
      'cross-account-open s3:PutObject',
      'cross-account-closed-by-deny s3:PutObject',
      'no-new-access-added-delete-bucket s3:PutObject',
      'no-new-access-added-delete-bucket s3:PutObject',
      'no-new-access-reverse-direction s3:PutObject',
      'no-new-access-reverse-direction s3:PutObject',
      'access-not-granted-delete-bucket-resource-policy s3:PutObject',
      'access-not-granted-identity-statement-1 s3:DeleteBucket',
    ]);
  });
});
