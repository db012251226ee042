/**
 * The check request, validated: its arguments checked against the rules of ValidCheckRequest (one
 * zod schema over types.ts's CheckRequest, each rule with its error code) and its documents parsed
 * (oversized or invalid text refused with a readable error), before any question is built. Shared by
 * the checks (checks.ts, early.ts), the SMT-LIB export (export.ts) and the CLI.
 */
import type { z } from 'zod';
import type { Catalog } from '../catalog/catalog.ts';
import type { Finding, JsonPath, Policy } from '../policy/model.ts';
import { admitPolicy } from '../policy/validate.ts';
import { MAX_POLICY_CHARS } from './limits.ts';
import { publicReading, unsupportedTypeDetail, type PublicReading } from './public-types.ts';
import {
  CheckRequest,
  inputErrorCode,
  type AccessSpec,
  type InputError,
  type InputErrorCode,
  type InputFindings,
  type PolicyType,
} from './types.ts';

/** Bad input to a check: reported as an InputError, never as a verdict. */
export class InputProblem extends Error {
  constructor(readonly error: InputError) {
    super(error.message);
  }
}

/** "The new policy", "The policy" (a document named `policy` is not "the policy policy"). */
const thePolicy = (document: string): string =>
  document === 'policy' ? 'The policy' : `The ${document} policy`;

/** "statement 1" for a location inside a statement, undefined above the statements. */
function statementAt(path: JsonPath): string | undefined {
  if (path[0] !== 'Statement') return undefined;
  return `statement ${typeof path[1] === 'number' ? path[1] : 0}`;
}

/**
 * The refusal of a document with ERROR findings: the first one's issue code as the code, and a message
 * that names the document, the finding, the statement and the place ("The new policy is not valid:
 * INVALID_ACTION in statement 1 (line 11, column 17): ..."); every ERROR goes in `findings`.
 */
