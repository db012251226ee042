/**
 * Code the web benchmark runs inside the browser. Each function is serialised by Playwright and
 * runs on its own in the page (or a worker): no imports, no outer variables. Inner named functions
 * only in page code, after installLoadProbe (see there), never in code evaluated in a worker.
 */
import type { EditSample, LoadMarks, MemoryBreakdownEntry, ResourceEntry } from './web-report.ts';

interface ProbeWindow {
  __benchMarks?: LoadMarks & { done?: boolean };
}

/**
 * Added before any page script: records, in page time, when the editor, the ready solver and the first
 * answer first appear in the DOM (a MutationObserver, so the time is the DOM commit, not a poll).
 */
export function installLoadProbe(): void {
  // tsx (esbuild keepNames) wraps named inner functions of the probes in `__name(fn, "name")`; the
  // page has no such helper, so give it one that does nothing.
  const g = globalThis as unknown as { __name?: (f: unknown) => unknown };
  g.__name ??= (f) => f;
  const w = window as unknown as ProbeWindow;
  const marks: LoadMarks & { done?: boolean } = {};
  w.__benchMarks = marks;
  const observer = new MutationObserver(() => {
    const now = performance.now();
    if (marks.editor === undefined) {
      const editor = document.querySelector('[data-testid$="-editor"] .monaco-editor');
      const input = editor?.querySelector('textarea, .native-edit-context');
      const line = editor?.querySelector('.view-line');
      if (input && line && (line.textContent ?? '').trim() !== '') marks.editor = now;
    }
    if (marks.solver === undefined) {
      const phase = document.querySelector('[data-testid="solver-status"]')?.getAttribute('data-phase');
      if (phase === 'ready' || phase === 'checking') marks.solver = now;
      else if (phase === 'failed' || phase === 'not-isolated') marks.solverFailed = phase;
    }
    if (marks.result === undefined) {
      const answer = document.querySelector(
        '[data-testid="verdict"], [data-testid="input-error"], [data-testid="run-error"]',
      );
      if (answer) {
        marks.result = now;
        marks.resultKind = answer.getAttribute('data-result') ?? answer.getAttribute('data-testid') ?? '';
      }
    }
    if (marks.answer === undefined && marks.result !== undefined) {
      const panel = document.querySelector('[data-testid="results"]');
      const shown = panel?.querySelector(
        '[data-testid="verdict"], [data-testid="input-error"], [data-testid="run-error"]',
      );
      if (panel && shown && !panel.classList.contains('is-running')) marks.answer = now;
    }
    // An early FAIL can come before the solver is ready: wait for the solver and its answer too.
    const finished =
      marks.editor !== undefined &&
      (marks.solverFailed !== undefined ||
        (marks.result !== undefined && marks.solver !== undefined && marks.answer !== undefined));
    if (finished) {
      marks.done = true;
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
}

export function readLoadMarks(): LoadMarks & { done?: boolean } {
  return (window as unknown as ProbeWindow).__benchMarks ?? {};
}

/** The Resource Timing entries of this context (the page's or a worker's). */
export function readResources(context: string): ResourceEntry[] {
  return performance.getEntriesByType('resource').map((e) => {
    const r = e as PerformanceResourceTiming;
    return {
      url: r.name,
      context,
      initiatorType: r.initiatorType,
      transferSize: r.transferSize,
      encodedBodySize: r.encodedBodySize,
      decodedBodySize: r.decodedBodySize,
      startTime: r.startTime,
      responseEnd: r.responseEnd,
    };
  });
}

/** The document itself, as a resource entry, plus its DOMContentLoaded and load times. */
export function readNavigation(): { entry: ResourceEntry; domContentLoaded: number; load: number } {
  const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
  return {
    entry: {
      url: n.name,
      context: 'page',
      initiatorType: 'navigation',
      transferSize: n.transferSize,
      encodedBodySize: n.encodedBodySize,
      decodedBodySize: n.decodedBodySize,
      startTime: n.startTime,
      responseEnd: n.responseEnd,
    },
    domContentLoaded: n.domContentLoadedEventEnd,
    load: n.loadEventEnd,
  };
}

/** What the store says about the solver and the first check after a load. */
export function readFirstCheck(): { workerBootMs?: number; startedAt?: number; engineMs?: number } {
  const s = window.__playground?.getState();
  if (!s) return {};
  const answer = s.run?.answer;
  return {
    ...(s.solver.phase === 'ready' && s.solver.bootMs !== undefined ? { workerBootMs: s.solver.bootMs } : {}),
    ...(s.run ? { startedAt: s.run.startedAt } : {}),
    ...(answer?.kind === 'result' ? { engineMs: answer.elapsedMs } : {}),
  };
}

export interface EditInput {
  name: string;
  /** both documents as they are after the change */
  existing: string;
  next: string;
  /** a small edit of the new document (else both documents are replaced by `existing` and `next`) */
  edit?: { offset: number; deleteCount: number; insert: string };
  timeoutMs: number;
}

/**
 * Changes the documents of the diff view through their Monaco models (one small edit of the new
 * document, as typing or pasting a line does, or both documents replaced) and resolves when the DOM
 * shows the answer to exactly the resulting text: the store's finished run is for a request with
 * these two documents, the results panel is no longer running and shows a verdict or an error.
 */
export function editAndWait(input: EditInput): Promise<EditSample> {
  const pg = window.__playground;
  if (!pg) return Promise.reject(new Error('window.__playground is missing'));
  const before = pg.getState().run?.requestKey;
  let checkedKey = before;
  const isThisText = (requestKey: string): boolean => {
    const req = JSON.parse(requestKey) as { existingPolicyDocument?: string; newPolicyDocument?: string };
    return req.existingPolicyDocument === input.existing && req.newPolicyDocument === input.next;
  };
  const t0 = performance.now();
  if (input.edit) pg.editText('new', input.edit.offset, input.edit.deleteCount, input.edit.insert);
  else {
    pg.setText('existing', input.existing);
    pg.setText('new', input.next);
  }
  return new Promise<EditSample>((resolve, reject) => {
    let settled = false;
    let verdictAt: number | undefined;
    const probe = (): void => {
      if (settled) return;
      const run = pg.getState().run;
      // The verdict can come first (CheckNoNewAccess's FAIL, before its exact list): note when the
      // DOM shows it for exactly this text.
      if (
        verdictAt === undefined &&
        run?.state === 'running' &&
        run.preliminary &&
        isThisText(run.requestKey)
      ) {
        const v = document.querySelector('[data-testid="results"] [data-testid="verdict"]');
        if (v) verdictAt = performance.now();
      }
      if (!run || run.state !== 'done' || !run.answer) return;
      // Parse each finished request once: it must be for exactly the two documents just set.
      if (run.requestKey === checkedKey) return;
      const req = JSON.parse(run.requestKey) as {
        existingPolicyDocument?: string;
        newPolicyDocument?: string;
      };
      if (req.existingPolicyDocument !== input.existing || req.newPolicyDocument !== input.next) {
        checkedKey = run.requestKey;
        return;
      }
      const results = document.querySelector('[data-testid="results"]');
      if (!results || results.classList.contains('is-running')) return;
      const shown = results.querySelector(
        '[data-testid="verdict"], [data-testid="input-error"], [data-testid="run-error"], [data-testid="run-cancelled"]',
      );
      if (!shown) return;
      const now = performance.now();
      settled = true;
      observer.disconnect();
      clearInterval(fallback);
      clearTimeout(timer);
      const answer = run.answer;
      resolve({
        name: input.name,
        totalMs: (verdictAt ?? now) - t0,
        completeMs: now - t0,
        debounceMs: run.startedAt - t0,
        checkMs: (verdictAt ?? now) - run.startedAt,
        ...(answer.kind === 'result' ? { engineMs: answer.elapsedMs } : {}),
        result: shown.getAttribute('data-result') ?? shown.getAttribute('data-testid') ?? answer.kind,
      });
    };
    const observer = new MutationObserver(probe);
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    // The store can finish before React commits; the observer sees the commit. The interval is a net.
    const fallback = setInterval(probe, 50);
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      observer.disconnect();
      clearInterval(fallback);
      reject(new Error(`no answer for ${input.name} within ${input.timeoutMs} ms`));
    }, input.timeoutMs);
  });
}

/** The document the app's single editor shows (the baseline editor is given the same). */
export function readPolicyDocument(): string {
  return window.__playground?.getState().docs.policy ?? '';
}

export type MemoryEntry = MemoryBreakdownEntry;

/**
 * performance.measureUserAgentSpecificMemory() (cross-origin-isolated pages only): the page's and
 * its workers' memory, by context. Chromium resolves it at its next garbage collection (up to ~20 s)
 * unless started with --enable-blink-features=ForceEagerMeasureMemory, which the session's browser is.
 */
export async function measureMemory(): Promise<
  { bytes: number; breakdown: MemoryEntry[] } | { error: string }
> {
  const perf = performance as Performance & {
    measureUserAgentSpecificMemory?: () => Promise<{ bytes: number; breakdown: MemoryEntry[] }>;
  };
  if (typeof perf.measureUserAgentSpecificMemory !== 'function')
    return { error: 'performance.measureUserAgentSpecificMemory is missing' };
  try {
    const r = await perf.measureUserAgentSpecificMemory();
    return {
      bytes: r.bytes,
      breakdown: r.breakdown.map((e) => ({
        bytes: e.bytes,
        types: [...e.types],
        attribution: e.attribution.map((a) => ({ url: a.url, scope: a.scope })),
      })),
    };
  } catch (e) {
    return { error: String(e) };
  }
}
