/**
 * The authorization stack as one formula: the same reading as the concrete evaluator
 * (evaluate/stack.ts, whose module doc lists the rules), over the same request dimensions. Every
 * fact that decides whether a layer applies — the caller's kind and account, a service-linked role,
 * a service RCPs support, an action whose resource policy must allow — is an atom of the principal or
 * the action dimension; every policy is encoded once by the shared Encoder.
 */
import { ACCOUNT_KINDS, callerOf, principalName, type PrincipalName } from '../evaluate/caller.ts';
import type { Scenario, ScenarioPolicy } from '../evaluate/scenario.ts';
import type { PrincipalPart, Statement } from '../policy/model.ts';
import { ACCOUNT_PRINCIPAL, KIND_RE, accountView, callerCode, kindsRe } from './caller.ts';
import { EncodingError } from './conditions.ts';
import type { Encoder, PolicyEncoding } from './encode.ts';
import { FALSE, TRUE, fand, fnot, forr, type Formula } from './formula.ts';
import { ALL, and as reAnd, cat, star, str, type Re } from './regex.ts';

export interface StackEncoding {
  /** the stack allows the request */
  allowed: Formula;
  /** the request's caller is one the scenario is about (its caller, or any principal of its account) */
  scenarioCaller: Formula;
  /** each policy's encoding, by document name */
  policies: Map<string, PolicyEncoding>;
}

const PARTITION: Re = cat({ k: 'range', lo: 'a', hi: 'z' }, star({ k: 'notchar', c: ':' }));
const ACCOUNT: Re = { k: 'loop', r: { k: 'range', lo: '0', hi: '9' }, n: 12 };
/** A role session of a service-linked role (path /aws-service-role/…). */
const SERVICE_LINKED: Re = reAnd(
  KIND_RE['role-session'],
  cat(str('AWS:arn:'), PARTITION, str(':iam::'), ACCOUNT, str(':role/aws-service-role/'), ALL),
);
const RESOURCE_POLICY_ACTIONS = ['kms:*', 'sts:assumerole*', 'sts:tagsession', 'sts:setsourceidentity'];

/** The statement with its Principal element narrowed to the values of some categories (none: FALSE). */
function narrowed(st: Statement, keep: (n: PrincipalName) => boolean): Statement | undefined {
  const p = st.principal;
  if (!p || p.negated || p.spec.kind === 'any') return undefined;
  const entries = p.spec.entries
    .map((e) => ({ ...e, values: e.values.filter((v) => keep(principalName(e.type, v.value))) }))
    .filter((e) => e.values.length > 0);
  if (!entries.length) return undefined;
  const principal: PrincipalPart = { ...p, spec: { kind: 'map', entries } };
  return { ...st, principal };
}

