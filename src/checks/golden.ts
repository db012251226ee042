/**
 * Golden result files, as compiler-explorer keeps its filter cases: one pretty JSON file per case,
 * keys sorted, the fields that differ from run to run removed, so a diff in review shows what
 * changed in the engine's answer and nothing else. The tests compare them with
 * `toMatchFileSnapshot`; after an intended change, regenerate and review the diff:
 *
 *   npx vitest run src/checks/seed.test.ts src/checks/corpus.test.ts -u
 */

/** Fields that depend on the machine or the run, not on the answer: timings and solver call counts. */
const VOLATILE = new Set(['elapsedMs', 'solverCalls', 'stats', 'transcript']);

/** A value with its object keys sorted, volatile fields and undefined values dropped (arrays keep order). */
function goldenValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(goldenValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[k];
    if (!VOLATILE.has(k) && v !== undefined) out[k] = goldenValue(v);
  }
  return out;
}

/** The text of a golden file. */
export function goldenText(value: unknown): string {
  return JSON.stringify(goldenValue(value), null, 2) + '\n';
}
