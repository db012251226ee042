/**
 * CheckNoPublicAccess for each of Access Analyzer's 26 resource types: for every type a policy of
 * that service that is public and one that is fenced or private, each written from the service's own
 * documentation (the source is named next to the case), with the verdict the reading in
 * docs/semantics-decisions.md ("Public access, per resource type") gives. The whole answers are kept
 * in golden/public/ (one file per type; regenerate after an intended change with
 * `npx vitest run src/checks/public-types.test.ts -u` and review the diff).
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import type { Policy } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { goldenText } from './golden.ts';
import { createNodeEngine } from './node.ts';
import { fencesOf, notOutsider } from './outsider.ts';
import {
  PUBLIC_RESOURCE_TYPES,
  RETIRED_PUBLIC_TYPES,
  publicReading,
  unsupportedTypeDetail,
} from './public-types.ts';
import type { CheckOutcome, CheckResponse } from './types.ts';

type Statement = Record<string, unknown>;
interface Case {
  /** what the policy is and where its shape comes from */
  about: string;
  expected: 'PASS' | 'FAIL';
  statements: Statement[];
}

const A = '111122223333';
const B = '444455556666';
const ORG = 'o-a1b2c3d4e5';

/** Per type: the public policy first, then the fenced or private one (and, where the reading has a point to make, more). */
const CASES: Record<string, Case[]> = {
  'AWS::DynamoDB::Table': [
    {
      about: 'DynamoDB Developer Guide, resource-based policy example, opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: `arn:aws:dynamodb:us-west-2:${A}:table/MusicCollection`,
        },
      ],
    },
    {
      about: 'the same, for one role of another account (cross-account, not public)',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:role/DynamoDBReader` },
          Action: ['dynamodb:GetItem', 'dynamodb:Query'],
          Resource: `arn:aws:dynamodb:us-west-2:${A}:table/MusicCollection`,
        },
      ],
    },
  ],
  'AWS::DynamoDB::Stream': [
    {
      about: 'DynamoDB Developer Guide, stream policy, opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: `arn:aws:dynamodb:us-west-2:${A}:table/MusicCollection/stream/2024-02-12T18:57:26.492`,
        },
      ],
    },
    {
      about: 'the same, for principals of one organization (aws:PrincipalOrgID)',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
          Resource: `arn:aws:dynamodb:us-west-2:${A}:table/MusicCollection/stream/2024-02-12T18:57:26.492`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
        },
      ],
    },
  ],
  'AWS::EFS::FileSystem': [
    {
      about:
        'EFS User Guide, "prevent anonymous access" file system policy: AccessedViaMountTarget does not fence (any account that reaches a mount target)',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
          Resource: `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/fs-0123456789abcdef0`,
          Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
        },
      ],
    },
    {
      about: 'EFS User Guide, cross-account mount: one account named',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:root` },
          Action: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
          Resource: `arn:aws:elasticfilesystem:us-east-1:${A}:file-system/fs-0123456789abcdef0`,
          Condition: { Bool: { 'elasticfilesystem:AccessedViaMountTarget': 'true' } },
        },
      ],
    },
  ],
  'AWS::OpenSearchService::Domain': [
    {
      about: 'OpenSearch Service Developer Guide, open access policy',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'es:ESHttp*',
          Resource: `arn:aws:es:us-west-1:${A}:domain/test-domain/*`,
        },
      ],
    },
    {
      about: 'OpenSearch Service Developer Guide, IP-based policy',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'es:ESHttp*',
          Resource: `arn:aws:es:us-west-1:${A}:domain/test-domain/*`,
          Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24'] } },
        },
      ],
    },
  ],
  'AWS::Kinesis::Stream': [
    {
      about: 'Kinesis Data Streams Developer Guide, data stream policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStreamSummary'],
          Resource: `arn:aws:kinesis:us-east-2:${A}:stream/datastreamName`,
        },
      ],
    },
    {
      about: 'Kinesis Data Streams Developer Guide, sharing a stream with another account',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:role/KinesisReader` },
          Action: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStreamSummary'],
          Resource: `arn:aws:kinesis:us-east-2:${A}:stream/datastreamName`,
        },
      ],
    },
  ],
  'AWS::Kinesis::StreamConsumer': [
    {
      about: 'Kinesis Data Streams Developer Guide, consumer policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'],
          Resource: `arn:aws:kinesis:us-east-2:${A}:stream/datastreamName/consumer/consumerName:1626379862`,
        },
      ],
    },
    {
      about: 'Kinesis Data Streams Developer Guide, sharing a consumer with another account',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${B}:role/EfoConsumer` },
          Action: ['kinesis:DescribeStreamConsumer', 'kinesis:SubscribeToShard'],
          Resource: `arn:aws:kinesis:us-east-2:${A}:stream/datastreamName/consumer/consumerName:1626379862`,
        },
      ],
    },
  ],
  'AWS::KMS::Key': [
    {
      about: 'KMS Developer Guide, key policy statement for every AWS principal, without a condition',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ],
    },
    {
      about:
        'KMS Developer Guide, the AWS managed key policy for EBS: every principal, fenced by kms:CallerAccount and kms:ViaService',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
          Condition: {
            StringEquals: { 'kms:CallerAccount': A, 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' },
          },
        },
      ],
    },
  ],
  'AWS::Lambda::Function': [
    {
      about:
        'Lambda Developer Guide, a function URL with auth type NONE: lambda:FunctionUrlAuthType does not fence',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'lambda:InvokeFunctionUrl',
          Resource: `arn:aws:lambda:us-east-1:${A}:function:my-function`,
          Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
        },
      ],
    },
    {
      about:
        'Lambda Developer Guide, invoke permission for Amazon S3 with aws:SourceArn and aws:SourceAccount',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: `arn:aws:lambda:us-east-1:${A}:function:my-function`,
          Condition: {
            StringEquals: { 'aws:SourceAccount': A },
            ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::amzn-s3-demo-bucket' },
          },
        },
      ],
    },
    {
      about: 'the same without the conditions: any bucket of any account can invoke it (confused deputy)',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: `arn:aws:lambda:us-east-1:${A}:function:my-function`,
        },
      ],
    },
    {
      about: 'Lambda API reference, AddPermission with an EventSourceToken (an Alexa skill)',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 'alexa-connectedhome.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: `arn:aws:lambda:us-east-1:${A}:function:my-function`,
          Condition: {
            StringEquals: {
              'lambda:EventSourceToken': 'amzn1.ask.skill.0123abcd-4567-89ef-0123-456789abcdef',
            },
          },
        },
      ],
    },
  ],
  'AWS::S3::Bucket': [
    {
      about: 'S3 User Guide, static website hosting: public read',
      expected: 'FAIL',
      statements: [
        {
          Sid: 'PublicReadGetObject',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
        },
      ],
    },
    {
      about: 'S3 User Guide, restricting access to a specific VPC endpoint',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
        },
      ],
    },
    {
      about: 'S3 User Guide, delegating access control to the access points of the bucket owner',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: '*',
          Resource: ['arn:aws:s3:::amzn-s3-demo-bucket', 'arn:aws:s3:::amzn-s3-demo-bucket/*'],
          Condition: { StringEquals: { 's3:DataAccessPointAccount': A } },
        },
      ],
    },
  ],
  'AWS::S3::AccessPoint': [
    {
      about: 'S3 User Guide, access point policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: `arn:aws:s3:us-west-2:${A}:accesspoint/my-access-point/object/Jane/*`,
        },
      ],
    },
    {
      about: 'S3 User Guide, access point policy granting one IAM user',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:user/Jane` },
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: `arn:aws:s3:us-west-2:${A}:accesspoint/my-access-point/object/Jane/*`,
        },
      ],
    },
  ],
  'AWS::S3Express::DirectoryBucket': [
    {
      about: 'S3 User Guide, directory bucket policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3express:CreateSession',
          Resource: `arn:aws:s3express:us-west-2:${A}:bucket/amzn-s3-demo-bucket--usw2-az1--x-s3`,
        },
      ],
    },
    {
      about: 'S3 User Guide, directory bucket policy for the bucket owner account',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: A },
          Action: 's3express:CreateSession',
          Resource: `arn:aws:s3express:us-west-2:${A}:bucket/amzn-s3-demo-bucket--usw2-az1--x-s3`,
        },
      ],
    },
  ],
  'AWS::S3Express::AccessPoint': [
    {
      about: 'S3 User Guide, access point for directory buckets opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3express:CreateSession',
          Resource: `arn:aws:s3express:us-west-2:${A}:accesspoint/my-ap--usw2-az1--xa-s3`,
        },
      ],
    },
    {
      about: 'the same, for one role of the owner account',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:role/Analytics` },
          Action: 's3express:CreateSession',
          Resource: `arn:aws:s3express:us-west-2:${A}:accesspoint/my-ap--usw2-az1--xa-s3`,
        },
      ],
    },
  ],
  'AWS::S3::Glacier': [
    {
      about: 'S3 Glacier Developer Guide, vault access policy granting read-only access to all accounts',
      expected: 'FAIL',
      statements: [
        {
          Sid: 'add-read-only-perm',
          Effect: 'Allow',
          Principal: '*',
          Action: ['glacier:InitiateJob', 'glacier:GetJobOutput'],
          Resource: `arn:aws:glacier:us-west-2:${A}:vaults/examplevault`,
        },
      ],
    },
    {
      about: 'S3 Glacier Developer Guide, vault access policy granting cross-account permissions',
      expected: 'PASS',
      statements: [
        {
          Sid: 'cross-account-upload',
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${B}:root`, 'arn:aws:iam::777788889999:root'] },
          Action: ['glacier:UploadArchive', 'glacier:InitiateMultipartUpload'],
          Resource: `arn:aws:glacier:us-west-2:${A}:vaults/examplevault`,
        },
      ],
    },
  ],
  'AWS::S3Outposts::Bucket': [
    {
      about: 'S3 on Outposts User Guide, bucket policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3-outposts:GetObject',
          Resource: `arn:aws:s3-outposts:us-west-2:${A}:outpost/op-01ac5d28a6a232904/bucket/example-outposts-bucket/*`,
        },
      ],
    },
    {
      about: 'S3 on Outposts User Guide, bucket policy for the owner account',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: A },
          Action: 's3-outposts:GetObject',
          Resource: `arn:aws:s3-outposts:us-west-2:${A}:outpost/op-01ac5d28a6a232904/bucket/example-outposts-bucket/*`,
        },
      ],
    },
  ],
  'AWS::S3Outposts::AccessPoint': [
    {
      about: 'S3 on Outposts User Guide, access point policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 's3-outposts:GetObject',
          Resource: `arn:aws:s3-outposts:us-west-2:${A}:outpost/op-01ac5d28a6a232904/accesspoint/example-outposts-access-point/object/*`,
        },
      ],
    },
    {
      about: 'S3 on Outposts User Guide, access point policy for one user',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:user/Jane` },
          Action: 's3-outposts:GetObject',
          Resource: `arn:aws:s3-outposts:us-west-2:${A}:outpost/op-01ac5d28a6a232904/accesspoint/example-outposts-access-point/object/*`,
        },
      ],
    },
  ],
  'AWS::S3Tables::TableBucket': [
    {
      about: 'S3 User Guide, table bucket policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3tables:GetTableData', 's3tables:GetTableMetadataLocation'],
          Resource: `arn:aws:s3tables:us-east-1:${A}:bucket/amzn-s3-demo-table-bucket/table/*`,
        },
      ],
    },
    {
      about: 'S3 User Guide, table bucket policy granting a role of the owner account',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:role/DataEngineer` },
          Action: ['s3tables:GetTableData', 's3tables:GetTableMetadataLocation'],
          Resource: `arn:aws:s3tables:us-east-1:${A}:bucket/amzn-s3-demo-table-bucket/table/*`,
        },
      ],
    },
  ],
  'AWS::S3Tables::Table': [
    {
      about: 'S3 User Guide, table policy opened to everyone',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3tables:GetTableData', 's3tables:PutTableData'],
          Resource: `arn:aws:s3tables:us-east-1:${A}:bucket/amzn-s3-demo-table-bucket/table/01234567-89ab-cdef-0123-456789abcdef`,
        },
      ],
    },
    {
      about: 'S3 User Guide, table policy for principals of one organization',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3tables:GetTableData', 's3tables:PutTableData'],
          Resource: `arn:aws:s3tables:us-east-1:${A}:bucket/amzn-s3-demo-table-bucket/table/01234567-89ab-cdef-0123-456789abcdef`,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
        },
      ],
    },
  ],
  'AWS::SecretsManager::Secret': [
    {
      about: 'Secrets Manager User Guide, resource policy opened to every AWS principal',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
        },
      ],
    },
    {
      about: 'Secrets Manager User Guide, access from a specific VPC endpoint',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'secretsmanager:GetSecretValue',
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1234a5678b9012c' } },
        },
      ],
    },
  ],
  'AWS::SNS::Topic': [
    {
      about: 'SNS Developer Guide, a topic whose publishers are "Everyone"',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'SNS:Publish',
          Resource: `arn:aws:sns:us-east-2:${A}:MyTopic`,
        },
      ],
    },
    {
      about:
        'SNS Developer Guide, S3 event notifications to a topic with aws:SourceArn and aws:SourceAccount',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'SNS:Publish',
          Resource: `arn:aws:sns:us-east-2:${A}:MyTopic`,
          Condition: {
            ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::amzn-s3-demo-bucket' },
            StringEquals: { 'aws:SourceAccount': A },
          },
        },
      ],
    },
  ],
  'AWS::SQS::Queue': [
    {
      about:
        'SQS Developer Guide, an SNS subscription without aws:SourceArn: any topic of any account can send',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: `arn:aws:sqs:us-east-2:${A}:MyQueue`,
        },
      ],
    },
    {
      about: 'SQS Developer Guide, the same with the topic as aws:SourceArn',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: `arn:aws:sqs:us-east-2:${A}:MyQueue`,
          Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:sns:us-east-2:${B}:MyTopic` } },
        },
      ],
    },
  ],
  'AWS::IAM::AssumeRolePolicyDocument': [
    {
      about:
        'IAM User Guide, OIDC federation for GitHub Actions with only the audience: every repository on GitHub can assume the role',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' } },
        },
      ],
    },
    {
      about: 'the same with the subject naming one repository (its branches under it)',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${A}:oidc-provider/token.actions.githubusercontent.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
            StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:octo-org/octo-repo:*' },
          },
        },
      ],
    },
    {
      about: 'IAM User Guide, a role for Amazon Cognito identity pools (cognito-identity.amazonaws.com:aud)',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'cognito-identity.amazonaws.com:aud': 'us-east-2:12345678-abcd-abcd-abcd-123456789012',
            },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          },
        },
      ],
    },
    {
      about: "IAM User Guide, SAML 2.0 federation through the account's own identity provider",
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${A}:saml-provider/ExampleOrgSSOProvider` },
          Action: 'sts:AssumeRoleWithSAML',
          Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } },
        },
      ],
    },
    {
      about: 'IAM User Guide, a role for a third party with an external id: the account is named',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: B },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'Unique ID Assigned by Example Corp' } },
        },
      ],
    },
    {
      about:
        'a service role without aws:SourceAccount or aws:SourceArn (IAM User Guide, "The confused deputy problem")',
      expected: 'FAIL',
      statements: [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    },
    {
      about: 'the same with aws:SourceAccount, as the confused-deputy guidance recommends',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 'ec2.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': A } },
        },
      ],
    },
  ],
  'AWS::ApiGateway::RestApi': [
    {
      about: 'API Gateway Developer Guide, resource policy allowing every caller',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:us-east-1:${A}:abcdef1234/*`,
        },
      ],
    },
    {
      about: 'API Gateway Developer Guide, allowing API traffic from a source IP range',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'execute-api:Invoke',
          Resource: `arn:aws:execute-api:us-east-1:${A}:abcdef1234/*`,
          Condition: { IpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '198.51.100.0/24'] } },
        },
      ],
    },
  ],
  'AWS::CodeArtifact::Domain': [
    {
      about: 'CodeArtifact User Guide, domain policy for every principal',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['codeartifact:GetAuthorizationToken', 'codeartifact:GetDomainPermissionsPolicy'],
          Resource: '*',
        },
      ],
    },
    {
      about: 'CodeArtifact User Guide, domain policy for an organization (aws:PrincipalOrgID)',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'codeartifact:GetAuthorizationToken',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
        },
      ],
    },
  ],
  'AWS::Backup::BackupVault': [
    {
      about: 'AWS Backup Developer Guide, vault access policy letting any account copy into the vault',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'backup:CopyIntoBackupVault',
          Resource: '*',
        },
      ],
    },
    {
      about: 'AWS Backup Developer Guide, allowing copies from accounts of one organization',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: 'backup:CopyIntoBackupVault',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
        },
      ],
    },
  ],
  'AWS::CloudTrail::Dashboard': [
    {
      about: 'CloudTrail User Guide, dashboard policy for the CloudTrail service without its source',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'cloudtrail:StartDashboardRefresh',
          Resource: `arn:aws:cloudtrail:us-east-1:${A}:dashboard/exampleDash`,
        },
      ],
    },
    {
      about: 'CloudTrail User Guide, the same with aws:SourceArn and aws:SourceAccount',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 'cloudtrail:StartDashboardRefresh',
          Resource: `arn:aws:cloudtrail:us-east-1:${A}:dashboard/exampleDash`,
          Condition: {
            StringEquals: {
              'AWS:SourceArn': `arn:aws:cloudtrail:us-east-1:${A}:dashboard/exampleDash`,
              'AWS:SourceAccount': A,
            },
          },
        },
      ],
    },
  ],
  'AWS::CloudTrail::EventDataStore': [
    {
      about: 'CloudTrail User Guide, event data store policy for every AWS principal',
      expected: 'FAIL',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['cloudtrail:StartQuery', 'cloudtrail:GetQueryResults'],
          Resource: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE`,
        },
      ],
    },
    {
      about: 'CloudTrail User Guide, cross-account queries on an event data store',
      expected: 'PASS',
      statements: [
        {
          Effect: 'Allow',
          Principal: { AWS: [`arn:aws:iam::${B}:root`] },
          Action: ['cloudtrail:StartQuery', 'cloudtrail:GetQueryResults'],
          Resource: `arn:aws:cloudtrail:us-east-1:${A}:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE`,
        },
      ],
    },
  ],
};

const doc = (statements: Statement[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

async function run(resourceType: string, policy: string): Promise<CheckOutcome> {
  const engine = await createNodeEngine();
  return engine.run(
    { check: 'CheckNoPublicAccess', policyDocument: policy, resourceType },
    { timeoutMs: 20_000 },
  );
}

describe('CheckNoPublicAccess accepts exactly Access Analyzer’s 26 resource types', () => {
  it('the table, the cases and the API list are the same 26 names', () => {
    expect(PUBLIC_RESOURCE_TYPES).toHaveLength(26);
    expect(Object.keys(CASES).sort()).toEqual([...PUBLIC_RESOURCE_TYPES].sort());
  });

  it('every service prefix a reading counts is one the catalog has', async () => {
    const catalog = await loadDefaultCatalog();
    for (const type of PUBLIC_RESOURCE_TYPES)
      for (const s of publicReading(type)!.services)
        expect(catalog.matchingActions(`${s}:*`).length, `${type}: ${s}`).toBeGreaterThan(0);
  });

  it('a name AWS does not accept is an input error that lists the accepted ones', async () => {
    const policy = doc(CASES['AWS::S3::Bucket']![0]!.statements);
    for (const name of [...Object.keys(RETIRED_PUBLIC_TYPES), 'aws::s3::bucket', 'AWS::S3::Object', '']) {
      const out = await run(name, policy);
      expect(out.ok, name).toBe(false);
      if (out.ok) continue;
      expect(out.error.code).toBe('INVALID_RESOURCE_TYPE');
      for (const t of PUBLIC_RESOURCE_TYPES) expect(out.error.message).toContain(t);
    }
    expect(unsupportedTypeDetail('AWS::Glacier::Vault')).toContain(
      'Access Analyzer names it AWS::S3::Glacier',
    );
    expect(unsupportedTypeDetail('AWS::ECR::Repository')).toContain('does not check it for public access');
    expect(unsupportedTypeDetail('aws::sqs::queue')).toContain('did you mean AWS::SQS::Queue?');
  });
});

describe('a public and a fenced policy per resource type (answers in golden/public/)', () => {
  for (const type of PUBLIC_RESOURCE_TYPES)
    it(type, async () => {
      const answers: Record<string, unknown>[] = [];
      for (const c of CASES[type]!) {
        const out = await run(type, doc(c.statements));
        answers.push({ about: c.about, expected: c.expected, answer: out });
        if (!out.ok) throw new Error(`${c.about}: ${JSON.stringify(out.error)}`);
        const r = out.response as CheckResponse;
        expect(r.result, c.about).toBe(c.expected);
        if (c.expected === 'FAIL') {
          // The counterexample is an outsider's by the type's reading, on an action of its services.
          const reading = publicReading(type)!;
          const ce = r.counterexamples[0]!;
          expect(reading.services.some((s) => ce.request.action.toLowerCase().startsWith(`${s}:`))).toBe(
            true,
          );
          expect(r.reasons.length).toBeGreaterThan(0);
        }
      }
      await expect(goldenText(answers)).toMatchFileSnapshot(
        `./golden/public/${type.replace(/::/g, '-')}.json`,
      );
    });
});

describe('the fences and the outsider test (outsider.ts), concretely', () => {
  const policy = (condition: Record<string, unknown>): Policy => {
    const r = parsePolicy(
      doc([
        { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*', Condition: condition },
      ]),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.findings));
    return r.policy;
  };
  const trust = publicReading('AWS::IAM::AssumeRolePolicyDocument')!;

  it('fixed values fence; wildcards fence only where the rule names an owner', () => {
    const f = fencesOf(
      [
        policy({
          StringLike: {
            'aws:SourceArn': [`arn:aws:sns:us-east-1:${A}:*`, 'arn:aws:sns:*:444455556666:*', '*'],
            'aws:userid': ['AROAEXAMPLEID:*', '*:alice'],
            'token.actions.githubusercontent.com:sub': ['repo:octo-org/*', 'repo:*'],
            'aws:SourceVpce': 'vpce-*',
          },
          StringEquals: { 'aws:SourceAccount': A, 'lambda:EventSourceToken': 'x' },
        }),
      ],
      trust,
    );
    expect(Object.fromEntries(f)).toEqual({
      'aws:sourcearn': [`arn:aws:sns:us-east-1:${A}:*`],
      'aws:userid': ['AROAEXAMPLEID:*'],
      'token.actions.githubusercontent.com:sub': ['repo:octo-org/*'],
      'aws:sourceaccount': [A],
    });
  });

  it('a service counts only acting for an account the policy does not name; a known SAML provider is the account’s own', () => {
    const p = policy({});
    const o = { reading: trust, trusted: [], orgs: [], publicMode: true };
    const known = [A];
    const req = (principal: object, context: Record<string, string> = {}) =>
      notOutsider(
        { action: 'sts:AssumeRole', resource: '*', context, principal } as never,
        o,
        known,
        fencesOf([p], trust),
      );
    expect(req({ type: 'Service', id: 'ec2.amazonaws.com' })).toMatch(/no aws:SourceAccount/);
    expect(req({ type: 'Service', id: 'ec2.amazonaws.com' }, { 'aws:SourceAccount': A })).toMatch(/names/);
    expect(req({ type: 'Service', id: 'ec2.amazonaws.com' }, { 'aws:SourceAccount': B })).toBeUndefined();
    expect(req({ type: 'Federated', id: `arn:aws:iam::${A}:saml-provider/Idp` })).toMatch(/SAML provider/);
    expect(req({ type: 'Federated', id: `arn:aws:iam::${A}:oidc-provider/example.com` })).toBeUndefined();
    expect(req({ type: 'AWS', id: `arn:aws:iam::${A}:user/Bob` })).toMatch(/named by the policy/);
    expect(req({ type: 'Anonymous' })).toBeUndefined();
    // a bucket's reading counts no identity provider, and only s3 actions
    const bucket = { ...o, reading: publicReading('AWS::S3::Bucket')! };
    expect(
      notOutsider(
        {
          action: 's3:GetObject',
          resource: '*',
          context: {},
          principal: { type: 'Federated', id: 'x' },
        } as never,
        bucket,
        known,
        new Map(),
      ),
    ).toMatch(/does not count/);
    expect(
      notOutsider(
        { action: 'sqs:SendMessage', resource: '*', context: {}, principal: { type: 'Anonymous' } } as never,
        bucket,
        known,
        new Map(),
      ),
    ).toMatch(/not an action of s3/);
  });
});
