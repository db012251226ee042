/**
 * Messages between the page and the analysis worker. Both directions are validated with zod where
 * they are received: the worker trusts nothing it is sent, and the page trusts nothing the worker
 * (which evaluates a large third-party script) answers.
 */
import { z } from 'zod';
import type { CheckOutcome, CheckRequest } from '../checks/types.ts';

const policyType = z.enum(['IDENTITY_POLICY', 'RESOURCE_POLICY']);
/**
 * Larger than the engine's own limit (MAX_POLICY_CHARS, 512 KiB), so an oversized policy reaches the
 * engine and gets its clear POLICY_TOO_LARGE answer instead of being dropped here.
 */
const text = z.string().max(2_000_000);

export const CheckRequestSchema = z.discriminatedUnion('check', [
  z.object({
    check: z.literal('CheckNoNewAccess'),
    existingPolicyDocument: text,
    newPolicyDocument: text,
    policyType,
    exactNewAccess: z.boolean().optional(),
  }),
  z.object({
    check: z.literal('CheckAccessNotGranted'),
    policyDocument: text,
    access: z.array(
      z.object({ actions: z.array(z.string()).optional(), resources: z.array(z.string()).optional() }),
    ),
    policyType,
  }),
  z.object({ check: z.literal('CheckNoPublicAccess'), policyDocument: text, resourceType: z.string() }),
  z.object({
    check: z.literal('NoAccessOutsideAccounts'),
    policyDocument: text,
    trustedAccounts: z.array(z.string()),
    trustedOrgIds: z.array(z.string()).optional(),
    policyType: policyType.optional(),
  }),
  z.object({ check: z.literal('ComparePolicies'), policyA: text, policyB: text, policyType }),
]) satisfies z.ZodType<CheckRequest>;

const statementRef = z.object({
  document: z.string(),
  statementIndex: z.number(),
  statementId: z.string().optional(),
});
const principal = z.union([
  z.object({ type: z.literal('Anonymous') }),
  z.object({
    type: z.literal('AWS'),
    id: z.string(),
    path: z.string().optional(),
    uniqueId: z.string().optional(),
  }),
  z.object({ type: z.enum(['Service', 'Federated', 'CanonicalUser']), id: z.string() }),
]);
const counterexample = z.object({
  request: z.object({
    principal: principal.optional(),
    action: z.string(),
    resource: z.string(),
    context: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  }),
  grantedBy: z.array(statementRef),
  whyNot: z
    .union([
      z.object({ kind: z.literal('noMatchingAllow') }),
      z.object({ kind: z.literal('deniedBy'), statements: z.array(statementRef) }),
      z.object({ kind: z.literal('property'), text: z.string() }),
    ])
    .optional(),
  actionOutsideCatalog: z.boolean().optional(),
});
const stats = z.object({ elapsedMs: z.number(), solverCalls: z.number() });
const checkResponse = z.object({
  result: z.enum(['PASS', 'FAIL', 'UNKNOWN']),
  message: z.string(),
  reasons: z.array(
    z.object({
      description: z.string(),
      statementIndex: z.number().optional(),
      statementId: z.string().optional(),
    }),
  ),
  counterexamples: z.array(counterexample),
  newAccess: z
    .object({
      services: z.array(
        z.object({
          service: z.string(),
          actions: z.array(z.object({ action: z.string(), statements: z.array(statementRef) })),
        }),
      ),
      count: z.number(),
      outsideCatalog: z.boolean(),
      note: z.string().optional(),
      elapsedMs: z.number(),
    })
    .optional(),
  unknownReason: z.string().optional(),
  stats,
  transcript: z.string().optional(),
});
const compareResponse = z.object({
  result: z.enum(['EQUIVALENT', 'MORE_PERMISSIVE', 'LESS_PERMISSIVE', 'INCOMPARABLE', 'UNKNOWN']),
  message: z.string(),
  aNotB: checkResponse,
  bNotA: checkResponse,
  stats,
  transcript: z.string().optional(),
});
const position = z.object({ line: z.number(), column: z.number(), offset: z.number() });
const finding = z.object({
  findingType: z.enum(['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION']),
  issueCode: z.string(),
  findingDetails: z.string(),
  locations: z.array(
    z.object({
      path: z.array(z.union([z.string(), z.number()])),
      span: z.object({ start: z.number(), end: z.number() }),
      start: position,
      end: position,
    }),
  ),
});
export const CheckOutcomeSchema = z.union([
  z.object({ ok: z.literal(true), response: z.union([compareResponse, checkResponse]) }),
  z.object({
    ok: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      findings: z.array(finding).optional(),
      document: z.string().optional(),
    }),
  }),
]) satisfies z.ZodType<CheckOutcome>;

/** Page -> worker. */
export const ToWorkerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('check'),
    id: z.number().int().nonnegative(),
    request: CheckRequestSchema,
    timeoutMs: z.number().int().min(100).max(120_000),
    /** return the solver transcript with the result (the Learn view's download) */
    record: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);
export type ToWorker = z.infer<typeof ToWorkerSchema>;

export const SolverPhase = z.enum(['loading', 'ready', 'failed']);

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
  z.object({ kind: z.literal('preliminary'), id: z.number(), outcome: CheckOutcomeSchema }),
  z.object({ kind: z.literal('result'), id: z.number(), outcome: CheckOutcomeSchema, elapsedMs: z.number() }),
  z.object({ kind: z.literal('cancelled'), id: z.number() }),
  z.object({ kind: z.literal('failure'), id: z.number(), message: z.string() }),
]);
export type FromWorker = z.infer<typeof FromWorkerSchema>;
