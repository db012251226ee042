/**
 * The whole authorization decision for one request: identity, boundary, session, resource, SCP and
 * RCP policies together (IAM User Guide "Policy evaluation logic": the enforcement-code summary,
 * single-account and cross-account; AWS Organizations "SCPs", "RCPs"). Each layer is decided by the
 * single-policy evaluator; the trace follows the flow chart and names the layer that decided. The
 * SMT encoding (smt/stack.ts) follows the same reading, written in docs/semantics-decisions.md
 * ("The authorization stack"):
 *
 *   1. An explicit Deny in any layer that applies: denied.
 *   2. SCPs apply to principals of the caller's account in an organization — not to its management
 *      account, service-linked roles or service principals — and every level must allow.
 *   3. RCPs apply to resources of the resource's account in an organization — not to the management
 *      account's, not to requests of service-linked roles, only for services RCPs support — and
 *      every level holds AWS's RCPFullAWSAccess, so only their Denies matter.
 *   4. Same account: the resource policy grants by itself when its Principal names the caller itself
 *      (a user, a role session, a federated user, `*`); a grant to a role ARN still needs the
 *      boundary and session policies; a grant to the account only delegates to the identity policies.
 *      The identity policies grant within the boundary and the session policies.
 *      A KMS key policy and a role's trust policy must grant even in the same account.
 *   5. Across accounts (and for callers that are no principal of an account): the identity side (for
 *      principals of an account) and the resource policy must both allow.
 *   Callers of another account than the scenario's have unknown identity policies: their identity
 *   side is taken to allow (the adversary's view). The root user's identity side allows everything.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { ACCOUNT_KINDS, callerAccount, callerOf, namesCaller, principalName, type Caller } from './caller.ts';
import { evaluatePolicy, type Decision } from './evaluate.ts';
import type { Request } from './request.ts';
import { ScenarioError, type Scenario, type ScenarioPolicy } from './scenario.ts';
import type { Statement } from '../policy/model.ts';

type LayerName = 'scp' | 'rcp' | 'resource' | 'identity' | 'boundary' | 'session';

export interface StatementHit {
  document: string;
  statementIndex: number;
  statementId?: string;
}

/** One gate of the stack for one request. */
interface LayerTrace {
  layer: LayerName;
  /** SCP/RCP level (0 = organization root) */
  level?: number;
  /** the layer is part of this decision */
  applies: boolean;
  /** why it applies or not, in words */
  why: string;
  /** Allow: some statement allows (and none denies); Deny: some statement denies; NoMatch: neither */
  decision: 'Allow' | 'Deny' | 'NoMatch';
  allowedBy: StatementHit[];
  deniedBy: StatementHit[];
}

export interface StackEvaluation {
  decision: Decision;
  /** the layer (and level) that decided, and why, in words */
  decidedBy: { layer: LayerName | 'none'; level?: number; why: string };
  layers: LayerTrace[];
  /** how the resource policy's grant reached the caller (same-account rules) */
  resourceGrant: 'direct' | 'role' | 'account' | 'none';
  caller: Caller;
}

const SERVICE_LINKED_PATH = '/aws-service-role/';
/** Actions whose resource policy must allow even in the same account: KMS keys, role trust policies. */
const TRUST_ACTIONS = /^sts:(assumerole.*|tagsession|setsourceidentity)$/;

function isServiceLinkedRole(c: Caller): boolean {
  return c.kind === 'role-session' && c.path.startsWith(SERVICE_LINKED_PATH);
}

export function needsResourcePolicy(action: string): boolean {
  const a = action.toLowerCase();
  return a.startsWith('kms:') || TRUST_ACTIONS.test(a);
}

/** The facts about a request that decide which layers apply (the encoder mirrors each one). */
interface StackFacts {
  accountCaller: boolean;
  inCallerAccount: boolean;
  sameAccount: boolean;
  serviceLinked: boolean;
  scpApplies: boolean;
  rcpApplies: boolean;
  /** identity policies, boundary: the caller is the scenario's user, session or federated user */
  identityApplies: boolean;
  boundaryApplies: boolean;
  sessionApplies: boolean;
  /** the caller's identity side allows whatever its policies are: the root, or another account's caller */
  identityAllowsAll: boolean;
  needsResourcePolicy: boolean;
}

