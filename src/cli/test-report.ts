/**
 * The `test` command's reports of a policy-test run (checks/policy-tests.ts): text for people (one
 * line per test, a failing test's request and who decided, a summary) and JUnit XML for CI. Pure.
 *
 * JUnit, as Jenkins, GitLab and GitHub's test reporters read it: one <testsuite> (inside
 * <testsuites>) with tests/failures/errors/skipped counts and its time in seconds, one <testcase>
 * per test (classname: the document it ran on). A failing test is a <failure> whose text is the
 * counterexample; a test that cannot run as written is an <error>; an UNKNOWN is a <skipped> (the
 * solver did not decide, so no verdict either way: the report stays honest and the exit status, 3,
 * still stops the pipeline).
 */
import type { RunTestsOutcome, TestResult, TestStatus } from '../checks/policy-tests.ts';
import type { Request } from '../checks/types.ts';
import { principalToString } from '../evaluate/request.ts';
import { layerLabel, statementLabel } from '../evaluate/stack.ts';
import { decidingStatements } from './scenario.ts';

type Ran = Extract<RunTestsOutcome, { ok: true }>;

const LABELS: Record<TestStatus, string> = { pass: 'PASS', fail: 'FAIL', unknown: 'UNKNOWN', error: 'ERROR' };

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** A request in one line: action, resource, caller and context. */
export function requestLine(r: Request): string {
  const context = Object.entries(r.context).map(
    ([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : v}`,
  );
  return `${r.action} on ${r.resource} by ${principalToString(r.principal)}${context.length ? ` with ${context.join(', ')}` : ''}`;
}

/** Who decided the shown request: the statements that allowed or denied it, or the stack's deciding layer. */
export function decidedBy(r: TestResult): string | undefined {
  const ex = r.example;
  if (!ex || !r.decision) return undefined;
  const stack = ex.stack ?? r.stack;
  if (r.decision === 'Allowed')
    return ex.grantedBy.length ? `Allowed by ${ex.grantedBy.map(statementLabel).join(', ')}` : 'Allowed';
  if (stack) {
    const hits = decidingStatements(stack);
    return hits.length
      ? `${r.decision} by ${hits.map(statementLabel).join(', ')} (${layerLabel(stack.decidedBy)})`
      : `${r.decision} by ${layerLabel(stack.decidedBy)}: ${stack.decidedBy.why}`;
  }
  if (ex.whyNot?.kind === 'deniedBy')
    return `ExplicitlyDenied by ${ex.whyNot.statements.map(statementLabel).join(', ')}`;
  return 'ImplicitlyDenied: no statement allows it';
}

/** Line breaks (a test's name may hold some) as spaces: one line per test. */
const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ');

/** The text report: one line per test (a failing one adds its request and who decided), a summary. */
export function textReport(o: Ran): string {
  const lines: string[] = [];
  for (const r of o.results) {
    lines.push(`${LABELS[r.status].padEnd(8)}${oneLine(r.name)}: ${oneLine(r.message)}`);
    if (r.status !== 'fail' || !r.example) continue;
    lines.push(`        request: ${requestLine(r.example.request)}`);
    const who = decidedBy(r);
    if (who) lines.push(`        decided: ${who}`);
  }
  lines.push(summaryLine(o));
  return lines.join('\n') + '\n';
}

function summaryLine(o: Ran): string {
  const s = o.summary;
  const n = o.results.length;
  return (
    `${n} test${n === 1 ? '' : 's'}: ${s.passed} passed, ${s.failed} failed, ${s.unknown} unknown, ` +
    `${s.errors} error${s.errors === 1 ? '' : 's'} (${seconds(s.elapsedMs)} s)`
  );
}

// --- JUnit XML ------------------------------------------------------------------------------------

/** Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/U+FFFF): replaced. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text content: `&` and `<` escaped (`>` too, so `]]>` cannot occur), CR kept as a reference. */
function xmlText(s: string): string {
  return s
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** An attribute value in double quotes; tabs and line breaks as references (a parser would fold them to spaces). */
function xmlAttr(s: string): string {
  const escaped = xmlText(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
  return `"${escaped}"`;
}

/** The body of a <failure>: the counterexample (or, with none, what was searched), as text. */
function failureText(r: TestResult): string {
  const lines = [`expected: ${r.expect}`];
  if (r.example) {
    lines.push(`request: ${requestLine(r.example.request)}`);
    const who = decidedBy(r);
    if (who) lines.push(`decided: ${who}`);
    lines.push(`request as JSON (for evaluate --request): ${JSON.stringify(r.example.request)}`);
  }
  if (r.scope) lines.push(`searched: ${r.scope}`);
  return lines.join('\n');
}

function testcase(r: TestResult): string {
  const open = `    <testcase name=${xmlAttr(r.name)} classname=${xmlAttr(r.document)} time="${seconds(r.stats.elapsedMs)}"`;
  switch (r.status) {
    case 'pass':
      return `${open}/>`;
    case 'unknown':
      return `${open}>\n      <skipped message=${xmlAttr(`UNKNOWN: ${r.message}`)}/>\n    </testcase>`;
    case 'error':
      return `${open}>\n      <error message=${xmlAttr(r.message)} type=${xmlAttr(r.error?.code ?? 'ERROR')}>${xmlText(r.error?.message ?? r.message)}</error>\n    </testcase>`;
    case 'fail':
      return `${open}>\n      <failure message=${xmlAttr(r.message)} type=${xmlAttr(r.expect)}>${xmlText(failureText(r))}</failure>\n    </testcase>`;
  }
}

/** The run as JUnit XML: one suite named `name`, one testcase per test. */
export function junitReport(o: Ran, name: string): string {
  const s = o.summary;
  const counts = `tests="${o.results.length}" failures="${s.failed}" errors="${s.errors}" skipped="${s.unknown}" time="${seconds(s.elapsedMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name=${xmlAttr(name)} ${counts}>`,
    `  <testsuite name=${xmlAttr(name)} ${counts}>`,
    ...o.results.map(testcase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
