import { describe, expect, it } from 'vitest';
import seed from '../fixtures/examples/seed-checks.json';
import { createNodeEngine } from './node.ts';
import type { CheckRequest, CheckResponse } from './types.ts';
import { principalAccount } from '../evaluate/request.ts';

interface SeedCase {
  name: string;
  check: string;
  policyType?: 'IDENTITY_POLICY' | 'RESOURCE_POLICY';
  resourceType?: string;
  trustedAccounts?: string[];
  access?: { actions?: string[]; resources?: string[] }[];
  policyDocument?: unknown;
  existingPolicyDocument?: unknown;
  newPolicyDocument?: unknown;
  expected: {
    result: string;
    statementIndex?: number;
    newlyAllowedActions?: string[];
    reason?: string;
    counterexample?: Record<string, string>;
  };
}

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
      return {
        check: 'NoAccessOutsideAccounts',
        policyDocument: doc(c.policyDocument),
        trustedAccounts: c.trustedAccounts ?? [],
      };
    default:
      throw new Error(`unknown seed check ${c.check}`);
  }
}

describe('seed examples (shared/examples/seed-checks.json)', () => {
  for (const c of seed.cases as SeedCase[]) {
    it(`${c.name}: ${c.check} gives ${c.expected.result}`, async () => {
      const engine = await createNodeEngine();
      const out = await engine.run(seedRequest(c));
      if (!out.ok) throw new Error(JSON.stringify(out.error));
      const r = out.response as CheckResponse;
      expect(r.result).toBe(c.expected.result);
      if (c.expected.result === 'FAIL') {
        expect(r.counterexamples.length).toBeGreaterThan(0);
        if (c.expected.statementIndex !== undefined)
          expect(r.reasons.map((x) => x.statementIndex)).toContain(c.expected.statementIndex);
        if (c.expected.reason) expect(r.reasons.map((x) => x.description)).toContain(c.expected.reason);
        if (c.expected.newlyAllowedActions) {
          const listed = (r.newAccess?.services ?? []).flatMap((s) => s.actions.map((a) => a.action));
          expect(listed).toEqual(c.expected.newlyAllowedActions);
        }
        const ce = c.expected.counterexample;
        if (ce) {
          const req = r.counterexamples[0]!.request;
          if (ce.action)
            expect(
              r.counterexamples.some((x) => x.request.action.toLowerCase() === ce.action!.toLowerCase()),
            ).toBe(true);
          if (ce.resource) expect(req.resource).toBe(ce.resource);
          if (ce.principalAccountNot)
            expect(principalAccount(req.principal)).not.toBe(ce.principalAccountNot);
        }
      } else {
        expect(r.counterexamples).toEqual([]);
      }
    });
  }
});
