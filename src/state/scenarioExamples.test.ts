/**
 * Every Scenario example, through the real engine: the check it loads with gives the verdict its
 * card promises, and every counterexample's gates name only policies the app can open.
 */
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../checks/node.ts';
import { buildScenarioRequest, findSlot } from './scenario.ts';
import { SCENARIO_EXAMPLES } from './scenarioExamples.ts';

describe('scenario examples', () => {
  it.each(SCENARIO_EXAMPLES.map((e) => [e.name, e] as const))('%s', async (_name, ex) => {
    const engine = await createNodeEngine();
    const built = buildScenarioRequest(ex.state);
    if (!built.ok) throw new Error(built.error);
    const out = await engine.runScenario(built.request, { timeoutMs: 20_000 });
    if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
    const r = out.response;
    const verdicts = r.kind === 'evaluate' ? [r.verdict] : [];
    if (r.kind === 'evaluate') expect(r.verdict.decision).toBe(ex.expected);
    else expect(r.result).toBe(ex.expected);
    const checks = r.kind === 'check' ? [r] : r.kind === 'compare' ? [r.aNotB, r.bNotA] : [];
    for (const c of checks)
      for (const cx of c.counterexamples) {
        if (cx.stack) verdicts.push(cx.stack);
        if (cx.existingStack) verdicts.push(cx.existingStack);
      }
    const names = { ...built.slots.new, ...built.slots.old };
    for (const v of verdicts)
      for (const l of v.layers)
        for (const h of [...l.allowedBy, ...l.deniedBy]) {
          const id = names[h.document];
          expect(id, h.document).toBeDefined();
          expect(findSlot(ex.state.draft, id!)).toBeDefined();
        }
  });
});
