/**
 * The unused-actions input of the least-privilege view: the text the user pastes (Access Analyzer's
 * findings shape, or a whole finding as `get-finding-v2` prints it), the checklist of catalog actions
 * the policy names in its Allow statements, and the edits the checklist makes to the text.
 *
 * The text is the single source of truth (it persists and travels in permalinks); the checklist is a
 * view over it. Pure: no React, no Monaco.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import type { Catalog, CatalogAction } from '../../catalog/catalog.ts';
import { parsePolicy } from '../../policy/parse.ts';
import { globMatch, type UnusedPermissionsEntry } from '../../recommend/index.ts';

export type UnusedParse =
  | { ok: true; entries: UnusedPermissionsEntry[]; empty: boolean }
  | { ok: false; message: string; line?: number; column?: number };

/** An action of a finding: a name, or Access Analyzer's `{action, lastAccessed}`. */
const FindingAction = z.union([z.string(), z.object({ action: z.string() }).loose()]);
const Entry = z
  .object({ serviceNamespace: z.string(), actions: z.array(FindingAction) })
  .loose()
  .transform((e) => ({
    serviceNamespace: e.serviceNamespace,
    actions: e.actions.map((a) => (typeof a === 'string' ? a : a.action)),
  }));
const Finding = z
  .object({
    findingDetails: z.array(z.object({ unusedPermissionDetails: z.unknown().optional() }).loose()),
  })
  .loose();

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  return { line, column: offset - last };
}

function describeIssue(issue: z.core.$ZodIssue, prefix: string): string {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const where = `${prefix}${path}`;
  const field = issue.path[issue.path.length - 1];
  if (field === 'serviceNamespace') return `${where} must be a service prefix such as "s3".`;
  if (field === 'actions') return `${where} must be a list of action names such as ["GetObject"].`;
  if (issue.path.length >= 2 && issue.path[issue.path.length - 2] === 'actions')
    return `${where} must be an action name (a string) or {"action": "..."}.`;
  if (issue.path.length <= 1)
    return `${where || 'The input'} must be {"serviceNamespace": "s3", "actions": ["GetObject", …]}.`;
  return `${where}: ${issue.message}`;
}

/**
 * Reads the pasted text. Empty text means "no unused actions yet". The plain findings list
 * `[{"serviceNamespace", "actions"}]` and a whole finding (`{"findingDetails": [{"unusedPermissionDetails":
 * …}]}`) are accepted; anything else is an error that says where and what was expected.
 */
export function parseUnusedText(text: string): UnusedParse {
  if (text.trim() === '') return { ok: true, entries: [], empty: true };
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0) {
    const e = errors[0]!;
    const { line, column } = position(text, e.offset);
    return {
      ok: false,
      message: `The unused actions are not valid JSON: ${printParseErrorCode(e.error)} at line ${line}, column ${column}.`,
      line,
      column,
    };
  }
  let list: unknown = value;
  let prefix = '';
  if (!Array.isArray(value)) {
    const finding = Finding.safeParse(value);
    if (!finding.success)
      return {
        ok: false,
        message:
          'Expected a list like [{"serviceNamespace": "s3", "actions": ["GetObject"]}], or an Access Analyzer finding with findingDetails[].unusedPermissionDetails.',
      };
    list = finding.data.findingDetails.map((d) => d.unusedPermissionDetails).filter((d) => d !== undefined);
    prefix = 'unusedPermissionDetails';
  }
  const parsed = z.array(Entry).safeParse(list);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, message: describeIssue(issue, prefix) };
  }
  return { ok: true, entries: parsed.data, empty: parsed.data.length === 0 };
}

/** The text the checklist writes: one entry per service, in the order they first appear. */
export function formatUnused(entries: readonly UnusedPermissionsEntry[]): string {
  if (entries.length === 0) return '[]';
  const lines = entries.map(
    (e) =>
      `  {\n    "serviceNamespace": ${JSON.stringify(e.serviceNamespace)},\n    "actions": [${e.actions.length ? '\n' + e.actions.map((a) => `      ${JSON.stringify(a)}`).join(',\n') + '\n    ' : ''}]\n  }`,
  );
  return `[\n${lines.join(',\n')}\n]`;
}

