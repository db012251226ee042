/**
 * The early answer: a FAIL found without the solver (guess.ts) and confirmed by the referee, shown
 * while Z3 starts or before the search ends; the search's answer is then reconciled with it.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { EvaluationError } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';
import {
  GUESS_LIMITS,
  guessAccessGranted,
  guessNewAccess,
  guessOutsiderAccess,
  type GuessLimits,
} from './guess.ts';
import { noNewAccessConfirm, notGrantedConfirm, outsidersConfirm, type Referee } from './referee.ts';
import { parseCheck, type ParsedCheck } from './request.ts';
import type { SearchResult } from './search.ts';
import type { CheckRequest, CheckResponse, Counterexample } from './types.ts';
import {
  NO_NEW_ACCESS_WORDING,
  answer,
  notGrantedWording,
  outsidersWording,
  type Wording,
} from './wording.ts';

/**
 * An early FAIL without the solver (guess.ts): a request shaped by the policy that the evaluator
 * confirms, for every check but compare. Undefined when none is found within `limits`, and when the
 * evaluator rejects the input (a malformed condition value): the full check reports that input
 * error with its code, as it does without an early stage.
 */
export function earlyFail(
  catalog: Catalog,
  c: ParsedCheck,
  limits: GuessLimits = GUESS_LIMITS,
): { ce: Counterexample; response: CheckResponse } | undefined {
  const started = Date.now();
  try {
    const plan = earlyPlan(catalog, c, limits);
    if (!plan?.request) return undefined;
    const checked = plan.confirm(plan.request);
    if (typeof checked === 'string') return undefined;
    const ce: Counterexample = { request: plan.request, ...checked };
    const stats = { elapsedMs: Date.now() - started, solverCalls: 0 };
    return { ce, response: answer({ result: 'FAIL', counterexamples: [ce], stats }, plan.wording) };
  } catch (e) {
    if (e instanceof EvaluationError) return undefined;
    throw e;
  }
}

/** Per check: the guessed request, its referee, and the wording of the answer. */
function earlyPlan(
  catalog: Catalog,
  c: ParsedCheck,
  limits: GuessLimits,
): { request: Request | undefined; confirm: Referee; wording: Wording } | undefined {
  switch (c.kind) {
    case 'noNewAccess':
      return {
        request: guessNewAccess(catalog, c.existing, c.next, limits),
        confirm: noNewAccessConfirm(catalog, c.existing, c.next, { old: 'existing', new: 'new' }),
        wording: NO_NEW_ACCESS_WORDING,
      };
    case 'accessNotGranted':
      return {
        request: guessAccessGranted(catalog, c.policy, c.access, limits),
        confirm: notGrantedConfirm(catalog, c.policy, c.access),
        wording: notGrantedWording(c.access),
      };
    case 'outsiders':
      return {
        request: guessOutsiderAccess(catalog, c.policy, c.options, limits),
        confirm: outsidersConfirm(catalog, c.policy, c.options),
        wording: outsidersWording(c.options),
      };
    case 'compare':
      return undefined;
  }
}

/**
 * The early answer to a check, without a solver (so before Z3 has started): a FAIL with one
 * evaluator-confirmed counterexample, or undefined. Bad input is left to the full check to report.
 * While Z3 starts there is time to spare: `limits` can be wider than the re-check's.
 */
export function earlyAnswer(
  catalog: Catalog,
  req: CheckRequest,
  limits: GuessLimits = GUESS_LIMITS,
): CheckResponse | undefined {
  let c: ParsedCheck;
  try {
    c = parseCheck(req, catalog);
  } catch {
    return undefined;
  }
  const response = earlyFail(catalog, c, limits)?.response;
  if (response && c.inputFindings.length > 0) response.inputFindings = c.inputFindings;
  return response;
}

/**
 * A confirmed early witness against the solver's answer: a PASS, or a complete exact list without
 * its action, is a bug in the encoder or the evaluator and fails loudly; an UNKNOWN becomes a FAIL.
 */
export function reconcile(out: SearchResult, early: Counterexample | undefined): void {
  if (!early) return;
  if (out.result !== 'UNKNOWN' && !out.unknownReason) {
    const action = early.request.action.toLowerCase();
    const listed = out.newAccess?.services.some((sv) =>
      sv.actions.some((x) => x.action.toLowerCase() === action),
    );
    if (out.result === 'PASS' || (out.newAccess && !listed))
      throw new Error(
        `Solver and concrete evaluator disagree: the solver answered ${out.result}${out.result === 'FAIL' ? ' without this action in the exact list' : ''}, but the evaluator confirms the request. Request: ${JSON.stringify(early.request)}`,
      );
  }
  if (out.result === 'UNKNOWN') {
    // The solver ran out before its first witness, but the early one is confirmed: still a FAIL
    // (the unknown reason stays: an exact list is then incomplete).
    out.result = 'FAIL';
    out.counterexamples.push(early);
  }
}
