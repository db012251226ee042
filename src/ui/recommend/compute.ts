/**
 * The recommendation the view shows: the engine's `recommend` with the user's stored choices, where
 * choices that no longer fit (the policy or the unused set changed since they were made) are set
 * aside and reported instead of failing the whole recommendation. Pure: no React.
 */
import type { Catalog } from '../../catalog/catalog.ts';
import {
  recommend,
  type Recommendation,
  type RecommendError,
  type UnusedPermissionsEntry,
} from '../../recommend/index.ts';

export interface IgnoredChoice {
  key: string;
  reason: string;
}

export interface Computed {
  rec: Recommendation;
  /** the least general cover of every refinement (what the engine picks without choices) */
  defaults: Record<string, string[]>;
  /** the stored choices that were applied */
  applied: Record<string, string[]>;
  /** the stored choices set aside, with why */
  ignored: IgnoredChoice[];
}

export type ComputeResult = { ok: true; value: Computed } | { ok: false; error: RecommendError };

export function computeRecommendation(
  policyText: string,
  unused: readonly UnusedPermissionsEntry[],
  catalog: Catalog,
  choices: Readonly<Record<string, readonly string[]>>,
): ComputeResult {
  const base = recommend(policyText, unused, catalog);
  if (!base.ok) return base;
  const defaults: Record<string, string[]> = {};
  for (const r of base.value.refinements) defaults[r.key] = r.chosen;
  const keys = Object.keys(choices);
  if (keys.length === 0) return { ok: true, value: { rec: base.value, defaults, applied: {}, ignored: [] } };

  // The common case: every choice still fits.
  const all = recommend(policyText, unused, catalog, { choices });
  if (all.ok) {
    const applied = Object.fromEntries(keys.map((k) => [k, [...(choices[k] ?? [])]]));
    return { ok: true, value: { rec: all.value, defaults, applied, ignored: [] } };
  }

  const applied: Record<string, string[]> = {};
  const ignored: IgnoredChoice[] = [];
  for (const key of keys) {
    const ids = [...(choices[key] ?? [])];
    if (!(key in defaults)) {
      ignored.push({
        key,
        reason: 'the policy no longer has this wildcard, or no unused action is under it',
      });
      continue;
    }
    const one = recommend(policyText, unused, catalog, { choices: { [key]: ids } });
    if (one.ok) applied[key] = ids;
    else ignored.push({ key, reason: one.error.message });
  }
  const final = recommend(policyText, unused, catalog, { choices: applied });
  // Choices valid one by one are valid together (refinements are independent); fall back regardless.
  if (!final.ok)
    return {
      ok: true,
      value: {
        rec: base.value,
        defaults,
        applied: {},
        ignored: keys.map((key) => ({ key, reason: final.error.message })),
      },
    };
  return { ok: true, value: { rec: final.value, defaults, applied, ignored } };
}

/** The choices to store after the user picked `ids` for refinement `key` (defaults are not stored). */
export function nextChoices(
  computed: Computed,
  key: string,
  ids: readonly string[],
): Record<string, string[]> {
  const out: Record<string, string[]> = { ...computed.applied };
  const def = computed.defaults[key] ?? [];
  const same = ids.length === def.length && [...ids].sort().join('\n') === [...def].sort().join('\n');
  if (same) delete out[key];
  else out[key] = [...ids];
  return out;
}

/**
 * The text on the diff's right side. With nothing to remove (no unused action given yet), or no
 * recommendation to show (the unused actions or the catalog not ready, an error), it is the policy
 * itself: the diff then shows no change, never the whole policy deleted. DETACH_POLICY has no
 * recommended policy: an empty right side, the whole policy removed, is what it means.
 */
export function recommendedSide(policyText: string, rec: Recommendation | undefined): string {
  if (!rec) return policyText;
  return rec.recommendedPolicy ?? '';
}
