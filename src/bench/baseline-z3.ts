/**
 * The web benchmark's solver baseline (src/bench/baseline-z3.html, built only by `npm run
 * bench:web`): starts baseline-z3.worker.ts, which only starts Z3 the way the analysis worker does
 * and runs one trivial check, and notes in `window.__benchBaseline`, in page time (ms from
 * navigation start), when the worker said Z3 was ready and when the check's answer arrived.
 */
interface BaselineMarks {
  z3Ready?: number;
  z3Checked?: number;
  /** the worker's own clock: worker start -> Z3 ready */
  workerBootMs?: number;
  answer?: string;
  failed?: string;
}

const marks: BaselineMarks = {};
(window as { __benchBaseline?: BaselineMarks }).__benchBaseline = marks;

const worker = new Worker(new URL('./baseline-z3.worker.ts', import.meta.url), {
  type: 'module',
  name: 'baseline',
});
worker.onmessage = (
  ev: MessageEvent<{ kind: string; bootMs?: number; answer?: string; message?: string }>,
) => {
  const now = performance.now();
  const m = ev.data;
  if (m.kind === 'ready') {
    marks.z3Ready = now;
    marks.workerBootMs = m.bootMs;
  } else if (m.kind === 'checked') {
    marks.answer = m.answer;
    marks.z3Checked = now;
  } else marks.failed = m.message ?? 'failed';
};
worker.onerror = (e) => {
  marks.failed = e.message || 'worker error';
};
