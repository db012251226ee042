/**
 * Checks on a scenario (the whole authorization stack, evaluate/scenario.ts): the same questions as
 * the single-policy checks, asked of the stack's formula (smt/stack.ts) and searched the same way
 * (search.ts), with the stack evaluator as the referee. Every counterexample carries the stack's
 * trace: each layer allowed, denied or did not apply, and the layer that decided.
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { Request } from '../evaluate/request.ts';
import { parseScenario, ScenarioError, type Scenario } from '../evaluate/scenario.ts';
import { evaluateScenario, type StackEvaluation, type StatementHit } from '../evaluate/stack.ts';
import { EncodingError } from '../smt/conditions.ts';
import { Encoder } from '../smt/encode.ts';
import { fand, fnot, forr, TRUE } from '../smt/formula.ts';
import type { SmtRunner } from '../smt/runner.ts';
import { Deadline } from '../smt/context.ts';
import { encodeStack } from '../smt/stack.ts';
import { fencesOf, namedAccounts, notOutsider } from './outsider.ts';
import { publicReading, unsupportedTypeDetail } from './public-types.ts';
import { outsider, type EncodedQuestion } from './questions.ts';
import { listedAccess, type Referee } from './referee.ts';
import { InputProblem, invalidRequest, type OutsidersOptions } from './request.ts';
import { search, type SearchResult } from './search.ts';
import type { AccessSpec, CheckResponse, CompareResponse, StackVerdict, StatementRef } from './types.ts';
import { answer, compareVerdict, statementReasons, type Wording } from './wording.ts';
import { ScenarioCheckRequest, scenarioRequest, type ScenarioOutcome } from './scenario-request.ts';

export type { ScenarioOutcome } from './scenario-request.ts';

export const verdictOf = (e: StackEvaluation): StackVerdict => ({
  decision: e.decision,
  decidedBy: e.decidedBy,
  layers: e.layers,
});
const refs = (hits: StatementHit[]): StatementRef[] => hits.map((h) => ({ ...h }));

/** The statements that let a request through: the allowing statements of the layers that apply. */
export function granting(e: StackEvaluation): StatementRef[] {
  return refs(
    e.layers
      .filter((l) => l.applies && (l.layer === 'resource' || l.layer === 'identity'))
      .flatMap((l) => l.allowedBy),
  );
}

/** The stack allows the request (and, when given, it is a listed access). */
function allowsReferee(
  s: Scenario,
  catalog: Catalog,
  property: string,
  listed?: (r: Request) => boolean,
): Referee {
  return (req) => {
    if (listed && !listed(req)) return 'the request is none of the listed accesses';
    const e = evaluateScenario(s, req, catalog);
    if (e.decision !== 'Allowed')
      return `the stack does not allow it (${e.decision} by ${e.decidedBy.layer})`;
    return { grantedBy: granting(e), whyNot: { kind: 'property', text: property }, stack: verdictOf(e) };
  };
}

export function encoderFor(catalog: Catalog, scenarios: Scenario[]): Encoder {
  const enc = new Encoder(catalog, { identity: false });
  enc.prepare(scenarios.flatMap((s) => s.all.map((p) => p.policy)));
  return enc;
}

const wording = (pass: string, fail: string, describe: (g: StatementRef) => string): Wording => ({
  pass,
  fail,
  reasons: (gs) => statementReasons(gs, describe),
});
const at = (g: StatementRef): string => `${g.document}, statement ${g.statementIndex}`;

interface Context {
  runner: SmtRunner;
  catalog: Catalog;
  deadline: Deadline;
}

