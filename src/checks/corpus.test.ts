/**
 * The real corpus: 200 (old, new) versions of AWS managed policies. The 106 pairs marked FAIL must
 * fail with the witness action in the newly-granted list, the identical pairs must pass, every pair
 * gets a verdict, and every counterexample has been confirmed by the concrete evaluator (the engine
 * throws otherwise). Each pair's answer is also kept as a golden file (see corpusGolden), so a diff
 * shows what an engine change did to the verdicts and the newly-granted lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import { parsePolicy } from '../policy/parse.ts';
import type { Policy } from '../policy/model.ts';
import { goldenText } from './golden.ts';
import { createNodeEngine } from './node.ts';
import type { CheckOutcome, CheckResponse } from './types.ts';

interface Pair {
  name: string;
  expected?: { result?: 'PASS' | 'FAIL'; witnessAction?: string };
  old: unknown;
  new: unknown;
}

/**
 * What a pair's golden file (golden/corpus/<pair>.json) holds: the whole answer (verdict, message,
 * reasons, the exact newly-granted list with the statements granting each action, the note on an
 * incomplete list) except the counterexamples' requests, of which it keeps each one's action. Why:
 * the requests are what the realism work reshapes (a change there would rewrite the ~170 FAIL files
 * and bury the changes of verdict or list this golden is for), and every one of them is re-checked by
 * the evaluator below on each run; the seed goldens keep whole counterexamples for 9 readable cases.
 * Not for size or time: 1.04 MB for the 200 files this way, about 0.15 MB more with the requests,
 * and writing or comparing them adds no measurable time to the suite.
 *
 * Regenerate with the whole file (`npx vitest run src/checks/corpus.test.ts -u`): the pairs run in
 * file order on one Z3 context, and the engine's answer to some pairs depends on what ran before
 * (measured with --sequence.shuffle: 19 of 200 differ in witness actions, the statements and reasons
 * that follow from the witness, or a list cut short by "could not decide the policy variables", e.g.
 * 000 after 005). In file order the files are reproducible; a run of one pair (-t) may not match its.
 */
function corpusGolden(out: CheckOutcome): unknown {
  if (!out.ok) return out;
  const { counterexamples, ...rest } = out.response as CheckResponse;
  return {
    ok: true,
    response: { ...rest, counterexampleActions: counterexamples.map((c) => c.request.action) },
  };
}

const dir = join(import.meta.dirname, '..', 'fixtures', 'pairs');
const files = readdirSync(dir)
  .filter((f) => /^\d{3}_.*\.json$/.test(f))
  .sort();

describe('corpus pairs: CheckNoNewAccess(old, new)', () => {
  it('has the 200 pairs', () => expect(files.length).toBe(200));
  for (const f of files) {
    const pair = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Pair;
    it(f, async () => {
      const engine = await createNodeEngine();
      const preliminary: CheckResponse[] = [];
      const out = await engine.run(
        {
          check: 'CheckNoNewAccess',
          existingPolicyDocument: JSON.stringify(pair.old),
          newPolicyDocument: JSON.stringify(pair.new),
          policyType: 'IDENTITY_POLICY',
        },
        { timeoutMs: 20_000, onPreliminary: (p) => preliminary.push(p) },
      );
      await expect.soft(goldenText(corpusGolden(out))).toMatchFileSnapshot(`./golden/corpus/${f}`);
      if (!out.ok) throw new Error(JSON.stringify(out.error));
      const r = out.response as CheckResponse;
      expect(r.result, r.unknownReason).not.toBe('UNKNOWN');
      if (pair.expected?.result) expect(r.result).toBe(pair.expected.result);
      if (r.result === 'FAIL') expect(r.counterexamples.length).toBeGreaterThan(0);
      // Re-checked here too, independently of the engine's own confirmation: new allows, old does not.
      const parse = (doc: unknown): Policy => {
        const p = parsePolicy(JSON.stringify(doc));
        if (!p.ok) throw new Error('corpus policy does not parse');
        return p.policy;
      };
      const [oldP, newP] = [parse(pair.old), parse(pair.new)];
      for (const c of r.counterexamples) {
        expect(evaluatePolicy(newP, c.request).decision, JSON.stringify(c.request)).toBe('Allowed');
        expect(evaluatePolicy(oldP, c.request).decision, JSON.stringify(c.request)).not.toBe('Allowed');
      }
      // A FAIL whose witness is a catalog action was announced early (what the app shows first),
      // with a counterexample the evaluator also confirms; a PASS never was.
      if (r.result === 'PASS') expect(preliminary).toHaveLength(0);
      const catalogNew = (r.newAccess?.services ?? []).flatMap((s) =>
        s.actions.map((a) => a.action.toLowerCase()),
      );
      if (r.result === 'FAIL' && catalogNew.length > 0) {
        expect(preliminary).toHaveLength(1);
        const ce = preliminary[0]!.counterexamples[0]!;
        expect(catalogNew).toContain(ce.request.action.toLowerCase());
        expect(evaluatePolicy(newP, ce.request).decision).toBe('Allowed');
        expect(evaluatePolicy(oldP, ce.request).decision).not.toBe('Allowed');
      }
      if (pair.expected?.witnessAction) {
        const listed = (r.newAccess?.services ?? []).flatMap((s) =>
          s.actions.map((a) => a.action.toLowerCase()),
        );
        expect(listed).toContain(pair.expected.witnessAction.toLowerCase());
      }
    });
  }
});