function refusal(document: string, errors: Finding[]): InputError {
  const first = errors[0];
  if (!first) return { code: 'INVALID_POLICY', message: `${thePolicy(document)} is not valid.`, document };
  const loc = first.locations[0];
  const statement = loc && statementAt(loc.path);
  const at = loc ? `line ${loc.start.line + 1}, column ${loc.start.column + 1}` : undefined;
  const where = statement ? ` in ${statement}${at ? ` (${at})` : ''}` : at ? ` at ${at}` : '';
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more ERROR finding${errors.length > 2 ? 's' : ''})` : '';
  return {
    code: inputErrorCode(first.issueCode, 'INVALID_POLICY'),
    message: `${thePolicy(document)} is not valid: ${first.issueCode}${where}: ${first.findingDetails}${more}`,
    findings: errors,
    document,
  };
}

/**
 * Parses one document of a check, refusing oversized text and any document with an ERROR finding
 * of the parser or the validator for this policy type (docs/semantics-decisions.md, "Invalid input").
 * ERRORs that only say the catalog lacks a name do not refuse it: they are added to `found`, for the
 * response to carry next to its verdict.
 */
export function parseDoc(
  text: string,
  document: string,
  policyType: PolicyType,
  catalog: Catalog,
  found: InputFindings,
): Policy {
  if (text.length > MAX_POLICY_CHARS)
    throw new InputProblem({
      code: 'POLICY_TOO_LARGE',
      message: `${thePolicy(document)} is ${Math.round(text.length / 1024)} KiB; the engine takes up to ${MAX_POLICY_CHARS / 1024} KiB (AWS allows 6 KiB for a managed policy).`,
      document,
    });
  const r = admitPolicy(text, { catalog, policyType });
  if (!r.ok) throw new InputProblem(refusal(document, r.errors));
  if (r.catalogErrors.length > 0) found.push({ document, findings: r.catalogErrors });
  return r.policy;
}

export interface OutsidersOptions {
  /** CheckNoPublicAccess: what public means for the resource type (public-types.ts) */
  reading?: PublicReading;
  trusted: string[];
  orgs: string[];
  /** CheckNoPublicAccess: every account the policy names counts as known, fixed identifying values bound the callers */
  publicMode: boolean;
}

const ACCOUNT_ID = /^\d{12}$/;
/** AWS Organizations' id pattern */
const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/**
 * A check request whose arguments a check can run on: the shape (types.ts) and the rules on its
 * values, each failure carrying its InputErrorCode in `params.code`. The engine, the SMT-LIB export
 * and the CLI all check a request with this schema; the worker passes a well-formed request on, so
 * a bad value gets this coded answer from the engine rather than a refused message.
 */
export const ValidCheckRequest = CheckRequest.superRefine((req, ctx) => {
  const bad = (code: InputErrorCode, path: (string | number)[], message: string): void =>
    ctx.addIssue({ code: 'custom', message, path, params: { code } });
  switch (req.check) {
    case 'CheckAccessNotGranted':
      if (req.access.length === 0)
        bad('INVALID_ACCESS', ['access'], 'list at least one {"actions": [...]} or {"resources": [...]}');
      req.access.forEach((a, i) => {
        if (!a.actions?.length && !a.resources?.length)
          bad('INVALID_ACCESS', ['access', i], 'needs "actions" or "resources"');
        for (const part of ['actions', 'resources'] as const)
          a[part]?.forEach((name, j) => {
            if (name.trim() === '')
              bad('INVALID_ACCESS', ['access', i, part, j], 'an empty name matches nothing');
          });
      });
      break;
    case 'CheckNoPublicAccess':
      if (!publicReading(req.resourceType))
        bad('INVALID_RESOURCE_TYPE', ['resourceType'], unsupportedTypeDetail(req.resourceType));
      break;
    case 'NoAccessOutsideAccounts':
      req.trustedAccounts.forEach((a, i) => {
        if (!ACCOUNT_ID.test(a))
          bad('INVALID_ACCOUNT', ['trustedAccounts', i], `"${a}" is not a 12-digit account id`);
      });
      req.trustedOrgIds?.forEach((o, i) => {
        if (!ORGANIZATION_ID.test(o))
          bad(
            'INVALID_ORGANIZATION',
            ['trustedOrgIds', i],
            `"${o}" is not an organization id like o-a1b2c3d4e5`,
          );
      });
      if (req.trustedAccounts.length === 0 && !req.trustedOrgIds?.length)
        bad(
          'MISSING_TRUSTED',
          ['trustedAccounts'],
          'give at least one trusted account id or organization id',
        );
      break;
    default:
      break;
  }
});

/** The code of a request field's shape errors (a rule's own code comes with its issue). */
const FIELD_CODES: Partial<Record<string, InputErrorCode>> = {
  access: 'INVALID_ACCESS',
  trustedAccounts: 'INVALID_ACCOUNT',
  trustedOrgIds: 'INVALID_ORGANIZATION',
  resourceType: 'INVALID_RESOURCE_TYPE',
};

/** A request of the wrong shape as a coded error: its first problem, with where it is. */
export function invalidRequest(error: z.ZodError): { code: 'INVALID_REQUEST'; message: string } {
  const issue = error.issues[0]!;
  return { code: 'INVALID_REQUEST', message: `${issue.path.join('.') || 'request'}: ${issue.message}` };
}

/** The first problem ValidCheckRequest found: its code, the field, where inside it, and what. */
export interface RequestIssue {
  code: InputErrorCode;
  /** the request's field (`access`), absent for the request as a whole */
  field?: string;
  /** where inside the field, e.g. `[0].actions` */
  at: string;
  detail: string;
}

export function requestIssue(error: z.ZodError): RequestIssue {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  const field = typeof path[0] === 'string' ? path[0] : undefined;
  const fromRule =
    (issue?.code === 'custom' ? (issue.params as { code?: string } | undefined)?.code : undefined) ?? '';
  return {
    code: inputErrorCode(fromRule, (field && FIELD_CODES[field]) || 'INVALID_REQUEST'),
    ...(field !== undefined ? { field } : {}),
    at: path
      .slice(field !== undefined ? 1 : 0)
      .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
      .join(''),
    detail: issue?.message ?? 'not a check request',
  };
}

/** The request's problem as an InputError (the engine's words: the field as the request names it). */
export function requestError(error: z.ZodError): InputError {
  const i = requestIssue(error);
  return { code: i.code, message: `${i.field ?? 'request'}${i.at}: ${i.detail}.` };
}

/** A check request with its documents parsed and its arguments checked: what a check asks about. */
export type ParsedCheck = (
  | { kind: 'noNewAccess'; existing: Policy; next: Policy; policyType: PolicyType; exactNewAccess: boolean }
  | { kind: 'accessNotGranted'; policy: Policy; access: AccessSpec[]; policyType: PolicyType }
  | { kind: 'outsiders'; policy: Policy; options: OutsidersOptions }
  | { kind: 'compare'; a: Policy; b: Policy; policyType: PolicyType }
) & {
  /** the documents' ERROR findings that did not refuse them (names the catalog lacks) */
  inputFindings: InputFindings;
};

/**
 * Parses a check's documents (named existing/new, policy, a/b in errors) and checks its arguments;
 * throws InputProblem. A document with an ERROR finding is refused (parseDoc): CheckNoNewAccess,
 * CheckAccessNotGranted and ComparePolicies validate for the request's policy type, the
 * outside-access checks for a resource policy.
 */
export function parseCheck(request: CheckRequest, catalog: Catalog): ParsedCheck {
  const valid = ValidCheckRequest.safeParse(request);
  if (!valid.success) throw new InputProblem(requestError(valid.error));
  const req = valid.data;
  const inputFindings: InputFindings = [];
  const doc = (text: string, document: string, policyType: PolicyType): Policy =>
    parseDoc(text, document, policyType, catalog, inputFindings);
  switch (req.check) {
    case 'CheckNoNewAccess':
      return {
        kind: 'noNewAccess',
        existing: doc(req.existingPolicyDocument, 'existing', req.policyType),
        next: doc(req.newPolicyDocument, 'new', req.policyType),
        policyType: req.policyType,
        exactNewAccess: req.exactNewAccess ?? true,
        inputFindings,
      };
    case 'CheckAccessNotGranted':
      return {
        kind: 'accessNotGranted',
        policy: doc(req.policyDocument, 'policy', req.policyType),
        access: req.access,
        policyType: req.policyType,
        inputFindings,
      };
    case 'CheckNoPublicAccess': {
      const policy = doc(req.policyDocument, 'policy', 'RESOURCE_POLICY');
      // an accepted type: ValidCheckRequest checked it
      const reading = publicReading(req.resourceType)!;
      return {
        kind: 'outsiders',
        policy,
        options: { reading, trusted: [], orgs: [], publicMode: true },
        inputFindings,
      };
    }
    case 'NoAccessOutsideAccounts': {
      const policy = doc(req.policyDocument, 'policy', req.policyType ?? 'RESOURCE_POLICY');
      return {
        kind: 'outsiders',
        policy,
        options: { trusted: req.trustedAccounts, orgs: req.trustedOrgIds ?? [], publicMode: false },
        inputFindings,
      };
    }
    case 'ComparePolicies':
      return {
        kind: 'compare',
        a: doc(req.policyA, 'a', req.policyType),
        b: doc(req.policyB, 'b', req.policyType),
        policyType: req.policyType,
        inputFindings,
      };
  }
}
