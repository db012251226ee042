/**
 * The caller as one string of the `principal` dimension (the caller code), laid out so that the
 * Principal element and every key the caller brings (evaluate/caller.ts) is a regular language of it:
 *
 *   root            AWS:arn:P:iam::A:root
 *   IAM user        AWS:arn:P:iam::A:user/PATH/NAME#AIDA…
 *   role session    AWS:arn:P:iam::A:role/PATH/ROLE#AROA…:SESSION
 *   federated user  AWS:arn:P:sts::A:federated-user/NAME
 *   service         Service:s3.amazonaws.com      identity provider   Federated:…
 *   canonical user  CanonicalUser:…               anonymous           Anonymous:
 *
 * Each fact is written once (the role's ARN with its path, the role id, the session), so no two
 * places of the string can disagree; `#` and `:` never occur in IAM names, so the pieces split
 * unambiguously. aws:PrincipalArn is the text between `AWS:` and `#`; a session's own ARN
 * (`arn:P:sts::A:assumed-role/ROLE/SESSION`) is rebuilt by decodeCaller.
 */
import {
  ACCOUNT_KINDS,
  CALLER_KINDS,
  PRINCIPAL_TYPE,
  callerOf,
  principalName,
  principalOfCaller,
  type Caller,
  type CallerKey,
  type CallerKind,
  type PrincipalName,
} from '../evaluate/caller.ts';
import type { Principal } from '../evaluate/request.ts';
import type { PrincipalSpec } from '../policy/model.ts';
import { ALL, ANY, NONE, and, cat, compileMatcher, or, star, str, type GlobToken, type Re } from './regex.ts';

const range = (lo: string, hi: string): Re => ({ k: 'range', lo, hi });
const DIGIT = range('0', '9');
const ACCOUNT: Re = { k: 'loop', r: DIGIT, n: 12 };
const NAME_CH = or(range('A', 'Z'), range('a', 'z'), DIGIT, ...[...'+=,.@_-'].map(str));
const NAME: Re = cat(NAME_CH, star(NAME_CH));
/** `/` or `/a/b/` */
const PATH: Re = cat(str('/'), star(cat(NAME, str('/'))));
const PARTITION: Re = cat(range('a', 'z'), star(or(range('a', 'z'), DIGIT, str('-'))));
const ID_CH = or(range('A', 'Z'), DIGIT);
const id = (prefix: string): Re => cat(str(prefix), ID_CH, star(ID_CH));
const NONEMPTY: Re = cat(ANY, ALL);

const ROOT_ARN = cat(str('arn:'), PARTITION, str(':iam::'), ACCOUNT, str(':root'));
const USER_ARN = cat(str('arn:'), PARTITION, str(':iam::'), ACCOUNT, str(':user'), PATH, NAME);
const ROLE_ARN = cat(str('arn:'), PARTITION, str(':iam::'), ACCOUNT, str(':role'), PATH, NAME);
const FED_ARN = cat(str('arn:'), PARTITION, str(':sts::'), ACCOUNT, str(':federated-user/'), NAME);
const USER_TAIL = cat(str('#'), id('AIDA'));
const SESSION_TAIL = cat(str('#'), id('AROA'), str(':'), NAME);

/** The pieces of a caller code, for readers that take a code apart (smt/variables.ts). */
export const CODE_PARTS = {
  PARTITION,
  ACCOUNT,
  NAME,
  PATH,
  NONEMPTY,
  ROOT_ARN,
  USER_ARN,
  ROLE_ARN,
  FED_ARN,
  USER_TAIL,
  SESSION_TAIL,
  USER_ID: id('AIDA'),
  ROLE_ID: id('AROA'),
};

/** Every caller of one kind. */
export const KIND_RE: Record<CallerKind, Re> = {
  root: cat(str('AWS:'), ROOT_ARN),
  user: cat(str('AWS:'), USER_ARN, USER_TAIL),
  'role-session': cat(str('AWS:'), ROLE_ARN, SESSION_TAIL),
  'federated-user': cat(str('AWS:'), FED_ARN),
  service: cat(str('Service:'), NONEMPTY),
  'identity-provider': cat(str('Federated:'), NONEMPTY),
  'canonical-user': cat(str('CanonicalUser:'), NONEMPTY),
  anonymous: str('Anonymous:'),
};

export function kindsRe(kinds: readonly CallerKind[]): Re {
  return or(...kinds.map((k) => KIND_RE[k]));
}

/** Every caller (resource policies) / every principal of an account (identity policies). */
export const ANY_CALLER: Re = kindsRe(CALLER_KINDS);
export const ACCOUNT_PRINCIPAL: Re = kindsRe(ACCOUNT_KINDS);

