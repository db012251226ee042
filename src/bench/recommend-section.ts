/**
 * Recommendation benchmark (issue 4): the refinement alone and refinement + solver proof, for the
 * worked example (src/fixtures/examples/recommendation-seed.json) and for ReadOnlyAccess with a
 * seeded random 30 % of the catalog actions it allows marked unused.
 * Budgets: refinement ≤ 10 ms / ≤ 100 ms, with the proof ≤ 1 s / ≤ 5 s. A proof that does not hold
 * (or is UNKNOWN) counts as a mismatch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../catalog/catalog.ts';
import type { CheckResponse } from '../checks/types.ts';
import { globMatches } from '../policy/glob.ts';
import { proofPartHolds, proofRequests, recommend, type UnusedPermissionsEntry } from '../recommend/index.ts';
import type { BenchContext, BenchSection } from './sections.ts';
import { ms, summarize } from './stats.ts';
import { prng } from '../util/prng.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const RUNS = 15;

interface Case {
  name: string;
  policy: string;
  unused: UnusedPermissionsEntry[];
  budget: { refine: number; proof: number };
}

function cases(catalog: Catalog): Case[] {
  const input = JSON.parse(readFileSync(join(FIXTURES, 'examples/recommendation-seed.json'), 'utf8')) as {
    policyDocument: unknown;
    unusedPermissions: UnusedPermissionsEntry[];
  };
  const readOnly = JSON.parse(readFileSync(join(FIXTURES, 'largest/ReadOnlyAccess.json'), 'utf8')) as {
    document: { Statement: { Effect: string; Action?: string | string[] }[] };
  };
  const patterns = readOnly.document.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) =>
    s.Action === undefined ? [] : typeof s.Action === 'string' ? [s.Action] : s.Action,
  );
  const allowed = catalog.actions.filter((a) =>
    patterns.some((p) => globMatches(p, a.display, { caseInsensitive: true })),
  );
  const rnd = prng(30);
  const bySvc = new Map<string, string[]>();
  for (const a of allowed) if (rnd() < 0.3) bySvc.set(a.service, [...(bySvc.get(a.service) ?? []), a.name]);
  return [
    {
      name: 'worked example (recommendation-seed.json)',
      policy: JSON.stringify(input.policyDocument, null, 2),
      unused: input.unusedPermissions,
      budget: { refine: 10, proof: 1000 },
    },
    {
      name: `ReadOnlyAccess, 30 % of its ${allowed.length} catalog actions unused`,
      policy: JSON.stringify(readOnly.document, null, 2),
      unused: [...bySvc].map(([serviceNamespace, actions]) => ({ serviceNamespace, actions })),
      budget: { refine: 100, proof: 5000 },
    },
  ];
}

export const recommendSection: BenchSection = {
  name: 'recommend',
  description: 'least-privilege refinement, alone and with its three-part solver proof',
  async run(ctx: BenchContext) {
    const results: unknown[] = [];
    let mismatches = 0;
    ctx.log('## recommendation (refinement alone; refinement + solver proof)');
    for (const c of cases(ctx.catalog)) {
      if (ctx.filter && !c.name.toLowerCase().includes(ctx.filter)) continue;
      recommend(c.policy, c.unused, ctx.catalog); // warm the per-catalog index
      const refine: number[] = [];
      let rec;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const r = recommend(c.policy, c.unused, ctx.catalog);
        refine.push(performance.now() - t);
        if (!r.ok) throw new Error(`${c.name}: ${r.error.message}`);
        rec = r.value;
      }
      const t0 = performance.now();
      const r = recommend(c.policy, c.unused, ctx.catalog);
      if (!r.ok) throw new Error(r.error.message);
      const reqs = proofRequests(c.policy, r.value.recommendedPolicy, c.unused);
      const parts: Record<string, { holds: boolean | undefined; ms: number; result: string }> = {};
      for (const [name, req] of Object.entries(reqs)) {
        if (!req) continue;
        const p0 = performance.now();
        const out = await ctx.engine.run(req, { timeoutMs: ctx.timeoutMs });
        const response = out.ok ? (out.response as CheckResponse) : undefined;
        const holds = response ? proofPartHolds(name as keyof typeof reqs, response) : false;
        parts[name] = { holds, ms: performance.now() - p0, result: response?.result ?? 'ERROR' };
        if (holds !== true) mismatches++;
      }
      const withProof = performance.now() - t0;
      const s = summarize(refine);
      const over = (v: number, budget: number) => (v > budget ? `  OVER the ${budget} ms budget` : '');
      ctx.log(`${c.name}`);
      ctx.log(
        `  refinement: median ${ms(s.median)}  p95 ${ms(s.p95)}  max ${ms(s.max)} over ${RUNS} runs${over(s.median, c.budget.refine)}`,
      );
      ctx.log(
        `  with proof: ${ms(withProof)} (${Object.entries(parts)
          .map(([n, p]) => `${n} ${p.result}${p.holds ? '' : ' NOT PROVED'} ${ms(p.ms)}`)
          .join(', ')})${over(withProof, c.budget.proof)}`,
      );
      ctx.log(`  ${rec?.refinements.length ?? 0} wildcards refined, ${rec?.recommendedAction ?? '?'}`);
      results.push({ name: c.name, refine: s, withProofMs: withProof, parts, budget: c.budget });
    }
    ctx.log();
    return { json: results, mismatches };
  },
};
