/**
 * The shapes every check returns: Access Analyzer's response (`result`, `message`, `reasons`)
 * extended with the concrete requests that break the property and the exact new access.
 * Plain JSON only, so results cross the worker boundary and the CLI unchanged.
 */
import type { PolicyType, Request } from '../evaluate/request.ts';

export type CheckResult = 'PASS' | 'FAIL' | 'UNKNOWN';

export interface StatementRef {
  /** which document: `existing`/`new` for CheckNoNewAccess, `a`/`b` for compare, `policy` otherwise */
  document: string;
  statementIndex: number;
  statementId?: string;
}

export interface Reason {
  description: string;
  statementIndex?: number;
  statementId?: string;
}

export interface Counterexample {
  request: Request;
  /** statements of the (new) policy that allow the request */
  grantedBy: StatementRef[];
  /** why the old policy (or the property) does not allow it */
  whyNot?:
    | { kind: 'noMatchingAllow' }
    | { kind: 'deniedBy'; statements: StatementRef[] }
    | { kind: 'property'; text: string };
  /** the action is not in the catalog (only such actions gain access) */
  actionOutsideCatalog?: boolean;
}

export interface NewAccessAction {
  action: string;
  statements: StatementRef[];
}

export interface NewAccess {
  services: { service: string; actions: NewAccessAction[] }[];
  /** total catalog actions newly allowed */
  count: number;
  /** some action outside the catalog is newly allowed (soundness does not depend on the catalog) */
  outsideCatalog: boolean;
  note?: string;
  elapsedMs: number;
}

export interface CheckStats {
  elapsedMs: number;
  solverCalls: number;
}

export interface CheckResponse {
  result: CheckResult;
  message: string;
  reasons: Reason[];
  counterexamples: Counterexample[];
  newAccess?: NewAccess;
  /** why the answer is UNKNOWN (timeout, unsupported construct, unconfirmed model) */
  unknownReason?: string;
  stats: CheckStats;
  /** with `record`: every SMT-LIB command the engine sent to Z3, in order, answers as comments */
  transcript?: string;
}

export type CompareResult = 'EQUIVALENT' | 'MORE_PERMISSIVE' | 'LESS_PERMISSIVE' | 'INCOMPARABLE' | 'UNKNOWN';

export interface CompareResponse {
  result: CompareResult;
  message: string;
  /** requests allowed by A and not by B, and the other way round */
  aNotB: CheckResponse;
  bNotA: CheckResponse;
  stats: CheckStats;
  /** with `record`: the transcript of both questions */
  transcript?: string;
}

export interface AccessSpec {
  actions?: string[];
  resources?: string[];
}

/** One check request, as the worker, the CLI's `batch` and the tests send it. */
export type CheckRequest =
  | {
      check: 'CheckNoNewAccess';
      existingPolicyDocument: string;
      newPolicyDocument: string;
      policyType: PolicyType;
      exactNewAccess?: boolean;
    }
  | { check: 'CheckAccessNotGranted'; policyDocument: string; access: AccessSpec[]; policyType: PolicyType }
  | { check: 'CheckNoPublicAccess'; policyDocument: string; resourceType: string }
  | {
      check: 'NoAccessOutsideAccounts';
      policyDocument: string;
      trustedAccounts: string[];
      trustedOrgIds?: string[];
      policyType?: PolicyType;
    }
  | { check: 'ComparePolicies'; policyA: string; policyB: string; policyType: PolicyType };

export interface CheckOptions {
  /** solver budget for the whole check, ms (default 10 000) */
  timeoutMs?: number;
  /** return the transcript of every SMT-LIB command sent to Z3, with its answers (teaching view) */
  record?: boolean;
  /**
   * CheckNoNewAccess with the exact list: called once, as soon as the first counterexample is
   * confirmed by the evaluator, with the FAIL verdict and that counterexample (no `newAccess` yet),
   * while the list is still being computed. The final answer follows as usual.
   */
  onPreliminary?: (response: CheckResponse) => void;
}

/** Bad input: the policy does not parse, or the check's arguments are wrong. */
export interface InputError {
  code: string;
  message: string;
  /** findings of the policy that failed to parse, with locations */
  findings?: import('../policy/model.ts').Finding[];
  document?: string;
}

export type CheckOutcome =
  { ok: true; response: CheckResponse | CompareResponse } | { ok: false; error: InputError };
