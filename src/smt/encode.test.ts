/**
 * The encoder held to SEMANTICS.md, row by row and both ways: for every rule a request the policy
 * must allow and one it must not, decided twice — by the concrete evaluator and by the SMT encoding
 * evaluated at that request in Z3 (pin.ts). Then a seeded differential test: random policies and
 * random requests, where the two must agree every time.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import type { Principal, Request } from '../evaluate/request.ts';
import { parsePolicy } from '../policy/parse.ts';
import { Encoder } from './encode.ts';
import { holdsAt } from './pin.ts';
import { nodeRunner } from './runner-node.ts';
import type { SmtRunner } from './runner.ts';
import { prng as rng } from '../util/prng.ts';

let catalog: Catalog;
let runner: SmtRunner;
beforeAll(async () => {
  [catalog, runner] = await Promise.all([loadDefaultCatalog(), nodeRunner()]);
});

type Doc = { Version?: string; Statement: Record<string, unknown>[] };

const ROLE: Principal = { type: 'AWS', id: 'arn:aws:iam::111122223333:role/R' };
const user = (name: string): Principal => ({ type: 'AWS', id: `arn:aws:iam::111122223333:user/${name}` });
const req = (patch: Partial<Request> = {}): Request => ({
  principal: ROLE,
  action: 's3:GetObject',
  resource: 'arn:aws:s3:::bucket/key',
  context: {},
  ...patch,
});

/** Both referees on one (policy, request): the evaluator's decision and the encoding's value. */
async function decide(
  doc: Doc,
  request: Request,
  resource: boolean,
): Promise<{ evaluator: boolean; encoding: boolean }> {
  const parsed = parsePolicy(JSON.stringify(doc));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
  const evaluator = evaluatePolicy(parsed.policy, request).decision === 'Allowed';
  const enc = new Encoder(catalog, { identity: !resource });
  enc.prepare([parsed.policy]);
  const e = enc.policy(parsed.policy, 'policy');
  const background = enc.finish();
  const encoding = await holdsAt(runner, enc, e.allowed, background, request);
  if (encoding === undefined) throw new Error('request not expressible in the encoding');
  return { evaluator, encoding };
}

const V = '2012-10-17';
const allow = (st: Record<string, unknown>): Doc => ({
  Version: V,
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...st }],
});
const withCondition = (condition: Record<string, unknown>): Doc => allow({ Condition: condition });

interface Row {
  rule: string;
  doc: Doc;
  resource?: boolean;
  yes: Request;
  no: Request;
}

