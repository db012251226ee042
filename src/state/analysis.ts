/**
 * Connects the store to the analysis worker: one client for the page, checks re-run as you edit
 * (latest wins), and on demand. An edit while the solver is idle (a paste, an example, a key after
 * the last answer came) is checked at once; an edit while a check is still running or waiting waits
 * for the burst to end (DEBOUNCE_MS after its last change), so fast typing does not queue up checks.
 */
import type { CheckRequest } from '../checks/types.ts';
import { buildRequest, REQUEST_FIELDS } from './snapshot.ts';
import { checkScheduler } from './scheduler.ts';
import { useStore } from './store.ts';
import { AnalysisClient } from '../worker/client.ts';

export { DEBOUNCE_MS } from './scheduler.ts';
const VIEW = 'main';

let client: AnalysisClient | undefined;

export function getClient(): AnalysisClient {
  client ??= new AnalysisClient({
    isolated: globalThis.crossOriginIsolated === true,
    spawn: () =>
      new Worker(new URL('../worker/analysis.worker.ts', import.meta.url), {
        type: 'module',
        name: 'analysis',
      }),
    onStatus: (s) => useStore.getState().setSolver(s),
  });
  return client;
}

function currentRequest(): { request: CheckRequest; key: string } {
  const request = buildRequest(useStore.getState());
  return { request, key: JSON.stringify(request) };
}

export function runNow(): void {
  const { request, key } = currentRequest();
  const { startRun, finishRun, preliminaryRun, timeoutMs, mode } = useStore.getState();
  startRun(key);
  // The Learn view offers the solver's own transcript for download: only there is it recorded.
  void getClient()
    .check(VIEW, request, timeoutMs, {
      record: mode === 'learn',
      onPreliminary: (outcome) => preliminaryRun(key, outcome),
    })
    .then((answer) => finishRun(key, answer));
}

export function cancelRun(): void {
  getClient().cancel(VIEW);
}

/** Starts the worker and the check-as-you-type loop; returns a stop function. */
export function startAutoAnalysis(): () => void {
  getClient();
  const scheduler = checkScheduler({
    fire: runNow,
    running: () => useStore.getState().run?.state === 'running',
  });
  const schedule = (): void => {
    // Least-privilege and Scenario modes run their own checks; the main check waits until the user is back.
    const mode = useStore.getState().mode;
    if (mode === 'recommend' || mode === 'scenario') {
      scheduler.stop();
      return;
    }
    // Entering Learn mode re-runs the check once, recorded, for its transcript download.
    const { key: requestKey } = currentRequest();
    scheduler.changed(mode === 'learn' ? `${requestKey}#record` : requestKey);
  };
  const unsub = useStore.subscribe((s, prev) => {
    if (
      s.mode !== prev.mode &&
      (s.mode === 'recommend' || s.mode === 'scenario') &&
      s.run?.state === 'running'
    ) {
      cancelRun();
      scheduler.forget(); // run it again when the user comes back
    }
    if (
      s.mode !== prev.mode ||
      s.timeoutMs !== prev.timeoutMs ||
      REQUEST_FIELDS.some((k) => s[k] !== prev[k])
    )
      schedule();
  });
  schedule();
  return () => {
    scheduler.stop();
    unsub();
  };
}
