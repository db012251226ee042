/**
 * The shapes that cross the engine's boundaries (the worker, the CLI, the page): the check request,
 * Access Analyzer's response (`result`, `message`, `reasons`) extended with the concrete requests that
 * break the property and the exact new access, and the input error with its closed set of codes.
 * Each is one zod schema and the type inferred from it under the same name: the worker validates
 * messages with them, the engine and the CLI validate requests with them (request.ts adds the rules).
 * Plain JSON only, so results cross the worker boundary and the CLI unchanged.
 */
import { z } from 'zod';
import type * as evaluate from '../evaluate/request.ts';
import type * as model from '../policy/model.ts';

/**
 * True when two types are the same. The evaluator and the parser declare Request, Principal and
 * Finding themselves (they sit below this file); the schemas here must describe exactly those.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Holds<T extends true> = T;

export const PolicyType = z.enum(['IDENTITY_POLICY', 'RESOURCE_POLICY']);
export type PolicyType = z.infer<typeof PolicyType>;

export const Principal = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('AWS'),
    id: z.string(),
    path: z.string().optional(),
    uniqueId: z.string().optional(),
  }),
  z.object({ type: z.enum(['Service', 'Federated', 'CanonicalUser']), id: z.string() }),
  z.object({ type: z.literal('Anonymous') }),
]);
export type Principal = z.infer<typeof Principal>;

export const Request = z.object({
  principal: Principal.optional(),
  action: z.string(),
  resource: z.string(),
  context: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
});
export type Request = z.infer<typeof Request>;

const FindingPosition = z.object({ line: z.number(), column: z.number(), offset: z.number() });
const Finding = z.object({
  findingType: z.enum(['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION']),
  issueCode: z.string(),
  findingDetails: z.string(),
  locations: z.array(
    z.object({
      path: z.array(z.union([z.string(), z.number()])),
      span: z.object({ start: z.number(), end: z.number() }),
      start: FindingPosition,
      end: FindingPosition,
    }),
  ),
});
type Finding = z.infer<typeof Finding>;

/**
 * ERROR findings of a check's documents that did not refuse them: names the catalog does not know
 * (docs/semantics-decisions.md, "Invalid input"). A response that carries them was computed on
 * documents with these ERROR findings.
 */
export const InputFindings = z.array(z.object({ document: z.string(), findings: z.array(Finding) }));
export type InputFindings = z.infer<typeof InputFindings>;

/** Compile-time: the schemas above and the types the evaluator and the parser declare agree. */
type _SchemasMatch = [
  Holds<Same<PolicyType, evaluate.PolicyType>>,
  Holds<Same<Principal, evaluate.Principal>>,
  Holds<Same<Request, evaluate.Request>>,
  Holds<Same<Finding, model.Finding>>,
];

// ---------------------------------------------------------------------------------------------------
// The check request

export const CheckName = z.enum([
  'CheckNoNewAccess',
  'CheckAccessNotGranted',
  'CheckNoPublicAccess',
  'NoAccessOutsideAccounts',
  'ComparePolicies',
]);
export type CheckName = z.infer<typeof CheckName>;

export const AccessSpec = z.strictObject({
  actions: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
});
export type AccessSpec = z.infer<typeof AccessSpec>;

/**
 * One check request, as the page (through the worker), the CLI and the tests send it. The shape only:
 * the rules on its values (account ids, resource types, a non-empty access list) are request.ts's
 * `ValidCheckRequest`, so a well-formed request with a bad value still reaches the engine and gets
 * its coded answer.
 */
export const CheckRequest = z.discriminatedUnion('check', [
  z.object({
    check: z.literal('CheckNoNewAccess'),
    existingPolicyDocument: z.string(),
    newPolicyDocument: z.string(),
    policyType: PolicyType,
    exactNewAccess: z.boolean().optional(),
  }),
  z.object({
    check: z.literal('CheckAccessNotGranted'),
    policyDocument: z.string(),
    access: z.array(AccessSpec),
    policyType: PolicyType,
  }),
  z.object({ check: z.literal('CheckNoPublicAccess'), policyDocument: z.string(), resourceType: z.string() }),
  z.object({
    check: z.literal('NoAccessOutsideAccounts'),
    policyDocument: z.string(),
    trustedAccounts: z.array(z.string()),
    trustedOrgIds: z.array(z.string()).optional(),
    policyType: PolicyType.optional(),
  }),
  z.object({
    check: z.literal('ComparePolicies'),
    policyA: z.string(),
    policyB: z.string(),
    policyType: PolicyType,
  }),
]);
export type CheckRequest = z.infer<typeof CheckRequest>;

