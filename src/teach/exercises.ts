/**
 * The built-in exercises of the Learn view, easy to hard. Each has a task, a starting policy, a
 * hidden test suite, a reference solution and answers a learner plausibly writes that are still
 * wrong; exercises.test.ts runs all of them through the engine, so every suite is proven solvable
 * (the solution passes every test), the start is not already right, and each wrong answer is caught.
 * Test names are what a learner sees when that test fails: they say what is wrong, never the fix.
 */
import type { RangeTest } from '../checks/policy-tests.ts';
import type { Exercise } from './exercise-format.ts';

/** A built-in exercise: the shared shape plus what proves its suite (never put in a link). */
export interface BuiltinExercise extends Exercise {
  level: 'easy' | 'medium' | 'hard';
  solution: string;
  /** answers that look right and are not, with the mistake they make */
  wrong: { text: string; mistake: string }[];
}

const doc = (...Statement: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement }, null, 2);

type Range = Omit<RangeTest, 'name' | 'expect'>;
const never = (name: string, t: Range): RangeTest => ({ name, expect: 'never-allowed', ...t });
const always = (name: string, t: Range): RangeTest => ({ name, expect: 'always-allowed', ...t });

const FULL_AWS_ACCESS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

// ---------------------------------------------------------------------------------------------------

const REPORTS = 'arn:aws:s3:::reports';
const readOneBucket: BuiltinExercise = {
  id: 'read-one-bucket',
  level: 'easy',
  title: 'Read one bucket, nothing else',
  task:
    'The analytics role needs to read the objects of the bucket `reports` (`s3:GetObject`) and list that bucket (`s3:ListBucket`). ' +
    'Today its policy allows every S3 action on everything. Narrow it: these two things must keep working, and nothing else may be allowed.',
  target: { kind: 'policy', policyType: 'IDENTITY_POLICY' },
  hint: [],
  start: doc({ Sid: 'Reports', Effect: 'Allow', Action: 's3:*', Resource: '*' }),
  solution: doc(
    { Sid: 'ReadObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: `${REPORTS}/*` },
    { Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: REPORTS },
  ),
  suite: {
    tests: [
      always('Reading an object of reports must work', {
        actions: ['s3:GetObject'],
        resources: [`${REPORTS}/*`],
      }),
      always('Listing the bucket reports must work', { actions: ['s3:ListBucket'], resources: [REPORTS] }),
      never('Nothing may be written or deleted, in any bucket', { actions: ['s3:Put*', 's3:Delete*'] }),
      never('Other buckets stay closed', {
        actions: ['s3:*'],
        resources: ['arn:aws:s3:::other-bucket', 'arn:aws:s3:::other-bucket/*'],
      }),
      never('A bucket whose name only starts with "reports" is another bucket', {
        actions: ['s3:*'],
        resources: ['arn:aws:s3:::reports-*'],
      }),
      never('Reading objects is not reading their ACLs, tags or the bucket policy', {
        actions: ['s3:GetObjectAcl', 's3:GetObjectTagging', 's3:GetBucketPolicy', 's3:GetBucketAcl'],
        resources: [REPORTS, `${REPORTS}/*`],
      }),
      never('No other service is reachable', { actions: ['iam:*', 'ec2:*', 'kms:*', 'sts:*'] }),
    ],
  },
  wrong: [
    {
      mistake: 'the right actions on every resource',
      text: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
    },
    {
      mistake: 'a resource pattern that also matches reports-archive',
      text: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: `${REPORTS}*` }),
    },
    {
      mistake: 'Get* and List* are more than reading objects',
      text: doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: [REPORTS, `${REPORTS}/*`] }),
    },
    {
      mistake: 'listing forgotten',
      text: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `${REPORTS}/*` }),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------

