/**
 * The checks, one entry point each. A check validates its request (request.ts), may answer early
 * (early.ts), builds its question (questions.ts), searches it (search.ts: decode.ts, referee.ts),
 * reconciles the two answers and words the verdict (wording.ts).
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { PolicyType } from '../evaluate/request.ts';
import type { Policy } from '../policy/model.ts';
import { EncodingError } from '../smt/conditions.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { Deadline } from '../smt/context.ts';
import { earlyFail, reconcile } from './early.ts';
import { accessNotGrantedQuestion, noNewAccessQuestion, outsidersQuestion } from './questions.ts';
import { noNewAccessConfirm, notGrantedConfirm, outsidersConfirm } from './referee.ts';
import { InputProblem, parseCheck, type OutsidersOptions, type ParsedCheck } from './request.ts';
import { search, type SearchResult } from './search.ts';
import { serviceAwareReading } from './service-aware.ts';
import type { EncodedQuestion } from './questions.ts';
import type { Referee } from './referee.ts';
import { recordingRunner } from './transcript.ts';
import {
  inputErrorCode,
  type AccessSpec,
  type CheckOptions,
  type CheckOutcome,
  type CheckRequest,
  type CheckResponse,
  type CompareResponse,
  type Counterexample,
  type ServiceAware,
} from './types.ts';
import {
  NO_NEW_ACCESS_WORDING,
  answer,
  compareVerdict,
  notGrantedWording,
  outsidersWording,
  type Wording,
} from './wording.ts';

/** What every check runs on: the solver, the catalog and the check's budget. */
interface CheckContext {
  runner: SmtRunner;
  catalog: Catalog;
  deadline: Deadline;
  /** add the service-aware reading (CheckOptions.serviceAware) */
  serviceAware: boolean;
}

/** Runs any check request; bad input is an error value, a solver/evaluator disagreement throws. */
export async function runCheck(
  o: CheckOptions & { runner: SmtRunner; catalog: Catalog; request: CheckRequest },
): Promise<CheckOutcome> {
  if (o.record) {
    // The same check on a runner that writes down every command and answer.
    const recorder = recordingRunner(o.runner);
    const out = await runCheck({ ...o, runner: recorder.runner, record: false });
    if (out.ok) out.response.transcript = recorder.transcript(o.request.check);
    return out;
  }
  // A cancel of an earlier check is forgotten; one of this check ends its budget at once.
  o.runner.resume?.();
  const deadline = new Deadline(Date.now() + (o.timeoutMs ?? 10_000), () => o.runner.aborted === true);
  try {
    const ctx = { runner: o.runner, catalog: o.catalog, deadline, serviceAware: o.serviceAware === true };
    return { ok: true, response: await dispatch(ctx, o.request, o.onPreliminary) };
  } catch (e) {
    if (e instanceof InputProblem) return { ok: false, error: e.error };
    if (e instanceof EncodingError)
      return { ok: false, error: { code: inputErrorCode(e.code, 'INVALID_POLICY'), message: e.message } };
    throw e;
  }
}

async function dispatch(
  ctx: CheckContext,
  req: CheckRequest,
  onPreliminary?: (r: CheckResponse) => void,
): Promise<CheckResponse | CompareResponse> {
  const c = parseCheck(req, ctx.catalog);
  // The early FAIL comes before any solver call, announced at once; then each check starts from an
  // empty solver context, so one check's failure cannot leak into the next.
  const wantsEarly = c.kind !== 'compare' && (c.kind !== 'noNewAccess' || c.exactNewAccess);
  const found = wantsEarly && onPreliminary ? earlyFail(ctx.catalog, c) : undefined;
  if (found) onPreliminary?.(withInputFindings(found.response, c));
  const early = found?.ce;
  await ctx.runner.run('(reset)');
  return withInputFindings(await ask(ctx, c, early, onPreliminary), c);
}

/** The response with the documents' ERROR findings it was computed despite, when there are any. */
function withInputFindings<R extends CheckResponse | CompareResponse>(r: R, c: ParsedCheck): R {
  if (c.inputFindings.length > 0) r.inputFindings = c.inputFindings;
  return r;
}

async function ask(
  ctx: CheckContext,
  c: ParsedCheck,
  early: Counterexample | undefined,
  onPreliminary?: (r: CheckResponse) => void,
): Promise<CheckResponse | CompareResponse> {
  switch (c.kind) {
    case 'noNewAccess':
      return checkNoNewAccess({
        ...ctx,
        existing: c.existing,
        next: c.next,
        policyType: c.policyType,
        exact: c.exactNewAccess,
        names: { old: 'existing', new: 'new' },
        early,
        // An early FAIL was announced already: the search's first witness is not.
        onPreliminary: early ? undefined : onPreliminary,
      });
    case 'accessNotGranted':
      return checkAccessNotGranted({
        ...ctx,
        policy: c.policy,
        access: c.access,
        policyType: c.policyType,
        early,
      });
    case 'outsiders':
      return checkOutsiders({ ...ctx, policy: c.policy, options: c.options, early });
    case 'compare':
      return comparePolicies({ ...ctx, a: c.a, b: c.b, policyType: c.policyType });
  }
}