// ---------------------------------------------------------------------------------------------------
// The responses

const CheckResult = z.enum(['PASS', 'FAIL', 'UNKNOWN']);
type CheckResult = z.infer<typeof CheckResult>;

export const StatementRef = z.object({
  /** which document: `existing`/`new` for CheckNoNewAccess, `a`/`b` for compare, `policy` otherwise */
  document: z.string(),
  statementIndex: z.number(),
  statementId: z.string().optional(),
});
export type StatementRef = z.infer<typeof StatementRef>;

/**
 * Access Analyzer's reason, plus the document its statement is in (a StatementRef's `document`): in
 * a two-document check an index alone does not say which editor to point at.
 */
export const Reason = z.object({
  description: z.string(),
  /** set with `statementIndex` */
  document: z.string().optional(),
  statementIndex: z.number().optional(),
  statementId: z.string().optional(),
});
export type Reason = z.infer<typeof Reason>;

const StatementHit = z.object({
  document: z.string(),
  statementIndex: z.number(),
  statementId: z.string().optional(),
});
const LayerName = z.enum(['scp', 'rcp', 'resource', 'identity', 'boundary', 'session']);

/** A scenario's word on one request: the decision, the layer that decided, each layer's gate. */
export const StackVerdict = z.object({
  decision: z.enum(['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied']),
  decidedBy: z.object({
    layer: z.union([LayerName, z.literal('none')]),
    level: z.number().optional(),
    why: z.string(),
  }),
  layers: z.array(
    z.object({
      layer: LayerName,
      level: z.number().optional(),
      applies: z.boolean(),
      why: z.string(),
      decision: z.enum(['Allow', 'Deny', 'NoMatch']),
      allowedBy: z.array(StatementHit),
      deniedBy: z.array(StatementHit),
    }),
  ),
});
export type StackVerdict = z.infer<typeof StackVerdict>;

export const Counterexample = z.object({
  request: Request,
  /** statements of the (new) policy that allow the request */
  grantedBy: z.array(StatementRef),
  /** why the old policy (or the property) does not allow it */
  whyNot: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('noMatchingAllow') }),
      z.object({ kind: z.literal('deniedBy'), statements: z.array(StatementRef) }),
      z.object({ kind: z.literal('property'), text: z.string() }),
    ])
    .optional(),
  /** the action is not in the catalog (only such actions gain access) */
  actionOutsideCatalog: z.boolean().optional(),
  /** scenario checks: the (new) stack's trace for the request */
  stack: StackVerdict.optional(),
  /** scenario CheckNoNewAccess: the existing stack's trace */
  existingStack: StackVerdict.optional(),
  /** service-aware reading: why AWS would never authorize this request (checks/service-aware.ts) */
  impossible: z.string().optional(),
});
export type Counterexample = z.infer<typeof Counterexample>;

const NewAccessAction = z.object({
  action: z.string(),
  statements: z.array(StatementRef),
  /** service-aware reading: why AWS would never authorize a request of this action that the check finds */
  impossible: z.string().optional(),
});
type NewAccessAction = z.infer<typeof NewAccessAction>;

export const NewAccess = z.object({
  services: z.array(z.object({ service: z.string(), actions: z.array(NewAccessAction) })),
  /** total catalog actions newly allowed */
  count: z.number(),
  /** some action outside the catalog is newly allowed (soundness does not depend on the catalog) */
  outsideCatalog: z.boolean(),
  note: z.string().optional(),
  elapsedMs: z.number(),
});
export type NewAccess = z.infer<typeof NewAccess>;

const CheckStats = z.object({ elapsedMs: z.number(), solverCalls: z.number() });
type CheckStats = z.infer<typeof CheckStats>;

/**
 * The check read as AWS authorizes requests (checks/service-aware.ts): an action only on resources
 * of its own types. Beside Access Analyzer's verdict; the CLI's `--service-aware` makes it the verdict.
 */
export const ServiceAware = z.object({
  result: CheckResult,
  message: z.string(),
  counterexamples: z.array(Counterexample),
  newAccess: NewAccess.optional(),
  unknownReason: z.string().optional(),
  /** the catalog the reading rests on (a PASS depends on it being complete and current) */
  catalog: z.object({ version: z.string(), date: z.string().optional() }),
  /** Access Analyzer's counterexamples AWS would never authorize, and why */
  ruledOut: z.array(z.object({ action: z.string(), reason: z.string(), statements: z.array(StatementRef) })),
  stats: CheckStats,
});
export type ServiceAware = z.infer<typeof ServiceAware>;

