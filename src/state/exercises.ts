/**
 * The Learn view's exercises at run time: which one is open, the learner's progress (stored with
 * exerciseProgress.ts, apart from the snapshot), and "Check my answer" — the hidden suite run in the
 * analysis worker on the answer, its outcome put into words by teach/exercise-feedback.ts.
 *
 * The answer is the `policy` document, the one the Learn view's editor, formula and step-by-step
 * already show: opening an exercise loads the learner's saved answer (or the starting policy) into
 * it, like a lesson loads its example, and every edit of it is saved as that exercise's answer.
 * When the document is replaced from elsewhere (a lesson, an example, a link), the exercise closes,
 * so what it replaced is never taken for an answer. A small store of its own, not a slice of the
 * app store: nothing of it persists with the snapshot or travels in a state link.
 */
import { create } from 'zustand';
import { answerPolicyType, answerTarget, type Exercise } from '../teach/exercise-format.ts';
import { feedbackFor, type Feedback } from '../teach/exercise-feedback.ts';
import { EXERCISES, shareable, type BuiltinExercise } from '../teach/exercises.ts';
import { getClient } from './analysis.ts';
import { decodeExerciseLink, encodeExerciseLink } from './exerciseLink.ts';
import {
  PROGRESS_KEY,
  readProgress,
  withLinked,
  writeProgress,
  type Entry,
  type Progress,
} from './exerciseProgress.ts';
import { isDiffCheck, pickSnapshot } from './snapshot.ts';
import { safeStorage } from './storage.ts';
import { useStore } from './store.ts';

const VIEW = 'exercise';

/** One exercise of the list: built in, or opened from a link. */
export interface ExerciseItem {
  key: string;
  exercise: Exercise;
  builtin?: BuiltinExercise;
}

interface ExerciseRun {
  key: string;
  /** the answer the run checks (the feedback is stale once the document differs) */
  answer: string;
  state: 'running' | 'done';
  /** tests answered so far, of `total` */
  done: number;
  total: number;
  feedback?: Feedback;
}

interface ExercisesState {
  progress: Progress;
  run?: ExerciseRun;
  /** a link that could not be opened: shown in the Learn view until dismissed */
  linkError?: string;
}

const storage = safeStorage();

// safeStorage reads synchronously (its type is zustand's, which allows a promise)
const stored = storage.getItem(PROGRESS_KEY);

export const useExercises = create<ExercisesState>()(() => ({
  progress: readProgress(typeof stored === 'string' ? stored : null),
}));

useExercises.subscribe((s, prev) => {
  if (s.progress !== prev.progress) storage.setItem(PROGRESS_KEY, writeProgress(s.progress));
});

const BUILTIN_ITEMS: ExerciseItem[] = EXERCISES.map((e) => ({ key: e.id, exercise: e, builtin: e }));

/** The built-in exercises, then those opened from links. */
export function exerciseItems(p: Progress): ExerciseItem[] {
  return [...BUILTIN_ITEMS, ...p.linked];
}

function findItem(key: string | undefined): ExerciseItem | undefined {
  return key === undefined
    ? undefined
    : exerciseItems(useExercises.getState().progress).find((i) => i.key === key);
}

function setProgress(edit: (p: Progress) => Progress): void {
  useExercises.setState((s) => ({ progress: edit(s.progress) }));
}

function setEntry(key: string, edit: (e: Entry) => Entry): void {
  setProgress((p) => ({
    ...p,
    entries: { ...p.entries, [key]: edit(p.entries[key] ?? { attempts: 0, solved: false }) },
  }));
}

/** The document revision the open exercise loaded; a later one was loaded by something else. */
let openRevision: number | undefined;

/** Opens an exercise: its saved answer (or its start) in the policy editor, the Learn view shown. */
export function openExercise(key: string): void {
  const item = findItem(key);
  if (!item) return;
  const s = useStore.getState();
  const answer = useExercises.getState().progress.entries[key]?.answer ?? item.exercise.start;
  // loadSnapshot bumps the revision by one: that one is ours, not a document from elsewhere.
  openRevision = s.docsRevision + 1;
  s.loadSnapshot({
    ...pickSnapshot(s),
    mode: 'learn',
    lesson: '',
    policyType: answerPolicyType(item.exercise.target),
    check: isDiffCheck(s.check) ? 'CheckAccessNotGranted' : s.check,
    docs: { ...s.docs, policy: answer },
  });
  useExercises.setState((st) => ({
    progress: { ...st.progress, current: key },
    linkError: undefined,
    ...(st.run?.key === key ? {} : { run: undefined }),
  }));
}