const PROD = 'arn:aws:s3:::prod-data';
const mfaDeletes: BuiltinExercise = {
  id: 'mfa-for-deletes',
  level: 'easy',
  title: 'Require MFA for deletes',
  task:
    'Admins manage the objects of the bucket `prod-data`: they read, write and delete them. ' +
    'Change the policy so that every delete (any `s3:Delete*` action) needs multi-factor authentication (the key `aws:MultiFactorAuthPresent`), ' +
    'while reading and writing keep working without it.',
  target: { kind: 'policy', policyType: 'IDENTITY_POLICY' },
  hint: ['context'],
  start: doc({ Sid: 'ManageProdData', Effect: 'Allow', Action: 's3:*', Resource: [PROD, `${PROD}/*`] }),
  solution: doc(
    { Sid: 'ManageProdData', Effect: 'Allow', Action: 's3:*', Resource: [PROD, `${PROD}/*`] },
    {
      Sid: 'DeletesNeedMFA',
      Effect: 'Deny',
      Action: 's3:Delete*',
      Resource: [PROD, `${PROD}/*`],
      Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
    },
  ),
  suite: {
    tests: [
      never('A delete signed without MFA is refused', {
        actions: ['s3:Delete*'],
        resources: [PROD, `${PROD}/*`],
        context: { 'aws:MultiFactorAuthPresent': 'false' },
      }),
      never('A delete with long-term access keys (the request has no MFA key at all) is refused', {
        actions: ['s3:Delete*'],
        resources: [PROD, `${PROD}/*`],
        context: { 'aws:MultiFactorAuthPresent': null },
      }),
      always('With MFA, deleting an object works', {
        actions: ['s3:DeleteObject'],
        resources: [`${PROD}/*`],
        context: { 'aws:MultiFactorAuthPresent': 'true' },
      }),
      always('Reading and writing objects need no MFA', {
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [`${PROD}/*`],
      }),
    ],
  },
  wrong: [
    {
      mistake: 'Bool does not match a request without the key',
      text: doc(
        { Effect: 'Allow', Action: 's3:*', Resource: [PROD, `${PROD}/*`] },
        {
          Effect: 'Deny',
          Action: 's3:Delete*',
          Resource: [PROD, `${PROD}/*`],
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ),
    },
    {
      mistake: 'an extra Allow with MFA changes nothing while s3:* is allowed anyway',
      text: doc(
        { Effect: 'Allow', Action: 's3:*', Resource: [PROD, `${PROD}/*`] },
        {
          Effect: 'Allow',
          Action: 's3:Delete*',
          Resource: [PROD, `${PROD}/*`],
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
      ),
    },
    {
      mistake: 'denies every action without MFA, reads included',
      text: doc(
        { Effect: 'Allow', Action: 's3:*', Resource: [PROD, `${PROD}/*`] },
        {
          Effect: 'Deny',
          Action: 's3:*',
          Resource: '*',
          Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------

const SHARED = 'arn:aws:s3:::shared-data';
const teamPrefix: BuiltinExercise = {
  id: 'team-prefix',
  level: 'medium',
  title: "A team's own prefix",
  task:
    'Team alpha shares the bucket `shared-data` with other teams. Let alpha read and write objects only under `alpha/`, ' +
    'and list the bucket only for keys under `alpha/` (a ListBucket request names its prefix in the key `s3:prefix`).',
  target: { kind: 'policy', policyType: 'IDENTITY_POLICY' },
  hint: ['context'],
  start: doc(
    { Sid: 'Objects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${SHARED}/*` },
    { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: SHARED },
  ),
  solution: doc(
    {
      Sid: 'Objects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject'],
      Resource: `${SHARED}/alpha/*`,
    },
    {
      Sid: 'List',
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: SHARED,
      Condition: { StringLike: { 's3:prefix': ['alpha/', 'alpha/*'] } },
    },
  ),
  suite: {
    tests: [
      always('Alpha reads and writes its own objects', {
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [`${SHARED}/alpha/*`],
      }),
      never("Another team's objects stay closed", { actions: ['s3:*'], resources: [`${SHARED}/beta/*`] }),
      never('A key that only starts with "alpha" (alpha-archive/…) is not under alpha/', {
        actions: ['s3:*'],
        resources: [`${SHARED}/alpha-*`],
      }),
      always('Alpha lists its prefix', {
        actions: ['s3:ListBucket'],
        resources: [SHARED],
        context: { 's3:prefix': 'alpha/' },
      }),
      always('Alpha lists the folders beneath its prefix', {
        actions: ['s3:ListBucket'],
        resources: [SHARED],
        context: { 's3:prefix': 'alpha/reports/' },
      }),
      never("Listing another team's prefix is refused", {
        actions: ['s3:ListBucket'],
        resources: [SHARED],
        context: { 's3:prefix': 'beta/' },
      }),
      never('Listing the whole bucket (no prefix in the request) is refused', {
        actions: ['s3:ListBucket'],
        resources: [SHARED],
        context: { 's3:prefix': null },
      }),
    ],
  },
  wrong: [
    {
      mistake: 'alpha* also matches alpha-archive/',
      text: doc(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${SHARED}/alpha*` },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: SHARED,
          Condition: { StringLike: { 's3:prefix': 'alpha/*' } },
        },
      ),
    },
    {
      mistake: 'listing without a condition lists everything',
      text: doc(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${SHARED}/alpha/*` },
        { Effect: 'Allow', Action: 's3:ListBucket', Resource: SHARED },
      ),
    },
    {
      mistake: 'StringEquals lists alpha/ but not its folders',
      text: doc(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${SHARED}/alpha/*` },
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: SHARED,
          Condition: { StringEquals: { 's3:prefix': 'alpha/' } },
        },
      ),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------

const ACCOUNT = '111122223333';
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/Deployer`;
const trustOneRole: BuiltinExercise = {
  id: 'trust-one-role',
  level: 'medium',
  title: 'A trust policy only one role can assume',
  task:
    `This is the trust policy of a role in account ${ACCOUNT}. Today any principal of the account that has the IAM permission can assume it. ` +
    `Make it so that only the role \`${DEPLOYER}\` can assume it (\`sts:AssumeRole\`).`,
  target: { kind: 'policy', policyType: 'RESOURCE_POLICY' },
  hint: ['caller'],
  start: doc({
    Sid: 'WhoMayAssume',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: 'sts:AssumeRole',
  }),
  solution: doc({
    Sid: 'WhoMayAssume',
    Effect: 'Allow',
    Principal: { AWS: DEPLOYER },
    Action: 'sts:AssumeRole',
  }),
  suite: {
    tests: [
      always('The Deployer role can assume this role', {
        actions: ['sts:AssumeRole'],
        principals: [DEPLOYER],
      }),
      never('Another role of the account cannot', {
        actions: ['sts:AssumeRole'],
        principals: [`arn:aws:iam::${ACCOUNT}:role/Developer`],
      }),
      never('A role whose name only starts with "Deployer" is another role', {
        actions: ['sts:AssumeRole'],
        principals: [`arn:aws:iam::${ACCOUNT}:role/DeployerTest`],
      }),
      never('A user of the account cannot', {
        actions: ['sts:AssumeRole'],
        principals: [`arn:aws:iam::${ACCOUNT}:user/alice`],
      }),
      never('Another account cannot', { principals: ['arn:aws:iam::444455556666:root'] }),
      never('Only sts:AssumeRole: no web identity or SAML session, no tagging', {
        actions: ['sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML', 'sts:TagSession'],
      }),
      {
        name: 'An anonymous caller cannot',
        expect: 'denied',
        request: {
          principal: 'anonymous',
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${ACCOUNT}:role/Target`,
        },
      },
    ],
  },
  wrong: [
    {
      mistake: 'a PrincipalArn pattern with a wildcard admits DeployerTest',
      text: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 'sts:AssumeRole',
        Condition: { ArnLike: { 'aws:PrincipalArn': `${DEPLOYER}*` } },
      }),
    },
    {
      mistake: 'sts:* lets the role do more than assume it',
      text: doc({ Effect: 'Allow', Principal: { AWS: DEPLOYER }, Action: 'sts:*' }),
    },
    {
      mistake: 'the right role, but the whole account is still trusted',
      text: doc(
        { Effect: 'Allow', Principal: { AWS: DEPLOYER }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' },
      ),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------

const UPLOADS = 'arn:aws:s3:::team-uploads';
const noPublicBucket: BuiltinExercise = {
  id: 'no-public-bucket',
  level: 'medium',
  title: 'Stop public access in a bucket policy',
  task:
    `The bucket \`team-uploads\` was opened to the world by mistake. Keep it working for account ${ACCOUNT} ` +
    '(every principal of the account reads and uploads objects) and make sure no one else — anonymous visitors, other accounts — gets anything.',
  target: { kind: 'policy', policyType: 'RESOURCE_POLICY' },
  hint: ['caller'],
  start: doc({
    Sid: 'TeamUploads',
    Effect: 'Allow',
    Principal: '*',
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: `${UPLOADS}/*`,
  }),
  solution: doc({
    Sid: 'TeamUploads',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
    Action: ['s3:GetObject', 's3:PutObject'],
    Resource: `${UPLOADS}/*`,
  }),
  suite: {
    tests: [
      always("The team's account reads and uploads objects", {
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [`${UPLOADS}/*`],
        principals: [`arn:aws:iam::${ACCOUNT}:root`],
      }),
      never('Another account gets nothing', { principals: ['arn:aws:iam::444455556666:root'] }),
      {
        name: 'An anonymous visitor cannot read',
        expect: 'denied',
        request: { principal: 'anonymous', action: 's3:GetObject', resource: `${UPLOADS}/index.html` },
      },
      {
        name: 'An anonymous visitor cannot upload',
        expect: 'denied',
        request: { principal: 'anonymous', action: 's3:PutObject', resource: `${UPLOADS}/upload.bin` },
      },
    ],
  },
  wrong: [
    {
      mistake: 'a Deny for anonymous callers only: other accounts still get in',
      text: doc(
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject', 's3:PutObject'],
          Resource: `${UPLOADS}/*`,
        },
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: `${UPLOADS}/*`,
          Condition: { Null: { 'aws:PrincipalAccount': 'true' } },
        },
      ),
    },
    {
      mistake: 'a Principal of one role is not the whole account',
      text: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Uploader` },
        Action: ['s3:GetObject', 's3:PutObject'],
        Resource: `${UPLOADS}/*`,
      }),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------

const ORG = 'o-a1b2c3d4e5';
const SHARED_REPORTS = 'arn:aws:s3:::shared-reports';
const orgOnlyBucket: BuiltinExercise = {
  id: 'org-only-bucket',
  level: 'medium',
  title: 'A bucket only your organization can read',
  task:
    `Teams in every account of your organization \`${ORG}\` read the bucket \`shared-reports\` (\`s3:GetObject\`), and accounts join and leave it. ` +
    'The policy lists two accounts by hand. Rewrite it so that every principal in the organization can read objects, no one outside it can, ' +
    'and nobody writes through this policy — without listing accounts.',
  target: { kind: 'policy', policyType: 'RESOURCE_POLICY' },
  hint: ['caller', 'context'],
  start: doc({
    Sid: 'OrgRead',
    Effect: 'Allow',
    Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`, 'arn:aws:iam::444455556666:root'] },
    Action: 's3:GetObject',
    Resource: `${SHARED_REPORTS}/*`,
  }),
  solution: doc({
    Sid: 'OrgRead',
    Effect: 'Allow',
    Principal: '*',
    Action: 's3:GetObject',
    Resource: `${SHARED_REPORTS}/*`,
    Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
  }),
  suite: {
    tests: [
      always('A principal of an account that just joined the organization can read', {
        actions: ['s3:GetObject'],
        resources: [`${SHARED_REPORTS}/*`],
        principals: ['arn:aws:iam::777788889999:root'],
        context: { 'aws:PrincipalOrgID': ORG },
      }),
      always('The accounts already in the organization can read', {
        actions: ['s3:GetObject'],
        resources: [`${SHARED_REPORTS}/*`],
        principals: [`arn:aws:iam::${ACCOUNT}:root`, 'arn:aws:iam::444455556666:root'],
        context: { 'aws:PrincipalOrgID': ORG },
      }),
      never('A principal of another organization cannot read', {
        context: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' },
      }),
      never('A caller in no organization (anonymous included) cannot read', {
        context: { 'aws:PrincipalOrgID': null },
      }),
      never('Nobody writes or changes the bucket through this policy', {
        actions: ['s3:Put*', 's3:Delete*'],
      }),
    ],
  },
  wrong: [
    {
      mistake: 'StringLike o-* admits every organization',
      text: doc({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: `${SHARED_REPORTS}/*`,
        Condition: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } },
      }),
    },
    {
      mistake: 'the organization condition on one account only',
      text: doc({
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: 's3:GetObject',
        Resource: `${SHARED_REPORTS}/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      }),
    },
    {
      mistake: 's3:* for the organization lets it write too',
      text: doc({
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:*',
        Resource: `${SHARED_REPORTS}/*`,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
      }),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------

const LAKE = 'arn:aws:s3:::data-lake';
const JOBS = `arn:aws:glue:eu-west-1:${ACCOUNT}:job/*`;
const scpBreaksNothing: BuiltinExercise = {
  id: 'scp-breaks-nothing',
  level: 'hard',
  title: 'An SCP change that breaks nothing for this role',
  task:
    'Security wants an SCP on the account that stops anyone from deleting buckets (`s3:DeleteBucket`) or changing a bucket policy ' +
    '(`s3:PutBucketPolicy`, `s3:DeleteBucketPolicy`). Your SCP is attached to the account next to FullAWSAccess. ' +
    'The role `Pipeline` may do anything in S3 on the bucket `data-lake` and runs Glue jobs; it must keep doing everything its job needs: ' +
    'reading, writing and deleting objects, listing the bucket, running its jobs.',
  target: {
    kind: 'scenario',
    answerIn: 'scp',
    scenario: {
      callerAccount: ACCOUNT,
      caller: `arn:aws:sts::${ACCOUNT}:assumed-role/Pipeline/run-42`,
      identityPolicies: [
        {
          Version: '2012-10-17',
          Statement: [
            { Sid: 'DataLake', Effect: 'Allow', Action: 's3:*', Resource: [LAKE, `${LAKE}/*`] },
            { Sid: 'Jobs', Effect: 'Allow', Action: ['glue:StartJobRun', 'glue:GetJobRun'], Resource: JOBS },
          ],
        },
      ],
      scps: [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS]],
    },
  },
  hint: ['layers'],
  start: doc({ Sid: 'ProtectBuckets', Effect: 'Deny', Action: ['s3:Delete*', 's3:*Policy'], Resource: '*' }),
  solution: doc({
    Sid: 'ProtectBuckets',
    Effect: 'Deny',
    Action: ['s3:DeleteBucket', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
    Resource: '*',
  }),
  suite: {
    tests: [
      never('Deleting a bucket is refused', { actions: ['s3:DeleteBucket'] }),
      never("A bucket's policy cannot be changed", {
        actions: ['s3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      }),
      always('The pipeline reads and writes objects of the lake', {
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [`${LAKE}/*`],
      }),
      always('The pipeline deletes objects (its clean-up step)', {
        actions: ['s3:DeleteObject'],
        resources: [`${LAKE}/*`],
      }),
      always('The pipeline lists the lake', {
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [LAKE],
      }),
      always('The pipeline runs its Glue jobs', {
        actions: ['glue:StartJobRun', 'glue:GetJobRun'],
        resources: [JOBS],
      }),
    ],
  },
  wrong: [
    {
      mistake: 's3:*Bucket* also denies ListBucket and GetBucketLocation',
      text: doc({ Effect: 'Deny', Action: 's3:*Bucket*', Resource: '*' }),
    },
    {
      mistake: 's3:Delete* also denies DeleteObject',
      text: doc({ Effect: 'Deny', Action: ['s3:Delete*', 's3:PutBucketPolicy'], Resource: '*' }),
    },
    {
      mistake: 'an Allow in an SCP next to FullAWSAccess denies nothing',
      text: doc({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
        Resource: '*',
      }),
    },
  ],
};

// ---------------------------------------------------------------------------------------------------

const REGIONS = ['eu-west-1', 'eu-central-1'];
const GLOBAL = ['iam:*', 'sts:*', 'cloudfront:*', 'route53:*', 'organizations:*', 'support:*'];
const region = (r: string) => ({ 'aws:RequestedRegion': r });
const regionsScp: BuiltinExercise = {
  id: 'two-regions-scp',
  level: 'hard',
  title: 'Two regions, without breaking global services',
  task:
    `Keep the account in ${REGIONS.map((r) => `\`${r}\``).join(' and ')}: deny every request to another region (the key \`aws:RequestedRegion\`). ` +
    'Global services must keep working from anywhere: IAM, STS, CloudFront, Route 53, Organizations and Support (their requests name us-east-1). ' +
    "Your SCP is attached to the account next to FullAWSAccess; the Admin role's own policy allows everything. " +
    'AWS\'s example SCP (Scenario mode, "Region restriction") shows one way.',
  target: {
    kind: 'scenario',
    answerIn: 'scp',
    scenario: {
      callerAccount: ACCOUNT,
      caller: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/ops`,
      identityPolicies: [FULL_AWS_ACCESS],
      scps: [[FULL_AWS_ACCESS], [FULL_AWS_ACCESS]],
    },
  },
  hint: ['context', 'layers'],
  start: doc({
    Sid: 'DenyOtherRegions',
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': REGIONS } },
  }),
  solution: doc({
    Sid: 'DenyOtherRegions',
    Effect: 'Deny',
    NotAction: GLOBAL,
    Resource: '*',
    Condition: { StringNotEquals: { 'aws:RequestedRegion': REGIONS } },
  }),
  suite: {
    tests: [
      never('Nothing regional runs in us-east-1', {
        actions: ['ec2:*', 'lambda:*', 's3:GetObject', 'dynamodb:*'],
        context: region('us-east-1'),
      }),
      never('Nothing regional runs in Mumbai (ap-south-1)', {
        actions: ['ec2:RunInstances', 's3:PutObject'],
        context: region('ap-south-1'),
      }),
      never('Other European regions are outside too (eu-north-1)', {
        actions: ['ec2:RunInstances', 'lambda:CreateFunction'],
        context: region('eu-north-1'),
      }),
      always('Everything works in Ireland (eu-west-1)', {
        actions: ['ec2:*', 'lambda:*', 's3:GetObject'],
        context: region('eu-west-1'),
      }),
      always('Everything works in Frankfurt (eu-central-1)', {
        actions: ['ec2:RunInstances', 'dynamodb:*'],
        context: region('eu-central-1'),
      }),
      always('IAM and STS work (their requests name us-east-1)', {
        actions: ['iam:*', 'sts:GetCallerIdentity', 'sts:GetSessionToken'],
        context: region('us-east-1'),
      }),
      always('CloudFront and Route 53 work', {
        actions: ['cloudfront:*', 'route53:*'],
        context: region('us-east-1'),
      }),
      always('Organizations and Support work', {
        actions: ['organizations:DescribeOrganization', 'support:*'],
        context: region('us-east-1'),
      }),
    ],
  },
  wrong: [
    {
      mistake: 'only IAM and STS are exempt',
      text: doc({
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': REGIONS } },
      }),
    },
    {
      mistake: 'eu-* admits every European region',
      text: doc({
        Effect: 'Deny',
        NotAction: GLOBAL,
        Resource: '*',
        Condition: { StringNotLike: { 'aws:RequestedRegion': 'eu-*' } },
      }),
    },
    {
      mistake: 'only EC2 is kept in the regions',
      text: doc({
        Effect: 'Deny',
        Action: 'ec2:*',
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': REGIONS } },
      }),
    },
  ],
};

/** The built-in exercises, easy to hard. */
export const EXERCISES: BuiltinExercise[] = [
  readOneBucket,
  mfaDeletes,
  teamPrefix,
  trustOneRole,
  noPublicBucket,
  orgOnlyBucket,
  scpBreaksNothing,
  regionsScp,
];

/** The shareable part of a built-in exercise (no solution, no wrong answers). */
export function shareable(e: BuiltinExercise): Exercise {
  const { solution: _s, wrong: _w, level: _l, ...rest } = e;
  return rest;
}