/** One check's answer. `kind` tells it from a CompareResponse; the rest is Access Analyzer's names. */
export const CheckResponse = z.object({
  kind: z.literal('check'),
  result: CheckResult,
  message: z.string(),
  reasons: z.array(Reason),
  counterexamples: z.array(Counterexample),
  newAccess: NewAccess.optional(),
  /** why the answer is UNKNOWN (timeout, unsupported construct, unconfirmed model) */
  unknownReason: z.string().optional(),
  stats: CheckStats,
  /** with `record`: every SMT-LIB command the engine sent to Z3, in order, answers as comments */
  transcript: z.string().optional(),
  /** the documents' ERROR findings the check answered despite (absent when there are none) */
  inputFindings: InputFindings.optional(),
  /** the service-aware reading (absent for scenario checks and when it was not asked for) */
  serviceAware: ServiceAware.optional(),
});
export type CheckResponse = z.infer<typeof CheckResponse>;

const CompareResult = z.enum(['EQUIVALENT', 'MORE_PERMISSIVE', 'LESS_PERMISSIVE', 'INCOMPARABLE', 'UNKNOWN']);
type CompareResult = z.infer<typeof CompareResult>;

export const CompareResponse = z.object({
  kind: z.literal('compare'),
  result: CompareResult,
  message: z.string(),
  /** requests allowed by A and not by B, and the other way round */
  aNotB: CheckResponse,
  bNotA: CheckResponse,
  stats: CheckStats,
  /** with `record`: the transcript of both questions */
  transcript: z.string().optional(),
  /** the documents' ERROR findings the comparison answered despite (absent when there are none) */
  inputFindings: InputFindings.optional(),
});
export type CompareResponse = z.infer<typeof CompareResponse>;

// ---------------------------------------------------------------------------------------------------
// Bad input

/**
 * The ERROR findings of the parser (policy/parse.ts) and the validator (policy/validate/, every
 * policy type's rules and the findings from the service reference included): a
 * document with one is refused with its issue code, or with the engine's code for the same fault
 * (FINDING_FAULTS). types.test.ts keeps this list in step with them.
 */
export const POLICY_ERROR_CODES = [
  'ACTION_WITHOUT_MATCHING_RESOURCE',
  'DATA_TYPE_MISMATCH',
  'DUPLICATE_KEY',
  'DUPLICATE_KEYS_WITH_DIFFERENT_CASE',
  'EMPTY_ARRAY',
  'EMPTY_ARRAY_PRINCIPAL',
  'EMPTY_OBJECT_PRINCIPAL',
  'EMPTY_STATEMENT_LIST',
  'FEDERATED_PRINCIPAL_NOT_SUPPORTED',
  'INVALID_ACTION',
  'INVALID_EFFECT',
  'INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY',
  'INVALID_OPERATOR',
  'INVALID_PRINCIPAL',
  'INVALID_PRINCIPAL_KEY',
  'INVALID_SERVICE',
  'INVALID_SID',
  'INVALID_VARIABLE_FOR_ELEMENT',
  'INVALID_VARIABLE_FOR_OPERATOR',
  'INVALID_VERSION',
  'JSON_NESTING_TOO_DEEP',
  'JSON_SYNTAX_ERROR',
  'MISMATCHED_ACTION_FOR_PRINCIPAL',
  'MISSING_ACTION',
  'MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY',
  'MISSING_EFFECT',
  'MISSING_PRINCIPAL',
  'MISSING_RESOURCE',
  'MISSING_STATEMENT',
  'MUTUALLY_EXCLUSIVE_ELEMENTS',
  'NULL_WITH_IF_EXISTS',
  'POLICY_SIZE_EXCEEDS_RCP_QUOTA',
  'POLICY_SIZE_EXCEEDS_SCP_QUOTA',
  'RCP_SYNTAX_ERROR_ACTION',
  'RCP_SYNTAX_ERROR_ALLOW',
  'RCP_SYNTAX_ERROR_NOTACTION',
  'RCP_SYNTAX_ERROR_PRINCIPAL',
  'ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL',
  'ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE',
  'ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
  'SCP_SYNTAX_ERROR_PRINCIPAL',
  'UNIQUE_SIDS_REQUIRED',
  'UNKNOWN_ELEMENT',
  'UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
  'UNSUPPORTED_ACTION_IN_POLICY',
  'UNSUPPORTED_PRINCIPAL',
  'UNSUPPORTED_RESOURCE_ARN_IN_POLICY',
  'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
] as const;

