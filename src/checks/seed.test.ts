import { describe, expect, it } from 'vitest';
import { goldenText } from './golden.ts';
import { createNodeEngine } from './node.ts';
import { SEED_CASES, seedRequest } from './seed-cases.ts';
import type { CheckRequest, CheckResponse } from './types.ts';
import { principalAccount } from '../evaluate/request.ts';

describe('seed examples (src/fixtures/examples/seed-checks.json; answers in golden/seed/)', () => {
  for (const c of SEED_CASES) {
    it(`${c.name}: ${c.check} gives ${c.expected.result}`, async () => {
      const engine = await createNodeEngine();
      const out = await engine.run(seedRequest(c), { serviceAware: true });
      // The whole answer as a golden file, so a diff shows what changed (soft: AWS's expectations
      // below still run and report); the assertions after it are the AWS samples' expected verdicts.
      await expect.soft(goldenText(out)).toMatchFileSnapshot(`./golden/seed/${c.name}.json`);
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

describe('the preliminary verdict of CheckNoNewAccess with the exact list', () => {
  const pairs = SEED_CASES.filter((c) => c.check === 'CheckNoNewAccess');

  it('comes once, before the final answer, for every FAIL, and never for a PASS', async () => {
    const engine = await createNodeEngine();
    let fails = 0;
    for (const c of pairs) {
      const calls: { response: CheckResponse }[] = [];
      const out = await engine.run(seedRequest(c), {
        onPreliminary: (response) => calls.push({ response }),
      });
      if (!out.ok) throw new Error(JSON.stringify(out.error));
      const r = out.response as CheckResponse;
      if (r.result === 'PASS') {
        expect(calls).toHaveLength(0);
        continue;
      }
      fails++;
      expect(calls, c.name).toHaveLength(1);
      const pre = calls[0]!.response;
      // the same verdict and message, one counterexample that is also in the final answer's list
      expect(pre.result).toBe('FAIL');
      expect(pre.message).toBe(r.message);
      expect(pre.newAccess).toBeUndefined();
      expect(pre.counterexamples).toHaveLength(1);
      const action = pre.counterexamples[0]!.request.action.toLowerCase();
      const listed = (r.newAccess?.services ?? []).flatMap((s) =>
        s.actions.map((a) => a.action.toLowerCase()),
      );
      expect(listed).toContain(action);
      expect(pre.reasons.length).toBeGreaterThan(0);
    }
    expect(fails).toBeGreaterThan(0); // the seeds hold FAIL cases: the loop above checked something
  });

  it('is not sent without the exact list', async () => {
    const engine = await createNodeEngine();
    const fail = pairs.find((c) => c.expected.result === 'FAIL')!;
    let called = 0;
    const out = await engine.run(
      {
        ...(seedRequest(fail) as Extract<CheckRequest, { check: 'CheckNoNewAccess' }>),
        exactNewAccess: false,
      },
      { onPreliminary: () => called++ },
    );
    expect(out.ok && out.response.result).toBe('FAIL');
    expect(called).toBe(0);
  });
});
