/**
 * Messages between the page and the analysis worker. Both directions are validated with zod where
 * they are received: the worker trusts nothing it is sent, and the page trusts nothing the worker
 * (which evaluates a large third-party script) answers.
 */
import { z } from 'zod';
// The check request and its outcome are the engine's own schemas: the worker checks their shape only,
// so a well-formed request with a bad value (an account id of 4 digits) reaches the engine and comes
// back as its coded InputError, shown like any other.
import { CheckOutcome, CheckRequest } from '../checks/types.ts';
import { ScenarioCheckRequest, ScenarioOutcome } from '../checks/scenario-request.ts';
import { RunTestsOutcome, RunTestsRequest, TestResult } from '../checks/policy-tests.ts';

/** Page -> worker. */
export const ToWorkerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('check'),
    id: z.number().int().nonnegative(),
    request: CheckRequest,
    timeoutMs: z.number().int().min(100).max(120_000),
    /** return the solver transcript with the result (the Learn view's download) */
    record: z.boolean().optional(),
  }),
  /** a check on scenarios (the whole authorization stack); cancelled like a check */
  z.object({
    kind: z.literal('scenario'),
    id: z.number().int().nonnegative(),
    request: ScenarioCheckRequest,
    timeoutMs: z.number().int().min(100).max(120_000),
  }),
  /** policy tests on documents or a scenario (checks/policy-tests.ts); `timeoutMs` is the whole suite's */
  z.object({
    kind: z.literal('tests'),
    id: z.number().int().nonnegative(),
    request: RunTestsRequest,
    timeoutMs: z.number().int().min(100).max(600_000),
  }),
  z.object({ kind: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

const SolverPhase = z.enum(['loading', 'ready', 'failed']);

/** Worker -> page. */
export const FromWorkerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    phase: SolverPhase,
    message: z.string().optional(),
    /** time from worker start to this status, ms */
    elapsedMs: z.number().optional(),
    z3Version: z.string().optional(),
  }),
  /** the worker began this check (queued checks wait their turn; the client's watchdog starts here) */
  z.object({ kind: z.literal('started'), id: z.number() }),
  /** CheckNoNewAccess: the FAIL verdict with its first counterexample, while the exact list is computed */
  z.object({ kind: z.literal('preliminary'), id: z.number(), outcome: CheckOutcome }),
  z.object({ kind: z.literal('result'), id: z.number(), outcome: CheckOutcome, elapsedMs: z.number() }),
  z.object({
    kind: z.literal('scenario-result'),
    id: z.number(),
    outcome: ScenarioOutcome,
    elapsedMs: z.number(),
  }),
  /** one policy test's result, as soon as it is known (the suite's answer follows) */
  z.object({ kind: z.literal('test-result'), id: z.number(), index: z.number(), result: TestResult }),
  z.object({
    kind: z.literal('tests-result'),
    id: z.number(),
    outcome: RunTestsOutcome,
    elapsedMs: z.number(),
  }),
  z.object({ kind: z.literal('cancelled'), id: z.number() }),
  z.object({ kind: z.literal('failure'), id: z.number(), message: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
