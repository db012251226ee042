/**
 * A scenario: the whole authorization stack of one request as one JSON document — the caller's
 * identity policies, permissions boundary and session policies, the resource's policy, and the
 * organization's SCPs (on the caller's account) and RCPs (on the resource's account), each as levels
 * from the organization root down to the account. The same document in the app, share links and the
 * CLI. Validated with zod; policies may be JSON objects or text.
 */
import { z } from 'zod';
import { parsePolicy } from '../policy/parse.ts';
import type { Finding, Policy } from '../policy/model.ts';
import { callerOf, CallerError, type Caller } from './caller.ts';
import type { Principal } from './request.ts';

const policyInput = z.union([z.string(), z.record(z.string(), z.unknown())]);
const account = z.string().regex(/^\d{12}$/, 'an account id is 12 digits');

export const ScenarioInput = z
  .object({
    callerAccount: account,
    /** the account that owns the resource; the caller's account when absent */
    resourceAccount: account.optional(),
    /** an ARN, `{"service": "…amazonaws.com"}` or "anonymous"; absent: every caller the question allows */
    caller: z.union([z.string(), z.object({ service: z.string().min(1) }).strict()]).optional(),
    /** the caller's account is the organization's management account (SCPs do not apply to it) */
    isManagementAccount: z.boolean().optional(),
    identityPolicies: z.array(policyInput).optional(),
    permissionsBoundary: policyInput.nullable().optional(),
    sessionPolicies: z.array(policyInput).optional(),
    resourcePolicy: policyInput.nullable().optional(),
    /** levels from the organization root down to the account; absent: the account is in no organization */
    scps: z.array(z.array(policyInput)).optional(),
    rcps: z.array(z.array(policyInput)).optional(),
  })
  .strict();
export type ScenarioInput = z.infer<typeof ScenarioInput>;

/** One policy of a scenario, with the name its statements are referred to by. */
export interface ScenarioPolicy {
  /** `identity[0]`, `boundary`, `session[0]`, `resource`, `scp[1][0]`, `rcp[0][2]` */
  document: string;
  text: string;
  policy: Policy;
}

export interface Scenario {
  callerAccount: string;
  resourceAccount: string;
  caller?: Principal;
  isManagementAccount: boolean;
  identity: ScenarioPolicy[];
  boundary?: ScenarioPolicy;
  session: ScenarioPolicy[];
  resource?: ScenarioPolicy;
  /** undefined: no organization */
  scps?: ScenarioPolicy[][];
  rcps?: ScenarioPolicy[][];
  /** every policy, in layer order */
  all: ScenarioPolicy[];
}

export class ScenarioError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly findings: Finding[] = [],
  ) {
    super(message);
  }
}

function readPolicy(input: string | Record<string, unknown>, document: string): ScenarioPolicy {
  const text = typeof input === 'string' ? input : JSON.stringify(input, null, 2);
  const parsed = parsePolicy(text);
  if (!parsed.ok) {
    const first = parsed.findings.find((f) => f.findingType === 'ERROR');
    throw new ScenarioError(
      first?.issueCode ?? 'INVALID_POLICY',
      `${document}: ${first?.findingDetails ?? 'the policy is not valid'}`,
      parsed.findings,
    );
  }
  return { document, text, policy: parsed.policy };
}

function readCaller(c: ScenarioInput['caller'], callerAccount: string): Principal | undefined {
  if (c === undefined) return undefined;
  const p: Principal =
    typeof c !== 'string'
      ? { type: 'Service', id: c.service }
      : c.toLowerCase() === 'anonymous'
        ? { type: 'Anonymous' }
        : { type: 'AWS', id: c };
  let caller: Caller;
  try {
    caller = callerOf(p);
  } catch (e) {
    if (e instanceof CallerError) throw new ScenarioError('INVALID_PRINCIPAL', `caller: ${e.message}`);
    throw e;
  }
  if ('account' in caller && caller.account !== callerAccount)
    throw new ScenarioError(
      'INVALID_SCENARIO',
      `caller: ${JSON.stringify(c)} is in account ${caller.account}, not callerAccount ${callerAccount}`,
    );
  return p;
}

/** Reads a scenario (an object or its JSON text); a clear ScenarioError for what it cannot read. */
export function parseScenario(input: unknown): Scenario {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new ScenarioError('INVALID_JSON', `The scenario is not JSON: ${(e as Error).message}`);
    }
  }
  const r = ScenarioInput.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : 'the scenario';
    throw new ScenarioError('INVALID_SCENARIO', `${where}: ${issue.message}`);
  }
  const s = r.data;
  const identity = (s.identityPolicies ?? []).map((p, i) => readPolicy(p, `identity[${i}]`));
  const session = (s.sessionPolicies ?? []).map((p, i) => readPolicy(p, `session[${i}]`));
  const levels = (xs: (string | Record<string, unknown>)[][] | undefined, name: string) =>
    xs?.map((level, i) => level.map((p, j) => readPolicy(p, `${name}[${i}][${j}]`)));
  const out: Scenario = {
    callerAccount: s.callerAccount,
    resourceAccount: s.resourceAccount ?? s.callerAccount,
    isManagementAccount: s.isManagementAccount ?? false,
    identity,
    session,
    all: [],
  };
  const caller = readCaller(s.caller, s.callerAccount);
  if (caller) out.caller = caller;
  if (s.permissionsBoundary) out.boundary = readPolicy(s.permissionsBoundary, 'boundary');
  if (s.resourcePolicy) out.resource = readPolicy(s.resourcePolicy, 'resource');
  const scps = levels(s.scps, 'scp');
  const rcps = levels(s.rcps, 'rcp');
  if (scps) out.scps = scps;
  if (rcps) out.rcps = rcps;
  out.all = [
    ...identity,
    ...(out.boundary ? [out.boundary] : []),
    ...session,
    ...(out.resource ? [out.resource] : []),
    ...(scps ?? []).flat(),
    ...(rcps ?? []).flat(),
  ];
  return out;
}
