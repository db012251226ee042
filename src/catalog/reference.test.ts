/**
 * The service reference read as AWS authorizes requests, from the Service Authorization Reference's
 * own rows: S3's bucket and object types, IAM's role with a path, CloudWatch Logs' colon-separated
 * formats, actions with no resource type, and the condition keys each action's row lists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog, type CatalogAction } from './catalog.ts';
import { ServiceReference, catalogDate } from './reference.ts';

let catalog: Catalog;
let ref: ServiceReference;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
  ref = new ServiceReference(catalog);
});
const action = (name: string): CatalogAction => {
  const a = catalog.action(name);
  if (!a) throw new Error(`${name} is not in the catalog`);
  return a;
};
const fits = (name: string, resource: string): boolean =>
  ref.resourceProblem(action(name), resource) === undefined;

describe('resources of an action’s own types', () => {
  it('s3:DeleteBucket acts on buckets, not objects; s3:GetObject on objects, not buckets', () => {
    expect(fits('s3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket')).toBe(true);
    expect(fits('s3:DeleteBucket', 'arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg')).toBe(false);
    expect(fits('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket/photos/cat.jpg')).toBe(true);
    expect(fits('s3:GetObject', 'arn:aws:s3:::amzn-s3-demo-bucket')).toBe(false);
    expect(ref.resourceProblem(action('s3:DeleteBucket'), 'arn:aws:s3:::b/k')).toMatch(
      /s3:DeleteBucket acts on bucket \(arn:\$\{Partition\}:s3:::\$\{BucketName\}\)/,
    );
  });
  it('a name with a path (IAM roles) and colon-separated fields (CloudWatch Logs)', () => {
    expect(fits('iam:GetRole', 'arn:aws:iam::111122223333:role/service-role/deploy')).toBe(true);
    expect(fits('iam:GetRole', 'arn:aws:iam::111122223333:user/alice')).toBe(false);
    expect(
      fits(
        'logs:PutLogEvents',
        'arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/f:log-stream:2026/12/05',
      ),
    ).toBe(true);
    expect(fits('logs:PutLogEvents', 'arn:aws:s3:::amzn-s3-demo-bucket')).toBe(false);
  });
  it('an action with no resource type is requested on "*" only', () => {
    expect(action('s3:ListAllMyBuckets').resourceTypes).toHaveLength(0);
    expect(fits('s3:ListAllMyBuckets', '*')).toBe(true);
    expect(fits('s3:ListAllMyBuckets', 'arn:aws:s3:::amzn-s3-demo-bucket')).toBe(false);
  });
  it('an action the catalog lacks is never ruled out', () => {
    expect(ref.ruledOut({ action: 's3:FrobnicateBucket', resource: 'x' })).toBeUndefined();
  });
});

describe('condition keys an action’s requests carry', () => {
  it('s3:prefix is on ListBucket requests, not GetObject requests', () => {
    expect(ref.keyProblem(action('s3:ListBucket'), 's3:prefix')).toBeUndefined();
    expect(ref.keyProblem(action('s3:GetObject'), 's3:prefix')).toMatch(/carry no s3:prefix/);
  });
  it('global keys, caller keys and other services’ keys are never ruled out', () => {
    expect(ref.keyProblem(action('s3:GetObject'), 'aws:SourceIp')).toBeUndefined();
    expect(ref.keyProblem(action('s3:GetObject'), 'aws:PrincipalArn')).toBeUndefined();
    expect(ref.keyProblem(action('s3:GetObject'), 'ec2:SourceInstanceARN')).toBeUndefined();
  });
  it('aws:RequestTag is on requests that tag (ec2:CreateTags), not on reads (ec2:DescribeInstances)', () => {
    expect(ref.keyProblem(action('ec2:CreateTags'), 'aws:RequestTag/team')).toBeUndefined();
    expect(ref.keyProblem(action('ec2:DescribeInstances'), 'aws:RequestTag/team')).toMatch(/carry no/);
  });
  it('a request is ruled out by its resource or by a key', () => {
    expect(
      ref.ruledOut({
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: { 'aws:SourceIp': '203.0.113.7' },
      }),
    ).toBeUndefined();
    expect(
      ref.ruledOut({
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::b/k',
        context: { 's3:prefix': 'home/' },
      })?.reason,
    ).toMatch(/s3:prefix/);
  });
});

it('the catalog’s date comes from its version', () => {
  expect(catalogDate(catalog)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

describe('what the review found (each a wrong service-aware PASS before)', () => {
  it('a cross-service global key (ssm:SourceInstanceArn) may be on any request of its service', () => {
    expect(catalog.isGlobalKey('ssm:SourceInstanceArn')).toBe(true);
    expect(ref.keyProblem(action('ssm:GetParameter'), 'ssm:SourceInstanceArn')).toBeUndefined();
  });
  it('a partner event bus and source have slashes in their names (EventBridge, CreatePartnerEventSource)', () => {
    const bus = 'arn:aws:events:us-east-1:111122223333:event-bus/aws.partner/example.com/123/orders';
    expect(fits('events:DescribeEventBus', bus)).toBe(true);
    expect(
      fits(
        'events:ActivateEventSource',
        'arn:aws:events:us-east-1::event-source/aws.partner/example.com/123/orders',
      ),
    ).toBe(true);
  });
  it('an action whose resource types are all optional may be requested on "*"', () => {
    expect(action('dynamodb:ListExports').anyResource).toBe(true);
    expect(fits('dynamodb:ListExports', '*')).toBe(true);
    // a required type (bucket*): not on "*"
    expect(action('s3:DeleteBucket').anyResource).toBe(false);
    expect(fits('s3:DeleteBucket', '*')).toBe(false);
  });
  it('S3 signing keys are on every S3 request (S3 API Reference, SigV4 policy keys)', () => {
    expect(
      ref.keyProblem(action('s3:PutBucketObjectLockConfiguration'), 's3:x-amz-content-sha256'),
    ).toBeUndefined();
    expect(ref.keyProblem(action('s3:PutAccessPointPublicAccessBlock'), 's3:TlsVersion')).toBeUndefined();
  });
  it('a type with several formats matches each of them; Multi-Region access points have no Region', () => {
    expect(fits('s3:GetAccessPointPolicy', 'arn:aws:s3::111122223333:accesspoint/abc.mrap')).toBe(true);
    expect(fits('s3:GetAccessPointPolicy', 'arn:aws:s3:us-east-1:111122223333:accesspoint/ap')).toBe(true);
  });
});
