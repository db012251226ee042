/**
 * The Scenario mode's examples: whole authorization stacks built from AWS's published SCPs and RCPs
 * (src/fixtures/org-policies, kept as published) and the cases the IAM User Guide walks through. Each
 * one loads with one click: its layers, caller, accounts and the check that makes its point.
 * scenarioExamples.test.ts runs every one through the engine and holds it to `expected`.
 */
import denyLeaving from '../fixtures/org-policies/scp/Privileged-access-controls__Deny-member-accounts-from-leaving-your-AWS-organization.json' with { type: 'json' };
import regionScp from '../fixtures/org-policies/scp/Region-controls__Deny-access-to-AWS-based-on-the-requested-AWS-region.json' with { type: 'json' };
import servicePrincipalRcp from '../fixtures/org-policies/rcp/Restrict-resource-access-patterns__Enforce-controls-on-AWS-services-that-use-service-principals-to-access-your-resources.json' with { type: 'json' };
import {
  FULL_AWS_ACCESS,
  slotPlaces,
  type PolicySlot,
  type ScenarioDraft,
  type ScenarioState,
} from './scenario.ts';

export interface ScenarioExample {
  name: string;
  title: string;
  explanation: string;
  /** the check's verdict (PASS, FAIL, a compare result) or the evaluated decision */
  expected: string;
  state: ScenarioState;
}

const A = '111122223333';
const B = '444455556666';
const ORG = 'o-a1b2c3d4e5';
const BUCKET = 'arn:aws:s3:::amzn-s3-demo-bucket';

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);
const doc = (...Statement: object[]): string => pretty({ Version: '2012-10-17', Statement });

/** Builds a draft's slots with ids p1, p2, … in the order given. */
function slots() {
  let n = 0;
  return (text: string, old: string = text): PolicySlot => ({ id: `p${++n}`, text, old });
}

const BASE_DRAFT: ScenarioDraft = {
  callerAccount: A,
  resourceAccount: '',
  callerKind: 'any',
  callerArn: '',
  callerService: '',
  isManagementAccount: false,
  identity: [],
  boundary: null,
  session: [],
  resource: null,
  scps: null,
  rcps: null,
};

const BASE_STATE: Omit<ScenarioState, 'draft' | 'selected'> = {
  check: 'ScenarioAccessNotGranted',
  accessActions: '',
  accessResources: '',
  resourceType: 'AWS::S3::Bucket',
  trustedAccounts: A,
  requestAction: 's3:GetObject',
  requestResource: `${BUCKET}/report.csv`,
  requestPrincipal: '',
  requestContext: '',
};

function state(
  draft: Partial<ScenarioDraft>,
  settings: Partial<Omit<ScenarioState, 'draft'>>,
): ScenarioState {
  const d = { ...BASE_DRAFT, ...draft };
  return { ...BASE_STATE, selected: slotPlaces(d)[0]?.slot.id ?? '', ...settings, draft: d };
}

