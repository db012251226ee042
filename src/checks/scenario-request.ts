/**
 * The shapes of a scenario check at the engine's boundary (the worker, the page): the request and
 * its outcome, one zod schema and its type under one name each. Kept apart from scenario.ts, which
 * runs the checks, so the page can validate worker messages without bundling the encoder and the
 * search. Scenario fields hold the scenario object or its JSON text: the engine reads them
 * (evaluate/scenario.ts) and answers a coded error, so they are `unknown` here.
 */
import { z } from 'zod';
import { principalFromJson, type Request } from '../evaluate/request.ts';
import { AccessSpec, CheckResponse, CompareResponse, StackVerdict } from './types.ts';

const scenario = z.unknown();
const access = z.array(AccessSpec);

/** A check on scenarios; scenario fields hold the scenario object or its JSON text. */
export const ScenarioCheckRequest = z.discriminatedUnion('check', [
  z.object({
    check: z.literal('EvaluateScenario'),
    scenario,
    request: z.object({
      principal: z.unknown().optional(),
      action: z.string(),
      resource: z.string(),
      context: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    }),
  }),
  z.object({ check: z.literal('ScenarioAccessNotGranted'), scenario, access }),
  z.object({
    check: z.literal('ScenarioNoNewAccess'),
    existingScenario: scenario,
    newScenario: scenario,
    exactNewAccess: z.boolean().optional(),
  }),
  z.object({ check: z.literal('CompareScenarios'), scenarioA: scenario, scenarioB: scenario }),
  z.object({ check: z.literal('ScenarioNoPublicAccess'), scenario, resourceType: z.string() }),
  z.object({
    check: z.literal('ScenarioNoAccessOutside'),
    scenario,
    trustedAccounts: z.array(z.string().regex(/^\d{12}$/)),
    trustedOrgIds: z.array(z.string()).optional(),
  }),
]);
export type ScenarioCheckRequest = z.infer<typeof ScenarioCheckRequest>;

/** EvaluateScenario's answer: the stack's word on the one request. */
const EvaluateResponse = z.object({ kind: z.literal('evaluate'), verdict: StackVerdict });

const ScenarioResponse = z.discriminatedUnion('kind', [CheckResponse, CompareResponse, EvaluateResponse]);

/** A scenario check's outcome: the response, or bad input as a coded error. */
export const ScenarioOutcome = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), response: ScenarioResponse }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);
export type ScenarioOutcome = z.infer<typeof ScenarioOutcome>;

/** The request of an EvaluateScenario check as the evaluator takes it (principal in its wire forms). */
export function scenarioRequest(r: {
  action: string;
  resource: string;
  principal?: unknown;
  context?: Request['context'];
}): Request {
  const req: Request = { action: r.action, resource: r.resource, context: r.context ?? {} };
  const p = principalFromJson(r.principal);
  if (p) req.principal = p;
  return req;
}
