/**
 * The check request, validated: its documents parsed (oversized or invalid text refused with a
 * readable error) and its arguments checked, before any question is built. Shared by the checks
 * (checks.ts, early.ts) and the SMT-LIB export (export.ts).
 */
import type { PolicyType } from '../evaluate/request.ts';
import type { Policy } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { MAX_POLICY_CHARS } from './limits.ts';
import type { AccessSpec, CheckRequest, InputError } from './types.ts';

/** Bad input to a check: reported as an InputError, never as a verdict. */
export class InputProblem extends Error {
  constructor(readonly error: InputError) {
    super(error.message);
  }
}

/** Parses one document of a check, refusing oversized or invalid text with a readable error. */
function parseDoc(text: string, document: string): Policy {
  if (text.length > MAX_POLICY_CHARS)
    throw new InputProblem({
      code: 'POLICY_TOO_LARGE',
      message: `The ${document} policy is ${Math.round(text.length / 1024)} KiB; the engine takes up to ${MAX_POLICY_CHARS / 1024} KiB (AWS allows 6 KiB for a managed policy).`,
      document,
    });
  const r = parsePolicy(text);
  if (!r.ok) {
    const first = r.findings.find((f) => f.findingType === 'ERROR');
    throw new InputProblem({
      code: first?.issueCode ?? 'INVALID_POLICY',
      message: `The ${document} policy is not valid: ${first?.findingDetails ?? 'unknown problem'}`,
      findings: r.findings,
      document,
    });
  }
  return r.policy;
}

/** Services whose resource policies CheckNoPublicAccess understands, by resource type. */
export const RESOURCE_TYPE_SERVICES: Record<string, string> = {
  'AWS::S3::Bucket': 's3',
  'AWS::S3::AccessPoint': 's3',
  'AWS::S3Express::DirectoryBucket': 's3express',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::KMS::Key': 'kms',
  'AWS::Lambda::Function': 'lambda',
  'AWS::SecretsManager::Secret': 'secretsmanager',
  'AWS::IAM::AssumeRolePolicyDocument': 'sts',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::ECR::Repository': 'ecr',
  'AWS::Glacier::Vault': 'glacier',
  'AWS::EFS::FileSystem': 'elasticfilesystem',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::Backup::BackupVault': 'backup',
};

export interface OutsidersOptions {
  /** CheckNoPublicAccess: only actions of this service matter */
  service?: string;
  trusted: string[];
  orgs: string[];
  /** CheckNoPublicAccess: every account the policy names counts as known, fixed identifying values bound the callers */
  publicMode: boolean;
}

/** The service of a CheckNoPublicAccess resource type, or a clear error. */
function publicAccessService(resourceType: string): string {
  const service = RESOURCE_TYPE_SERVICES[resourceType];
  if (!service)
    throw new InputProblem({
      code: 'INVALID_RESOURCE_TYPE',
      message: `Unsupported resource type "${resourceType}". Use one of ${Object.keys(RESOURCE_TYPE_SERVICES).join(', ')}.`,
    });
  return service;
}

/** The trusted accounts of NoAccessOutsideAccounts, checked. */
function checkTrusted(trustedAccounts: string[], trustedOrgIds: string[] | undefined): void {
  const bad = trustedAccounts.find((a) => !/^\d{12}$/.test(a));
  if (bad !== undefined)
    throw new InputProblem({ code: 'INVALID_ACCOUNT', message: `"${bad}" is not a 12-digit account id.` });
  if (trustedAccounts.length === 0 && !trustedOrgIds?.length)
    throw new InputProblem({
      code: 'MISSING_TRUSTED',
      message: 'Give at least one trusted account id or organization id.',
    });
}

/** A check request with its documents parsed and its arguments checked: what a check asks about. */
export type ParsedCheck =
  | { kind: 'noNewAccess'; existing: Policy; next: Policy; policyType: PolicyType; exactNewAccess: boolean }
  | { kind: 'accessNotGranted'; policy: Policy; access: AccessSpec[]; policyType: PolicyType }
  | { kind: 'outsiders'; policy: Policy; options: OutsidersOptions }
  | { kind: 'compare'; a: Policy; b: Policy; policyType: PolicyType };

/**
 * Parses a check's documents (named existing/new, policy, a/b in errors) and checks its arguments;
 * throws InputProblem.
 */
export function parseCheck(req: CheckRequest): ParsedCheck {
  switch (req.check) {
    case 'CheckNoNewAccess':
      return {
        kind: 'noNewAccess',
        existing: parseDoc(req.existingPolicyDocument, 'existing'),
        next: parseDoc(req.newPolicyDocument, 'new'),
        policyType: req.policyType,
        exactNewAccess: req.exactNewAccess ?? true,
      };
    case 'CheckAccessNotGranted':
      return {
        kind: 'accessNotGranted',
        policy: parseDoc(req.policyDocument, 'policy'),
        access: req.access,
        policyType: req.policyType,
      };
    case 'CheckNoPublicAccess': {
      const policy = parseDoc(req.policyDocument, 'policy');
      const service = publicAccessService(req.resourceType);
      return { kind: 'outsiders', policy, options: { service, trusted: [], orgs: [], publicMode: true } };
    }
    case 'NoAccessOutsideAccounts': {
      const policy = parseDoc(req.policyDocument, 'policy');
      checkTrusted(req.trustedAccounts, req.trustedOrgIds);
      return {
        kind: 'outsiders',
        policy,
        options: { trusted: req.trustedAccounts, orgs: req.trustedOrgIds ?? [], publicMode: false },
      };
    }
    case 'ComparePolicies':
      return {
        kind: 'compare',
        a: parseDoc(req.policyA, 'a'),
        b: parseDoc(req.policyB, 'b'),
        policyType: req.policyType,
      };
  }
}
