import { describe, expect, it } from 'vitest';
import { createNodeEngine } from './node.ts';
import { SEED_CASES, seedRequest } from './seed-cases.ts';
import type { CheckResponse } from './types.ts';
import { principalAccount } from '../evaluate/request.ts';

describe('seed examples (shared/examples/seed-checks.json)', () => {
  for (const c of SEED_CASES) {
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
