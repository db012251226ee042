/**
 * Issue 11: a condition value the evaluator rejects, in the new policy of a CheckNoNewAccess pair.
 * The early stage (before Z3 is up in the worker, and inside the engine once it is) finds no early
 * answer; the full check reports the coded input error, as it does without an early stage.
 */
import { describe, expect, it } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { earlyAnswer } from '../checks/early.ts';
import { GUESS_LIMITS } from '../checks/guess.ts';
import { createNodeEngine } from '../checks/node.ts';
import type { CheckRequest, CheckResponse } from '../checks/types.ts';
import { EarlyAnswers } from './early.ts';

/** A condition value the evaluator rejects, in the new policy of a CheckNoNewAccess pair (issue 11). */
const existing = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});
const malformed = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: '*',
      Condition: { NumericLessThan: { 's3:max-keys': 'abc' } },
    },
  ],
});
const BAD: CheckRequest = {
  check: 'CheckNoNewAccess',
  existingPolicyDocument: existing,
  newPolicyDocument: malformed,
  policyType: 'IDENTITY_POLICY',
};

describe('a condition value the evaluator rejects', () => {
  it('gets no early answer (the worker’s start-up calls this before Z3 is up: it must not throw)', async () => {
    const catalog = await loadDefaultCatalog();
    expect(earlyAnswer(catalog, BAD, { ...GUESS_LIMITS, maxMs: 300 })).toBeUndefined();
    const sent: number[] = [];
    const errors: unknown[] = [];
    const early = new EarlyAnswers(
      (id) => sent.push(id),
      (_id, e) => errors.push(e),
    );
    early.ready((r) => earlyAnswer(catalog, r));
    early.tryQueued([{ id: 1, request: BAD }]);
    expect(sent).toEqual([]);
    expect(errors).toEqual([]); // an input error is not a fault of the early stage
  });

  it('is reported as the coded input error by the full check, with an early stage (the worker’s path) or without', async () => {
    const engine = await createNodeEngine();
    const preliminaries: CheckResponse[] = [];
    // The validator's ERROR finding refuses the document before the engine reads the value
    // (docs/semantics-decisions.md, "Invalid input"): the engine's code for the fault (the finding's
    // issue code in the message), the document, the place.
    const expected = {
      ok: false,
      error: expect.objectContaining({
        code: 'INVALID_VALUE',
        document: 'new',
        message:
          'The new policy is not valid: TYPE_MISMATCH_NUMBER in statement 0 (line 1, column 142): NumericLessThan needs a number such as 10 or 2.5; "abc" is not one.',
      }) as unknown,
    };
    // The worker passes onPreliminary, which turns the early stage on.
    const warm = await engine.run(BAD, { timeoutMs: 10_000, onPreliminary: (r) => preliminaries.push(r) });
    expect(warm).toEqual(expected);
    expect(preliminaries).toEqual([]);
    expect(await engine.run(BAD, { timeoutMs: 10_000 })).toEqual(warm);
  });
});
