/**
 * `learnMoreLink` for every finding, as Access Analyzer gives it: the check's section of the IAM
 * User Guide's "IAM policy validation check reference" where Access Analyzer has the check (its
 * anchors are `access-analyzer-reference-policy-checks-<error|general-warning|security-warning|
 * suggestion>-<title>`), else the User Guide or Service Authorization Reference page about the
 * element the finding is about (for this project's own codes, such as ACTION_WITHOUT_MATCHING_RESOURCE).
 */

const CHECKS =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html';
const GUIDE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/';
const REFERENCE =
  'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html';

/** Codes Access Analyzer has, with the anchor of their section (without the common prefix). */
const ANCHORS: Record<string, string> = {
  // Access Analyzer's own codes, as this project raises them.
  ALLOW_WITH_NOT_PRINCIPAL: 'security-warning-allow-with-not-principal',
  ARN_ACCOUNT_NOT_ALLOWED: 'error-arn-account-not-allowed',
  ARN_REGION_NOT_ALLOWED: 'error-arn-region-not-allowed',
  DATA_TYPE_MISMATCH: 'error-data-type-mismatch',
  DUPLICATE_KEYS_WITH_DIFFERENT_CASE: 'error-duplicate-keys-with-different-case',
  EMPTY_ARRAY_PRINCIPAL: 'suggestion-empty-array-principal',
  EMPTY_OBJECT_PRINCIPAL: 'suggestion-empty-object-principal',
  FEDERATED_PRINCIPAL_NOT_SUPPORTED: 'error-federated-principal-not-supported',
  FORALLVALUES_WITH_SINGLE_VALUED_KEY: 'security-warning-forallvalues-with-single-valued-key',
  INVALID_ACTION: 'error-invalid-action',
  INVALID_ARN_ACCOUNT: 'error-invalid-arn-account',
  INVALID_ARN_PREFIX: 'error-invalid-arn-prefix',
  INVALID_ARN_RESOURCE: 'error-invalid-arn-resource',
  INVALID_ARN_SERVICE_CASE: 'error-invalid-arn-service-case',
  INVALID_EFFECT: 'error-invalid-effect',
  INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY:
    'error-invalid-federated-principal-syntax-in-role-trust-policy',
  INVALID_PARTITION: 'error-invalid-partition',
  INVALID_PRINCIPAL_KEY: 'error-invalid-principal-key',
  INVALID_SERVICE: 'error-invalid-service',
  INVALID_VARIABLE_FOR_OPERATOR: 'error-invalid-variable-for-operator',
  INVALID_VERSION: 'error-invalid-version',
  JSON_SYNTAX_ERROR: 'error-json-syntax-error',
  MISMATCHED_ACTION_FOR_PRINCIPAL: 'error-mismatched-action-for-principal',
  MISSING_ACTION: 'error-missing-action',
  MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY: 'error-missing-action-for-roles-anywhere-trust-policy',
  MISSING_ARN_ACCOUNT: 'error-missing-arn-account',
  MISSING_ARN_FIELD: 'error-missing-arn-field',
  MISSING_ARN_REGION: 'error-missing-arn-region',
  MISSING_EFFECT: 'error-missing-effect',
  MISSING_PRINCIPAL: 'error-missing-principal',
  MISSING_RESOURCE: 'error-missing-resource',
  MISSING_STATEMENT: 'error-missing-statement',
  MISSING_VERSION: 'general-warning-missing-version',
  NULL_WITH_IF_EXISTS: 'error-null-with-if-exists',
  POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA: 'general-warning-policy-size-exceeds-identity-policy-quota',
  POLICY_SIZE_EXCEEDS_RCP_QUOTA: 'error-policy-size-exceeds-rcp-quota',
  POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA: 'general-warning-policy-size-exceeds-role-trust-policy-quota',
  POLICY_SIZE_EXCEEDS_SCP_QUOTA: 'error-policy-size-exceeds-scp-quota',
  RCP_SYNTAX_ERROR_ACTION: 'error-rcp-syntax-error-action',
  RCP_SYNTAX_ERROR_ALLOW: 'error-rcp-syntax-error-allow',
  RCP_SYNTAX_ERROR_NOTACTION: 'error-rcp-syntax-error-notaction',
  RCP_SYNTAX_ERROR_PRINCIPAL: 'error-rcp-syntax-error-principal',
  REDUNDANT_ACTION: 'suggestion-redundant-action',
  ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL: 'error-role-trust-policy-syntax-error-notprincipal',
  ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE: 'error-role-trust-policy-syntax-error-resource',
  ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL:
    'error-role-trust-policy-unsupported-wildcard-in-principal',
  SCP_SYNTAX_ERROR_PRINCIPAL: 'error-scp-syntax-error-principal',
  TYPE_MISMATCH_BOOLEAN: 'general-warning-type-mismatch-boolean',
  TYPE_MISMATCH_DATE: 'general-warning-type-mismatch-date',
  TYPE_MISMATCH_IP_RANGE: 'error-type-mismatch-ip-range',
  TYPE_MISMATCH_NUMBER: 'general-warning-type-mismatch-number',
  UNIQUE_SIDS_REQUIRED: 'error-unique-sids-required',
  UNSUPPORTED_ACTION_FOR_CONDITION_KEY: 'error-unsupported-action-for-condition-key',
  UNSUPPORTED_ACTION_IN_POLICY: 'error-unsupported-action-in-policy',
  UNSUPPORTED_PRINCIPAL: 'error-unsupported-principal',
  UNSUPPORTED_RESOURCE_ARN_IN_POLICY: 'error-unsupported-resource-arn-in-policy',
  UNSUPPORTED_WILDCARD_IN_PRINCIPAL: 'error-unsupported-wildcard-in-principal',
  WILDCARD_IN_SERVICE_NAME: 'suggestion-wildcard-in-service-name',
  // This project's names for checks Access Analyzer has under another name.
  INVALID_SID: 'error-unsupported-sid',
  INVALID_OPERATOR: 'error-invalid-condition-operator',
  INVALID_PRINCIPAL: 'error-invalid-principal-format',
  INVALID_VARIABLE_FOR_ELEMENT: 'error-variable-unsupported-in-element',
  JSON_NESTING_TOO_DEEP: 'error-json-syntax-error',
  MUTUALLY_EXCLUSIVE_ELEMENTS: 'error-unsupported-element-combination',
  POLICY_VARIABLE_WITHOUT_VERSION: 'error-variable-unsupported-in-version',
  SINGLE_VALUED_OPERATOR_WITH_MULTI_VALUED_KEY: 'error-missing-qualifier',
  UNKNOWN_ELEMENT: 'error-invalid-policy-element',
  EMPTY_STATEMENT_LIST: 'error-missing-statement',
};