const sameName = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Splits `s3:GetObject` into service and name; a name already prefixed in an entry is compared bare. */
function bare(service: string, action: string): string {
  return action.toLowerCase().startsWith(`${service.toLowerCase()}:`)
    ? action.slice(service.length + 1)
    : action;
}

/** The lower-case `service:name` keys of the entries. */
export function unusedKeys(entries: readonly UnusedPermissionsEntry[]): Set<string> {
  const out = new Set<string>();
  for (const e of entries) {
    const service = e.serviceNamespace.trim().toLowerCase();
    for (const a of e.actions) out.add(`${service}:${bare(service, a.trim())}`.toLowerCase());
  }
  return out;
}

/**
 * Adds (`on`) or removes one action (`service:Name`). Adding appends to the service's entry (a new
 * entry when there is none); removing drops every spelling of it and any entry left empty.
 */
export function toggleUnused(
  entries: readonly UnusedPermissionsEntry[],
  action: string,
  on: boolean,
): UnusedPermissionsEntry[] {
  const colon = action.indexOf(':');
  if (colon <= 0) throw new Error(`Not a service:action name: ${action}`);
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  const isService = (e: UnusedPermissionsEntry) => sameName(e.serviceNamespace.trim(), service);
  const has = (e: UnusedPermissionsEntry) => e.actions.some((a) => sameName(bare(service, a.trim()), name));
  if (on) {
    if (entries.some((e) => isService(e) && has(e))) return entries.map((e) => ({ ...e }));
    const i = entries.findIndex(isService);
    if (i < 0) return [...entries.map((e) => ({ ...e })), { serviceNamespace: service, actions: [name] }];
    return entries.map((e, j) => (j === i ? { ...e, actions: [...e.actions, name] } : { ...e }));
  }
  return entries
    .map((e) =>
      isService(e)
        ? { ...e, actions: e.actions.filter((a) => !sameName(bare(service, a.trim()), name)) }
        : { ...e },
    )
    .filter((e) => e.actions.length > 0 || !isService(e));
}

/**
 * The catalog actions some Allow statement of the policy names (Action patterns, or everything outside
 * NotAction). Deny statements and conditions are not subtracted: a checklist of candidates, not a
 * verdict. Undefined when the policy does not parse.
 */
export function allowedCatalogActions(policyText: string, catalog: Catalog): CatalogAction[] | undefined {
  const parsed = parsePolicy(policyText);
  if (!parsed.ok) return undefined;
  const picked = new Set<string>();
  const services = catalog.services();
  for (const st of parsed.policy.statements) {
    if (st.effect !== 'Allow') continue;
    const patterns = st.action.patterns.map((p) => p.value.toLowerCase());
    // Patterns with a literal service only meet that service's actions.
    const byService = new Map<string, string[]>();
    const anyService: string[] = [];
    for (const p of patterns) {
      const colon = p.indexOf(':');
      const svc = colon >= 0 ? p.slice(0, colon) : '';
      if (colon < 0 || svc.includes('*') || svc.includes('?')) anyService.push(p);
      else byService.set(svc, [...(byService.get(svc) ?? []), p]);
    }
    for (const svc of services) {
      const own = byService.get(svc) ?? [];
      if (!st.action.negated && own.length === 0 && anyService.length === 0) continue;
      for (const a of catalog.serviceActions(svc)) {
        const matched = own.some((p) => globMatch(p, a.key)) || anyService.some((p) => globMatch(p, a.key));
        if (matched !== st.action.negated) picked.add(a.key);
      }
    }
  }
  return catalog.actions.filter((a) => picked.has(a.key)).sort((x, y) => (x.key < y.key ? -1 : 1));
}