async function accessNotGranted(o: Context, s: Scenario, list: AccessSpec[]): Promise<CheckResponse> {
  if (!list.length || list.some((a) => !a.actions?.length && !a.resources?.length))
    throw new ScenarioError(
      'INVALID_ACCESS',
      'access must be a non-empty list of {actions?, resources?} with at least one of them.',
    );
  const enc = encoderFor(o.catalog, [s]);
  const st = encodeStack(enc, s, o.catalog.rcpServiceList());
  const critical = forr(
    ...list.map((a) =>
      fand(
        a.actions?.length ? enc.actionsAtom(a.actions) : TRUE,
        a.resources?.length ? enc.resourcesAtom(a.resources) : TRUE,
      ),
    ),
  );
  const question: EncodedQuestion = {
    enc,
    root: fand(st.allowed, st.scenarioCaller, critical),
    background: enc.finish(),
  };
  const referee = allowsReferee(
    s,
    o.catalog,
    'the request is a listed access the stack allows',
    listedAccess(list),
  );
  const out = await search({ ...o, question, referee, exact: false });
  return answer(
    out,
    wording(
      'The authorization stack does not allow any of the listed access.',
      'The authorization stack allows one or more of the listed actions or resources.',
      (g) => `Listed access allowed through ${at(g)}.`,
    ),
  );
}

async function noNewAccess(
  o: Context,
  oldS: Scenario,
  newS: Scenario,
  exact: boolean,
): Promise<CheckResponse> {
  const enc = encoderFor(o.catalog, [oldS, newS]);
  const n = encodeStack(enc, newS, o.catalog.rcpServiceList());
  const old = encodeStack(enc, oldS, o.catalog.rcpServiceList());
  const question: EncodedQuestion = {
    enc,
    root: fand(n.allowed, fnot(old.allowed), forr(n.scenarioCaller, old.scenarioCaller)),
    background: enc.finish(),
  };
  const referee: Referee = (req) => {
    const en = evaluateScenario(newS, req, o.catalog);
    const eo = evaluateScenario(oldS, req, o.catalog);
    if (en.decision !== 'Allowed')
      return `the new stack does not allow it (${en.decision} by ${en.decidedBy.layer})`;
    if (eo.decision === 'Allowed') return 'the existing stack allows it too';
    return {
      grantedBy: granting(en),
      whyNot: {
        kind: 'property',
        text: `the existing stack: ${eo.decision} by ${eo.decidedBy.layer}: ${eo.decidedBy.why}`,
      },
      stack: verdictOf(en),
      existingStack: verdictOf(eo),
    };
  };
  const out: SearchResult = await search({ ...o, question, referee, exact });
  const granted = (out.newAccess?.services ?? []).flatMap((sv) => sv.actions.flatMap((x) => x.statements));
  return answer(
    out,
    wording(
      'The new authorization stack allows no request the existing one denies.',
      'The new authorization stack allows requests the existing one denies.',
      (g) => `New access through ${at(g)}.`,
    ),
    granted,
  );
}

async function outsiders(o: Context, s: Scenario, opts: OutsidersOptions): Promise<CheckResponse> {
  const enc = encoderFor(o.catalog, [s]);
  const st = encodeStack(enc, s, o.catalog.rcpServiceList());
  // The scenario's own accounts are insiders; for public access so is every account a policy names.
  const known = [
    s.callerAccount,
    s.resourceAccount,
    ...(opts.publicMode ? s.all.flatMap((p) => namedAccounts(p.policy)) : []),
  ];
  const fenced = s.resource
    ? [s.resource.policy, ...(s.rcps ?? []).flat().map((p) => p.policy)]
    : (s.rcps ?? []).flat().map((p) => p.policy);
  const question: EncodedQuestion = {
    enc,
    root: fand(st.allowed, outsider(enc, fenced, opts, known)),
    background: enc.finish(),
  };
  const allows = allowsReferee(
    s,
    o.catalog,
    opts.publicMode
      ? 'the caller is outside every account the scenario names'
      : 'the caller is outside the trusted accounts',
  );
  const fences = opts.publicMode ? fencesOf(fenced, opts.reading) : new Map<string, string[]>();
  const referee: Referee = (req) => {
    const why = notOutsider(req, opts, known, fences);
    return why ? `the request is not one from outside: ${why}` : allows(req);
  };
  const out = await search({ ...o, question, referee, exact: false });
  return answer(
    out,
    opts.publicMode
      ? wording(
          'The authorization stack does not allow public access for the given resource type.',
          'The authorization stack allows public access for the given resource type.',
          (g) => `Public access through ${at(g)}.`,
        )
      : wording(
          'The authorization stack allows no access from outside the trusted accounts.',
          'The authorization stack allows access from outside the trusted accounts.',
          (g) => `Access from outside the trusted accounts through ${at(g)}.`,
        ),
  );
}

