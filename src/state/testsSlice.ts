/**
 * The policy tests' slice of the store: edits to the two lists (their tests live in the editor
 * slice's snapshot, `policyTests` and `scenarioTests`, so they persist and travel in links with the
 * documents), and the latest run's results as the worker reports them, one test at a time.
 */
import type { StateCreator } from 'zustand';
import type { DecisionTest, PolicyTest, TestResult } from '../checks/policy-tests.ts';
import type { Request } from '../evaluate/request.ts';
import type { TestsAnswer } from '../worker/client.ts';
import type { AppState } from './store.ts';
import { duplicateTest, importSuite, testFromRequest, TESTS_FIELD, type TestsTarget } from './tests.ts';

export interface TestsRun {
  /** the request (as JSON) the results belong to */
  key: string;
  target: TestsTarget;
  state: 'running' | 'done';
  /** this run's results so far, by test name */
  results: Record<string, TestResult>;
  /** the last runs' results on the same target, shown dimmed for a test this run has not reached */
  previous: Record<string, TestResult>;
  /** scenario: the engine's name of each policy (`identity[0]`) -> the slot id of its editor */
  slots?: Record<string, string>;
  /** the target itself cannot be read (a document that does not parse): no test ran */
  error?: { code: string; message: string; document?: string };
  /** the run did not finish: cancelled, or the solver failed */
  stopped?: string;
}

export interface TestsSlice {
  testsRun?: TestsRun;
  /** replaces a list (the JSON view, an import) */
  setTests: (target: TestsTarget, tests: PolicyTest[]) => void;
  /** adds a test (index undefined) or replaces the test at `index` */
  putTest: (target: TestsTarget, test: PolicyTest, index?: number) => void;
  duplicateTest: (target: TestsTarget, index: number) => void;
  deleteTest: (target: TestsTarget, index: number) => void;
  /** "Keep as a test": the request as a decision test expecting `expect`; returns its name */
  keepAsTest: (
    target: TestsTarget,
    request: Request,
    expect: DecisionTest['expect'],
    document?: string,
  ) => string;
  /** a suite file's text replaces the list; a bad file changes nothing and says why */
  importTests: (
    target: TestsTarget,
    text: string,
  ) => { ok: true; count: number } | { ok: false; message: string };
  startTestsRun: (key: string, target: TestsTarget, slots?: Record<string, string>) => void;
  testResult: (key: string, result: TestResult) => void;
  finishTestsRun: (key: string, answer: TestsAnswer) => void;
  clearTestsRun: () => void;
}

export const testsSlice: StateCreator<AppState, [], [], TestsSlice> = (set, get) => {
  const list = (target: TestsTarget): PolicyTest[] => get()[TESTS_FIELD[target]];
  const write = (target: TestsTarget, tests: PolicyTest[]): void => set({ [TESTS_FIELD[target]]: tests });
  return {
    setTests: write,
    putTest: (target, test, index) => {
      const tests = [...list(target)];
      if (index === undefined) tests.push(test);
      else tests[index] = test;
      write(target, tests);
    },
    duplicateTest: (target, index) => {
      const tests = [...list(target)];
      const t = tests[index];
      if (!t) return;
      tests.splice(
        index + 1,
        0,
        duplicateTest(
          t,
          tests.map((x) => x.name),
        ),
      );
      write(target, tests);
    },
    deleteTest: (target, index) => write(target, list(target).toSpliced(index, 1)),
    keepAsTest: (target, request, expect, document) => {
      const tests = list(target);
      const test = testFromRequest({
        request,
        expect,
        taken: tests.map((t) => t.name),
        ...(document ? { document } : {}),
      });
      write(target, [...tests, test]);
      set({
        notice: { tone: 'info', text: `Kept as the test "${test.name}" (in Tests; expects ${expect}).` },
      });
      return test.name;
    },
    importTests: (target, text) => {
      const r = importSuite(text);
      if (!r.ok) return r;
      write(target, r.tests);
      return { ok: true, count: r.tests.length };
    },
    startTestsRun: (key, target, slots) =>
      set((s) => {
        const r = s.testsRun;
        const previous = r && r.target === target ? { ...r.previous, ...r.results } : {};
        return {
          testsRun: { key, target, state: 'running', results: {}, previous, ...(slots ? { slots } : {}) },
        };
      }),
    testResult: (key, result) =>
      set((s) =>
        s.testsRun?.key === key && s.testsRun.state === 'running'
          ? { testsRun: { ...s.testsRun, results: { ...s.testsRun.results, [result.name]: result } } }
          : s,
      ),
    finishTestsRun: (key, answer) =>
      set((s) => {
        // A superseded answer never replaces the one the user is waiting for.
        const r = s.testsRun;
        if (answer.kind === 'superseded' || !r || r.key !== key) return s;
        const done: TestsRun = { ...r, state: 'done' };
        if (answer.kind === 'result') {
          if (answer.outcome.ok)
            done.results = Object.fromEntries(answer.outcome.results.map((x) => [x.name, x]));
          else done.error = answer.outcome.error;
        } else done.stopped = answer.kind === 'cancelled' ? 'Cancelled.' : answer.message;
        return { testsRun: done };
      }),
    clearTestsRun: () => set({ testsRun: undefined }),
  };
};

/** How a test shows: its status now (`running`: this run has not reached it), and the result to show. */
export interface TestShown {
  status: TestResult['status'] | 'running' | 'not-run';
  /** this run's result, or while running the last one, dimmed (`stale`) */
  result?: TestResult;
  stale: boolean;
}

/** The test named `name` of the `target` list, as the latest run leaves it. */
export function testShown(run: TestsRun | undefined, target: TestsTarget, name: string): TestShown {
  if (!run || run.target !== target) return { status: 'not-run', stale: false };
  const result = run.results[name];
  if (result) return { status: result.status, result, stale: false };
  const previous = run.previous[name];
  const status = run.state === 'running' ? 'running' : 'not-run';
  return previous ? { status, result: previous, stale: true } : { status, stale: false };
}
