/**
 * The Scenario mode's checks, as the documents change: the same rules as the main check
 * (state/analysis.ts) under a view of its own, so a scenario check never cancels the main check or a
 * least-privilege proof. Latest wins: an edit while the solver is idle is checked at once, an edit
 * while a check runs waits for the burst to end (DEBOUNCE_MS after its last change). Only while the
 * Scenario mode is open.
 */
import { getClient } from './analysis.ts';
import { checkScheduler } from './scheduler.ts';
import { buildScenarioRequest } from './scenario.ts';
import { useStore, type AppState } from './store.ts';

const VIEW = 'scenario';

function current(s: AppState) {
  const built = buildScenarioRequest(s.scenario);
  return { built, key: built.ok ? JSON.stringify({ r: built.request, t: s.timeoutMs }) : `!${built.error}` };
}

/** Runs the scenario check the settings describe, now. */
export function runScenarioNow(): void {
  const s = useStore.getState();
  const { built, key } = current(s);
  if (!built.ok) {
    getClient().cancel(VIEW);
    s.setScenarioInvalid(built.error);
    return;
  }
  s.startScenarioRun(key, s.scenario.check, built.slots);
  void getClient()
    .checkScenario(VIEW, built.request, s.timeoutMs)
    .then((answer) => useStore.getState().finishScenarioRun(key, answer));
}

export function cancelScenarioRun(): void {
  getClient().cancel(VIEW);
}

/** Starts the check-as-you-edit loop for scenarios; returns a stop function. */
export function startScenarioAnalysis(): () => void {
  const scheduler = checkScheduler({
    fire: runScenarioNow,
    running: () => useStore.getState().scenarioRun?.state === 'running',
  });
  const schedule = (): void => {
    const s = useStore.getState();
    if (s.mode === 'scenario') scheduler.changed(current(s).key);
  };
  const unsub = useStore.subscribe((s, prev) => {
    if (s.mode !== prev.mode && prev.mode === 'scenario') {
      // Leaving the mode: stop its check; coming back checks the scenario again.
      scheduler.stop();
      if (s.scenarioRun?.state === 'running') cancelScenarioRun();
      scheduler.forget();
    }
    if (s.mode !== prev.mode || s.scenario !== prev.scenario || s.timeoutMs !== prev.timeoutMs) schedule();
  });
  schedule();
  return () => {
    scheduler.stop();
    unsub();
  };
}
