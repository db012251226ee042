/**
 * The Tests panel's form as plain data: a test as text fields (lists one per line or comma
 * separated, context as key / value rows), and back to a test through the file format's own zod
 * schema, with each problem attached to the field it is about.
 *
 * - range tests (never / sometimes / always allowed): actions, resources, principals; a context row
 *   fixes a key's value (`["a", "b"]`: a multi-valued key's values) or, ticked "absent", its absence;
 * - decision tests: one request (principal, action, resource, context rows) and its decision.
 */
import {
  DECISION_EXPECTATIONS,
  isRangeTest,
  PolicyTest,
  RANGE_EXPECTATIONS,
} from '../checks/policy-tests.ts';
import { principalFromJson } from '../evaluate/request.ts';

export type Expectation = (typeof RANGE_EXPECTATIONS)[number] | (typeof DECISION_EXPECTATIONS)[number];
export const EXPECTATIONS: readonly Expectation[] = [...RANGE_EXPECTATIONS, ...DECISION_EXPECTATIONS];
export const isRangeExpectation = (e: Expectation): boolean =>
  (RANGE_EXPECTATIONS as readonly string[]).includes(e);

export interface ContextRow {
  key: string;
  /** a value, or a JSON list of values */
  value: string;
  /** range tests: the request lacks the key */
  absent: boolean;
}

export interface TestDraft {
  name: string;
  expect: Expectation;
  /** '' : the target's default document */
  document: string;
  actions: string;
  resources: string;
  principals: string;
  /** decision tests: the request */
  principal: string;
  action: string;
  resource: string;
  context: ContextRow[];
}

/** The field a problem is shown next to: a draft field, or `context.<row>`. */
export type DraftErrors = Record<string, string>;

export const EMPTY_DRAFT: TestDraft = {
  name: '',
  expect: 'never-allowed',
  document: '',
  actions: '',
  resources: '',
  principals: '',
  principal: '',
  action: '',
  resource: '',
  context: [],
};

const splitList = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

const valueText = (v: string | string[] | null): string =>
  v === null ? '' : Array.isArray(v) ? JSON.stringify(v) : v;

/** A decision test's principal as one line: `anonymous`, an ARN or account id, `Service:<name>`, or JSON. */
function principalText(p: unknown): string {
  if (p === undefined) return '';
  if (typeof p === 'string') return p;
  if (typeof p === 'object' && p !== null) {
    const entries = Object.entries(p);
    const [k, v] = entries[0] ?? [];
    if (
      entries.length === 1 &&
      typeof v === 'string' &&
      ['Service', 'Federated', 'CanonicalUser'].includes(k!)
    )
      return `${k}:${v}`;
  }
  return JSON.stringify(p);
}

function readPrincipal(text: string): { value?: unknown; error?: string } {
  const t = text.trim();
  if (t === '') return {};
  let value: unknown = t;
  const typed = /^(Service|Federated|CanonicalUser):(.+)$/.exec(t);
  if (typed) value = { [typed[1]!]: typed[2]!.trim() };
  else if (t.startsWith('{'))
    try {
      value = JSON.parse(t);
    } catch {
      return { error: 'not JSON: write an ARN, an account id, anonymous, or Service:<name>' };
    }
  try {
    principalFromJson(value);
  } catch (e) {
    return { error: (e as Error).message };
  }
  return { value };
}

export function draftFromTest(t: PolicyTest): TestDraft {
  const d: TestDraft = { ...EMPTY_DRAFT, name: t.name, expect: t.expect, document: t.document ?? '' };
  if (isRangeTest(t)) {
    d.actions = (t.actions ?? []).join('\n');
    d.resources = (t.resources ?? []).join('\n');
    d.principals = (t.principals ?? []).join('\n');
    d.context = Object.entries(t.context ?? {}).map(([key, v]) => ({
      key,
      value: valueText(v),
      absent: v === null,
    }));
  } else {
    d.principal = principalText(t.request.principal);
    d.action = t.request.action;
    d.resource = t.request.resource;
    d.context = Object.entries(t.request.context ?? {}).map(([key, v]) => ({
      key,
      value: valueText(v),
      absent: false,
    }));
  }
  return d;
}

function readContext(
  rows: ContextRow[],
  range: boolean,
  errors: DraftErrors,
): Record<string, string | string[] | null> {
  const out: Record<string, string | string[] | null> = {};
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    const key = row.key.trim();
    const at = `context.${i}`;
    if (key === '') {
      if (row.value.trim() !== '') errors[at] = 'a value needs its condition key';
      return;
    }
    if (/\s/.test(key)) {
      errors[at] = `"${key}" is not a condition key`;
      return;
    }
    if (seen.has(key.toLowerCase())) {
      errors[at] = `${key} is given twice`;
      return;
    }
    seen.add(key.toLowerCase());
    if (range && row.absent) {
      out[key] = null;
      return;
    }
    const v = row.value.trim();
    if (!v.startsWith('[')) {
      out[key] = v;
      return;
    }
    try {
      const list: unknown = JSON.parse(v);
      if (Array.isArray(list) && list.length > 0 && list.every((x) => typeof x === 'string')) {
        out[key] = list as string[];
        return;
      }
    } catch {
      // the message below
    }
    errors[at] = 'a list of values is JSON strings, like ["a", "b"]';
  });
  return out;
}

/** The field of the form a schema problem is about. */
function fieldOf(path: readonly PropertyKey[], rows: ContextRow[]): string {
  const [head, second, third] = path;
  const contextRow = (key: PropertyKey | undefined): string => {
    const i = rows.findIndex((r) => r.key.trim() === key);
    return i >= 0 ? `context.${i}` : 'form';
  };
  if (head === 'request') return second === 'context' ? contextRow(third) : String(second ?? 'form');
  if (head === 'context') return contextRow(second);
  return typeof head === 'string' ? head : 'form';
}

/**
 * The draft as a test, validated by the file format's schema (and its name against the other tests'),
 * or the problems by field.
 */
export function testFromDraft(
  d: TestDraft,
  otherNames: readonly string[],
): { ok: true; test: PolicyTest } | { ok: false; errors: DraftErrors } {
  const errors: DraftErrors = {};
  const range = isRangeExpectation(d.expect);
  const context = readContext(d.context, range, errors);
  const raw: Record<string, unknown> = { name: d.name, expect: d.expect };
  if (d.document) raw.document = d.document;
  if (range) {
    const lists = { actions: d.actions, resources: d.resources, principals: d.principals };
    for (const [k, v] of Object.entries(lists)) if (splitList(v).length) raw[k] = splitList(v);
    if (Object.keys(context).length) raw.context = context;
  } else {
    const request: Record<string, unknown> = { action: d.action, resource: d.resource };
    if (d.action.trim() === '') errors.action = 'the action, like s3:GetObject';
    if (d.resource.trim() === '') errors.resource = 'the resource, an ARN (or *)';
    const p = readPrincipal(d.principal);
    if (p.error) errors.principal = p.error;
    else if (p.value !== undefined) request.principal = p.value;
    if (Object.keys(context).length) request.context = context;
    raw.request = request;
  }
  // The union's two shapes, parsed by the one the expectation picks: its problems name their fields.
  const schema = PolicyTest.options[range ? 0 : 1];
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = fieldOf(issue.path, d.context);
      errors[field] ??= issue.message;
    }
  if (otherNames.includes(d.name.trim())) errors.name ??= `another test is named "${d.name.trim()}"`;
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  return { ok: true, test: parsed.data };
}