const crossAccount = (() => {
  const slot = slots();
  return state(
    {
      callerAccount: A,
      resourceAccount: B,
      callerKind: 'arn',
      callerArn: `arn:aws:iam::${A}:role/Reader`,
      identity: [
        slot(doc({ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: `${BUCKET}/*` })),
      ],
      resource: slot(
        doc({
          Sid: 'ShareWithAccountA',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:root` },
          Action: ['s3:GetObject', 's3:ListBucket'],
          Resource: [BUCKET, `${BUCKET}/*`],
        }),
      ),
    },
    { check: 'ScenarioAccessNotGranted', accessActions: 's3:GetObject' },
  );
})();

const regionControls = (() => {
  const slot = slots();
  return state(
    {
      callerKind: 'arn',
      callerArn: `arn:aws:iam::${A}:role/Developer`,
      identity: [slot(doc({ Sid: 'Compute', Effect: 'Allow', Action: ['ec2:*', 's3:*'], Resource: '*' }))],
      scps: [[slot(FULL_AWS_ACCESS)], [slot(FULL_AWS_ACCESS), slot(pretty(regionScp))]],
    },
    {
      check: 'EvaluateScenario',
      requestAction: 'ec2:RunInstances',
      requestResource: `arn:aws:ec2:ap-south-1:${A}:instance/*`,
      requestContext: pretty({ 'aws:RequestedRegion': 'ap-south-1' }),
    },
  );
})();
regionControls.selected = regionControls.draft.scps![1]![1]!.id;

const denyLeavingOrg = (() => {
  const slot = slots();
  return state(
    {
      callerKind: 'arn',
      callerArn: `arn:aws:iam::${A}:role/Admin`,
      identity: [
        slot(
          doc({
            Sid: 'AdminTasks',
            Effect: 'Allow',
            Action: ['s3:GetObject', 'organizations:LeaveOrganization', 'organizations:DescribeOrganization'],
            Resource: '*',
          }),
        ),
      ],
      // the old scenario has no second SCP at the account: the diff shows it added
      scps: [[slot(FULL_AWS_ACCESS)], [slot(FULL_AWS_ACCESS), slot(pretty(denyLeaving), '')]],
    },
    { check: 'CompareScenarios' },
  );
})();
denyLeavingOrg.selected = denyLeavingOrg.draft.scps![1]![1]!.id;

const dataPerimeter = (() => {
  const slot = slots();
  // After AWS's data-perimeter examples (aws-samples/data-perimeter-policy-examples, identity
  // perimeter RCP), with this organization's id; the second RCP is the published one, as published.
  const identityPerimeter = doc({
    Sid: 'EnforceOrgIdentities',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:*', 'sqs:*', 'kms:*', 'secretsmanager:*', 'sts:AssumeRole'],
    Resource: '*',
    Condition: {
      StringNotEqualsIfExists: { 'aws:PrincipalOrgID': ORG },
      BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' },
    },
  });
  return state(
    {
      resource: slot(
        doc({
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: '*',
          Action: 's3:GetObject',
          Resource: `${BUCKET}/*`,
        }),
      ),
      rcps: [[slot(identityPerimeter), slot(pretty(servicePrincipalRcp))]],
    },
    { check: 'ScenarioNoPublicAccess', resourceType: 'AWS::S3::Bucket' },
  );
})();

const boundary = (() => {
  const slot = slots();
  return state(
    {
      callerKind: 'arn',
      callerArn: `arn:aws:iam::${A}:role/Developer`,
      identity: [
        slot(doc({ Sid: 'DeveloperAccess', Effect: 'Allow', Action: ['s3:*', 'iam:*'], Resource: '*' })),
      ],
      boundary: slot(
        doc({
          Sid: 'DeveloperBoundary',
          Effect: 'Allow',
          Action: ['s3:*', 'cloudwatch:*', 'iam:Get*', 'iam:List*'],
          Resource: '*',
        }),
      ),
    },
    {
      check: 'ScenarioAccessNotGranted',
      accessActions: 'iam:CreateUser, iam:AttachRolePolicy, iam:PutRolePolicy',
    },
  );
})();

const kmsKey = (() => {
  const slot = slots();
  return state(
    {
      callerKind: 'arn',
      callerArn: `arn:aws:iam::${A}:role/App`,
      identity: [
        slot(doc({ Sid: 'UseKeys', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: '*' })),
      ],
      resource: slot(
        doc({
          Sid: 'AllowKeyAdministrators',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${A}:role/KeyAdmin` },
          Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:List*', 'kms:Put*', 'kms:Update*'],
          Resource: '*',
        }),
      ),
    },
    { check: 'ScenarioAccessNotGranted', accessActions: 'kms:Decrypt' },
  );
})();

export const SCENARIO_EXAMPLES: ScenarioExample[] = [
  {
    name: 'cross-account-bucket',
    title: 'Cross-account bucket access',
    explanation:
      'A role in account A reads a bucket of account B: across accounts the identity policy and the bucket policy must both allow, and here they do.',
    expected: 'FAIL',
    state: crossAccount,
  },
  {
    name: 'region-scp',
    title: 'Region restriction SCP',
    explanation:
      "AWS's region SCP: a Deny with a NotAction list of global services outside eu-central-1 and eu-west-1. RunInstances in ap-south-1 is denied at the account's level.",
    expected: 'ExplicitlyDenied',
    state: regionControls,
  },
  {
    name: 'deny-leaving-org',
    title: 'Deny leaving the organization',
    explanation:
      "Adding AWS's SCP that denies organizations:LeaveOrganization: compared with the old stack it breaks exactly that action and opens nothing.",
    expected: 'MORE_PERMISSIVE',
    state: denyLeavingOrg,
  },
  {
    name: 'data-perimeter-rcp',
    title: 'Data perimeter RCP',
    explanation:
      'A public bucket policy behind an RCP that denies principals outside the organization (aws:PrincipalOrgID). RCPs do not apply to service-linked roles: those still get in.',
    expected: 'FAIL',
    state: dataPerimeter,
  },
  {
    name: 'boundary-caps-developer',
    title: 'A boundary caps a developer role',
    explanation:
      'The role may do iam:* but its permissions boundary only reads IAM: no IAM write is ever allowed. Remove the boundary and the check fails.',
    expected: 'PASS',
    state: boundary,
  },
  {
    name: 'kms-key-policy',
    title: 'A KMS key policy',
    explanation:
      "The identity policy allows kms:Decrypt, but a key policy must allow too, even in the same account. Add the default statement (Principal the account's root) and it delegates to IAM.",
    expected: 'PASS',
    state: kmsKey,
  },
];

export const DEFAULT_SCENARIO: ScenarioState = crossAccount;