/** The caller code of a caller. */
export function callerCode(c: Caller): string {
  switch (c.kind) {
    case 'root':
      return `AWS:arn:${c.partition}:iam::${c.account}:root`;
    case 'user':
      return `AWS:arn:${c.partition}:iam::${c.account}:user${c.path}${c.name}#${c.uniqueId}`;
    case 'role-session':
      return `AWS:arn:${c.partition}:iam::${c.account}:role${c.path}${c.role}#${c.uniqueId}:${c.session}`;
    case 'federated-user':
      return `AWS:arn:${c.partition}:sts::${c.account}:federated-user/${c.name}`;
    case 'service':
      return `Service:${c.service}`;
    case 'identity-provider':
      return `Federated:${c.provider}`;
    case 'canonical-user':
      return `CanonicalUser:${c.id}`;
    case 'anonymous':
      return 'Anonymous:';
  }
}

/** The caller code of a request's principal, or undefined when it has none or it is not a caller. */
export function principalCode(p: Principal | undefined): string | undefined {
  if (!p) return undefined;
  try {
    return callerCode(callerOf(p));
  } catch {
    return undefined;
  }
}

/** A caller code back to the request's principal (undefined: not a caller code). */
export function decodeCaller(code: string): Principal | undefined {
  const c = code.indexOf(':');
  const type = code.slice(0, c);
  const rest = code.slice(c + 1);
  if (type === 'Anonymous') return { type: 'Anonymous' };
  if (type === 'Service' || type === 'Federated' || type === 'CanonicalUser') return { type, id: rest };
  if (type !== 'AWS') return undefined;
  const m = /^(arn:[^:]+:iam::(\d{12}):role(\/(?:[^/#]+\/)*)([^/#]+))#([^:]+):(.+)$/.exec(rest);
  if (m) {
    const partition = rest.split(':')[1]!;
    return principalOfCaller({
      kind: 'role-session',
      partition,
      account: m[2]!,
      path: m[3]!,
      role: m[4]!,
      uniqueId: m[5]!,
      session: m[6]!,
    });
  }
  const [arn, uniqueId] = rest.split('#');
  try {
    const p: Principal = { type: 'AWS', id: arn! };
    if (uniqueId) p.uniqueId = uniqueId;
    return principalOfCaller(callerOf(p));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Principal element values

/** The callers one Principal value names (the Principal element's reading). */
export function namedRe(n: PrincipalName): Re {
  switch (n.category) {
    case 'account': {
      const partition = n.partition === undefined ? PARTITION : str(n.partition);
      return cat(
        str('AWS:arn:'),
        partition,
        str(':'),
        or(str('iam'), str('sts')),
        str(`::${n.account}:`),
        ALL,
      );
    }
    case 'user':
      return cat(str(`AWS:${n.arn}`), USER_TAIL);
    case 'federated-user':
      return str(`AWS:${n.arn}`);
    case 'role':
      return cat(str(`AWS:${n.arn}`), SESSION_TAIL);
    case 'session':
      return cat(
        str(`AWS:arn:${n.partition}:iam::${n.account}:role`),
        PATH,
        str(`${n.role}#`),
        id('AROA'),
        str(`:${n.session}`),
      );
    case 'service':
      return str(`Service:${n.id}`);
    case 'identity-provider':
      return str(`Federated:${n.id}`);
    case 'canonical-user':
      return str(`CanonicalUser:${n.id}`);
    case 'nobody':
      return NONE;
  }
}

function names(spec: PrincipalSpec): PrincipalName[] {
  return spec.kind === 'any'
    ? []
    : spec.entries.flatMap((e) => e.values.map((v) => principalName(e.type, v.value)));
}

/** The callers a Principal element names. */
export function principalRe(spec: PrincipalSpec): Re {
  if (spec.kind === 'any') return ALL;
  return or(...names(spec).map(namedRe));
}

/**
 * The callers a NotPrincipal element exempts: those whose every identity AWS checks is listed (the
 * account; then the user, or the role and the session) — evaluate/caller.ts IDENTITY_CHAIN.
 */
export function notPrincipalExemptRe(spec: PrincipalSpec): Re {
  if (spec.kind === 'any') return ALL;
  const ns = names(spec);
  const listed = (category: PrincipalName['category']): Re =>
    or(...ns.filter((n) => n.category === category).map(namedRe));
  const self = or(
    ...ns
      .filter(
        (n) =>
          n.category === 'service' || n.category === 'identity-provider' || n.category === 'canonical-user',
      )
      .map(namedRe),
  );
  const account = listed('account');
  return or(
    and(KIND_RE.root, account),
    and(KIND_RE.user, account, listed('user')),
    and(KIND_RE['role-session'], account, listed('role'), listed('session')),
    and(KIND_RE['federated-user'], account, listed('federated-user')),
    self,
  );
}

// ---------------------------------------------------------------------------------------------------
// Keys the caller brings

/** The callers that have the key. */
export function callerKeyPresence(key: CallerKey): Re {
  switch (key) {
    case 'aws:principalarn':
    case 'aws:principalaccount':
    case 'aws:principalisawsservice':
      return key === 'aws:principalisawsservice' ? kindsRe([...ACCOUNT_KINDS, 'service']) : ACCOUNT_PRINCIPAL;
    case 'aws:principaltype':
      return kindsRe([...ACCOUNT_KINDS, 'anonymous']);
    case 'aws:userid':
      return kindsRe([...ACCOUNT_KINDS, 'anonymous']);
    case 'aws:username':
      return KIND_RE.user;
    case 'aws:principalservicename':
      return KIND_RE.service;
  }
}

/** The callers whose account is in `r` (aws:PrincipalAccount, kms:CallerAccount). */
export function accountView(r: Re): Re {
  return cat(
    str('AWS:arn:'),
    PARTITION,
    str(':'),
    or(str('iam'), str('sts')),
    str('::'),
    and(r, ACCOUNT),
    str(':'),
    ALL,
  );
}

/**
 * The callers whose value of `key` is in the language a value pattern denotes. `tokens` is the
 * pattern and `re` builds the operator's regex from tokens (glob, literal, ARN, ignoring case); the
 * federated user's aws:userid (`ACCOUNT:NAME`) is not a contiguous piece of its code, so the pattern
 * is split at the colon the value must hold.
 */
export function callerKeyView(
  key: CallerKey,
  tokens: GlobToken[],
  re: (t: GlobToken[]) => Re,
  how: 'glob' | 'literal' | 'arn',
): Re {
  const r = re(tokens);
  const matches = (text: string): boolean => compileMatcher(r)(text);
  switch (key) {
    case 'aws:principalarn':
      return or(
        cat(str('AWS:'), and(r, ROOT_ARN)),
        cat(str('AWS:'), and(r, USER_ARN), USER_TAIL),
        cat(str('AWS:'), and(r, ROLE_ARN), SESSION_TAIL),
        cat(str('AWS:'), and(r, FED_ARN)),
      );
    case 'aws:principalaccount':
      return accountView(r);
    case 'aws:principaltype':
      return kindsRe(
        CALLER_KINDS.filter((k) => PRINCIPAL_TYPE[k] !== undefined && matches(PRINCIPAL_TYPE[k]!)),
      );
    case 'aws:userid': {
      const prefix = cat(str('AWS:arn:'), PARTITION, str(':iam::'));
      return or(
        cat(prefix, and(r, ACCOUNT), str(':root')),
        cat(prefix, ACCOUNT, str(':user'), PATH, NAME, str('#'), and(r, id('AIDA'))),
        cat(prefix, ACCOUNT, str(':role'), PATH, NAME, str('#'), and(r, cat(id('AROA'), str(':'), NAME))),
        federatedUserId(tokens, re, how),
        matches('anonymous') ? KIND_RE.anonymous : NONE,
      );
    }
    case 'aws:username':
      return cat(
        str('AWS:arn:'),
        PARTITION,
        str(':iam::'),
        ACCOUNT,
        str(':user'),
        PATH,
        and(r, NAME),
        USER_TAIL,
      );
    case 'aws:principalisawsservice':
      return or(matches('true') ? KIND_RE.service : NONE, matches('false') ? ACCOUNT_PRINCIPAL : NONE);
    case 'aws:principalservicename':
      return cat(str('Service:'), and(r, NONEMPTY));
  }
}

/** Federated users whose `ACCOUNT:NAME` matches the pattern: every way the pattern covers the colon. */
function federatedUserId(
  tokens: GlobToken[],
  re: (t: GlobToken[]) => Re,
  how: 'glob' | 'literal' | 'arn',
): Re {
  const build = (left: GlobToken[], right: GlobToken[]): Re =>
    cat(
      str('AWS:arn:'),
      PARTITION,
      str(':sts::'),
      and(re(left), ACCOUNT),
      str(':federated-user/'),
      and(re(right), NAME),
    );
  if (how === 'arn') {
    // An Arn operator compares ARNs: a value with fewer than six parts matches only "*".
    return tokens.length === 1 && tokens[0]!.t === 'star' ? KIND_RE['federated-user'] : NONE;
  }
  // An operator that compares text literally builds `*` and `?` as characters, which neither an
  // account nor a name holds: only a written colon splits. A glob (or an over-approximation, whose
  // builder makes them wildcards) may cover the colon with either.
  const wildcards = re([{ t: 'one' }]).k !== 'str';
  const out: Re[] = [];
  tokens.forEach((t, i) => {
    const before = tokens.slice(0, i);
    const after = tokens.slice(i + 1);
    if (t.t === 'star') {
      if (wildcards) out.push(build([...before, t], [t, ...after]));
    } else if (t.t === 'one') {
      if (wildcards) out.push(build(before, after));
    } else
      for (let j = 0; j < t.s.length; j++)
        if (t.s[j] === ':') {
          const l = t.s.slice(0, j);
          const rr = t.s.slice(j + 1);
          out.push(
            build(
              [...before, ...(l ? [{ t: 'lit', s: l } as GlobToken] : [])],
              [...(rr ? [{ t: 'lit', s: rr } as GlobToken] : []), ...after],
            ),
          );
        }
  });
  return or(...out);
}