export function closeExercise(): void {
  openRevision = undefined;
  if (useExercises.getState().run?.state === 'running') getClient().cancel(VIEW);
  useExercises.setState((st) => {
    const { current: _closed, ...progress } = st.progress;
    return { progress, run: undefined };
  });
}

/** Puts the starting policy back (the saved answer is replaced: the learner asked for it). */
export function restartExercise(): void {
  const key = useExercises.getState().progress.current;
  if (!key) return;
  setEntry(key, ({ answer: _dropped, ...e }) => e);
  openExercise(key);
}

/** Opens an exercise from a link; a built-in one sent as a link is the built-in one (its progress too). */
export function openLinkedExercise(exercise: Exercise): void {
  const json = canonical(exercise);
  const builtin = EXERCISES.find((e) => canonical(shareable(e)) === json);
  if (builtin) return openExercise(builtin.id);
  const { progress, key } = withLinked(useExercises.getState().progress, exercise);
  const keep = new Set([...EXERCISES.map((e) => e.id), ...progress.linked.map((l) => l.key)]);
  const entries = Object.fromEntries(Object.entries(progress.entries).filter(([k]) => keep.has(k)));
  useExercises.setState({ progress: { ...progress, entries } });
  openExercise(key);
}

/** JSON with sorted keys: the same exercise, whatever order a link (or zod) wrote its fields in. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );
}

/**
 * Reads an exercise link from the hash (`#x=`): opens its exercise, or shows why it cannot.
 * Returns false when the hash is not an exercise link.
 */
export function applyExerciseHash(hash: string): boolean {
  const r = decodeExerciseLink(hash);
  if (r.ok === 'none') return false;
  if (r.ok) openLinkedExercise(r.exercise);
  else {
    useStore.getState().setSettings({ mode: 'learn' });
    useExercises.setState({ linkError: r.error });
  }
  return true;
}

export function dismissLinkError(): void {
  useExercises.setState({ linkError: undefined });
}

/** The hash of a link to the open exercise, with its suite and without any solution. */
export function exerciseHash(key: string): string | undefined {
  const item = findItem(key);
  if (!item) return undefined;
  return encodeExerciseLink(item.builtin ? shareable(item.builtin) : item.exercise);
}

let runSeq = 0;

/** Check my answer: the hidden suite on the policy document, in the worker (latest wins). */
export async function checkAnswer(): Promise<void> {
  const key = useExercises.getState().progress.current;
  const item = findItem(key);
  if (!key || !item) return;
  const { docs, timeoutMs } = useStore.getState();
  const answer = docs.policy;
  const tests = item.exercise.suite.tests;
  const seq = ++runSeq;
  setEntry(key, (e) => ({ ...e, attempts: e.attempts + 1, answer }));
  useExercises.setState({ run: { key, answer, state: 'running', done: 0, total: tests.length } });
  const mine = (): boolean => seq === runSeq && useExercises.getState().run?.key === key;
  const result = await getClient().runTests(
    VIEW,
    { target: answerTarget(item.exercise.target, answer), tests, timeoutMs },
    timeoutMs * tests.length,
    (_r, i) => {
      if (mine()) useExercises.setState((s) => ({ run: s.run && { ...s.run, done: i + 1 } }));
    },
  );
  if (!mine() || result.kind === 'superseded') return;
  if (result.kind === 'cancelled') {
    useExercises.setState({ run: undefined });
    return;
  }
  const feedback: Feedback =
    result.kind === 'result'
      ? feedbackFor(item.exercise, result.outcome)
      : { kind: 'error', headline: `The tests could not run: ${result.message}`, details: [] };
  if (feedback.kind === 'solved') setEntry(key, (e) => ({ ...e, solved: true }));
  useExercises.setState({
    run: { key, answer, state: 'done', done: tests.length, total: tests.length, feedback },
  });
}

let tracking = false;

/**
 * Keeps the open exercise's answer in step with the policy document for the page's life (once;
 * later calls do nothing). A stored open exercise whose answer is not the document (a state link
 * replaced it) is closed.
 */
export function trackExerciseAnswers(): void {
  if (tracking) return;
  tracking = true;
  const { current, entries } = useExercises.getState().progress;
  const item = findItem(current);
  if (item && useStore.getState().docs.policy === (entries[item.key]?.answer ?? item.exercise.start))
    openRevision = useStore.getState().docsRevision;
  else if (current) closeExercise();
  useStore.subscribe((s, prev) => {
    const key = useExercises.getState().progress.current;
    if (!key) return;
    if (s.docsRevision !== prev.docsRevision) {
      if (s.docsRevision !== openRevision) closeExercise();
      return;
    }
    if (s.docs.policy !== prev.docs.policy) setEntry(key, (e) => ({ ...e, answer: s.docs.policy }));
  });
}