/** Codes Access Analyzer does not have: the page about what they check. */
const PAGES: Record<string, string> = {
  ACTION_WITHOUT_MATCHING_RESOURCE: `${REFERENCE}#resources_table`,
  RESOURCE_WITHOUT_MATCHING_ACTION: `${REFERENCE}#resources_table`,
  NO_MATCHING_ACTION: `${REFERENCE}#actions_table`,
  UNKNOWN_CONDITION_KEY: `${REFERENCE}#context_keys_table`,
  FORANYVALUE_WITH_SINGLE_VALUED_KEY: `${GUIDE}reference_policies_condition-single-vs-multi-valued-context-keys.html`,
  ALLOW_WITH_NOT_ACTION: `${GUIDE}reference_policies_elements_notaction.html`,
  ALLOW_WITH_NOT_RESOURCE: `${GUIDE}reference_policies_elements_notresource.html`,
  ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES: `${GUIDE}best-practices.html#grant-least-privilege`,
  DUPLICATE_KEY: `${GUIDE}reference_policies_grammar.html`,
  EMPTY_ARRAY: `${GUIDE}reference_policies_grammar.html`,
  OLD_VERSION: `${GUIDE}reference_policies_elements_version.html`,
  PRINCIPAL_SHORTHAND: `${GUIDE}reference_policies_elements_principal.html`,
};

/** The link for a finding's issue code; the check reference itself for a code nobody mapped. */
export function learnMoreLink(issueCode: string): string {
  const anchor = ANCHORS[issueCode];
  if (anchor) return `${CHECKS}#access-analyzer-reference-policy-checks-${anchor}`;
  return PAGES[issueCode] ?? CHECKS;
}