/** Encodes a scenario's stack with the encoder of the question (policies share its atoms). */
export function encodeStack(enc: Encoder, s: Scenario, rcpServices: string[]): StackEncoding {
  const principal = enc.dims.get('principal')!;
  const callerAtom = (re: Re, label: string): Formula => enc.atom(principal, re, label);
  const accountCaller = callerAtom(ACCOUNT_PRINCIPAL, 'a principal of an account');
  const inAccount = (a: string) => callerAtom(accountView(str(a)), `a principal of account ${a}`);
  const inCallerAccount = inAccount(s.callerAccount);
  const sameAccount = inAccount(s.resourceAccount);
  const serviceLinked = callerAtom(SERVICE_LINKED, 'a service-linked role');
  const root = callerAtom(KIND_RE.root, 'an account root user');
  const sessionKind = callerAtom(kindsRe(['role-session', 'federated-user']), 'a session');
  const needsResourcePolicy = enc.actionsAtom(RESOURCE_POLICY_ACTIONS);
  const rcpService = rcpServices.length ? enc.actionsAtom(rcpServices.map((x) => `${x}:*`)) : FALSE;

  const policies = new Map<string, PolicyEncoding>();
  const encode = (p: ScenarioPolicy): PolicyEncoding => {
    let e = policies.get(p.document);
    if (!e) {
      try {
        e = enc.policy(p.policy, p.document);
      } catch (err) {
        // Name the policy of the stack the fault is in (identity[0], scp[1][0], …).
        if (err instanceof EncodingError)
          throw new EncodingError(err.code, `${p.document}: ${err.message}`, err.statementIndex);
        throw err;
      }
      policies.set(p.document, e);
    }
    return e;
  };
  const allows = (ps: ScenarioPolicy[]): Formula =>
    forr(...ps.flatMap((p) => encode(p).allows.map((a) => a.f)));
  const denies = (ps: ScenarioPolicy[]): Formula =>
    forr(...ps.flatMap((p) => encode(p).denies.map((d) => d.f)));

  const scpApplies = s.scps && !s.isManagementAccount ? fand(inCallerAccount, fnot(serviceLinked)) : FALSE;
  const rcpApplies =
    s.rcps && !(s.isManagementAccount && s.resourceAccount === s.callerAccount)
      ? fand(fnot(serviceLinked), rcpService)
      : FALSE;
  const identityApplies = fand(inCallerAccount, fnot(root));
  const boundaryApplies = s.boundary ? identityApplies : FALSE;
  const sessionApplies = s.session.length ? fand(inCallerAccount, sessionKind) : FALSE;
  const identityAllowsAll = fand(accountCaller, forr(root, fnot(inCallerAccount)));

  const explicitDeny = forr(
    fand(scpApplies, denies((s.scps ?? []).flat())),
    fand(rcpApplies, denies((s.rcps ?? []).flat())),
    s.resource ? denies([s.resource]) : FALSE,
    fand(identityApplies, denies(s.identity)),
    fand(boundaryApplies, s.boundary ? denies([s.boundary]) : FALSE),
    fand(sessionApplies, denies(s.session)),
  );
  const scpOk = forr(fnot(scpApplies), fand(...(s.scps ?? []).map((level) => allows(level))));
  const boundaryOk = forr(fnot(boundaryApplies), s.boundary ? allows([s.boundary]) : TRUE);
  const sessionOk = forr(fnot(sessionApplies), allows(s.session));
  const identityAllows = forr(identityAllowsAll, fand(identityApplies, allows(s.identity)));
  const identityOk = fand(identityAllows, boundaryOk, sessionOk);

  // The resource policy's grants, by how they name the caller (evaluate/stack.ts grantKind).
  let direct: Formula = FALSE;
  let role: Formula = FALSE;
  let account: Formula = FALSE;
  if (s.resource) {
    const e = encode(s.resource);
    const vars = s.resource.policy.variablesActive;
    for (const st of s.resource.policy.statements) {
      if (st.effect !== 'Allow') continue;
      const p = st.principal;
      if (!p || p.negated || p.spec.kind === 'any') {
        direct = forr(direct, e.allows.find((a) => a.index === st.index)!.f);
        continue;
      }
      const part = (keep: (n: PrincipalName) => boolean): Formula => {
        const n = narrowed(st, keep);
        return n ? enc.statement(n, vars) : FALSE;
      };
      direct = forr(
        direct,
        part((n) => n.category !== 'role' && n.category !== 'account' && n.category !== 'nobody'),
      );
      role = forr(
        role,
        part((n) => n.category === 'role'),
      );
      account = forr(
        account,
        part((n) => n.category === 'account'),
      );
    }
  }
  const sameAccountAllows = forr(
    direct,
    fand(role, boundaryOk, sessionOk),
    fand(needsResourcePolicy, account, identityOk),
    fand(fnot(needsResourcePolicy), identityOk),
  );
  const crossAccountAllows = fand(forr(direct, role, account), forr(fnot(accountCaller), identityOk));
  const allowed = fand(
    fnot(explicitDeny),
    scpOk,
    forr(fand(sameAccount, sameAccountAllows), fand(fnot(sameAccount), crossAccountAllows)),
  );
  const scenarioCaller = s.caller
    ? callerAtom(str(callerCode(callerOf(s.caller))), `the scenario's caller`)
    : fand(inCallerAccount, callerAtom(kindsRe(ACCOUNT_KINDS), 'a principal of an account'));
  return { allowed, scenarioCaller, policies };
}