const ROWS: Row[] = [
  // Action / NotAction
  {
    rule: 'Action: * is any run',
    doc: allow({ Action: 's3:Get*' }),
    yes: req(),
    no: req({ action: 's3:PutObject' }),
  },
  {
    rule: 'Action: ? is exactly one character',
    doc: allow({ Action: 's3:GetObjec?' }),
    yes: req(),
    no: req({ action: 's3:GetObjectAcl' }),
  },
  {
    rule: 'Action: matching is case-insensitive',
    doc: allow({ Action: 'S3:getobject' }),
    yes: req({ action: 's3:GETOBJECT' }),
    no: req({ action: 's3:GetObjectAcl' }),
  },
  {
    rule: 'NotAction: every action of every service that matches none of the patterns',
    doc: allow({ Action: undefined, NotAction: 's3:*' }),
    yes: req({ action: 'iam:PassRole' }),
    no: req({ action: 's3:GetObject' }),
  },
  {
    rule: 'Allow + NotAction is not Deny + Action: other services stay implicitly denied',
    doc: { Version: V, Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }] },
    yes: req({ action: 'iam:PassRole' }),
    no: req({ action: 'iam:PassRole' }),
  },
  // Resource / NotResource
  {
    rule: 'Resource: "*" alone matches every resource',
    doc: allow({ Resource: '*' }),
    yes: req({ resource: 'anything at all' }),
    no: req({ action: 's3:PutObject' }),
  },
  {
    rule: 'Resource: the resource part is a glob over the rest (":" and "/" included)',
    doc: allow({ Resource: 'arn:aws:s3:::bucket/*' }),
    yes: req({ resource: 'arn:aws:s3:::bucket/a/b:c' }),
    no: req({ resource: 'arn:aws:s3:::other/key' }),
  },
  {
    rule: 'Resource: ? and an inner * stay within their segment',
    doc: allow({ Action: 'ec2:*', Resource: 'arn:aws:ec2:us-*-?:123456789012:instance/*' }),
    yes: req({ action: 'ec2:StartInstances', resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1' }),
    no: req({ action: 'ec2:StartInstances', resource: 'arn:aws:ec2:us-a:b-1:123456789012:instance/i-1' }),
  },
  {
    rule: 'Resource: a * that is the last character of a segment can match beyond the colon',
    doc: allow({ Action: 'ec2:*', Resource: 'arn:aws:ec2:*:123456789012:instance/*' }),
    yes: req({ action: 'ec2:StartInstances', resource: 'arn:aws:ec2:us:east:123456789012:instance/i-1' }),
    no: req({ action: 'ec2:StartInstances', resource: 'arn:aws:ec2:us:east:444455556666:instance/i-1' }),
  },
  {
    rule: 'Resource: case-sensitive',
    doc: allow({ Resource: 'arn:aws:s3:::Bucket/*' }),
    yes: req({ resource: 'arn:aws:s3:::Bucket/key' }),
    no: req({ resource: 'arn:aws:s3:::bucket/key' }),
  },
  {
    rule: 'Resource: a pattern with fewer than six segments is a plain glob over six-part ARNs',
    doc: allow({ Resource: 'arn:aws:s3*' }),
    yes: req({ resource: 'arn:aws:s3:::bucket' }),
    no: req({ resource: 'arn:aws:s3-bucket' }),
  },
  {
    rule: 'NotResource: the complement',
    doc: allow({ Resource: undefined, NotResource: 'arn:aws:s3:::secret/*' }),
    yes: req({ resource: 'arn:aws:s3:::public/key' }),
    no: req({ resource: 'arn:aws:s3:::secret/key' }),
  },
  {
    rule: 'Policy variables: the value of the key (2012-10-17), and the key must be present',
    doc: allow({ Resource: 'arn:aws:s3:::bucket/${aws:username}/*' }),
    yes: req({ resource: 'arn:aws:s3:::bucket/alice/x', principal: user('alice') }),
    no: req({ resource: 'arn:aws:s3:::bucket/alice/x', principal: user('bob') }),
  },
  {
    rule: 'Policy variables: a missing key makes the pattern match nothing',
    doc: allow({ Resource: 'arn:aws:s3:::bucket/${aws:username}/*' }),
    yes: req({ resource: 'arn:aws:s3:::bucket/bob/x', principal: user('bob') }),
    // a role session has no aws:username
    no: req({ resource: 'arn:aws:s3:::bucket/bob/x' }),
  },
  {
    rule: 'Policy variables: literal text without Version 2012-10-17',
    doc: {
      Version: '2008-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/${aws:username}' },
      ],
    },
    yes: req({ resource: 'arn:aws:s3:::bucket/${aws:username}', principal: user('alice') }),
    no: req({ resource: 'arn:aws:s3:::bucket/alice', principal: user('alice') }),
  },
  {
    rule: 'Policy variables: ${*} is a literal star',
    doc: allow({ Resource: 'arn:aws:s3:::bucket/${*}' }),
    yes: req({ resource: 'arn:aws:s3:::bucket/*' }),
    no: req({ resource: 'arn:aws:s3:::bucket/key' }),
  },
  // Principal / NotPrincipal
  {
    rule: 'Principal "*": everyone, anonymous callers included',
    resource: true,
    doc: allow({ Principal: '*' }),
    yes: req({ principal: { type: 'Anonymous' } }),
    no: req({ principal: { type: 'Anonymous' }, action: 's3:PutObject' }),
  },
  {
    rule: 'Principal {"AWS": account}: every principal of that account',
    resource: true,
    doc: allow({ Principal: { AWS: '111122223333' } }),
    yes: req({ principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/R/s' } }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:iam::444455556666:role/R' } }),
  },
  {
    rule: 'Principal: Service is its own namespace',
    resource: true,
    doc: allow({ Principal: { Service: 'lambda.amazonaws.com' } }),
    yes: req({ principal: { type: 'Service', id: 'lambda.amazonaws.com' } }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:role/lambda.amazonaws.com' } }),
  },
  {
    rule: 'NotPrincipal in a Deny: everyone but the named account is denied',
    resource: true,
    doc: {
      Version: V,
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        { Effect: 'Deny', NotPrincipal: { AWS: '111122223333' }, Action: '*', Resource: '*' },
      ],
    },
    yes: req({ principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:root' } }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:iam::444455556666:root' } }),
  },
  {
    rule: 'NotPrincipal with an account exempts the account root only, not its roles (IAM NotPrincipal)',
    resource: true,
    doc: {
      Version: V,
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Deny',
          NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: '*',
          Resource: '*',
        },
      ],
    },
    yes: req({ principal: { type: 'AWS', id: '111122223333' } }),
    no: req(),
  },
  {
    rule: 'NotPrincipal [user/Bob, account root]: Bob is exempt, the account other users are denied',
    resource: true,
    doc: {
      Version: V,
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Deny',
          NotPrincipal: { AWS: ['arn:aws:iam::111122223333:user/Bob', 'arn:aws:iam::111122223333:root'] },
          Action: '*',
          Resource: '*',
        },
      ],
    },
    yes: req({ principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:user/Bob' } }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:user/Alice' } }),
  },
  {
    rule: 'NotPrincipal exempts a role session only with the account, the role and the session listed',
    resource: true,
    doc: {
      Version: V,
      Statement: [
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' },
        {
          Effect: 'Deny',
          NotPrincipal: {
            AWS: [
              'arn:aws:iam::111122223333:root',
              'arn:aws:iam::111122223333:role/R',
              'arn:aws:sts::111122223333:assumed-role/R/alice',
            ],
          },
          Action: '*',
          Resource: '*',
        },
      ],
    },
    yes: req({ principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/R/alice' } }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/R/bob' } }),
  },
  {
    rule: 'Principal with a role ARN names its sessions; a session ARN names that session',
    resource: true,
    doc: allow({
      Principal: {
        AWS: ['arn:aws:iam::111122223333:role/teams/Dev', 'arn:aws:sts::111122223333:assumed-role/R/alice'],
      },
    }),
    yes: req({
      principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/Dev/bob', path: '/teams/' },
    }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/R/bob' } }),
  },
  {
    rule: 'aws:PrincipalArn of a role session is the role ARN, path included',
    resource: true,
    doc: allow({
      Principal: '*',
      Condition: { StringEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/teams/Dev' } },
    }),
    yes: req({
      principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/Dev/bob', path: '/teams/' },
    }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/Dev/bob' } }),
  },
  {
    rule: 'aws:userid of a role session is ROLEID:SESSION; of a federated user ACCOUNT:NAME',
    resource: true,
    doc: allow({
      Principal: '*',
      Condition: { StringLike: { 'aws:userid': ['AROAEXAMPLEROLEID0001:ali*', '111122223333:bo?'] } },
    }),
    yes: req({
      principal: {
        type: 'AWS',
        id: 'arn:aws:sts::111122223333:assumed-role/Dev/alice',
        uniqueId: 'AROAEXAMPLEROLEID0001',
      },
    }),
    no: req({
      principal: {
        type: 'AWS',
        id: 'arn:aws:sts::111122223333:assumed-role/Dev/bob',
        uniqueId: 'AROAEXAMPLEROLEID0001',
      },
    }),
  },
  {
    rule: 'aws:userid of a federated user is ACCOUNT:NAME (the pattern may cover the colon)',
    resource: true,
    doc: allow({ Principal: '*', Condition: { StringLike: { 'aws:userid': ['1111222233*ob'] } } }),
    yes: req({ principal: { type: 'AWS', id: 'arn:aws:sts::111122223333:federated-user/bob' } }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:sts::444455556666:federated-user/bob' } }),
  },
  {
    rule: 'aws:PrincipalIsAWSService and aws:PrincipalServiceName come with service principals only',
    resource: true,
    doc: allow({
      Principal: '*',
      Condition: {
        Bool: { 'aws:PrincipalIsAWSService': 'true' },
        StringEquals: { 'aws:PrincipalServiceName': 'cloudtrail.amazonaws.com' },
      },
    }),
    yes: req({ principal: { type: 'Service', id: 'cloudtrail.amazonaws.com' } }),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:root' } }),
  },
  {
    rule: 'aws:PrincipalType: Account for the root, AssumedRole for a session',
    resource: true,
    doc: allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalType': 'Account' } } }),
    yes: req({ principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:root' } }),
    no: req(),
  },
  {
    rule: 'kms:CallerAccount is the caller account when present',
    resource: true,
    doc: allow({
      Principal: { AWS: '*' },
      Condition: { StringEquals: { 'kms:CallerAccount': '111122223333' } },
    }),
    yes: req({ context: { 'kms:CallerAccount': '111122223333' } }),
    no: req({
      principal: { type: 'AWS', id: 'arn:aws:iam::444455556666:root' },
      context: { 'kms:CallerAccount': '444455556666' },
    }),
  },
  {
    rule: 'aws:PrincipalArn describes the same caller as the Principal element',
    resource: true,
    doc: allow({
      Principal: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/R' } },
    }),
    yes: req(),
    no: req({ principal: { type: 'AWS', id: 'arn:aws:iam::111122223333:role/Other' } }),
  },
  {
    rule: 'aws:PrincipalAccount is the caller account',
    resource: true,
    doc: allow({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': '111122223333' } } }),
    yes: req(),
    no: req({ principal: { type: 'Anonymous' } }),
  },
  // Condition block
  {
    rule: 'Condition: AND across keys, OR across the values of one key',
    doc: withCondition({
      StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'], 's3:prefix': 'home/' },
    }),
    yes: req({ context: { 'aws:RequestedRegion': 'eu-west-1', 's3:prefix': 'home/' } }),
    no: req({ context: { 'aws:RequestedRegion': 'eu-west-1' } }),
  },
  {
    rule: 'Condition: a missing key makes a positive operator false',
    doc: withCondition({ StringLike: { 's3:prefix': 'home/*' } }),
    yes: req({ context: { 's3:prefix': 'home/alice' } }),
    no: req(),
  },
  {
    rule: 'Condition: a missing key makes a negated operator true',
    doc: withCondition({ StringNotEquals: { 'aws:RequestedRegion': 'us-east-1' } }),
    yes: req(),
    no: req({ context: { 'aws:RequestedRegion': 'us-east-1' } }),
  },
  {
    rule: 'Condition: ...IfExists is true when the key is missing, the test otherwise',
    doc: withCondition({ StringEqualsIfExists: { 'ec2:InstanceType': 't3.micro' } }),
    yes: req(),
    no: req({ context: { 'ec2:InstanceType': 'm5.large' } }),
  },
  {
    rule: 'Condition: Null "true" means the key is missing',
    doc: withCondition({ Null: { 'aws:TokenIssueTime': 'true' } }),
    yes: req(),
    no: req({ context: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } }),
  },
  {
    rule: 'Condition: Null "false" means the key is present',
    doc: withCondition({ Null: { 'aws:TokenIssueTime': 'false' } }),
    yes: req({ context: { 'aws:TokenIssueTime': '2024-01-01T00:00:00Z' } }),
    no: req(),
  },
  {
    rule: 'Condition: StringEquals is case-sensitive',
    doc: withCondition({ StringEquals: { 'aws:PrincipalTag/team': 'Blue' } }),
    yes: req({ context: { 'aws:PrincipalTag/team': 'Blue' } }),
    no: req({ context: { 'aws:PrincipalTag/team': 'blue' } }),
  },
  {
    rule: 'Condition: StringEqualsIgnoreCase is not',
    doc: withCondition({ StringEqualsIgnoreCase: { 'aws:PrincipalTag/team': 'Blue' } }),
    yes: req({ context: { 'aws:PrincipalTag/team': 'bLUE' } }),
    no: req({ context: { 'aws:PrincipalTag/team': 'Green' } }),
  },
  {
    rule: 'Condition: StringLike is a glob',
    doc: withCondition({ StringLike: { 's3:prefix': 'home/?/*' } }),
    yes: req({ context: { 's3:prefix': 'home/a/docs' } }),
    no: req({ context: { 's3:prefix': 'home/ab/docs' } }),
  },
  {
    rule: 'Condition: ArnLike compares part by part',
    doc: withCondition({ ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:111122223333:*' } }),
    yes: req({ context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:topic' } }),
    no: req({ context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:444455556666:topic' } }),
  },
  {
    rule: 'Condition: ArnLike, a * ending a segment can match beyond the colon, an inner one cannot',
    doc: withCondition({
      ArnLike: { 'aws:SourceArn': ['arn:aws:sns:*:111122223333:t', 'arn:aws:sqs:u*1::q'] },
    }),
    yes: req({ context: { 'aws:SourceArn': 'arn:aws:sns:us:east:111122223333:t' } }),
    no: req({ context: { 'aws:SourceArn': 'arn:aws:sqs:us:1::q' } }),
  },
  {
    rule: 'Condition: ArnNotEquals on a missing key is true',
    doc: withCondition({ ArnNotEquals: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' } }),
    yes: req(),
    no: req({ context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:111122223333:t' } }),
  },
  {
    rule: 'Condition: Numeric operators compare numbers',
    doc: withCondition({ NumericLessThanEquals: { 's3:max-keys': '10' } }),
    yes: req({ context: { 's3:max-keys': '10.0' } }),
    no: req({ context: { 's3:max-keys': '11' } }),
  },
  {
    rule: 'Condition: a value that is not a number fails a Numeric test',
    doc: withCondition({ NumericGreaterThan: { 's3:max-keys': '1' } }),
    yes: req({ context: { 's3:max-keys': '2' } }),
    no: req({ context: { 's3:max-keys': 'many' } }),
  },
  {
    rule: 'Condition: Date operators take ISO 8601 dates or epoch seconds',
    doc: withCondition({ DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }),
    yes: req({ context: { 'aws:CurrentTime': '1700000000' } }),
    no: req({ context: { 'aws:CurrentTime': '2025-06-01T00:00:00Z' } }),
  },
  {
    rule: 'Condition: a date without a zone is UTC (policy side)',
    doc: withCondition({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00' } }),
    yes: req({ context: { 'aws:CurrentTime': '2029-12-31T23:59:59Z' } }),
    no: req({ context: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }),
  },
  {
    rule: 'Condition: a date without a zone is UTC (request side)',
    doc: withCondition({ DateGreaterThanEquals: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }),
    yes: req({ context: { 'aws:CurrentTime': '2030-01-01T00:00:00' } }),
    no: req({ context: { 'aws:CurrentTime': '2029-12-31T23:59:59' } }),
  },
  {
    rule: 'Condition: a date window narrower than a millisecond (exact fractions of a second)',
    doc: withCondition({
      DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00.0001Z' },
      DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00.0002Z' },
    }),
    yes: req({ context: { 'aws:CurrentTime': '2030-01-01T00:00:00.00015Z' } }),
    no: req({ context: { 'aws:CurrentTime': '2030-01-01T00:00:00.0002Z' } }),
  },
  {
    rule: 'Condition: an impossible date (Feb 30) is not a date, never rolled over to March',
    doc: withCondition({ DateGreaterThan: { 'aws:CurrentTime': '2030-03-01T00:00:00Z' } }),
    yes: req({ context: { 'aws:CurrentTime': '2030-03-02T00:00:00Z' } }),
    no: req({ context: { 'aws:CurrentTime': '2030-02-30T00:00:00Z' } }),
  },
  {
    rule: 'Condition: epoch seconds of any size',
    doc: withCondition({ DateGreaterThan: { 'aws:CurrentTime': '99999999999998' } }),
    yes: req({ context: { 'aws:CurrentTime': '99999999999999' } }),
    no: req({ context: { 'aws:CurrentTime': '9999-12-31T23:59:59Z' } }),
  },
  {
    rule: 'Condition: Numeric takes .5 and exact long decimals',
    doc: withCondition({ NumericGreaterThan: { 's3:max-keys': '.5' } }),
    yes: req({ context: { 's3:max-keys': '0.50000000000000000001' } }),
    no: req({ context: { 's3:max-keys': '.5' } }),
  },
  {
    rule: 'Condition: a value with a leading space is not a number',
    doc: withCondition({ NumericLessThan: { 's3:max-keys': '10' } }),
    yes: req({ context: { 's3:max-keys': '5' } }),
    no: req({ context: { 's3:max-keys': ' 5' } }),
  },
  {
    rule: 'Condition: an address with a leading space is not an address',
    doc: withCondition({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }),
    yes: req({ context: { 'aws:SourceIp': '10.0.0.1' } }),
    no: req({ context: { 'aws:SourceIp': ' 10.0.0.1' } }),
  },
  {
    rule: 'Condition: Bool',
    doc: withCondition({ Bool: { 'aws:SecureTransport': 'true' } }),
    yes: req({ context: { 'aws:SecureTransport': 'true' } }),
    no: req({ context: { 'aws:SecureTransport': 'false' } }),
  },
  {
    rule: 'Condition: BinaryEquals compares base64 text',
    doc: withCondition({ BinaryEquals: { 'kms:RecipientAttestation:ImageSha384': 'QUJD' } }),
    yes: req({ context: { 'kms:RecipientAttestation:ImageSha384': 'QUJD' } }),
    no: req({ context: { 'kms:RecipientAttestation:ImageSha384': 'QUJE' } }),
  },
  {
    rule: 'Condition: IpAddress with an IPv4 range',
    doc: withCondition({ IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }),
    yes: req({ context: { 'aws:SourceIp': '203.0.113.77' } }),
    no: req({ context: { 'aws:SourceIp': '203.0.114.1' } }),
  },
  {
    rule: 'Condition: IpAddress with an IPv6 range',
    doc: withCondition({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }),
    yes: req({ context: { 'aws:SourceIp': '2001:db8:1::5' } }),
    no: req({ context: { 'aws:SourceIp': '2001:db9::5' } }),
  },
  {
    rule: 'Condition: NotIpAddress',
    doc: withCondition({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }),
    yes: req({ context: { 'aws:SourceIp': '192.0.2.1' } }),
    no: req({ context: { 'aws:SourceIp': '10.1.2.3' } }),
  },
  {
    rule: 'Condition: ForAnyValue needs one value that satisfies the test',
    doc: withCondition({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }),
    yes: req({ context: { 'aws:TagKeys': ['cost', 'team'] } }),
    no: req({ context: { 'aws:TagKeys': ['cost'] } }),
  },
  {
    rule: 'Condition: ForAnyValue is false when the key is missing',
    doc: withCondition({ 'ForAnyValue:StringLike': { 'aws:TagKeys': '*' } }),
    yes: req({ context: { 'aws:TagKeys': ['x'] } }),
    no: req(),
  },
  {
    rule: 'Condition: ForAllValues needs every value to satisfy the test',
    doc: withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['env', 'team'] } }),
    yes: req({ context: { 'aws:TagKeys': ['env', 'team'] } }),
    no: req({ context: { 'aws:TagKeys': ['env', 'cost'] } }),
  },
  {
    rule: 'Condition: ForAllValues is true when the key is missing',
    doc: withCondition({ 'ForAllValues:StringEquals': { 'aws:TagKeys': 'env' } }),
    yes: req(),
    no: req({ context: { 'aws:TagKeys': ['cost'] } }),
  },
  {
    rule: 'Verdict: an explicit Deny wins over an Allow',
    doc: {
      Version: V,
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: '*' },
        { Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' },
      ],
    },
    yes: req(),
    no: req({ action: 's3:DeleteBucket' }),
  },
];

describe('encoder and evaluator on every SEMANTICS.md rule, both directions', () => {
  for (const row of ROWS) {
    it(row.rule, async () => {
      const yes = await decide(row.doc, row.yes, row.resource ?? false);
      const no = await decide(row.doc, row.no, row.resource ?? false);
      // The Deny-only policy row checks the other direction: Deny + Action allows nothing.
      const expectYes = row.doc.Statement.some((s) => s.Effect === 'Allow');
      expect(yes, 'request that must match').toEqual({ evaluator: expectYes, encoding: expectYes });
      expect(no, 'request that must not match').toEqual({ evaluator: false, encoding: false });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Differential: random policies and requests (seeded)

const ACTIONS = ['s3:GetObject', 's3:PutObject', 's3:DeleteBucket', 'ec2:StartInstances', 'iam:PassRole'];
const ACTION_PATTERNS = [
  's3:*',
  's3:Get*',
  's3:?utObject',
  '*',
  'ec2:*Instances',
  'iam:PassRole',
  'S3:DELETE*',
];
const RESOURCES = [
  'arn:aws:s3:::bucket/key',
  'arn:aws:s3:::bucket/alice/doc',
  'arn:aws:s3:::other',
  'arn:aws:ec2:us-east-1:111122223333:instance/i-1',
];
const RESOURCE_PATTERNS = [
  '*',
  'arn:aws:s3:::bucket/*',
  'arn:aws:s3:::*',
  'arn:aws:ec2:*:111122223333:instance/*',
  'arn:aws:s3:::bucket/${aws:username}/*',
  'arn:aws:s3:::other',
];
const CONDITIONS: [string, string, string[]][] = [
  ['StringEquals', 'aws:RequestedRegion', ['us-east-1', 'eu-west-1']],
  ['StringNotEquals', 'aws:RequestedRegion', ['us-east-1']],
  ['StringLike', 's3:prefix', ['home/*']],
  ['StringEqualsIfExists', 's3:prefix', ['home/a']],
  ['Null', 'aws:username', ['true']],
  ['Null', 's3:prefix', ['false']],
  ['NumericLessThan', 's3:max-keys', ['10']],
  ['IpAddress', 'aws:SourceIp', ['10.0.0.0/8', '2001:db8::/32']],
  ['NotIpAddress', 'aws:SourceIp', ['10.1.0.0/16']],
  ['Bool', 'aws:SecureTransport', ['true']],
  ['ForAnyValue:StringEquals', 'aws:TagKeys', ['env', 'team']],
  ['ForAllValues:StringLike', 'aws:TagKeys', ['e*']],
  ['ArnLike', 'aws:PrincipalArn', ['arn:aws:iam::111122223333:role/*']],
  ['StringLike', 'aws:PrincipalArn', ['arn:aws:iam::*:user/*', 'arn:aws:sts::*']],
  ['StringEquals', 'aws:PrincipalAccount', ['111122223333']],
  ['StringLike', 'aws:userid', ['AROA*:alice', '111122223333', '444455556666:*']],
  ['StringEquals', 'aws:username', ['alice', 'u']],
  ['StringEquals', 'aws:PrincipalType', ['AssumedRole', 'Anonymous', 'User']],
  ['Bool', 'aws:PrincipalIsAWSService', ['true']],
  ['StringNotEqualsIfExists', 'aws:PrincipalServiceName', ['s3.amazonaws.com']],
  ['StringEquals', 'aws:PrincipalOrgID', ['o-a1b2c3d4e5']],
  ['StringNotEquals', 'kms:CallerAccount', ['111122223333']],
  ['DateGreaterThan', 'aws:CurrentTime', ['2024-01-01T00:00:00Z']],
];
const CONTEXT_VALUES: Record<string, string[][]> = {
  'aws:RequestedRegion': [['us-east-1'], ['eu-west-1'], ['ap-south-1']],
  's3:prefix': [['home/a'], ['home/b'], ['tmp']],
  'aws:PrincipalOrgID': [['o-a1b2c3d4e5'], ['o-f6g7h8i9j0']],
  's3:max-keys': [['5'], ['10'], ['x']],
  'aws:SourceIp': [['10.1.2.3'], ['10.2.0.1'], ['192.0.2.1'], ['2001:db8::1'], ['nope']],
  'aws:SecureTransport': [['true'], ['false']],
  'aws:TagKeys': [['env'], ['env', 'team'], ['cost', 'env'], ['eu']],
  'aws:CurrentTime': [['2023-06-01T00:00:00Z'], ['2025-06-01T00:00:00Z']],
};
/** Callers of every kind (evaluate/caller.ts). */
const PRINCIPALS: Principal[] = [
  ROLE,
  { type: 'AWS', id: 'arn:aws:iam::444455556666:user/u' },
  { type: 'AWS', id: 'arn:aws:iam::111122223333:user/alice' },
  { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/Admin/alice' },
  { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/Dev/s', path: '/teams/' },
  { type: 'AWS', id: '111122223333' },
  { type: 'AWS', id: 'arn:aws:sts::444455556666:federated-user/alice' },
];
const OTHER_CALLERS: Principal[] = [
  { type: 'Anonymous' },
  { type: 'Service', id: 's3.amazonaws.com' },
  { type: 'Federated', id: 'cognito-identity.amazonaws.com' },
  { type: 'CanonicalUser', id: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
];
const PRINCIPAL_VALUES: Record<string, string[]> = {
  AWS: [
    '111122223333',
    'arn:aws:iam::444455556666:root',
    'arn:aws:iam::111122223333:role/R',
    'arn:aws:iam::111122223333:role/teams/Dev',
    'arn:aws:sts::111122223333:assumed-role/Admin/alice',
    'arn:aws:iam::444455556666:user/u',
    'arn:aws:sts::444455556666:federated-user/alice',
  ],
  Service: ['s3.amazonaws.com'],
  Federated: ['cognito-identity.amazonaws.com'],
};

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function randomPrincipal(r: () => number): unknown {
  if (r() < 0.15) return '*';
  const out: Record<string, string[]> = {};
  for (let i = 0; i < 1 + Math.floor(r() * 3); i++) {
    const type = r() < 0.8 ? 'AWS' : pick(r, ['Service', 'Federated']);
    (out[type] ??= []).push(pick(r, PRINCIPAL_VALUES[type]!));
  }
  return out;
}

function randomPolicy(r: () => number, resource = false): Doc {
  const statements = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
    const st: Record<string, unknown> = { Effect: r() < 0.75 ? 'Allow' : 'Deny' };
    if (resource) st[st.Effect === 'Deny' && r() < 0.4 ? 'NotPrincipal' : 'Principal'] = randomPrincipal(r);
    const actions = Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, ACTION_PATTERNS));
    st[r() < 0.15 ? 'NotAction' : 'Action'] = actions;
    const resources = Array.from({ length: 1 + Math.floor(r() * 2) }, () => pick(r, RESOURCE_PATTERNS));
    st[r() < 0.1 ? 'NotResource' : 'Resource'] = resources;
    const n = Math.floor(r() * 3);
    if (n) {
      const cond: Record<string, Record<string, string[]>> = {};
      for (let i = 0; i < n; i++) {
        const [op, key, values] = pick(r, CONDITIONS);
        (cond[op] ??= {})[key] = values.slice(0, 1 + Math.floor(r() * values.length));
      }
      st.Condition = cond;
    }
    return st;
  });
  return { Version: r() < 0.85 ? V : '2008-10-17', Statement: statements };
}

/** A request whose keys can occur together (evaluate/caller.ts requestProblems). */
function randomRequest(r: () => number, anyCaller = false): Request {
  const principal = pick(r, anyCaller && r() < 0.3 ? OTHER_CALLERS : PRINCIPALS);
  const account = principal.type === 'AWS';
  const context: Record<string, string | string[]> = {};
  for (const [key, options] of Object.entries(CONTEXT_VALUES)) {
    if (r() < 0.5 || (key === 'aws:PrincipalOrgID' && !account)) continue;
    const v = pick(r, options);
    context[key] = key === 'aws:TagKeys' ? v : v[0]!;
  }
  if (account && r() < 0.4) {
    const a = /\d{12}/.exec(principal.id)![0];
    context['kms:CallerAccount'] = a;
  }
  return { principal, action: pick(r, ACTIONS), resource: pick(r, RESOURCES), context };
}

describe('differential: SMT encoding at a concrete request = concrete evaluator (seeded)', () => {
  it('agrees on 1000 random (policy, request) pairs, with both answers well represented', async () => {
    const r = rng(424242);
    let allowed = 0;
    for (let i = 0; i < 1000; i++) {
      const doc = randomPolicy(r);
      const request = randomRequest(r);
      const d = await decide(doc, request, false);
      expect(d.encoding, `case ${i}: ${JSON.stringify({ doc, request })}`).toBe(d.evaluator);
      if (d.evaluator) allowed++;
    }
    expect(allowed).toBeGreaterThan(100);
    expect(allowed).toBeLessThan(900);
  }, 120_000);

  it('agrees on 600 random resource policies (Principal, NotPrincipal) and callers of every kind', async () => {
    const r = rng(20261205);
    let allowed = 0;
    const kinds = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const doc = randomPolicy(r, true);
      const request = randomRequest(r, true);
      kinds.add(request.principal!.type);
      const d = await decide(doc, request, true);
      expect(d.encoding, `case ${i}: ${JSON.stringify({ doc, request })}`).toBe(d.evaluator);
      if (d.evaluator) allowed++;
    }
    expect([...kinds].sort()).toEqual(['AWS', 'Anonymous', 'CanonicalUser', 'Federated', 'Service']);
    expect(allowed).toBeGreaterThan(40);
    expect(allowed).toBeLessThan(560);
  }, 120_000);
});
