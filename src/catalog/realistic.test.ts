import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from './catalog.ts';
import {
  addressIn,
  fitsAction,
  fitsFormat,
  keySpelling,
  mergePatternWithFormat,
  resourceCandidates,
  resourcesForPattern,
  valueCandidates,
} from './realistic.ts';

describe('resource types from the catalog', () => {
  it('knows each action’s resource types with their ARN formats', async () => {
    const c = await loadDefaultCatalog();
    expect(c.action('s3:DeleteBucket')?.resourceTypes.map((t) => t.arn)).toEqual([
      'arn:${Partition}:s3:::${BucketName}',
    ]);
    expect(c.action('secretsmanager:GetSecretValue')?.resourceTypes[0]?.name).toBe('Secret');
    expect(c.action('sts:GetCallerIdentity')?.resourceTypes).toEqual([]);
  });
});

describe('realistic resources for an action', () => {
  it('fills the action’s own resource type', async () => {
    const c = await loadDefaultCatalog();
    expect(resourceCandidates(c, 's3:DeleteBucket')[0]).toBe('arn:aws:s3:::amzn-s3-demo-bucket');
    expect(resourceCandidates(c, 'iam:PassRole')[0]).toBe('arn:aws:iam::111122223333:role/Developer');
    expect(resourceCandidates(c, 'sts:AssumeRole')[0]).toBe('arn:aws:iam::111122223333:role/Developer');
    expect(resourceCandidates(c, 's3:GetObject')[0]).toBe('arn:aws:s3:::amzn-s3-demo-bucket/example.txt');
    expect(resourceCandidates(c, 'kms:Decrypt')[0]).toBe(
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    const run = resourceCandidates(c, 'ec2:RunInstances');
    expect(run[0]).toBe('arn:aws:ec2:us-east-1:111122223333:instance/i-1234567890abcdef0');
    for (const r of run) expect(fitsAction(c, 'ec2:RunInstances', r), r).toBe(true);
    expect(resourceCandidates(c, 'sts:GetCallerIdentity')).toEqual(['*']);
    expect(resourceCandidates(c, 'nosuch:Action')).toEqual([]);
  });

  it('every catalog action’s candidates fit its formats', async () => {
    const c = await loadDefaultCatalog();
    for (const a of c.actions)
      for (const r of resourceCandidates(c, a.display))
        expect(fitsAction(c, a.display, r), `${a.display} ${r}`).toBe(true);
  });

  it('tells a resource of the action’s type from another', async () => {
    const c = await loadDefaultCatalog();
    expect(fitsAction(c, 'sts:AssumeRole', 'arn:aws:s3:::example-bucket/example-object')).toBe(false);
    expect(fitsAction(c, 's3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket/key')).toBe(false);
    expect(fitsAction(c, 'kms:Decrypt', 'arn:aws:kms:example:example:key/example')).toBe(false);
    expect(fitsAction(c, 'iam:PassRole', 'arn:aws:iam::111122223333:role/service-role/x')).toBe(true);
    expect(fitsAction(c, 'sts:GetCallerIdentity', '*')).toBe(true);
    expect(fitsAction(c, 'sts:GetCallerIdentity', 'arn:aws:s3:::b')).toBe(false);
    expect(fitsAction(c, 'nosuch:Action', '*')).toBeUndefined();
  });

  it('fills a policy’s pattern with the format’s shape, keeping what the policy wrote', async () => {
    const c = await loadDefaultCatalog();
    const first = (a: string, p: string) => resourcesForPattern(c, a, p)[0];
    expect(first('logs:CreateLogGroup', 'arn:aws:logs:*:*:log-group:/aws/lambda/*')).toBe(
      'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/my-log-group',
    );
    expect(first('s3:GetObject', 'arn:aws:s3:::my-bucket/*')).toBe('arn:aws:s3:::my-bucket/example.txt');
    expect(first('s3:ListBucket', 'arn:aws:s3:::*')).toBe('arn:aws:s3:::amzn-s3-demo-bucket');
    expect(first('iam:PassRole', 'arn:aws:iam::*:role/service-role/*')).toBe(
      'arn:aws:iam::111122223333:role/service-role/Developer',
    );
    expect(first('iam:PassRole', '*')).toBe('arn:aws:iam::111122223333:role/Developer');
    expect(first('s3:GetObject', 'arn:aws:s3:::exact/key')).toBe('arn:aws:s3:::exact/key');
    expect(resourcesForPattern(c, 's3:GetObject', 'arn:aws:s3:::${aws:username}/*')).toEqual([]);
    // With no format (an action the catalog does not know) the wildcards still get a real region/account.
    expect(first('nosuch:Action', 'arn:aws:logs:*:*:log-group:*')).toBe(
      'arn:aws:logs:us-east-1:111122223333:log-group:my-log-group',
    );
    expect(first('nosuch:Action', 'arn:aws:fsx:*:*:backup/*')).toBe(
      'arn:aws:fsx:us-east-1:111122223333:backup/my-backup',
    );
    expect(first('nosuch:Action', 'arn:aws:iam::*:instance-profile/eks*')).toBe(
      'arn:aws:iam::111122223333:instance-profile/eksexample',
    );
  });

  it('merges a pattern and a format only where they share a string', () => {
    const f =
      'arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}';
    expect(mergePatternWithFormat('arn:aws:logs:*:*:log-group:*:log-stream:*', f)).toBe(
      'arn:aws:logs:us-east-1:111122223333:log-group:my-log-group:log-stream:my-log-stream',
    );
    expect(
      mergePatternWithFormat('arn:aws:s3:::b/*', 'arn:${Partition}:iam::${Account}:role/${RoleName}'),
    ).toBe(undefined);
    // A string both match, which still is no bucket's ARN (a bucket name has no `/`).
    const bucket = 'arn:${Partition}:s3:::${BucketName}';
    const merged = mergePatternWithFormat('arn:aws:s3:::b/*', bucket);
    expect(merged).toBe('arn:aws:s3:::b/amzn-s3-demo-bucket');
    expect(fitsFormat(bucket, merged!)).toBe(false);
  });
});

describe('realistic condition values', () => {
  it('gives each key a non-empty value of its type', async () => {
    const c = await loadDefaultCatalog();
    expect(valueCandidates(c, 'aws:SourceIp')[0]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(valueCandidates(c, 'aws:SourceArn')[0]).toMatch(/^arn:aws:/);
    expect(valueCandidates(c, 'ec2:SourceInstanceArn')[0]).toBe(
      'arn:aws:ec2:us-east-1:111122223333:instance/i-1234567890abcdef0',
    );
    expect(valueCandidates(c, 'aws:CurrentTime')[0]).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(valueCandidates(c, 'aws:SecureTransport')).toEqual(['true', 'false']);
    expect(valueCandidates(c, 'aws:PrincipalTag/team')[0]).toBe('engineering');
    expect(valueCandidates(c, 'aws:ResourceAccount')[0]).toBe('111122223333');
    expect(valueCandidates(c, 'kms:ViaService')[0]).toBe('ec2.us-east-1.amazonaws.com');
    expect(valueCandidates(c, 'aws:MultiFactorAuthAge')[0]).toBe('3600');
    for (const k of c.conditionKeys())
      for (const v of valueCandidates(c, k.name)) expect(v, k.name).not.toBe('');
  });

  it('spells a key as the catalog does', async () => {
    const c = await loadDefaultCatalog();
    expect(keySpelling(c, 'aws:principaltag/x')).toBe('aws:PrincipalTag/x');
    expect(keySpelling(c, 'aws:sourceip')).toBe('aws:SourceIp');
    expect(keySpelling(c, 'nosuch:key')).toBe('nosuch:key');
  });
});

describe('addressIn', () => {
  it('names a host inside the range', () => {
    expect(addressIn('10.0.0.0/8')).toBe('10.0.0.10');
    expect(addressIn('203.0.113.0/24')).toBe('203.0.113.10');
    expect(addressIn('192.0.2.7/32')).toBe('192.0.2.7');
    expect(addressIn('192.0.2.6/31')).toBe('192.0.2.7');
    expect(addressIn('2001:db8::/32')).toBe('2001:db8:0:0:0:0:0:a');
    expect(addressIn('nonsense')).toBeUndefined();
  });
});