/** The compare verdict's message about scenarios (what B opens: bNotA; what it breaks: aNotB). */
function scenarioWords<T extends { message: string }>(v: T): T {
  return {
    ...v,
    message: v.message.replace(/Policy A/g, 'Scenario A').replace(/policy (A|B)/gi, 'scenario $1'),
  };
}

function read(input: unknown, name: string): Scenario {
  try {
    return parseScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioError(e.code, `${name}: ${e.message}`, e.findings);
    throw e;
  }
}

/** Runs a scenario check; bad input is an error value, a solver/evaluator disagreement throws. */
export async function runScenarioCheck(o: {
  runner: SmtRunner;
  catalog: Catalog;
  request: unknown;
  timeoutMs?: number;
}): Promise<ScenarioOutcome> {
  const parsed = ScenarioCheckRequest.safeParse(o.request);
  if (!parsed.success) return { ok: false, error: invalidRequest(parsed.error) };
  const r = parsed.data;
  o.runner.resume?.();
  const ctx: Context = {
    runner: o.runner,
    catalog: o.catalog,
    deadline: new Deadline(Date.now() + (o.timeoutMs ?? 10_000), () => o.runner.aborted === true),
  };
  try {
    switch (r.check) {
      case 'EvaluateScenario': {
        const s = read(r.scenario, 'scenario');
        const req = scenarioRequest(r.request);
        return {
          ok: true,
          response: { kind: 'evaluate', verdict: verdictOf(evaluateScenario(s, req, o.catalog)) },
        };
      }
      case 'ScenarioAccessNotGranted':
        await o.runner.run('(reset)');
        return { ok: true, response: await accessNotGranted(ctx, read(r.scenario, 'scenario'), r.access) };
      case 'ScenarioNoNewAccess':
        await o.runner.run('(reset)');
        return {
          ok: true,
          response: await noNewAccess(
            ctx,
            read(r.existingScenario, 'existingScenario'),
            read(r.newScenario, 'newScenario'),
            r.exactNewAccess ?? false,
          ),
        };
      case 'CompareScenarios': {
        await o.runner.run('(reset)');
        const a = read(r.scenarioA, 'scenarioA');
        const b = read(r.scenarioB, 'scenarioB');
        const started = Date.now();
        // What B opens (allowed by B, not A) and what it breaks (allowed by A, not B): both exact.
        const bNotA = await noNewAccess(ctx, a, b, true);
        const aNotB = await noNewAccess(ctx, b, a, true);
        const response: CompareResponse = {
          kind: 'compare',
          ...scenarioWords(compareVerdict(aNotB, bNotA)),
          aNotB,
          bNotA,
          stats: {
            elapsedMs: Date.now() - started,
            solverCalls: aNotB.stats.solverCalls + bNotA.stats.solverCalls,
          },
        };
        return { ok: true, response };
      }
      case 'ScenarioNoPublicAccess': {
        await o.runner.run('(reset)');
        const reading = publicReading(r.resourceType);
        if (!reading)
          throw new InputProblem({
            code: 'INVALID_RESOURCE_TYPE',
            message: `resourceType: ${unsupportedTypeDetail(r.resourceType)}.`,
          });
        return {
          ok: true,
          response: await outsiders(ctx, read(r.scenario, 'scenario'), {
            reading,
            trusted: [],
            orgs: [],
            publicMode: true,
          }),
        };
      }
      case 'ScenarioNoAccessOutside':
        await o.runner.run('(reset)');
        return {
          ok: true,
          response: await outsiders(ctx, read(r.scenario, 'scenario'), {
            trusted: r.trustedAccounts,
            orgs: r.trustedOrgIds ?? [],
            publicMode: false,
          }),
        };
    }
  } catch (e) {
    if (e instanceof ScenarioError) return { ok: false, error: { code: e.code, message: e.message } };
    if (e instanceof EncodingError) return { ok: false, error: { code: e.code, message: e.message } };
    if (e instanceof InputProblem) return { ok: false, error: e.error };
    throw e;
  }
}
