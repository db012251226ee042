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
import { FALSE, TRUE, fand, fimplies, fnot, forr, type Formula } from '../smt/formula.ts';
import { ALL, cat, globRe, or as reOr, str } from '../smt/regex.ts';
import { fencesOf, knownSamlProvider, namedAccounts, outsiderKinds } from './outsider.ts';
import { InputProblem, type OutsidersOptions } from './request.ts';
import type { AccessSpec } from './types.ts';

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
 * The caller is outside (the same reading as outsider.ts `notOutsider`, which the referee applies to
 * every counterexample): anonymous, a principal of an account that is neither trusted nor (for
 * public access) `known`, or a caller of a kind the resource type's reading counts (a service acting
 * for an unknown account's resource; an identity provider other than a known account's SAML
 * provider); not in a trusted organization; for
 * public access, its values avoid every fencing value of `fenced`; and the action is of a service the
 * reading counts.
 */
export function outsider(enc: Encoder, fenced: Policy[], o: OutsidersOptions, known: string[]): Formula {
  const principal = enc.dims.get('principal')!;
  const accounts = [...new Set([...o.trusted, ...known])];
  const kinds = outsiderKinds(o.reading);
  const callers = enc.atom(principal, kindsRe(kinds), `a caller of kind ${kinds.join(', ')}`);
  const knownAccounts = accounts.length
    ? enc.atom(
        principal,
        reOr(...accounts.map((a) => enc.principalValueRe('AWS', a))),
        `a principal of ${accounts.join(', ')}`,
      )
    : FALSE;
  const parts: Formula[] = [fand(callers, fnot(knownAccounts))];
  if (kinds.includes('identity-provider') && accounts.length)
    parts.push(
      fnot(
        enc.atom(
          principal,
          reOr(...accounts.map((a) => cat(str('Federated:'), globRe(knownSamlProvider(a))))),
          `a SAML provider of ${accounts.join(', ')}`,
        ),
      ),
    );
  if (kinds.includes('service')) {
    // A service counts when it acts for a resource owner the policy does not name: the request then
    // carries that owner's aws:SourceAccount (IAM User Guide, the key's availability).
    const isService = enc.atom(principal, kindsRe(['service']), 'a service principal');
    const slot = enc.keyInfo('aws:SourceAccount').slots[0]!;
    // the key's own value dimension (as its conditions get it), so decoding and realism see it
    const source = (slot.strDim ??= enc.dim('ctx:aws:sourceaccount', 'string', ALL, 'aws:sourceaccount'));
    const knownSource = forr(...accounts.map((a) => enc.patternAtom(source, a, 'literal', false)));
    parts.push(fimplies(isService, fand(enc.presence('aws:SourceAccount'), fnot(knownSource))));
  }
  if (o.reading) parts.push(enc.actionsAtom(o.reading.services.map((s) => `${s}:*`)));
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
    for (const [key, values] of fencesOf(fenced, o.reading))
      if (enc.keys.has(key)) parts.push(enc.avoidsValues(key, values));
  return fand(...parts);
}
