import { describe, expect, it } from 'vitest';
import type { CheckOutcome } from '../checks/types.ts';
import { useStore } from './store.ts';

const outcome = (result: 'PASS' | 'FAIL'): CheckOutcome => ({
  ok: true,
  response: {
    kind: 'check',
    result,
    message: result,
    reasons: [],
    counterexamples: [],
    stats: { elapsedMs: 1, solverCalls: 1 },
  },
});

describe('the run lifecycle in the store', () => {
  it('a new run keeps the last answer as `previous`; a preliminary verdict only lands on its own running check', () => {
    const s = () => useStore.getState();
    s().startRun('a');
    s().finishRun('a', { kind: 'result', outcome: outcome('PASS'), elapsedMs: 1 });
    expect(s().run).toMatchObject({ requestKey: 'a', state: 'done' });

    s().startRun('b');
    expect(s().run?.state).toBe('running');
    expect(s().run?.answer).toBeUndefined();
    expect(s().run?.previous).toMatchObject({ kind: 'result' });

    s().preliminaryRun('a', outcome('FAIL')); // another request: ignored
    expect(s().run?.preliminary).toBeUndefined();
    s().preliminaryRun('b', outcome('FAIL'));
    expect(s().run?.preliminary).toEqual(outcome('FAIL'));

    // a run started while another is unanswered carries the older answer forward
    s().startRun('c');
    expect(s().run?.preliminary).toBeUndefined();
    expect(s().run?.previous).toMatchObject({ kind: 'result' });
    s().finishRun('b', { kind: 'result', outcome: outcome('FAIL'), elapsedMs: 2 }); // not the current run
    expect(s().run?.state).toBe('running');
    s().finishRun('c', { kind: 'superseded' });
    expect(s().run?.state).toBe('running');
    s().finishRun('c', { kind: 'result', outcome: outcome('FAIL'), elapsedMs: 3 });
    expect(s().run).toMatchObject({ requestKey: 'c', state: 'done', answer: { elapsedMs: 3 } });
    s().preliminaryRun('c', outcome('FAIL')); // after the answer: ignored
    expect(s().run?.preliminary).toBeUndefined();
  });
});
