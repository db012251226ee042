/**
 * Least-privilege recommendations for unused actions (the engine part; no solver).
 *
 * Given a policy and the unused actions of an Access Analyzer finding, produce a NEW policy that
 * - drops every explicitly listed unused action from Allow statements,
 * - replaces every wildcard that covers unused actions by the least general safe cover of its action
 *   trie (see trie.ts), keeping wildcards with no unused action under them as written,
 * - adds the unused actions an Allow + NotAction statement grants to its NotAction list (collapsed to
 *   `prefix*` where every allowed action under the prefix is unused),
 * - leaves Deny statements, resources, conditions, Sids and statement order alone,
 * - removes statements left without actions, and recommends DETACH_POLICY when nothing is left.
 *
 * The output is Access Analyzer's UnusedPermissionsRecommendedStep plus the tries, the chosen covers
 * and a future-proofing list for the UI. Whether the result really allows exactly "original minus
 * unused" is proved by the solver with the requests of proof.ts.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { parsePolicy } from '../policy/parse.ts';
import { ActionIndex, catalogIndex, type IndexedAction } from './action-index.ts';
import { globMatchLower, hasWildcard } from './glob.ts';
import { applyCover, buildTrie, checkCover, chosenIds, type TrieNode } from './trie.ts';

/** One entry of an Access Analyzer unused-permissions finding (`unusedPermissionDetails`). */
export interface UnusedPermissionsEntry {
  serviceNamespace: string;
  actions: string[];
}

type RecommendedAction = 'CREATE_POLICY' | 'DETACH_POLICY';

/** Access Analyzer's UnusedPermissionsRecommendedStep. */
interface UnusedPermissionsRecommendedStep {
  recommendedAction: RecommendedAction;
  /** the recommended policy, JSON text with 2-space indentation (absent for DETACH_POLICY) */
  recommendedPolicy?: string;
  existingPolicyId?: string;
}

export interface Refinement {
  /** `<statementIndex>|<pattern as written>` for a wildcard in Action, `<statementIndex>|NotAction` */
  key: string;
  /** index of the statement in the ORIGINAL policy */
  statementIndex: number;
  sid?: string;
  element: 'Action' | 'NotAction';
  /** the wildcard as written; for NotAction the original NotAction list joined with `, ` */
  pattern: string;
  trie: TrieNode;
  /** ids of the chosen trie nodes */
  chosen: string[];
  /** what replaces the wildcard (Action) or is appended to NotAction */
  replacement: string[];
  /** the cover came from `options.choices` rather than the default least general one */
  custom: boolean;
}

export interface FutureWildcard {
  /** index in the original policy */
  statementIndex: number;
  /** index in the recommended policy */
  outputStatementIndex: number;
  sid?: string;
  /** a wildcard of the recommended policy, or `NotAction` for an Allow + NotAction statement */
  pattern: string;
  /** `refined`: produced by a refinement; `kept`: an original wildcard kept as written */
  origin: 'refined' | 'kept' | 'notAction';
  note: string;
}

export interface Recommendation extends UnusedPermissionsRecommendedStep {
  /** the recommended policy as an object (absent for DETACH_POLICY) */
  recommendedDocument?: Record<string, unknown>;
  /** the recommended policy differs from the original */
  changed: boolean;
  refinements: Refinement[];
  /** wildcards of the result that would also admit actions AWS adds later */
  futureProofing: FutureWildcard[];
  /** explicitly listed unused actions removed from Allow statements */
  removedActions: { statementIndex: number; action: string }[];
  /** wildcards removed because every catalog action they match is unused */
  droppedWildcards: { statementIndex: number; pattern: string }[];
  /** original indexes of the statements removed because no action was left */
  removedStatements: number[];
  /** for each statement of the result, its index in the original policy */
  statementMap: number[];
  /** actions and wildcards of Allow statements that name nothing in the catalog: kept as written */
  outsideCatalog: { statementIndex: number; action: string }[];
  /** the unused actions, normalised to `service:Name` (catalog spelling when known) */
  unusedActions: string[];
  notes: string[];
}

