/**
 * The resource types CheckNoPublicAccess accepts — Access Analyzer's own list, by AWS's exact names
 * (API reference, CheckNoPublicAccess, `resourceType`) — and for each the reading of "public" the
 * check follows: which services' actions count, which callers can be outsiders, and which keys, beyond
 * every type's, fence callers with their fixed values. The table is documented, with its sources, in
 * docs/semantics-decisions.md ("Public access, per resource type"). Pure data, no engine: the page's
 * selectors and stored state read the names from here.
 */

/** A kind of caller that may count as an outsider, beyond anonymous and the principals of accounts. */
type ExtraOutsider = 'service' | 'identity-provider';

/** How a fencing key's values fence (which of them bound the callers). */
export type FenceRule =
  /** values without a wildcard or a variable */
  | 'fixed'
  /** fixed values, and `AROA…:*`: every session of one role (aws:userid) */
  | 'userid'
  /** paths under a fixed organization, `o-…/…`, wildcards after it allowed (org paths) */
  | 'org-path'
  /** fixed values, and ARN patterns whose account field is a fixed 12-digit id (aws:SourceArn) */
  | 'arn-account'
  /** fixed values, and patterns whose text before the first wildcard holds a `/` (`repo:ORG/*`) */
  | 'owner-prefix';

export interface Fence {
  /** lower-case key name, or `*:sub`: that key of any identity provider */
  key: string;
  rule: FenceRule;
}

/** What counts as public for one resource type. */
export interface PublicReading {
  /** the resource type, as Access Analyzer spells it */
  type: string;
  /** what the policy under check is */
  policy: string;
  /** service prefixes (lower case) whose actions count: access to the resource is one of theirs */
  services: readonly string[];
  /** kinds of caller that count besides anonymous callers and principals of unnamed accounts */
  outsiders: readonly ExtraOutsider[];
  /** keys beyond COMMON_FENCES whose values fence callers for this type */
  fences: readonly Fence[];
  /** the AWS documentation this reading follows, beyond the pages every type shares */
  source: string;
}

/**
 * Keys whose values fence callers for every type (SEMANTICS.md, CheckNoPublicAccess; Access
 * Analyzer's filter keys; the IAM User Guide's "The confused deputy problem" for the `aws:Source*`
 * keys a service principal brings). Account keys (aws:PrincipalAccount, aws:PrincipalArn,
 * kms:CallerAccount) fence through the accounts the policy names, not through this list.
 */
export const COMMON_FENCES: readonly Fence[] = [
  { key: 'aws:sourceip', rule: 'fixed' },
  { key: 'aws:sourcevpc', rule: 'fixed' },
  { key: 'aws:sourcevpce', rule: 'fixed' },
  { key: 'aws:sourcearn', rule: 'arn-account' },
  { key: 'aws:sourceaccount', rule: 'fixed' },
  { key: 'aws:sourceowner', rule: 'fixed' },
  { key: 'aws:sourceorgid', rule: 'fixed' },
  { key: 'aws:sourceorgpaths', rule: 'org-path' },
  { key: 'aws:principalorgid', rule: 'fixed' },
  { key: 'aws:principalorgpaths', rule: 'org-path' },
  { key: 'aws:userid', rule: 'userid' },
];

const SERVICE: readonly ExtraOutsider[] = ['service'];
const fixed = (...keys: string[]): Fence[] => keys.map((key) => ({ key, rule: 'fixed' }));

/**
 * Access Analyzer's 26 resource types, in its API reference's order. Every type counts service
 * principals (confused deputy); only a role's trust policy can name an identity provider.
 */