function stackFacts(s: Scenario, c: Caller, action: string, catalog: Catalog): StackFacts {
  const accountCaller = ACCOUNT_KINDS.includes(c.kind);
  const account = callerAccount(c);
  const inCallerAccount = accountCaller && account === s.callerAccount;
  const serviceLinked = isServiceLinkedRole(c);
  const service = action.split(':')[0]?.toLowerCase() ?? '';
  const ownIdentity = inCallerAccount && c.kind !== 'root';
  return {
    accountCaller,
    inCallerAccount,
    sameAccount: accountCaller && account === s.resourceAccount,
    serviceLinked,
    scpApplies: s.scps !== undefined && inCallerAccount && !s.isManagementAccount && !serviceLinked,
    rcpApplies:
      s.rcps !== undefined &&
      !(s.isManagementAccount && s.resourceAccount === s.callerAccount) &&
      !serviceLinked &&
      catalog.rcpApplies(service),
    identityApplies: ownIdentity,
    boundaryApplies: ownIdentity && s.boundary !== undefined,
    sessionApplies:
      inCallerAccount && (c.kind === 'role-session' || c.kind === 'federated-user') && s.session.length > 0,
    identityAllowsAll: accountCaller && (c.kind === 'root' || !inCallerAccount),
    needsResourcePolicy: needsResourcePolicy(action),
  };
}

function hit(p: ScenarioPolicy, index: number): StatementHit {
  const sid = p.policy.statements.find((st) => st.index === index)?.sid;
  return sid === undefined
    ? { document: p.document, statementIndex: index }
    : { document: p.document, statementIndex: index, statementId: sid };
}

/** Several policies as one layer: a Deny in any of them denies, an Allow in any allows. */
function layer(
  name: LayerName,
  policies: ScenarioPolicy[],
  req: Request,
  applies: boolean,
  why: string,
  catalog: Catalog,
  level?: number,
): LayerTrace {
  const allowedBy: StatementHit[] = [];
  const deniedBy: StatementHit[] = [];
  if (applies)
    for (const p of policies) {
      const e = evaluatePolicy(p.policy, req, { catalog, brief: true });
      for (const i of e.allowedBy) allowedBy.push(hit(p, i));
      for (const i of e.deniedBy) deniedBy.push(hit(p, i));
    }
  const t: LayerTrace = {
    layer: name,
    applies,
    why,
    decision: deniedBy.length ? 'Deny' : allowedBy.length ? 'Allow' : 'NoMatch',
    allowedBy,
    deniedBy,
  };
  if (level !== undefined) t.level = level;
  return t;
}

/**
 * How the resource policy's allowing statements name the caller: by itself (a user, session,
 * federated user, service, `*`, or a NotPrincipal that does not exempt it), by its role's ARN, or by
 * its account only. The encoder splits each Principal element the same way.
 */
export function grantKind(st: Statement, c: Caller): 'direct' | 'role' | 'account' {
  const p = st.principal;
  if (!p || p.negated || p.spec.kind === 'any') return 'direct';
  let best: 'direct' | 'role' | 'account' = 'account';
  for (const e of p.spec.entries)
    for (const v of e.values) {
      const n = principalName(e.type, v.value);
      if (!namesCaller(n, c)) continue;
      if (n.category === 'role') best = best === 'account' ? 'role' : best;
      else if (n.category !== 'account') return 'direct';
    }
  return best;
}