/**
 * Access Analyzer's answer `aa` and the service-aware reading of the same question (service-aware.ts):
 * `out` is `aa` with the requests AWS would never authorize marked.
 */
async function readBoth(
  ctx: CheckContext,
  q: { question: EncodedQuestion; referee: Referee; exact: boolean; wording: Wording },
  aa: SearchResult,
): Promise<{ out: SearchResult; reading?: ServiceAware }> {
  if (!ctx.serviceAware) return { out: aa };
  const { reading, marked } = await serviceAwareReading(
    { ...ctx, ...q, pass: q.wording.pass, fail: q.wording.fail },
    aa,
  );
  return { out: marked, reading };
}

function withReading(r: CheckResponse, reading: ServiceAware | undefined): CheckResponse {
  if (reading) r.serviceAware = reading;
  return r;
}

/** CheckNoNewAccess: is some request allowed by `next` and not by `existing`? */
async function checkNoNewAccess(
  o: CheckContext & {
    existing: Policy;
    next: Policy;
    policyType: PolicyType;
    /** compute the exact list of newly granted actions */
    exact: boolean;
    /** the documents' names in counterexamples and errors */
    names: { old: string; new: string };
    /** with `exact`: announce the first confirmed counterexample before the list is done */
    onPreliminary?: (r: CheckResponse) => void;
    /** a confirmed witness found before the solver ran (already announced) */
    early?: Counterexample;
  },
): Promise<CheckResponse> {
  const { onPreliminary } = o;
  const onFirst =
    o.exact && onPreliminary
      ? (ce: Counterexample, stats: SearchResult['stats']): void =>
          onPreliminary(answer({ result: 'FAIL', counterexamples: [ce], stats }, NO_NEW_ACCESS_WORDING))
      : undefined;
  const question = noNewAccessQuestion(o.catalog, o.existing, o.next, o.policyType, o.names);
  const referee = noNewAccessConfirm(o.catalog, o.existing, o.next, o.names);
  const aa = await search({ ...o, question, referee, onFirst });
  reconcile(aa, o.early);
  const both = await readBoth(o, { question, referee, exact: o.exact, wording: NO_NEW_ACCESS_WORDING }, aa);
  // Every statement that grants a newly allowed action is a reason, not only the witnesses'.
  const granting = (both.out.newAccess?.services ?? []).flatMap((sv) =>
    sv.actions.flatMap((x) => x.statements),
  );
  return withReading(answer(both.out, NO_NEW_ACCESS_WORDING, granting), both.reading);
}

/** CheckAccessNotGranted: is some request for a listed access allowed? */
async function checkAccessNotGranted(
  o: CheckContext & { policy: Policy; access: AccessSpec[]; policyType: PolicyType; early?: Counterexample },
): Promise<CheckResponse> {
  const question = accessNotGrantedQuestion(o.catalog, o.policy, o.access, o.policyType);
  const referee = notGrantedConfirm(o.catalog, o.policy, o.access);
  const aa = await search({ ...o, question, referee, exact: false });
  reconcile(aa, o.early);
  const wording = notGrantedWording(o.access);
  const { out, reading } = await readBoth(o, { question, referee, exact: false, wording }, aa);
  return withReading(answer(out, wording), reading);
}

/** CheckNoPublicAccess and NoAccessOutsideAccounts: is some request from an outsider allowed? */
async function checkOutsiders(
  o: CheckContext & { policy: Policy; options: OutsidersOptions; early?: Counterexample },
): Promise<CheckResponse> {
  const question = outsidersQuestion(o.catalog, o.policy, o.options);
  const referee = outsidersConfirm(o.catalog, o.policy, o.options);
  const aa = await search({ ...o, question, referee, exact: false });
  reconcile(aa, o.early);
  const wording = outsidersWording(o.options);
  const { out, reading } = await readBoth(o, { question, referee, exact: false, wording }, aa);
  return withReading(answer(out, wording), reading);
}

/** ComparePolicies: CheckNoNewAccess both ways (A ∧ ¬B, then B ∧ ¬A), without the exact list. */
async function comparePolicies(
  o: CheckContext & { a: Policy; b: Policy; policyType: PolicyType },
): Promise<CompareResponse> {
  const started = Date.now();
  const both = {
    runner: o.runner,
    catalog: o.catalog,
    deadline: o.deadline,
    policyType: o.policyType,
    exact: false,
    serviceAware: false,
  };
  const aNotB = await checkNoNewAccess({ ...both, existing: o.b, next: o.a, names: { old: 'b', new: 'a' } });
  const bNotA = await checkNoNewAccess({ ...both, existing: o.a, next: o.b, names: { old: 'a', new: 'b' } });
  return {
    kind: 'compare',
    ...compareVerdict(aNotB, bNotA),
    aNotB,
    bNotA,
    stats: {
      elapsedMs: Date.now() - started,
      solverCalls: aNotB.stats.solverCalls + bNotA.stats.solverCalls,
    },
  };
}
