import { describe, expect, it } from 'vitest';
import type { CheckRequest, CheckResponse } from '../checks/types.ts';
import { EarlyAnswers } from './early.ts';

const req = (doc: string): CheckRequest => ({
  check: 'CheckNoPublicAccess',
  policyDocument: doc,
  resourceType: 'AWS::S3::Bucket',
});
const FAIL = { result: 'FAIL' } as CheckResponse;

describe('the worker’s early answers', () => {
  it('sends a found FAIL once, and then the full check sends no preliminary of its own', () => {
    const sent: number[] = [];
    const early = new EarlyAnswers((id) => sent.push(id));
    const queue = [{ id: 1, request: req('fails') }];
    early.tryQueued(queue); // the catalog is not loaded yet: nothing to try with
    expect(sent).toEqual([]);
    early.ready((r) => ((r as { policyDocument: string }).policyDocument === 'fails' ? FAIL : undefined));
    early.tryQueued(queue);
    early.tryQueued(queue);
    expect(sent).toEqual([1]);
    expect(early.mayAnnounce(1)).toBe(false);
  });

  it('a check tried without success keeps its own preliminary (the solver’s first counterexample)', () => {
    const early = new EarlyAnswers(() => undefined);
    early.ready(() => undefined);
    early.tryQueued([{ id: 2, request: req('passes') }]);
    expect(early.mayAnnounce(2)).toBe(true);
  });

  it('forgets a finished check', () => {
    const sent: number[] = [];
    const early = new EarlyAnswers((id) => sent.push(id));
    early.ready(() => FAIL);
    early.tryQueued([{ id: 3, request: req('fails') }]);
    early.forget(3);
    expect(early.mayAnnounce(3)).toBe(true);
    early.tryQueued([{ id: 3, request: req('fails') }]);
    expect(sent).toEqual([3, 3]);
  });

  it('an answer or a send that throws is no early answer: the others are still tried, nothing is sent', () => {
    const sent: number[] = [];
    const errors: [number, unknown][] = [];
    const boom = new Error('boom');
    const early = new EarlyAnswers(
      (id) => {
        if (id === 5) throw boom;
        sent.push(id);
      },
      (id, e) => errors.push([id, e]),
    );
    early.ready((r) => {
      if ((r as { policyDocument: string }).policyDocument === 'throws') throw boom;
      return FAIL;
    });
    const queue = [
      { id: 4, request: req('throws') },
      { id: 5, request: req('fails') },
      { id: 6, request: req('fails') },
    ];
    expect(() => early.tryQueued(queue)).not.toThrow();
    expect(sent).toEqual([6]);
    expect(errors).toEqual([
      [4, boom],
      [5, boom],
    ]);
    // Neither was announced: the full checks send their own preliminaries.
    expect(early.mayAnnounce(4)).toBe(true);
    expect(early.mayAnnounce(5)).toBe(true);
    expect(early.mayAnnounce(6)).toBe(false);
  });
});
