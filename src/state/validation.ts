/**
 * What the editors validate documents as: Access Analyzer's four policy types (and a resource
 * policy's resource type), chosen next to the editor or, by default ("Auto"), read from the check's
 * settings. Derived, not stored: the snapshot keeps only the choice.
 */
import {
  VALIDATE_POLICY_TYPES,
  VALIDATE_RESOURCE_TYPES,
  type PolicyType as ValidatePolicyType,
  type ValidateResourceType,
} from '../policy/validate.ts';

/** `AUTO`: the check's policy type (a resource policy for CheckNoPublicAccess). */
export const VALIDATE_AS = ['AUTO', ...VALIDATE_POLICY_TYPES] as const;
export type ValidateAs = (typeof VALIDATE_AS)[number];

/** '' when the policy is validated as attached to no particular resource type. */
export const VALIDATE_ATTACHED_TO = ['', ...VALIDATE_RESOURCE_TYPES] as const;
export type ValidateAttachedTo = (typeof VALIDATE_ATTACHED_TO)[number];

export interface Validation {
  policyType: ValidatePolicyType;
  resourceType?: ValidateResourceType;
}

interface ValidationFields {
  check: string;
  policyType: 'IDENTITY_POLICY' | 'RESOURCE_POLICY';
  resourceType: string;
  validateAs: ValidateAs;
  validateResourceType: ValidateAttachedTo;
}

const isValidateResourceType = (t: string): t is ValidateResourceType =>
  (VALIDATE_RESOURCE_TYPES as readonly string[]).includes(t);

/** The policy type (as the check reads it when `AUTO`) and resource type the editors validate as. */
export function selectValidation(s: ValidationFields): Validation {
  const publicCheck = s.check === 'CheckNoPublicAccess';
  const policyType: ValidatePolicyType =
    s.validateAs !== 'AUTO' ? s.validateAs : publicCheck ? 'RESOURCE_POLICY' : s.policyType;
  if (policyType !== 'RESOURCE_POLICY') return { policyType };
  if (s.validateResourceType) return { policyType, resourceType: s.validateResourceType };
  // AUTO for CheckNoPublicAccess: the public-access check's resource type, when ValidatePolicy has it.
  if (s.validateAs === 'AUTO' && publicCheck && isValidateResourceType(s.resourceType))
    return { policyType, resourceType: s.resourceType };
  return { policyType };
}
