/**
 * The Scenario mode's checks, as the documents change: the same rules as the main check
 * (state/analysis.ts) under a view of its own, so a scenario check never cancels the main check or a
 * least-privilege proof. Latest wins: an edit while the solver is idle is checked at once, an edit
 * while a check runs waits for the burst to end (DEBOUNCE_MS after its last change). Only while the
 * Scenario mode is open.
 */
import { DEBOUNCE_MS, getClient } from './analysis.ts';
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queued = false;
  let lastKey = '';
  let lastChange = -Infinity;
  const fire = (): void => {
    timer = undefined;
    queued = false;
    runScenarioNow();
  };
  const schedule = (): void => {
    const s = useStore.getState();
    if (s.mode !== 'scenario') return;
    const { key } = current(s);
    if (key === lastKey) return;
    lastKey = key;
    const now = performance.now();
    const sinceLast = now - lastChange;
    lastChange = now;
    if (queued) return;
    const idle = timer === undefined && (s.scenarioRun?.state !== 'running' || sinceLast >= DEBOUNCE_MS);
    clearTimeout(timer);
    timer = undefined;
    if (idle) {
      queued = true;
      queueMicrotask(() => {
        if (queued) fire();
      });
    } else timer = setTimeout(fire, DEBOUNCE_MS);
  };
  const unsub = useStore.subscribe((s, prev) => {
    if (s.mode !== prev.mode && prev.mode === 'scenario') {
      // Leaving the mode: stop its check; coming back checks the scenario again.
      clearTimeout(timer);
      timer = undefined;
      queued = false;
      if (s.scenarioRun?.state === 'running') cancelScenarioRun();
      lastKey = '';
    }
    if (s.mode !== prev.mode || s.scenario !== prev.scenario || s.timeoutMs !== prev.timeoutMs) schedule();
  });
  schedule();
  return () => {
    clearTimeout(timer);
    queued = false;
    unsub();
  };
}
