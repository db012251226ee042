/**
 * The exercises at run time, with a stand-in for the worker client: opening loads the saved answer,
 * edits are saved per exercise, a document from elsewhere closes the exercise, Check my answer
 * counts the attempt and marks a proof solved, and links open their exercise or say why not.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunTestsOutcome, RunTestsRequest } from '../checks/policy-tests.ts';
import { EXERCISES, shareable } from '../teach/exercises.ts';
import type { TestsAnswer } from '../worker/client.ts';
import { encodeExerciseLink } from './exerciseLink.ts';
import { DEFAULT_SNAPSHOT } from './snapshot.ts';
import { useStore } from './store.ts';

const fake = vi.hoisted(() => ({
  requests: [] as RunTestsRequest[],
  answer: undefined as unknown,
}));
vi.mock('./analysis.ts', () => ({
  getClient: () => ({
    runTests: (_view: string, request: RunTestsRequest) => {
      fake.requests.push(request);
      return Promise.resolve(fake.answer as TestsAnswer);
    },
    cancel: () => undefined,
  }),
}));

const {
  applyExerciseHash,
  checkAnswer,
  closeExercise,
  openExercise,
  restartExercise,
  trackExerciseAnswers,
  useExercises,
} = await import('./exercises.ts');

const [first, second] = [
  EXERCISES[0]!,
  EXERCISES.find((e) => e.target.kind === 'policy' && e.target.policyType === 'RESOURCE_POLICY')!,
];
const progress = () => useExercises.getState().progress;
const policy = () => useStore.getState().docs.policy;

const passing = (n: number): RunTestsOutcome => ({
  ok: true,
  results: Array.from({ length: n }, (_, i) => ({
    name: `t${i}`,
    expect: 'never-allowed',
    status: 'pass' as const,
    message: '',
    document: 'policy',
    scope: `scope ${i}`,
    stats: { elapsedMs: 1, solverCalls: 1 },
  })),
  summary: { passed: n, failed: 0, unknown: 0, errors: 0, elapsedMs: 1 },
});

beforeEach(() => {
  closeExercise();
  useExercises.setState({ progress: { entries: {}, linked: [] }, run: undefined, linkError: undefined });
  useStore.getState().loadSnapshot(DEFAULT_SNAPSHOT);
  fake.requests = [];
  trackExerciseAnswers();
});

describe('exercises in the store', () => {
  it("opening loads the start in the policy editor, in the Learn view, as the exercise's policy type", () => {
    openExercise(second.id);
    expect(policy()).toBe(second.start);
    expect(useStore.getState()).toMatchObject({ mode: 'learn', policyType: 'RESOURCE_POLICY', lesson: '' });
    expect(progress().current).toBe(second.id);
  });

  it("edits are the open exercise's answer, kept per exercise", () => {
    openExercise(first.id);
    useStore.getState().setDoc('policy', '{"mine": 1}');
    openExercise(second.id);
    expect(policy()).toBe(second.start);
    expect(progress().entries[first.id]?.answer).toBe('{"mine": 1}');
    expect(progress().entries[second.id]?.answer).toBeUndefined();
    openExercise(first.id);
    expect(policy()).toBe('{"mine": 1}');
    restartExercise();
    expect(policy()).toBe(first.start);
  });

  it('a document loaded from elsewhere (a lesson, an example) closes the exercise and is not an answer', () => {
    openExercise(first.id);
    useStore
      .getState()
      .loadSnapshot({ ...DEFAULT_SNAPSHOT, docs: { ...DEFAULT_SNAPSHOT.docs, policy: '{"lesson": 1}' } });
    expect(progress().current).toBeUndefined();
    expect(progress().entries[first.id]?.answer).toBeUndefined();
    useStore.getState().setDoc('policy', '{"later": 1}');
    expect(progress().entries[first.id]?.answer).toBeUndefined();
  });

  it('Check my answer runs the hidden suite on the answer, counts the attempt, and a proof solves it', async () => {
    openExercise(first.id);
    useStore.getState().setDoc('policy', first.solution);
    fake.answer = { kind: 'result', outcome: passing(first.suite.tests.length), elapsedMs: 5 };
    await checkAnswer();
    expect(fake.requests[0]).toMatchObject({
      target: { kind: 'policy', documents: [{ name: 'policy', text: first.solution }] },
      tests: first.suite.tests,
    });
    expect(progress().entries[first.id]).toEqual({ attempts: 1, solved: true, answer: first.solution });
    expect(useExercises.getState().run).toMatchObject({ state: 'done', feedback: { kind: 'solved' } });

    fake.answer = { kind: 'failure', message: 'The solver is not running.' };
    await checkAnswer();
    expect(progress().entries[first.id]).toMatchObject({ attempts: 2, solved: true });
    expect(useExercises.getState().run?.feedback).toEqual({
      kind: 'error',
      headline: 'The tests could not run: The solver is not running.',
      details: [],
    });
  });

  it('a link opens its exercise; a built-in one sent as a link is the built-in one', () => {
    expect(applyExerciseHash('#p=something')).toBe(false);
    expect(applyExerciseHash(encodeExerciseLink(shareable(second)))).toBe(true);
    expect(progress().current).toBe(second.id);
    expect(progress().linked).toEqual([]);

    const mine = { ...shareable(first), id: 'my-own', title: 'My own' };
    applyExerciseHash(encodeExerciseLink(mine));
    expect(progress().linked.map((l) => l.exercise)).toEqual([mine]);
    expect(progress().current).toBe(progress().linked[0]!.key);
    expect(policy()).toBe(mine.start);
  });

  it('a bad link is a message in the Learn view, not an exercise', () => {
    openExercise(first.id);
    expect(applyExerciseHash('#x=garbage')).toBe(true);
    expect(useExercises.getState().linkError).toMatch(/^The link is damaged/);
    expect(useStore.getState().mode).toBe('learn');
  });
});