export interface RecommendOptions {
  /**
   * A more specific cover for some refinements: refinement key -> ids of trie nodes. Each list must be
   * a valid cover (safe nodes covering every used action under the wildcard, or every unused action
   * for NotAction); otherwise the call fails with INVALID_CHOICE.
   */
  choices?: Record<string, readonly string[]>;
  existingPolicyId?: string;
}

export interface RecommendError {
  code: 'POLICY_PARSE_ERROR' | 'INVALID_UNUSED' | 'INVALID_CHOICE';
  message: string;
}

export type RecommendResult = { ok: true; value: Recommendation } | { ok: false; error: RecommendError };

function fail(code: RecommendError['code'], message: string): RecommendResult {
  return { ok: false, error: { code, message } };
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** Validates and normalises the findings shape. */
function normaliseUnused(
  unused: unknown,
  catalog: Catalog,
): { ok: true; actions: IndexedAction[] } | { ok: false; message: string } {
  if (!Array.isArray(unused))
    return { ok: false, message: 'Unused actions must be a list of {serviceNamespace, actions}.' };
  const out = new Map<string, IndexedAction>();
  for (const [i, entry] of unused.entries()) {
    const e = entry as Partial<UnusedPermissionsEntry> | null;
    if (!e || typeof e !== 'object' || typeof e.serviceNamespace !== 'string' || !Array.isArray(e.actions))
      return { ok: false, message: `Entry ${i} must be {"serviceNamespace": string, "actions": string[]}.` };
    const service = e.serviceNamespace.trim().toLowerCase();
    if (!/^[a-z0-9-]+$/.test(service))
      return { ok: false, message: `Entry ${i}: bad serviceNamespace "${e.serviceNamespace}".` };
    for (const raw of e.actions as unknown[]) {
      if (typeof raw !== 'string') return { ok: false, message: `Entry ${i}: actions must be strings.` };
      let name = raw.trim();
      if (name.toLowerCase().startsWith(`${service}:`)) name = name.slice(service.length + 1);
      if (name === '' || hasWildcard(name) || name.includes(':'))
        return {
          ok: false,
          message: `Entry ${i}: "${raw}" is not an action name (no wildcards, no other service).`,
        };
      const known = catalog.action(`${service}:${name}`);
      const a: IndexedAction = known
        ? { service: known.service, name: known.name, display: known.display, key: known.key }
        : { service, name, display: `${service}:${name}`, key: `${service}:${name}`.toLowerCase() };
      if (!out.has(a.key)) out.set(a.key, a);
    }
  }
  return { ok: true, actions: [...out.values()] };
}

type RawStatement = Record<string, unknown>;

export function recommend(
  policyText: string,
  unused: readonly UnusedPermissionsEntry[],
  catalog: Catalog,
  options: RecommendOptions = {},
): RecommendResult {
  const parsed = parsePolicy(policyText);
  if (!parsed.ok) {
    const first = parsed.findings.find((f) => f.findingType === 'ERROR');
    return fail(
      'POLICY_PARSE_ERROR',
      first ? `${first.issueCode}: ${first.findingDetails}` : 'The policy does not parse.',
    );
  }
  const norm = normaliseUnused(unused, catalog);
  if (!norm.ok) return fail('INVALID_UNUSED', norm.message);

  const doc = JSON.parse(policyText) as Record<string, unknown>;
  const rawList: RawStatement[] = Array.isArray(doc.Statement)
    ? (doc.Statement as RawStatement[])
    : [doc.Statement as RawStatement];

  const cat = catalogIndex(catalog);
  const unusedList = norm.actions;
  const unusedKeys = new Set(unusedList.map((a) => a.key));
  const unusedIndex = new ActionIndex(unusedList);
  const choices = options.choices ?? {};
  const usedChoices = new Set<string>();

  const rec: Recommendation = {
    recommendedAction: 'CREATE_POLICY',
    changed: false,
    refinements: [],
    futureProofing: [],
    removedActions: [],
    droppedWildcards: [],
    removedStatements: [],
    statementMap: [],
    outsideCatalog: [],
    unusedActions: unusedList.map((a) => a.display),
    notes: [],
  };
  if (options.existingPolicyId !== undefined) rec.existingPolicyId = options.existingPolicyId;

  const outStatements: RawStatement[] = [];
  const refinedPatterns: Set<string>[] = [];

  const applyChoice = (
    key: string,
    trie: ReturnType<typeof buildTrie>,
  ): { ids: string[]; custom: boolean } | string => {
    const wanted = choices[key];
    if (!wanted) return { ids: chosenIds(trie.root), custom: false };
    usedChoices.add(key);
    const check = checkCover(trie, wanted);
    if (!check.ok) return `Choice for ${key}: ${check.message}`;
    return { ids: check.ids, custom: true };
  };

  for (const st of parsed.policy.statements) {
    const raw = rawList[st.index] ?? {};
    const i = st.index;
    if (st.effect === 'Deny') {
      outStatements.push(raw);
      rec.statementMap.push(i);
      refinedPatterns.push(new Set());
      continue;
    }
    const written = st.action.patterns.map((p) => p.value);
    const refined = new Set<string>();

    if (!st.action.negated) {
      const next: string[] = [];
      const cache = new Map<string, string[]>();
      for (const p of written) {
        const lower = p.toLowerCase();
        if (!hasWildcard(p)) {
          if (unusedKeys.has(lower)) {
            rec.removedActions.push({ statementIndex: i, action: p });
            continue;
          }
          if (!catalog.action(p)) rec.outsideCatalog.push({ statementIndex: i, action: p });
          next.push(p);
          continue;
        }
        const unusedHere = unusedIndex.match(lower);
        if (unusedHere.length === 0) {
          if (cat.match(lower).length === 0) rec.outsideCatalog.push({ statementIndex: i, action: p });
          next.push(p);
          continue;
        }
        const key = `${i}|${p}`;
        let replacement = cache.get(key);
        if (!replacement) {
          const catalogHere = cat.match(lower);
          const seen = new Set<string>();
          const actions: IndexedAction[] = [];
          for (const a of [...catalogHere, ...unusedHere])
            if (!seen.has(a.key)) {
              seen.add(a.key);
              actions.push(a);
            }
          const trie = buildTrie({
            kind: 'Action',
            pattern: p,
            actions,
            unused: unusedKeys,
            forbiddenSorted: [...unusedHere].sort(byKey),
            collapseRoot: true,
          });
          const picked = applyChoice(key, trie);
          if (typeof picked === 'string') return fail('INVALID_CHOICE', picked);
          replacement = applyCover(trie, picked.ids);
          cache.set(key, replacement);
          const r: Refinement = {
            key,
            statementIndex: i,
            element: 'Action',
            pattern: p,
            trie: trie.root,
            chosen: picked.ids,
            replacement,
            custom: picked.custom,
          };
          if (st.sid !== undefined) r.sid = st.sid;
          rec.refinements.push(r);
          if (replacement.length === 0) {
            rec.droppedWildcards.push({ statementIndex: i, pattern: p });
            rec.notes.push(
              `Statement ${i}: ${p} was removed: every catalog action it matches is unused (actions outside the catalog it may match are no longer granted).`,
            );
          }
        }
        for (const r of replacement) refined.add(r.toLowerCase());
        next.push(...replacement);
      }
      const list = dedupe(next);
      if (list.length === 0) {
        rec.removedStatements.push(i);
        continue;
      }
      outStatements.push({
        ...raw,
        Action: typeof raw.Action === 'string' && list.length === 1 ? list[0] : list,
      });
    } else {
      const lowers = written.map((p) => p.toLowerCase());
      const excluded = (key: string) => lowers.some((p) => globMatchLower(p, key));
      const allowedUnused = unusedList.filter((a) => !excluded(a.key));
      if (allowedUnused.length === 0) {
        outStatements.push(raw);
        rec.statementMap.push(i);
        refinedPatterns.push(refined);
        continue;
      }
      const services = new Set(allowedUnused.map((a) => a.service));
      const actions: IndexedAction[] = [];
      const used: IndexedAction[] = [];
      const seen = new Set<string>();
      for (const s of services)
        for (const a of cat.serviceActions(s))
          if (!excluded(a.key)) {
            seen.add(a.key);
            actions.push(a);
            if (!unusedKeys.has(a.key)) used.push(a);
          }
      for (const a of allowedUnused) if (!seen.has(a.key)) actions.push(a);
      const key = `${i}|NotAction`;
      const trie = buildTrie({
        kind: 'NotAction',
        actions,
        unused: unusedKeys,
        forbiddenSorted: used.sort(byKey),
        collapseRoot: false,
        rootUnsafe: true,
      });
      const picked = applyChoice(key, trie);
      if (typeof picked === 'string') return fail('INVALID_CHOICE', picked);
      const replacement = applyCover(trie, picked.ids);
      const r: Refinement = {
        key,
        statementIndex: i,
        element: 'NotAction',
        pattern: written.join(', '),
        trie: trie.root,
        chosen: picked.ids,
        replacement,
        custom: picked.custom,
      };
      if (st.sid !== undefined) r.sid = st.sid;
      rec.refinements.push(r);
      const list = dedupe([...written, ...replacement]);
      if (list.includes('*')) {
        rec.removedStatements.push(i);
        rec.notes.push(
          `Statement ${i}: every action its NotAction allowed is unused; the statement was removed.`,
        );
        continue;
      }
      outStatements.push({ ...raw, NotAction: list });
    }
    rec.statementMap.push(i);
    refinedPatterns.push(refined);
  }

  for (const key of Object.keys(choices))
    if (!usedChoices.has(key))
      return fail(
        'INVALID_CHOICE',
        `No refinement has the key "${key}" (keys are "<statementIndex>|<wildcard>" or "<statementIndex>|NotAction").`,
      );

  outStatements.forEach((s, out) => {
    const orig = rec.statementMap[out] ?? out;
    if (s.Effect !== 'Allow') return;
    const base = {
      statementIndex: orig,
      outputStatementIndex: out,
      ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
    };
    if (s.NotAction !== undefined) {
      rec.futureProofing.push({
        ...base,
        pattern: 'NotAction',
        origin: 'notAction',
        note: 'Allow with NotAction grants every action AWS adds later outside the NotAction list.',
      });
      return;
    }
    const acts =
      typeof s.Action === 'string' ? [s.Action] : Array.isArray(s.Action) ? (s.Action as string[]) : [];
    for (const a of acts)
      if (hasWildcard(a)) {
        const refined = refinedPatterns[out]?.has(a.toLowerCase()) ?? false;
        rec.futureProofing.push({
          ...base,
          pattern: a,
          origin: refined ? 'refined' : 'kept',
          note: refined
            ? `${a} was derived from the catalog; it would also grant actions AWS adds later under this prefix.`
            : `${a} is kept as written; it would also grant actions AWS adds later.`,
        });
      }
  });

  if (outStatements.length === 0) {
    rec.recommendedAction = 'DETACH_POLICY';
    rec.changed = true;
    return { ok: true, value: rec };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k !== 'Statement') out[k] = v;
    else
      out[k] = !Array.isArray(doc.Statement) && outStatements.length === 1 ? outStatements[0] : outStatements;
  }
  rec.recommendedDocument = out;
  rec.recommendedPolicy = JSON.stringify(out, null, 2);
  rec.changed =
    rec.removedActions.length > 0 ||
    rec.removedStatements.length > 0 ||
    rec.refinements.some((r) => r.element === 'NotAction' || r.replacement.join('\n') !== r.pattern);
  return { ok: true, value: rec };
}

function dedupe(list: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const a of list) {
    const k = a.toLowerCase();
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(a);
  }
  return out;
}