const READINGS: readonly PublicReading[] = [
  {
    type: 'AWS::DynamoDB::Table',
    policy: 'table resource-based policy',
    services: ['dynamodb'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon DynamoDB Developer Guide, "Using resource-based policies for DynamoDB"',
  },
  {
    type: 'AWS::DynamoDB::Stream',
    policy: 'stream resource-based policy',
    services: ['dynamodb'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon DynamoDB Developer Guide, "Resource-based policy for streams"',
  },
  {
    type: 'AWS::EFS::FileSystem',
    policy: 'file system policy',
    services: ['elasticfilesystem'],
    outsiders: SERVICE,
    fences: [],
    source:
      'IAM User Guide, "IAM Access Analyzer resource types" (Amazon EFS: mounting from another account is external access)',
  },
  {
    type: 'AWS::OpenSearchService::Domain',
    policy: 'domain access policy',
    services: ['es'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon OpenSearch Service Developer Guide, "Resource-based policies"',
  },
  {
    type: 'AWS::Kinesis::Stream',
    policy: 'data stream resource-based policy',
    services: ['kinesis'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon Kinesis Data Streams Developer Guide, "Resource-based policies"',
  },
  {
    type: 'AWS::Kinesis::StreamConsumer',
    policy: 'stream consumer resource-based policy',
    services: ['kinesis'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon Kinesis Data Streams Developer Guide, "Resource-based policies" (consumers)',
  },
  {
    type: 'AWS::KMS::Key',
    policy: 'key policy',
    services: ['kms'],
    outsiders: SERVICE,
    fences: [],
    source:
      'IAM User Guide, "IAM Access Analyzer resource types" (KMS keys: kms:CallerAccount names the accounts that may use the key)',
  },
  {
    type: 'AWS::Lambda::Function',
    policy: 'function policy',
    services: ['lambda'],
    outsiders: SERVICE,
    fences: fixed('lambda:eventsourcetoken'),
    source:
      'IAM User Guide, "IAM Access Analyzer resource types" (Lambda: permissions added with an EventSourceToken); Lambda API reference, AddPermission',
  },
  {
    type: 'AWS::S3::Bucket',
    policy: 'bucket policy',
    services: ['s3'],
    outsiders: SERVICE,
    fences: fixed('s3:dataaccesspointaccount', 's3:dataaccesspointarn'),
    source:
      'Amazon S3 User Guide, "Delegating access control to access points" (s3:DataAccessPointAccount, s3:DataAccessPointArn)',
  },
  {
    type: 'AWS::S3::AccessPoint',
    policy: 'access point policy',
    services: ['s3'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon S3 User Guide, "Configuring IAM policies for using access points"',
  },
  {
    type: 'AWS::S3Express::DirectoryBucket',
    policy: 'directory bucket policy',
    services: ['s3express'],
    outsiders: SERVICE,
    fences: fixed('s3express:dataaccesspointaccount', 's3express:dataaccesspointarn'),
    source:
      'Amazon S3 User Guide, "Authorizing Regional endpoint API operations with IAM" (directory buckets)',
  },
  {
    type: 'AWS::S3Express::AccessPoint',
    policy: 'directory bucket access point policy',
    services: ['s3express'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon S3 User Guide, "Access points for directory buckets"',
  },
  {
    type: 'AWS::S3::Glacier',
    policy: 'vault access policy',
    services: ['glacier'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon S3 Glacier Developer Guide, "Vault access policies"',
  },
  {
    type: 'AWS::S3Outposts::Bucket',
    policy: 'Outposts bucket policy',
    services: ['s3-outposts'],
    outsiders: SERVICE,
    fences: fixed('s3-outposts:dataaccesspointaccount', 's3-outposts:dataaccesspointarn'),
    source: 'Amazon S3 on Outposts User Guide, "Setting up IAM with S3 on Outposts"',
  },
  {
    type: 'AWS::S3Outposts::AccessPoint',
    policy: 'Outposts access point policy',
    services: ['s3-outposts'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon S3 on Outposts User Guide, "Setting up IAM with S3 on Outposts"',
  },
  {
    type: 'AWS::S3Tables::TableBucket',
    policy: 'table bucket policy',
    services: ['s3tables'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon S3 User Guide, "Resource-based policies for S3 Tables"',
  },
  {
    type: 'AWS::S3Tables::Table',
    policy: 'table policy',
    services: ['s3tables'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon S3 User Guide, "Resource-based policies for S3 Tables"',
  },
  {
    type: 'AWS::SecretsManager::Secret',
    policy: 'secret resource policy',
    services: ['secretsmanager'],
    outsiders: SERVICE,
    fences: [],
    source: 'AWS Secrets Manager User Guide, "Resource-based policies"',
  },
  {
    type: 'AWS::SNS::Topic',
    policy: 'topic policy',
    services: ['sns'],
    outsiders: SERVICE,
    fences: [],
    source:
      'IAM User Guide, "IAM Access Analyzer resource types" (SNS: Everyone makes a topic public); Amazon SNS Developer Guide, confused deputy (aws:SourceArn, aws:SourceAccount)',
  },
  {
    type: 'AWS::SQS::Queue',
    policy: 'queue policy',
    services: ['sqs'],
    outsiders: SERVICE,
    fences: [],
    source: 'Amazon SQS Developer Guide, "Using policies" (aws:SourceArn for SNS and S3 senders)',
  },
  {
    type: 'AWS::IAM::AssumeRolePolicyDocument',
    policy: 'role trust policy',
    services: ['sts'],
    outsiders: ['service', 'identity-provider'],
    fences: [
      ...fixed(
        'cognito-identity.amazonaws.com:aud',
        'accounts.google.com:aud',
        'graph.facebook.com:app_id',
        'www.amazon.com:app_id',
      ),
      { key: '*:sub', rule: 'owner-prefix' },
    ],
    source:
      'IAM User Guide, "IAM Access Analyzer filter keys" (the web identity keys), "IAM Access Analyzer resource types" (roles), "Create a role for OpenID Connect federation" (the sub claim)',
  },
  {
    type: 'AWS::ApiGateway::RestApi',
    policy: 'API Gateway resource policy',
    services: ['execute-api'],
    outsiders: SERVICE,
    fences: [],
    source: 'API Gateway Developer Guide, "Control access to an API with API Gateway resource policies"',
  },
  {
    type: 'AWS::CodeArtifact::Domain',
    policy: 'domain policy',
    services: ['codeartifact'],
    outsiders: SERVICE,
    fences: [],
    source: 'CodeArtifact User Guide, "Domain policies"',
  },
  {
    type: 'AWS::Backup::BackupVault',
    policy: 'backup vault access policy',
    services: ['backup'],
    outsiders: SERVICE,
    fences: [],
    source: 'AWS Backup Developer Guide, "Vault access policies"',
  },
  {
    type: 'AWS::CloudTrail::Dashboard',
    policy: 'dashboard resource-based policy',
    services: ['cloudtrail'],
    outsiders: SERVICE,
    fences: [],
    source: 'AWS CloudTrail User Guide, "Resource-based policy examples for dashboards"',
  },
  {
    type: 'AWS::CloudTrail::EventDataStore',
    policy: 'event data store resource-based policy',
    services: ['cloudtrail'],
    outsiders: SERVICE,
    fences: [],
    source: 'AWS CloudTrail User Guide, "Resource-based policy examples for event data stores"',
  },
];

const BY_TYPE = new Map(READINGS.map((r) => [r.type, r]));

/** The 26 names, in Access Analyzer's order: what the app offers and the CLI lists. */
export const PUBLIC_RESOURCE_TYPES: readonly string[] = READINGS.map((r) => r.type);

/** The reading of one resource type, by its exact name; undefined for a name AWS does not accept. */
export function publicReading(type: string): PublicReading | undefined {
  return BY_TYPE.get(type);
}

/**
 * Names this engine once accepted that Access Analyzer does not, with their AWS name where there is
 * one: S3 Glacier vaults are `AWS::S3::Glacier`; ECR repositories are not among the types
 * CheckNoPublicAccess takes (Access Analyzer's findings know them, its check does not).
 */
export const RETIRED_PUBLIC_TYPES: Readonly<Record<string, string | undefined>> = {
  'AWS::Glacier::Vault': 'AWS::S3::Glacier',
  'AWS::ECR::Repository': undefined,
};

/** The accepted name a near miss meant: the same name in other letter case, or a retired name's successor. */
export function meantPublicType(type: string): string | undefined {
  const t = type.trim();
  if (Object.hasOwn(RETIRED_PUBLIC_TYPES, t)) return RETIRED_PUBLIC_TYPES[t];
  return PUBLIC_RESOURCE_TYPES.find((n) => n.toLowerCase() === t.toLowerCase());
}

/** Why a name is not accepted, listing the accepted ones (INVALID_RESOURCE_TYPE's detail). */
export function unsupportedTypeDetail(type: string): string {
  const meant = meantPublicType(type);
  const hint = Object.hasOwn(RETIRED_PUBLIC_TYPES, type.trim())
    ? meant
      ? ` (Access Analyzer names it ${meant})`
      : ' (Access Analyzer does not check it for public access)'
    : meant
      ? ` (did you mean ${meant}?)`
      : '';
  return `"${type}" is not a resource type Access Analyzer accepts${hint}; use one of ${PUBLIC_RESOURCE_TYPES.join(', ')}`;
}
