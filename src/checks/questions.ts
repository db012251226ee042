/**
 * The question each check asks, encoded: one place that turns a check's inputs into an encoder, a
 * root formula (its solutions are the requests that break the property) and the background axioms.
 * The search solves these questions (search.ts); the SMT-LIB export writes them out (export.ts).
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { PolicyType } from '../evaluate/request.ts';
import type { Policy } from '../policy/model.ts';
import { Encoder } from '../smt/encode.ts';
import { kindsRe } from '../smt/caller.ts';
import { ACCOUNT_KINDS } from '../evaluate/caller.ts';
import { FALSE, TRUE, fand, fnot, forr, type Formula } from '../smt/formula.ts';
import { ALL, or as reOr } from '../smt/regex.ts';
import { InputProblem, type OutsidersOptions } from './request.ts';
import type { AccessSpec } from './types.ts';

/**
 * Keys whose fencing values bound the callers (SEMANTICS.md, CheckNoPublicAccess; the choices are in
 * docs/semantics-decisions.md, "Keys that fence callers"). Account keys (aws:PrincipalAccount,
 * aws:PrincipalArn, kms:CallerAccount) fence through the accounts the policy names.
 */
export const IDENTIFYING_KEYS = [
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:userid',
  'aws:principalorgpaths',
];

/** Values of `key` in the policy's conditions that are fixed (no wildcard, no variable). */
export function fixedValues(p: Policy, key: string): string[] {
  return conditionValues(p, key).filter((v) => !/[*?]|\$\{/.test(v));
}

function conditionValues(p: Policy, key: string): string[] {
  const out: string[] = [];
  for (const st of p.statements)
    for (const c of st.conditions)
      if (c.key.toLowerCase() === key) for (const v of c.values) out.push(v.value);
  return out;
}

/**
 * The values of `key` that bound who can call: fixed values; for aws:userid also a fixed unique id
 * with any session (`AROA…:*`, the sessions of one role); for aws:PrincipalOrgPaths a path under a
 * fixed organization (`o-…/…`).
 */
function fencingValues(p: Policy, key: string): string[] {
  const values = conditionValues(p, key).filter((v) => !v.includes('${'));
  if (key === 'aws:userid') return values.filter((v) => !/[*?]/.test(v) || /^[A-Z0-9]+:[^*?]*\*$/.test(v));
  if (key === 'aws:principalorgpaths') return values.filter((v) => /^o-[a-z0-9]+\//.test(v));
  return values.filter((v) => !/[*?]/.test(v));
}

/** Accounts CheckNoPublicAccess counts as known: every 12-digit number the policy mentions. */
export function namedAccounts(p: Policy): string[] {
  return [...new Set([...JSON.stringify(p).matchAll(/\b\d{12}\b/g)].map((m) => m[0]))];
}

/** An encoded question: solutions of `root` (with `background`) are requests breaking the property. */
export interface EncodedQuestion {
  enc: Encoder;
  root: Formula;
  background: Formula;
}

/** `Pnew ∧ ¬Pold`. The new policy is encoded first, then the old one, in one encoder. */
export function noNewAccessQuestion(
  catalog: Catalog,
  oldP: Policy,
  newP: Policy,
  policyType: PolicyType,
  names: { old: string; new: string },
): EncodedQuestion {
  const enc = new Encoder(catalog, { identity: policyType === 'IDENTITY_POLICY' });
  enc.prepare([oldP, newP]);
  const eNew = enc.policy(newP, names.new);
  const eOld = enc.policy(oldP, names.old);
  return { enc, root: fand(eNew.allowed, fnot(eOld.allowed)), background: enc.finish() };
}

/** `P ∧ Critical`: a request for one of the listed accesses that the policy allows. */
export function accessNotGrantedQuestion(
  catalog: Catalog,
  p: Policy,
  access: AccessSpec[],
  policyType: PolicyType,
): EncodedQuestion {
  if (
    !Array.isArray(access) ||
    access.length === 0 ||
    access.some((a) => !a.actions?.length && !a.resources?.length)
  )
    throw new InputProblem({
      code: 'INVALID_ACCESS',
      message: 'access must be a non-empty list of {actions?, resources?} with at least one of them.',
    });
  const enc = new Encoder(catalog, { identity: policyType === 'IDENTITY_POLICY' });
  enc.prepare([p]);
  const e = enc.policy(p, 'policy');
  const critical = forr(
    ...access.map((a) =>
      fand(
        a.actions?.length ? enc.actionsAtom(a.actions) : TRUE,
        a.resources?.length ? enc.resourcesAtom(a.resources) : TRUE,
      ),
    ),
  );
  return { enc, root: fand(e.allowed, critical), background: enc.finish() };
}

/** `P ∧ Outside`: a request the policy allows from a caller outside the known accounts. */
export function outsidersQuestion(catalog: Catalog, p: Policy, o: OutsidersOptions): EncodedQuestion {
  const enc = new Encoder(catalog, { identity: false });
  enc.prepare([p]);
  const e = enc.policy(p, 'policy');
  const root = fand(e.allowed, outsider(enc, [p], o, o.publicMode ? namedAccounts(p) : []));
  return { enc, root, background: enc.finish() };
}

/**
 * The caller is outside: anonymous or a principal of an account that is neither trusted nor (for
 * public access) `known`; not in a trusted organization; for public access, its values avoid every
 * fencing value of `fenced` (keys that fence callers); and the action is of `o.service` when given.
 */
export function outsider(enc: Encoder, fenced: Policy[], o: OutsidersOptions, known: string[]): Formula {
  const principal = enc.dims.get('principal')!;
  const accounts = new Set([...o.trusted, ...known]);
  const callers = enc.atom(
    principal,
    kindsRe(['anonymous', ...ACCOUNT_KINDS]),
    'anonymous or an AWS principal',
  );
  const knownAccounts = accounts.size
    ? enc.atom(
        principal,
        reOr(...[...accounts].map((a) => enc.principalValueRe('AWS', a))),
        `a principal of ${[...accounts].join(', ')}`,
      )
    : FALSE;
  const parts: Formula[] = [fand(callers, fnot(knownAccounts))];
  if (o.service) parts.push(enc.actionsAtom([`${o.service}:*`]));
  if (o.orgs.length) {
    const org = enc.keyInfo('aws:PrincipalOrgID');
    const inOrg = forr(
      ...o.orgs.map((id) =>
        enc.patternAtom(
          enc.dim('ctx:aws:principalorgid', 'string', ALL, 'aws:principalorgid'),
          id,
          'literal',
          false,
        ),
      ),
    );
    parts.push(fnot(fand(org.presence, inOrg)));
  }
  if (o.publicMode)
    // A fencing value bounds the callers; the outsider's values avoid every one of them.
    for (const key of IDENTIFYING_KEYS) {
      const fences = fenced.flatMap((p) => fencingValues(p, key));
      if (fences.length && enc.keys.has(key)) parts.push(enc.avoidsValues(key, fences));
    }
  return fand(...parts);
}
