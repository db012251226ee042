/**
 * The policy tests, re-run in the worker as the documents or the tests change: the Check mode's tests
 * on its policy (or the pair of a two-document check), the Scenario mode's on the scenario. The same
 * scheduler as the checks (state/scheduler.ts) under a view of its own, so a test run never cancels a
 * check; latest wins, and each test's result lands in the store as the worker reports it.
 */
import type { RunTestsRequest, TestTarget } from '../checks/policy-tests.ts';
import { getClient } from './analysis.ts';
import { buildScenarioInput } from './scenario.ts';
import { checkScheduler } from './scheduler.ts';
import { isDiffCheck, type CheckKind, type Snapshot } from './snapshot.ts';
import { useStore, type AppState } from './store.ts';
import type { TestsTarget } from './tests.ts';

const VIEW = 'tests';

/** The document names a Check-mode test may give; the first is the default, which a test may omit. */
export function testDocuments(check: CheckKind): string[] {
  return isDiffCheck(check) ? ['new', 'existing'] : ['policy'];
}

/** A document as a test names it: `undefined` for the default one. */
export function testDocumentFor(doc: string, check: CheckKind): string | undefined {
  return testDocuments(check)[0] === doc ? undefined : doc;
}

/**
 * What the Check mode's tests run on: the policy, or the pair of a two-document check (the new policy
 * first). The public-access check reads its policy as a resource policy, and so do its tests.
 */
export function policyTestTarget(
  s: Pick<Snapshot, 'docs' | 'check' | 'policyType'>,
): Extract<TestTarget, { kind: 'policy' }> {
  return {
    kind: 'policy',
    policyType: s.check === 'CheckNoPublicAccess' ? 'RESOURCE_POLICY' : s.policyType,
    documents: testDocuments(s.check).map((name) => ({
      name,
      text: s.docs[name as keyof Snapshot['docs']],
    })),
  };
}

/** The mode's tests and what they run on; undefined in a mode without tests. */
function currentTests(
  s: AppState,
): { target: TestsTarget; request: RunTestsRequest; slots?: Record<string, string> } | undefined {
  if (s.mode === 'check')
    return {
      target: 'policy',
      request: { target: policyTestTarget(s), tests: s.policyTests, timeoutMs: s.timeoutMs },
    };
  if (s.mode !== 'scenario') return undefined;
  const built = buildScenarioInput(s.scenario.draft, 'new');
  return {
    target: 'scenario',
    request: {
      target: { kind: 'scenario', scenario: built.input },
      tests: s.scenarioTests,
      timeoutMs: s.timeoutMs,
    },
    slots: built.slotOf,
  };
}

const keyOf = (r: RunTestsRequest): string => JSON.stringify(r);

/** Runs the open mode's tests now (nothing when it has none). */
export function runTestsNow(): void {
  const s = useStore.getState();
  const cur = currentTests(s);
  if (!cur || cur.request.tests.length === 0) return;
  const key = keyOf(cur.request);
  s.startTestsRun(key, cur.target, cur.slots);
  // The budget of the whole run: each test's own, and a second each for what is not solving.
  const budget = cur.request.tests.length * (s.timeoutMs + 1000);
  void getClient()
    .runTests(VIEW, cur.request, budget, (result) => useStore.getState().testResult(key, result))
    .then((answer) => useStore.getState().finishTestsRun(key, answer));
}

export function cancelTestsRun(): void {
  getClient().cancel(VIEW);
}

/** Starts the run-as-you-edit loop for the tests; returns a stop function. */
export function startTestsAnalysis(): () => void {
  const scheduler = checkScheduler({
    fire: runTestsNow,
    running: () => useStore.getState().testsRun?.state === 'running',
  });
  const schedule = (): void => {
    const s = useStore.getState();
    const cur = currentTests(s);
    if (cur && cur.request.tests.length > 0) {
      scheduler.changed(keyOf(cur.request));
      return;
    }
    // No tests here (or a mode without them): nothing runs, nothing stale stays on screen.
    scheduler.stop();
    scheduler.forget();
    if (s.testsRun?.state === 'running') cancelTestsRun();
    if (s.testsRun) s.clearTestsRun();
  };
  const unsub = useStore.subscribe((s, prev) => {
    if (
      s.mode !== prev.mode ||
      s.timeoutMs !== prev.timeoutMs ||
      s.policyTests !== prev.policyTests ||
      s.scenarioTests !== prev.scenarioTests ||
      (s.mode === 'check' &&
        (s.docs !== prev.docs || s.check !== prev.check || s.policyType !== prev.policyType)) ||
      (s.mode === 'scenario' && s.scenario !== prev.scenario)
    )
      schedule();
  });
  schedule();
  return () => {
    scheduler.stop();
    unsub();
  };
}
