/**
 * The referees: the concrete evaluator re-checks every counterexample before it is reported, the
 * solver's and the early guess's alike, so an encoder bug shows up as a disagreement, never as a
 * wrong verdict.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { evaluatePolicy } from '../evaluate/evaluate.ts';
import type { Request } from '../evaluate/request.ts';
import { arnMatches, globMatches } from '../policy/glob.ts';
import type { Policy } from '../policy/model.ts';
import { fencesOf, namedAccounts, notOutsider } from './outsider.ts';
import type { OutsidersOptions } from './request.ts';
import type { AccessSpec, Counterexample, StatementRef } from './types.ts';

/** A request's concrete outcome when it breaks the property, or why the evaluator disagrees. */
export type Referee = (
  req: Request,
) => Pick<Counterexample, 'grantedBy' | 'whyNot' | 'stack' | 'existingStack'> | string;

/** A statement of `policy` as a reason points at it (its sid when it has one). */
export function ref(document: string, policy: Policy, index: number): StatementRef {
  const sid = policy.statements.find((s) => s.index === index)?.sid;
  return sid === undefined
    ? { document, statementIndex: index }
    : { document, statementIndex: index, statementId: sid };
}

/** CheckNoNewAccess's referee: the new policy allows the request and the old one does not. */
export function noNewAccessConfirm(
  catalog: Catalog,
  oldP: Policy,
  newP: Policy,
  names: { old: string; new: string },
): Referee {
  return (req) => {
    const n = evaluatePolicy(newP, req, { catalog, brief: true });
    const o = evaluatePolicy(oldP, req, { catalog, brief: true });
    if (n.decision !== 'Allowed') return `the ${names.new} policy does not allow it (${n.decision})`;
    if (o.decision === 'Allowed') return `the ${names.old} policy allows it too`;
    return {
      grantedBy: n.allowedBy.map((i) => ref(names.new, newP, i)),
      whyNot:
        o.decision === 'ExplicitlyDenied'
          ? { kind: 'deniedBy', statements: o.deniedBy.map((i) => ref(names.old, oldP, i)) }
          : { kind: 'noMatchingAllow' },
    };
  };
}

/**
 * The referee of the single-policy checks: the policy allows the request. Each check's referee tests
 * its own property first (notGrantedConfirm: a listed access; outsidersConfirm: an outsider's).
 */
function allowsConfirm(catalog: Catalog, p: Policy, property: string): Referee {
  return (req) => {
    const r = evaluatePolicy(p, req, { catalog, brief: true });
    if (r.decision !== 'Allowed') return `the policy does not allow it (${r.decision})`;
    return {
      grantedBy: r.allowedBy.map((i) => ref('policy', p, i)),
      whyNot: { kind: 'property', text: property },
    };
  };
}

const NOT_GRANTED_PROPERTY = 'the request performs a listed action or touches a listed resource';

/**
 * CheckAccessNotGranted's referee checks the property too: the policy allows the request, and the
 * request is one of the listed accesses (a listed action, on a listed resource when resources are
 * listed), matched as a statement's Action and Resource are.
 */
/** Is the request one of the listed accesses (actions matched as Action, resources as Resource)? */
export function listedAccess(access: AccessSpec[]): (req: Request) => boolean {
  return (req) =>
    access.some(
      (a) =>
        (!a.actions?.length ||
          a.actions.some((x) => globMatches(x, req.action, { caseInsensitive: true }))) &&
        (!a.resources?.length || a.resources.some((x) => arnMatches(x, req.resource))),
    );
}

export function notGrantedConfirm(catalog: Catalog, p: Policy, access: AccessSpec[]): Referee {
  const allows = allowsConfirm(catalog, p, NOT_GRANTED_PROPERTY);
  const listed = listedAccess(access);
  return (req) => (listed(req) ? allows(req) : 'the request is none of the listed accesses');
}

/**
 * CheckNoPublicAccess's and NoAccessOutsideAccounts' referee: the request is an outsider's, by the
 * reading the question encodes (outsider.ts), and the policy allows it.
 */
export function outsidersConfirm(catalog: Catalog, p: Policy, o: OutsidersOptions): Referee {
  const allows = allowsConfirm(
    catalog,
    p,
    o.publicMode
      ? 'the caller is outside every account the policy names'
      : 'the caller is outside the trusted accounts',
  );
  const known = o.publicMode ? namedAccounts(p) : [];
  const fenced = o.publicMode ? fencesOf([p], o.reading) : new Map<string, string[]>();
  return (req) => {
    const why = notOutsider(req, o, known, fenced);
    return why ? `the request is not one from outside: ${why}` : allows(req);
  };
}
