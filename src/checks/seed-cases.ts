/**
 * The worked check examples (src/fixtures/examples/seed-checks.json) and the engine request each one
 * stands for: read by the seed tests, the SMT-LIB round trip and the app's example gallery.
 */
import seed from '../fixtures/examples/seed-checks.json';
import type { CheckRequest } from './types.ts';

export interface SeedCase {
  name: string;
  check: string;
  policyType?: 'IDENTITY_POLICY' | 'RESOURCE_POLICY';
  resourceType?: string;
  trustedAccounts?: string[];
  access?: { actions?: string[]; resources?: string[] }[];
  policyDocument?: unknown;
  existingPolicyDocument?: unknown;
  newPolicyDocument?: unknown;
  note?: string;
  expected: {
    result: string;
    statementIndex?: number;
    newlyAllowedActions?: string[];
    reason?: string;
    counterexample?: Record<string, string>;
  };
}

export const SEED_CASES: readonly SeedCase[] = (seed as unknown as { cases: SeedCase[] }).cases;

/** The engine request of a seed case (its documents as compact JSON text). */
export function seedRequest(c: SeedCase): CheckRequest {
  const doc = (d: unknown) => JSON.stringify(d);
  switch (c.check) {
    case 'CheckNoNewAccess':
      return {
        check: 'CheckNoNewAccess',
        existingPolicyDocument: doc(c.existingPolicyDocument),
        newPolicyDocument: doc(c.newPolicyDocument),
        policyType: c.policyType ?? 'IDENTITY_POLICY',
      };
    case 'CheckAccessNotGranted':
      return {
        check: 'CheckAccessNotGranted',
        policyDocument: doc(c.policyDocument),
        access: c.access ?? [],
        policyType: c.policyType ?? 'IDENTITY_POLICY',
      };
    case 'CheckNoPublicAccess':
      return {
        check: 'CheckNoPublicAccess',
        policyDocument: doc(c.policyDocument),
        resourceType: c.resourceType ?? '',
      };
    case 'NoAccessOutsideAccount':
    case 'NoAccessOutsideAccounts':
      return {
        check: 'NoAccessOutsideAccounts',
        policyDocument: doc(c.policyDocument),
        trustedAccounts: c.trustedAccounts ?? [],
      };
    default:
      throw new Error(`unknown seed check ${c.check}`);
  }
}
