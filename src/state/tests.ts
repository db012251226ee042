/**
 * Policy tests as the app keeps them (the file format and its schema: checks/policy-tests.ts): the
 * stored and shared lists, read test by test; a request turned into a test ("Keep as a test" on a
 * counterexample card, a scenario's request, the Learn view's step-by-step request: one function for
 * the three); the suite file for export and import.
 */
import { PolicyTest, readTestSuite, type DecisionTest } from '../checks/policy-tests.ts';
import type { Principal, Request } from '../evaluate/request.ts';

/** Stored state and links are user input: a list longer than this is cut. */
const MAX_TESTS = 500;

/** Which list a test belongs to: the Check mode's documents, or the Scenario mode's stack. */
export type TestsTarget = 'policy' | 'scenario';

/** The snapshot field of each list. */
export const TESTS_FIELD = { policy: 'policyTests', scenario: 'scenarioTests' } as const;

/**
 * Reads a stored or linked list test by test: a test the schema refuses, or a second test of the
 * same name, is dropped and the rest kept (one bad test does not cost the others). Anything but a
 * list is `undefined`: the caller keeps its own value.
 */
export function readTests(input: unknown): PolicyTest[] | undefined {
  if (!Array.isArray(input)) return undefined;
  const out: PolicyTest[] = [];
  const names = new Set<string>();
  for (const raw of input.slice(0, MAX_TESTS)) {
    const t = PolicyTest.safeParse(raw);
    if (!t.success || names.has(t.data.name)) continue;
    names.add(t.data.name);
    out.push(t.data);
  }
  return out;
}

/** `base`, or `base (2)`, `base (3)`…: the first name no test in `taken` has. */
function uniqueName(base: string, taken: readonly string[]): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base} (${i})`)) return `${base} (${i})`;
}

/** A principal as the file format writes it: an ARN or account id, "anonymous", {"Service": "…"}. */
function principalInFile(p: Principal): unknown {
  if (p.type === 'Anonymous') return 'anonymous';
  if (p.type !== 'AWS') return { [p.type]: p.id };
  // A role session's path or a unique id is part of who the caller is: kept, in the object form.
  return (p.path && p.path !== '/') || p.uniqueId ? { ...p } : p.id;
}

/**
 * A request as a decision test: the request exactly (principal, action, resource, context), the
 * expected decision, and a name no other test has. `document` names the document of a pair the test
 * is about, when it is not the default one.
 */
export function testFromRequest(o: {
  request: Request;
  expect: DecisionTest['expect'];
  taken: readonly string[];
  document?: string;
}): DecisionTest {
  const r = o.request;
  const request: DecisionTest['request'] = { action: r.action, resource: r.resource };
  if (r.principal) request.principal = principalInFile(r.principal);
  if (Object.keys(r.context).length) request.context = { ...r.context };
  return {
    name: uniqueName(`${o.expect}: ${r.action} on ${r.resource}`, o.taken),
    ...(o.document ? { document: o.document } : {}),
    expect: o.expect,
    request,
  };
}

/** A copy of the test under a new name, for "Duplicate". */
export function duplicateTest(t: PolicyTest, taken: readonly string[]): PolicyTest {
  return { ...t, name: uniqueName(`${t.name} (copy)`, taken) };
}

/** The suite as the file format writes it (README, "Policy tests"): what Export saves. */
export function suiteJson(tests: readonly PolicyTest[]): string {
  return `${JSON.stringify({ tests }, null, 2)}\n`;
}

/** A suite file's text, validated: its tests, or a message naming the problem and where it is. */
export function importSuite(
  text: string,
): { ok: true; tests: PolicyTest[] } | { ok: false; message: string } {
  const r = readTestSuite(text);
  if (!r.ok) return r;
  if (r.suite.tests.length > MAX_TESTS)
    return { ok: false, message: `tests: ${r.suite.tests.length} tests; the app keeps at most ${MAX_TESTS}` };
  return { ok: true, tests: r.suite.tests };
}
