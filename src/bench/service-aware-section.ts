/**
 * Service-aware bench section (issue 13): the 200 corpus pairs' CheckNoNewAccess under both
 * readings (checks/service-aware.ts), verdict and exact list. Counts Access Analyzer's
 * counterexamples and newly granted actions that AWS would never authorize (marked `impossible`),
 * lists the pairs whose verdict differs between the readings with the reasons the engine gives,
 * and times the service-aware reading beside Access Analyzer's (the cost the app pays to show it).
 * A service-aware FAIL where Access Analyzer's reading passes would be a wrong answer (the
 * service-aware question is a restriction of the same question): the section's mismatches.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckResponse } from '../checks/types.ts';
import type { BenchContext, BenchSection } from './sections.ts';
import { ms, summarize, table } from './stats.ts';

const PAIRS = fileURLToPath(new URL('../fixtures/pairs/', import.meta.url));

interface Changed {
  pair: string;
  mode: 'verdict' | 'exact';
  accessAnalyzer: string;
  serviceAware: string;
  why: string[];
}

export const serviceAwareSection: BenchSection = {
  name: 'service-aware',
  description:
    'the 200 corpus pairs under both readings: requests AWS would never authorize, verdicts that change',
  async run(ctx: BenchContext) {
    const files = readdirSync(PAIRS)
      .filter((f) => f.endsWith('.json') && f !== 'INDEX.json')
      .filter((f) => ctx.filter === undefined || f.toLowerCase().includes(ctx.filter))
      .sort()
      .slice(0, ctx.limit);
    let counterexamples = 0;
    let ruledOut = 0;
    let listed = 0;
    let listedImpossible = 0;
    let mismatches = 0;
    const changed: Changed[] = [];
    const extra: Record<'verdict' | 'exact', number[]> = { verdict: [], exact: [] };
    for (const file of files) {
      const p = JSON.parse(readFileSync(join(PAIRS, file), 'utf8')) as {
        name: string;
        oldVersion: string;
        newVersion: string;
        old: unknown;
        new: unknown;
      };
      const pair = `${p.name} ${p.oldVersion}->${p.newVersion}`;
      for (const mode of ['verdict', 'exact'] as const) {
        const out = await ctx.engine.run(
          {
            check: 'CheckNoNewAccess',
            existingPolicyDocument: JSON.stringify(p.old),
            newPolicyDocument: JSON.stringify(p.new),
            policyType: 'IDENTITY_POLICY',
            exactNewAccess: mode === 'exact',
          },
          { timeoutMs: ctx.timeoutMs, serviceAware: true },
        );
        if (!out.ok || out.response.kind !== 'check') continue;
        const r: CheckResponse = out.response;
        const sa = r.serviceAware!;
        extra[mode].push(sa.stats.elapsedMs);
        counterexamples += r.counterexamples.length;
        ruledOut += r.counterexamples.filter((c) => c.impossible).length;
        if (mode === 'exact')
          for (const s of r.newAccess?.services ?? [])
            for (const a of s.actions) {
              listed++;
              if (a.impossible) listedImpossible++;
            }
        if (r.result === 'PASS' && sa.result !== 'PASS') {
          mismatches++;
          ctx.progress(`  WRONG: ${pair} (${mode}): Access Analyzer PASS, service-aware ${sa.result}`);
        }
        if (sa.result !== r.result)
          changed.push({
            pair,
            mode,
            accessAnalyzer: r.result,
            serviceAware: sa.result,
            why: [...new Set(sa.ruledOut.map((x) => x.reason))].slice(0, 2),
          });
      }
    }
    const cost = (xs: number[]) => summarize(xs);
    ctx.log(`pairs: ${files.length}`);
    ctx.log(
      `Access Analyzer's counterexamples AWS would never authorize: ${ruledOut} of ${counterexamples} (both modes)`,
    );
    ctx.log(
      `newly granted actions (exact lists) AWS would never authorize: ${listedImpossible} of ${listed}`,
    );
    ctx.log(`pairs whose verdict differs between the readings: ${changed.length}`);
    for (const c of changed)
      ctx.log(
        `  ${c.pair} (${c.mode}): ${c.accessAnalyzer} → ${c.serviceAware}: ${c.why.join('; ') || '(no reason given)'}`,
      );
    const v = cost(extra.verdict);
    const e = cost(extra.exact);
    ctx.log(
      table(
        ['service-aware reading, added time', 'p50', 'p95', 'max'],
        [
          ['verdict', ms(v.median), ms(v.p95), ms(v.max)],
          ['exact list', ms(e.median), ms(e.p95), ms(e.max)],
        ],
      ),
    );
    return {
      json: {
        pairs: files.length,
        counterexamples,
        ruledOut,
        listed,
        listedImpossible,
        changed,
        cost: { verdict: v, exact: e },
      },
      mismatches,
    };
  },
};