/** Decides the stack for one request. The request's principal, or the scenario's caller, is the caller. */
export function evaluateScenario(s: Scenario, request: Request, catalog: Catalog): StackEvaluation {
  const principal = request.principal ?? s.caller;
  if (!principal)
    throw new ScenarioError(
      'INVALID_REQUEST',
      'A scenario request needs a caller: the request names none and neither does the scenario.',
    );
  const req: Request = { ...request, principal };
  const c = callerOf(principal);
  const f = stackFacts(s, c, req.action, catalog);
  const layers: LayerTrace[] = [];
  const scpWhy =
    s.scps === undefined
      ? 'the caller account is in no organization'
      : !f.inCallerAccount
        ? 'SCPs apply to principals of the scenario account only'
        : s.isManagementAccount
          ? 'SCPs do not apply to the management account'
          : f.serviceLinked
            ? 'SCPs do not apply to service-linked roles'
            : 'the caller is a principal of a member account';
  (s.scps ?? []).forEach((level, i) =>
    layers.push(layer('scp', level, req, f.scpApplies, scpWhy, catalog, i)),
  );
  const rcpWhy =
    s.rcps === undefined
      ? 'the resource account is in no organization'
      : s.isManagementAccount && s.resourceAccount === s.callerAccount
        ? 'RCPs do not apply to resources of the management account'
        : f.serviceLinked
          ? 'RCPs do not apply to service-linked roles'
          : !f.rcpApplies
            ? `RCPs do not apply to ${req.action.split(':')[0]} resources`
            : 'the resource is in a member account, of a service RCPs support';
  (s.rcps ?? []).forEach((level, i) =>
    layers.push(layer('rcp', level, req, f.rcpApplies, rcpWhy, catalog, i)),
  );
  const resource = layer(
    'resource',
    s.resource ? [s.resource] : [],
    req,
    s.resource !== undefined,
    s.resource ? 'the resource has a policy' : 'the resource has no policy',
    catalog,
  );
  layers.push(resource);
  const identity = layer(
    'identity',
    s.identity,
    req,
    f.identityApplies,
    f.identityApplies
      ? "the caller's identity policies"
      : f.identityAllowsAll
        ? c.kind === 'root'
          ? 'the root user has every permission of its account'
          : "another account's caller: its identity policies are unknown, taken to allow"
        : 'the caller has no identity policies',
    catalog,
  );
  layers.push(identity);
  const boundary = layer(
    'boundary',
    s.boundary ? [s.boundary] : [],
    req,
    f.boundaryApplies,
    f.boundaryApplies ? 'the caller has a permissions boundary' : 'no permissions boundary applies',
    catalog,
  );
  layers.push(boundary);
  const session = layer(
    'session',
    s.session,
    req,
    f.sessionApplies,
    f.sessionApplies ? 'the caller is a session with session policies' : 'no session policy applies',
    catalog,
  );
  layers.push(session);

  let grant: StackEvaluation['resourceGrant'] = 'none';
  if (s.resource && resource.allowedBy.length && resource.deniedBy.length === 0) {
    const kinds = resource.allowedBy.map((h) =>
      grantKind(
        s.resource!.policy.statements.find((st) => st.index === h.statementIndex)!,
        c,
      ),
    );
    grant = kinds.includes('direct') ? 'direct' : kinds.includes('role') ? 'role' : 'account';
  }
  const base = { layers, resourceGrant: grant, caller: c };

  const denying = layers.find((l) => l.applies && l.decision === 'Deny');
  if (denying) {
    const d: StackEvaluation = {
      ...base,
      decision: 'ExplicitlyDenied',
      decidedBy: { layer: denying.layer, why: `an explicit Deny in the ${layerLabel(denying)} wins` },
    };
    if (denying.level !== undefined) d.decidedBy.level = denying.level;
    return d;
  }
  const implicit = (l: LayerTrace | undefined, name: LayerName, why: string): StackEvaluation => {
    const d: StackEvaluation = { ...base, decision: 'ImplicitlyDenied', decidedBy: { layer: name, why } };
    if (l?.level !== undefined) d.decidedBy.level = l.level;
    return d;
  };
  const scpGap = layers.find((l) => l.layer === 'scp' && l.applies && l.decision !== 'Allow');
  if (scpGap) return implicit(scpGap, 'scp', `no statement of the ${layerLabel(scpGap)} allows the request`);

  const boundaryOk = !f.boundaryApplies || boundary.decision === 'Allow';
  const sessionOk = !f.sessionApplies || session.decision === 'Allow';
  const identityAllows = f.identityAllowsAll || (f.identityApplies && identity.decision === 'Allow');
  const identityOk = identityAllows && boundaryOk && sessionOk;
  const limitedBy = !boundaryOk ? 'boundary' : !sessionOk ? 'session' : undefined;
  const allowed = (by: LayerName, why: string): StackEvaluation => ({
    ...base,
    decision: 'Allowed',
    decidedBy: { layer: by, why },
  });

  if (f.sameAccount) {
    if (grant === 'direct') return allowed('resource', 'the resource policy grants the caller itself');
    if (f.needsResourcePolicy) {
      if (grant === 'role' && boundaryOk && sessionOk)
        return allowed(
          'resource',
          "the resource policy grants the caller's role, within its boundary and session policies",
        );
      if (grant === 'account' && identityOk)
        return allowed(
          'identity',
          'the resource policy delegates to the account, and the identity policies grant',
        );
      if (grant === 'none')
        return implicit(
          resource,
          'resource',
          `a ${req.action.toLowerCase().startsWith('kms:') ? 'key policy' : 'trust policy'} must allow the request even in the same account`,
        );
      return implicit(
        limitedBy === 'session' ? session : boundary,
        limitedBy ?? 'identity',
        limitedBy
          ? `the ${limitedBy === 'boundary' ? 'permissions boundary' : 'session policies'} do not allow the request`
          : 'no identity policy allows the request',
      );
    }
    if (grant === 'role' && boundaryOk && sessionOk)
      return allowed(
        'resource',
        "the resource policy grants the caller's role, within its boundary and session policies",
      );
    if (identityOk)
      return allowed(
        'identity',
        'an identity policy allows the request within the boundary and session policies',
      );
    if (limitedBy && (identityAllows || grant === 'role'))
      return implicit(
        limitedBy === 'session' ? session : boundary,
        limitedBy,
        `the ${limitedBy === 'boundary' ? 'permissions boundary' : 'session policies'} do not allow the request`,
      );
    return implicit(
      identity,
      'identity',
      'neither an identity policy nor the resource policy allows the request',
    );
  }
  // Across accounts, or a caller that is no principal of an account: both sides.
  if (grant === 'none')
    return implicit(
      resource,
      'resource',
      s.resource
        ? 'the resource policy does not allow the request'
        : 'across accounts the resource needs a policy that allows the request',
    );
  if (!f.accountCaller) return allowed('resource', 'the resource policy allows the caller');
  if (identityOk)
    return allowed('resource', 'the identity side and the resource policy both allow the request');
  if (limitedBy)
    return implicit(
      limitedBy === 'session' ? session : boundary,
      limitedBy,
      `the ${limitedBy === 'boundary' ? 'permissions boundary' : 'session policies'} do not allow the request`,
    );
  return implicit(identity, 'identity', 'across accounts an identity policy must allow the request too');
}

const LAYER_TEXT: Record<LayerName, string> = {
  scp: 'SCPs',
  rcp: 'RCPs',
  resource: 'resource policy',
  identity: 'identity policies',
  boundary: 'permissions boundary',
  session: 'session policies',
};

/** A layer (and level) in words: `SCPs at level 1`, `resource policy`; `none` when nothing decided. */
export function layerLabel(l: { layer: LayerName | 'none'; level?: number }): string {
  if (l.layer === 'none') return 'none';
  return `${LAYER_TEXT[l.layer]}${l.level !== undefined ? ` at level ${l.level}` : ''}`;
}

/** A statement of the stack in words: `scp[1][0] statement 0 (DenyRegions)`. */
export function statementLabel(h: StatementHit): string {
  return `${h.document} statement ${h.statementIndex}${h.statementId !== undefined ? ` (${h.statementId})` : ''}`;
}
