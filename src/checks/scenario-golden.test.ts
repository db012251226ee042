/**
 * Golden scenarios: each file in src/fixtures/scenarios is a scenario check (ScenarioCheckRequest)
 * built from AWS's published SCP/RCP examples; its whole answer is kept in golden/scenario/ (keys
 * sorted, timings dropped), so a diff shows what a change of the engine does to the stack's answers.
 * Regenerate after an intended change: npx vitest run src/checks/scenario-golden.test.ts -u
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { goldenText } from './golden.ts';
import { createNodeEngine } from './node.ts';

const DIR = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url));

describe('golden scenarios (src/fixtures/scenarios; answers in golden/scenario/)', () => {
  for (const file of readdirSync(DIR)
    .filter((f) => f.endsWith('.json'))
    .sort())
    it(file, async () => {
      const engine = await createNodeEngine();
      const request: unknown = JSON.parse(readFileSync(join(DIR, file), 'utf8'));
      const out = await engine.runScenario(request, { timeoutMs: 20_000 });
      expect(out.ok).toBe(true);
      await expect(goldenText(out)).toMatchFileSnapshot(`./golden/scenario/${file}`);
    });
});
