/**
 * The values a key the caller brings can take, per kind of caller that has it (evaluate/caller.ts
 * callerKeyValue, laid out as in smt/caller.ts): what a policy variable over such a key stands for
 * when its value is not known (an account is twelve digits), in over-approximations (patterns.ts
 * `Domain`) and in the joint query of policy variables (variables.ts).
 */
import {
  ACCOUNT_KINDS,
  CALLER_KEYS,
  PRINCIPAL_TYPE,
  type CallerKey,
  type CallerKind,
} from '../evaluate/caller.ts';
import { ACCOUNT_PRINCIPAL, CODE_PARTS, callerKeyPresence } from './caller.ts';
import { cat, or, str, toSmt, type Re } from './regex.ts';

/** Keys whose every value is non-empty and has no ':' (a variable over them keeps ARN segments). */
const PLAIN_VALUES = new Set([
  'aws:principalaccount',
  'kms:calleraccount',
  'aws:username',
  'aws:principaltype',
  'aws:principalisawsservice',
]);

/** A key whose every value is non-empty and has no ':' (a variable over it keeps ARN segments). */
export function isPlainValueKey(key: string): boolean {
  return PLAIN_VALUES.has(key);
}

/** Keys whose value is read from the principal: those the caller brings, and kms:CallerAccount. */
function isCallerValueKey(key: string): boolean {
  return (CALLER_KEYS as readonly string[]).includes(key) || key === 'kms:calleraccount';
}

/** The callers that have the key (kms:CallerAccount: every principal of an account). */
export function callerPresenceRe(key: string): Re {
  return key === 'kms:calleraccount' ? ACCOUNT_PRINCIPAL : callerKeyPresence(key as CallerKey);
}

/**
 * `w ∈ domain`; a fixed number of one character class (an account's twelve digits) as a length
 * and a plus, which Z3's string solver handles far better than a bounded loop (measured: 0.3-0.6 s
 * against 2-5 s or unknown on the same question).
 */
export function domainSmt(w: string, domain: Re): string {
  if (domain.k === 'loop' && (domain.r.k === 'range' || domain.r.k === 'any'))
    return `(and (str.in_re ${w} (re.+ ${toSmt(domain.r)})) (= (str.len ${w}) ${domain.n}))`;
  return `(str.in_re ${w} ${toSmt(domain)})`;
}

/** The values of a key read from the caller, for over-approximations (encode.ts `Domain`). */
export function callerDomain(key: string): { re: Re; plain: boolean } | undefined {
  return isCallerValueKey(key) ? { re: callerDomainRe(key), plain: PLAIN_VALUES.has(key) } : undefined;
}

/** Every value a key the caller brings can take (whatever the caller). */
export function callerDomainRe(key: string): Re {
  const byKind = callerDomainsByKind(key);
  if (!byKind) throw new Error(`not a key the caller brings: ${key}`);
  return or(...Object.values(byKind));
}

/**
 * The values of a key the caller brings, per kind of caller that has it (evaluate/caller.ts
 * callerKeyValue, laid out as in smt/caller.ts); undefined for other keys.
 */
export function callerDomainsByKind(key: string): Partial<Record<CallerKind, Re>> | undefined {
  const P = CODE_PARTS;
  const accounts = (r: Re): Partial<Record<CallerKind, Re>> =>
    Object.fromEntries(ACCOUNT_KINDS.map((k) => [k, r]));
  switch (key) {
    case 'aws:principalarn':
      return { root: P.ROOT_ARN, user: P.USER_ARN, 'role-session': P.ROLE_ARN, 'federated-user': P.FED_ARN };
    case 'aws:principalaccount':
    case 'kms:calleraccount':
      return accounts(P.ACCOUNT);
    case 'aws:principaltype':
      return Object.fromEntries(Object.entries(PRINCIPAL_TYPE).map(([k, t]) => [k, str(t)]));
    case 'aws:userid':
      return {
        root: P.ACCOUNT,
        user: P.USER_ID,
        'role-session': cat(P.ROLE_ID, str(':'), P.NAME),
        'federated-user': cat(P.ACCOUNT, str(':'), P.NAME),
        anonymous: str('anonymous'),
      };
    case 'aws:username':
      return { user: P.NAME };
    case 'aws:principalisawsservice':
      return { ...accounts(str('false')), service: str('true') };
    case 'aws:principalservicename':
      return { service: P.NONEMPTY };
    default:
      return undefined;
  }
}
