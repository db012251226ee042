/**
 * `test`: policy tests (checks/policy-tests.ts, README "Policy tests") on a policy, a pair of
 * policies or a scenario. Reads the test file, the documents and the scenario as the other commands
 * read theirs, refusing what the engine could not read before it starts (exit 2: the test file's
 * message names the place, `tests[0].expect: …`), runs the suite, and reports it as text, JSON (the
 * engine's RunTestsOutcome) or JUnit XML (test-report.ts) with its exit status (exit.ts).
 */
import { basename } from 'node:path';
import { readTestSuite, type RunTestsOutcome, type TestTarget } from '../checks/policy-tests.ts';
import { inputErrorCode } from '../checks/types.ts';
import { kebabCase } from './commands.ts';
import { CliError, CliErrorCode } from './errors.ts';
import { exitCodeForError, exitCodeForTests } from './exit.ts';
import { readPolicyText, resolveText } from './input.ts';
import type { Flags } from './parse-args.ts';
import { readScenario } from './scenario.ts';
import { junitReport, textReport } from './test-report.ts';

/** What the command needs of the run context (run.ts RunContext). */
interface TestContext {
  cwd: string;
  stdin?: () => string;
  engine: () => Promise<{ runTests(request: unknown): Promise<RunTestsOutcome> }>;
}

interface TestOutput {
  exitCode: number;
  json: unknown;
  text?: string;
}

/** The documents' names in the engine (results and statements cite them) and the flags they come from. */
const DOCUMENT_FLAGS: Record<string, string> = {
  policy: 'policyDocument',
  new: 'newPolicyDocument',
  existing: 'existingPolicyDocument',
  scenario: 'scenario',
};
const PAIR = ['newPolicyDocument', 'existingPolicyDocument'];

const TARGET_FLAGS =
  '--policy-document, or --existing-policy-document and --new-policy-document, or --scenario';

/** What the tests run on, read from the flags; a policy or scenario that does not read is refused here. */
function targetOf(flags: Flags, ctx: TestContext): TestTarget {
  const given = (key: string): boolean => typeof flags[key] === 'string';
  if (given('scenario')) return { kind: 'scenario', scenario: readScenario(flags, 'scenario', ctx).text };
  const document = (name: string) => {
    const key = DOCUMENT_FLAGS[name]!;
    return { name, text: readPolicyText(flags[key] as string, `--${kebabCase(key)}`, ctx.cwd) };
  };
  const policyType = flags.policyType === 'RESOURCE_POLICY' ? 'RESOURCE_POLICY' : 'IDENTITY_POLICY';
  const pair = PAIR.filter(given);
  if (given('policyDocument') && pair.length)
    throw new CliError(
      'UNEXPECTED_FLAG',
      `test runs on one policy or on a pair, not both: --policy-document cannot go with ${pair.map((k) => `--${kebabCase(k)}`).join(', ')}.`,
    );
  if (given('policyDocument')) return { kind: 'policy', policyType, documents: [document('policy')] };
  if (pair.length === 2)
    return { kind: 'policy', policyType, documents: [document('new'), document('existing')] };
  const missing = pair.length === 1 ? PAIR.find((k) => !given(k))! : undefined;
  throw new CliError(
    'MISSING_FLAG',
    missing
      ? `test: a pair needs --${kebabCase(missing)} too.`
      : `test: missing what the tests run on: ${TARGET_FLAGS}. Run 'test --help' for usage.`,
  );
}

/** The suite's name in JUnit: the test file's name, or `policy tests` for tests given inline. */
function suiteName(value: string): string {
  const t = value.trimStart();
  return t.startsWith('{') || t.startsWith('[') ? 'policy tests' : basename(value.replace(/^file:\/\//, ''));
}

/** Runs `test`; bad input throws a CliError (run.ts turns it into exit 2). */
export async function runTestCommand(flags: Flags, ctx: TestContext): Promise<TestOutput> {
  const testsFlag = flags.tests;
  if (typeof testsFlag !== 'string') throw new CliError('MISSING_FLAG', '--tests is required.');
  const suite = readTestSuite(resolveText(testsFlag, '--tests', ctx.cwd));
  if (!suite.ok) throw new CliError('INVALID_TESTS', `--tests: ${suite.message}`);
  const target = targetOf(flags, ctx);
  const engine = await ctx.engine();
  const outcome = await engine.runTests({
    target,
    tests: suite.suite.tests,
    ...(typeof flags.timeoutMs === 'number' ? { timeoutMs: flags.timeoutMs } : {}),
  });
  if (!outcome.ok) {
    const { document, ...rest } = outcome.error;
    const known = CliErrorCode.safeParse(rest.code);
    const code = known.success ? known.data : inputErrorCode(rest.code, 'INVALID_REQUEST');
    const flag = document !== undefined ? DOCUMENT_FLAGS[document] : undefined;
    const error = { ...rest, code, message: flag ? `--${kebabCase(flag)}: ${rest.message}` : rest.message };
    return { exitCode: exitCodeForError(code), json: { error } };
  }
  const exitCode = exitCodeForTests(outcome.summary);
  switch (flags.format) {
    case 'json':
      return { exitCode, json: outcome };
    case 'junit': {
      const junit = junitReport(outcome, suiteName(testsFlag));
      return { exitCode, text: junit, json: { ...outcome, junit } };
    }
    default: {
      const text = textReport(outcome);
      return { exitCode, text, json: { ...outcome, text } };
    }
  }
}