/** A check's arguments (request.ts), beyond its documents. */
const REQUEST_ERROR_CODES = [
  /** the request is not a check request at all (a field missing or of the wrong type) */
  'INVALID_REQUEST',
  'INVALID_ACCESS',
  'INVALID_ACCOUNT',
  'INVALID_ORGANIZATION',
  'INVALID_RESOURCE_TYPE',
  'MISSING_TRUSTED',
  'POLICY_TOO_LARGE',
  /** a document that does not parse, without an ERROR finding to name (never seen; a fallback) */
  'INVALID_POLICY',
  /** a policy test that cannot run as written (run-tests.ts: a list for a single-valued key, ...) */
  'INVALID_TEST',
] as const;

/**
 * Raised below the checks on a document the parser accepted: the encoder (smt/conditions.ts) and the
 * evaluator (evaluate/evaluate.ts) raise one code per fault — INVALID_VALUE for a condition value
 * its operator cannot read, INVALID_OPERATOR for an operator they do not know (also the validator's
 * code) — and INVALID_PRINCIPAL / INCONSISTENT_REQUEST for a request whose caller or keys cannot be
 * (evaluate/caller.ts).
 */
export const ENGINE_ERROR_CODES = ['INVALID_VALUE', 'INVALID_PRINCIPAL', 'INCONSISTENT_REQUEST'] as const;

/**
 * One fault, one code: a finding for a fault the engine meets too refuses the document with the
 * engine's code, whichever meets it first. A condition value its operator cannot read is Access
 * Analyzer's TYPE_MISMATCH_* to the validator (the finding keeps that issue code, and the message
 * names it) and INVALID_VALUE to the encoder and the evaluator; all three read values with the same
 * parser (policy/values.ts), so they agree on which values those are.
 */
export const FINDING_FAULTS: Readonly<Record<string, (typeof ENGINE_ERROR_CODES)[number]>> = {
  TYPE_MISMATCH_BOOLEAN: 'INVALID_VALUE',
  TYPE_MISMATCH_DATE: 'INVALID_VALUE',
  TYPE_MISMATCH_IP_RANGE: 'INVALID_VALUE',
  TYPE_MISMATCH_NUMBER: 'INVALID_VALUE',
};

/** Every code an InputError can carry: a closed set, so a user (and a test) can rely on it. */
export const InputErrorCode = z.enum([...POLICY_ERROR_CODES, ...REQUEST_ERROR_CODES, ...ENGINE_ERROR_CODES]);
export type InputErrorCode = z.infer<typeof InputErrorCode>;

/**
 * The code as an InputErrorCode when it is one (codes from layers that type them as strings); a
 * finding's code for a fault the engine meets too as the engine's code (FINDING_FAULTS).
 */
export function inputErrorCode(code: string, otherwise: InputErrorCode): InputErrorCode {
  const fault = FINDING_FAULTS[code];
  if (fault) return fault;
  const known = InputErrorCode.safeParse(code);
  return known.success ? known.data : otherwise;
}

/** Bad input: the policy does not parse, or the check's arguments are wrong. */
export const InputError = z.object({
  code: InputErrorCode,
  message: z.string(),
  /** findings of the policy that failed to parse, with locations */
  findings: z.array(Finding).optional(),
  /** which document (as in StatementRef) */
  document: z.string().optional(),
});
export type InputError = z.infer<typeof InputError>;

export const CheckOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), response: z.discriminatedUnion('kind', [CheckResponse, CompareResponse]) }),
  z.object({ ok: z.literal(false), error: InputError }),
]);
export type CheckOutcome = z.infer<typeof CheckOutcome>;

export interface CheckOptions {
  /** solver budget for the whole check, ms (default 10 000) */
  timeoutMs?: number;
  /** return the transcript of every SMT-LIB command sent to Z3, with its answers (teaching view) */
  record?: boolean;
  /**
   * Add the service-aware reading (`serviceAware` in the response; checks/service-aware.ts): the
   * check as AWS authorizes requests, an action only on resources of its own types.
   */
  serviceAware?: boolean;
  /**
   * CheckNoNewAccess with the exact list: called once, as soon as the first counterexample is
   * confirmed by the evaluator, with the FAIL verdict and that counterexample (no `newAccess` yet),
   * while the list is still being computed. The final answer follows as usual.
   */
  onPreliminary?: (response: CheckResponse) => void;
}
