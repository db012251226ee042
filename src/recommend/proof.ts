/**
 * The solver proof that a recommendation is right, as CheckRequests for the lead's engine. Nothing here
 * runs a solver.
 *
 * How to read the results (policyType IDENTITY_POLICY throughout):
 * - `notGranted` (CheckAccessNotGranted on the recommended policy, every unused action, any resource)
 *   must be PASS: the recommendation grants none of the unused actions.
 * - `noNewAccess` (CheckNoNewAccess, existing = original, new = recommended) must be PASS: the
 *   recommendation grants nothing the original did not (resources and conditions included).
 * - `complete` (CheckNoNewAccess with exactNewAccess, existing = recommended + one Allow statement
 *   granting every unused action on "*", new = original) must report `newAccess.count === 0`: every
 *   catalog action the original allowed is still allowed, unless it is unused. Its `result` may be FAIL
 *   with `newAccess.outsideCatalog === true`: the narrowed wildcards no longer grant actions outside
 *   the catalog (actions AWS may add later), which is the intended effect, not a defect.
 * UNKNOWN on any of them means "not proved", never "proved".
 * For DETACH_POLICY (no recommended text) the recommended policy is a document that grants nothing.
 */
import type { CheckRequest, CheckResponse } from '../checks/types.ts';
import type { UnusedPermissionsEntry } from './recommend.ts';

/** A valid policy that allows nothing (Deny of no action): stands for a detached policy. */
export const GRANTS_NOTHING_POLICY = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [{ Sid: 'DetachedPolicyGrantsNothing', Effect: 'Deny', NotAction: '*', Resource: '*' }],
  },
  null,
  2,
);

export interface ProofRequests {
  /** must be PASS (absent when there are no unused actions) */
  notGranted?: CheckRequest;
  /** must be PASS */
  noNewAccess: CheckRequest;
  /** must report newAccess.count === 0 (catalog actions) */
  complete: CheckRequest;
}

function unusedActionNames(unused: readonly UnusedPermissionsEntry[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const e of unused) {
    const service = e.serviceNamespace.trim().toLowerCase();
    for (const raw of e.actions) {
      const name = raw.trim().toLowerCase().startsWith(`${service}:`)
        ? raw.trim().slice(service.length + 1)
        : raw.trim();
      const full = `${service}:${name}`;
      if (seen.has(full.toLowerCase())) continue;
      seen.add(full.toLowerCase());
      out.push(full);
    }
  }
  return out;
}

/**
 * The three requests that prove a recommendation. `recommendedText` is the recommendedPolicy of the
 * step, or undefined for DETACH_POLICY.
 */
export function proofRequests(
  originalText: string,
  recommendedText: string | undefined,
  unused: readonly UnusedPermissionsEntry[],
): ProofRequests {
  const recommended = recommendedText ?? GRANTS_NOTHING_POLICY;
  const actions = unusedActionNames(unused);
  const out: ProofRequests = {
    noNewAccess: {
      check: 'CheckNoNewAccess',
      existingPolicyDocument: originalText,
      newPolicyDocument: recommended,
      policyType: 'IDENTITY_POLICY',
    },
    complete: {
      check: 'CheckNoNewAccess',
      existingPolicyDocument: withUnusedGranted(recommended, actions),
      newPolicyDocument: originalText,
      policyType: 'IDENTITY_POLICY',
      exactNewAccess: true,
    },
  };
  if (actions.length > 0)
    out.notGranted = {
      check: 'CheckAccessNotGranted',
      policyDocument: recommended,
      access: [{ actions }],
      policyType: 'IDENTITY_POLICY',
    };
  return out;
}

/** The recommended policy plus one Allow statement granting the unused actions on every resource. */
function withUnusedGranted(recommendedText: string, actions: string[]): string {
  const doc = JSON.parse(recommendedText) as Record<string, unknown>;
  const list = Array.isArray(doc.Statement) ? [...(doc.Statement as unknown[])] : [doc.Statement];
  if (actions.length > 0)
    list.push({ Sid: 'UnusedActionsForProof', Effect: 'Allow', Action: actions, Resource: '*' });
  return JSON.stringify({ ...doc, Statement: list }, null, 2);
}

/**
 * Does one part of the proof hold? `complete` holds when the exact list of catalog actions the
 * original allows beyond the recommendation (plus the unused ones) is empty; the others when the
 * check PASSes. Undefined for UNKNOWN: not proved, never proved.
 */
export function proofPartHolds(part: keyof ProofRequests, r: CheckResponse): boolean | undefined {
  if (r.result === 'UNKNOWN') return undefined;
  if (part === 'complete') return r.newAccess !== undefined && r.newAccess.count === 0;
  return r.result === 'PASS';
}
