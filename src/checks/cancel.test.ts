/**
 * The engine's half of an explicit cancel. The worker (src/worker/analysis.worker.ts) cancels the
 * running check by calling `runner.interrupt()` and then waits for `engine.run` to return before it
 * starts the next check, so a cancel is only real if the interrupt makes the engine stop solving.
 * The client settles the page's promise as cancelled at once whatever the worker does
 * (client.test.ts), so only a test down here can fail when nothing was cancelled.
 *
 * The fixture keeps Z3 busy: uncancelled, the check runs for its whole budget (measured on this
 * engine: one check-sat runs until the budget, 60 s of a 60 s budget). The test first shows that,
 * then runs the identical check and interrupts it while a check-sat is under way.
 */
import { describe, expect, it, vi } from 'vitest';
import { loadDefaultCatalog } from '../catalog/catalog.ts';
import { nodeRunner } from '../smt/runner-node.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { Engine } from './engine.ts';
import type { CheckRequest, CheckResponse } from './types.ts';

const BUDGET_MS = 4000;
/** how soon after the interrupt the answer must come (measured: 10-200 ms) */
const STOP_MS = 1000;

/** Overlapping wildcard resources and caller keys on one action: hard string reasoning for Z3. */
function statements(salt: string, effect: (i: number) => 'Allow' | 'Deny'): unknown[] {
  return Array.from({ length: 20 }, (_, i) => ({
    Effect: effect(i),
    Action: 's3:GetObject',
    Resource: [`arn:aws:s3:::*${salt}${'?*'.repeat(i % 6)}${i}*`],
    Condition: {
      StringLike: { 'aws:PrincipalTag/team': [`*${salt}${i}*`, `?${'*?'.repeat(i % 5)}${salt}`] },
      StringNotLike: { 'aws:userid': [`*${i}?${salt}*`] },
    },
  }));
}
const doc = (s: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: s });
const HARD: CheckRequest = {
  check: 'CheckNoNewAccess',
  existingPolicyDocument: doc(statements('a', (i) => (i % 4 === 0 ? 'Deny' : 'Allow'))),
  newPolicyDocument: doc(statements('b', () => 'Allow')),
  policyType: 'IDENTITY_POLICY',
};

/** The real Node runner, watched: every script sent, when, and the call under way. */
interface Watched extends SmtRunner {
  sent: { at: number; script: string }[];
  /** the call Z3 is answering now, if any */
  current?: { since: number; script: string };
  /** called as each call returns (before the engine sees its answer) */
  afterCall?: (n: number) => void;
}

async function watchedEngine(): Promise<{ engine: Engine; runner: Watched }> {
  const [inner, catalog] = await Promise.all([nodeRunner(), loadDefaultCatalog()]);
  const runner: Watched = {
    sent: [],
    get calls() {
      return this.sent.length;
    },
    interrupt: () => inner.interrupt(),
    get aborted() {
      return inner.aborted;
    },
    resume: () => inner.resume?.(),
    async run(script) {
      runner.sent.push({ at: Date.now(), script });
      runner.current = { since: Date.now(), script };
      try {
        return await inner.run(script);
      } finally {
        runner.current = undefined;
        runner.afterCall?.(runner.sent.length);
      }
    },
  };
  return { engine: new Engine(runner, catalog), runner };
}

async function timed(engine: Engine): Promise<{ r: CheckResponse; ms: number }> {
  const t = Date.now();
  const out = await engine.run(HARD, { timeoutMs: BUDGET_MS });
  if (!out.ok) throw new Error(JSON.stringify(out.error));
  return { r: out.response as CheckResponse, ms: Date.now() - t };
}

const checkSats = (sent: { script: string }[]): number =>
  sent.filter((s) => /\(check-sat/.test(s.script)).length;

describe('cancel: an interrupted check stops solving', () => {
  it(`the check that uncancelled runs its whole ${BUDGET_MS} ms budget answers within ${STOP_MS} ms of an interrupt, with no check-sat after it`, async () => {
    const { engine, runner } = await watchedEngine();

    // Uncancelled: the solver is still working when the budget ends (UNKNOWN at the budget).
    const control = await timed(engine);
    expect(control.r.result, 'the fixture no longer keeps the solver busy: pick a harder one').toBe(
      'UNKNOWN',
    );
    expect(control.ms).toBeGreaterThanOrEqual(BUDGET_MS - 200);

    // The identical check, interrupted once a check-sat has been under way for 300 ms.
    runner.sent.length = 0;
    const running = timed(engine);
    await vi.waitFor(
      () => {
        const c = runner.current;
        if (!c || !/\(check-sat/.test(c.script) || Date.now() - c.since < 300)
          throw new Error('no check-sat under way for 300 ms yet');
      },
      { timeout: BUDGET_MS, interval: 10 },
    );
    const interruptedAt = Date.now();
    const before = runner.sent.length;
    runner.interrupt();
    const { r, ms } = await running;

    expect(Date.now() - interruptedAt).toBeLessThan(STOP_MS);
    expect(ms).toBeLessThan(control.ms - STOP_MS);
    // What the engine sent after the interrupt only closes its scope: no new question for Z3.
    expect(checkSats(runner.sent.slice(before))).toBe(0);
    // An interrupted search never claims a verdict it did not finish.
    expect(r.result).toBe('UNKNOWN');
  });

  // Z3's interrupt only stops a call it is already solving; one that landed between two calls was
  // lost and the check ran on to its budget (5 of 7 interrupts at 0.1-3 s on this fixture). The
  // runner now remembers it and the check's deadline ends with it.
  it('an interrupt between two solver calls also stops the check', async () => {
    const { engine, runner } = await watchedEngine();
    let interruptedAt = 0;
    runner.afterCall = (n) => {
      if (n !== 2) return;
      interruptedAt = Date.now();
      runner.interrupt();
    };
    try {
      await timed(engine);
    } finally {
      runner.afterCall = undefined;
    }
    expect(interruptedAt).toBeGreaterThan(0);
    expect(Date.now() - interruptedAt).toBeLessThan(STOP_MS);
  });
});
