/**
 * What every part of the validator reads: the policy and its JSON tree, the catalog, the policy
 * type (Access Analyzer's four) and the optional resource type of a resource policy, and where the
 * findings go.
 */
import type { Node } from 'jsonc-parser';
import type { Catalog } from '../../catalog/catalog.ts';
import type { Policy } from '../model.ts';
import type { ArnShapes } from './arn.ts';
import type { Out } from './findings.ts';

/** Access Analyzer ValidatePolicy's `policyType` values. */
export const VALIDATE_POLICY_TYPES = [
  'IDENTITY_POLICY',
  'RESOURCE_POLICY',
  'SERVICE_CONTROL_POLICY',
  'RESOURCE_CONTROL_POLICY',
] as const;
export type PolicyType = (typeof VALIDATE_POLICY_TYPES)[number];

/**
 * Access Analyzer ValidatePolicy's `validatePolicyResourceType` values: the resource a resource
 * policy is attached to, which brings that resource's own rules. Only with RESOURCE_POLICY.
 */
export const VALIDATE_RESOURCE_TYPES = [
  'AWS::S3::Bucket',
  'AWS::S3::AccessPoint',
  'AWS::S3::MultiRegionAccessPoint',
  'AWS::S3ObjectLambda::AccessPoint',
  'AWS::IAM::AssumeRolePolicyDocument',
  'AWS::DynamoDB::Table',
] as const;
export type ValidateResourceType = (typeof VALIDATE_RESOURCE_TYPES)[number];

export interface ValidateOptions {
  catalog: Catalog;
  /** defaults to IDENTITY_POLICY */
  policyType?: PolicyType;
  /** only with RESOURCE_POLICY (Access Analyzer refuses it with the other types) */
  validatePolicyResourceType?: ValidateResourceType;
}

export interface ValidationContext {
  policy: Policy;
  root: Node;
  text: string;
  catalog: Catalog;
  type: PolicyType;
  resourceType: ValidateResourceType | undefined;
  out: Out;
  /** only what can be an ERROR of the grammar (what a check needs to know): skips the costlier warnings */
  errorsOnly: boolean;
  arns: ArnShapes;
}

/** Policies whose caller is the identity they are attached to: no Principal. */
export function identityLike(type: PolicyType): boolean {
  return type === 'IDENTITY_POLICY' || type === 'SERVICE_CONTROL_POLICY';
}

/** Policies of AWS Organizations: they only limit what other policies grant. */
export function organizationPolicy(type: PolicyType): boolean {
  return type === 'SERVICE_CONTROL_POLICY' || type === 'RESOURCE_CONTROL_POLICY';
}

/** "statement 2 (Sid ReadOnly)": how findings name a statement. */
export function statementName(st: { index: number; sid?: string }): string {
  return `statement ${st.index}${st.sid ? ` (Sid ${st.sid})` : ''}`;
}
