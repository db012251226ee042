/**
 * When a check as you edit runs: an edit while the solver is idle is checked at once (a microtask,
 * so changes of the same moment — both documents of a pair, an example — join one check); an edit
 * while a check runs waits for the burst to end (DEBOUNCE_MS after its last change), so fast typing
 * does not queue up checks. The same request twice is checked once. Shared by the Check view
 * (analysis.ts) and the Scenario mode (scenarioAnalysis.ts).
 */
export const DEBOUNCE_MS = 150;

export interface CheckScheduler {
  /** The request (its key) may have changed: check it at once, after the burst, or not at all. */
  changed(key: string): void;
  /** Drop a waiting check. */
  stop(): void;
  /** Check the next request even if its key is the last one's (e.g. when the user comes back). */
  forget(): void;
}

export function checkScheduler(o: { fire: () => void; running: () => boolean }): CheckScheduler {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastKey = '';
  let lastChange = -Infinity;
  /** an immediate check is queued (a microtask): it reads the state when it starts */
  let queued = false;
  const fire = (): void => {
    timer = undefined;
    queued = false;
    o.fire();
  };
  const stop = (): void => {
    clearTimeout(timer);
    timer = undefined;
    queued = false;
  };
  return {
    changed(key) {
      if (key === lastKey) return;
      lastKey = key;
      const now = performance.now();
      const sinceLast = now - lastChange;
      lastChange = now;
      if (queued) return;
      // Idle: nothing waiting, and the last check has answered (or the last edit is a while ago).
      const idle = timer === undefined && (!o.running() || sinceLast >= DEBOUNCE_MS);
      stop();
      if (idle) {
        // At once, but not from inside the store's listener loop: when the current task's code is
        // done (before React renders the edit, which can take tens of ms for a large policy).
        queued = true;
        queueMicrotask(() => {
          if (queued) fire();
        });
      } else timer = setTimeout(fire, DEBOUNCE_MS);
    },
    stop,
    forget() {
      lastKey = '';
    },
  };
}
