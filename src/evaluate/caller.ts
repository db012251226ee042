/**
 * The caller, as AWS sees it (IAM User Guide: "AWS JSON policy elements: Principal", "IAM
 * identifiers", "AWS global condition context keys"). A request names its caller with a Principal
 * (the wire form: an ARN, an account id, a service, ...); this module reads it into a Caller of one
 * kind, derives the keys that caller brings to every request, and says which keys can occur with it.
 * The evaluator decides with these keys; the SMT encoder (smt/caller.ts) lays a caller out as one
 * string whose every derived key is a regular view of it, and decodes models back through here.
 */
import type { Principal, Request } from './request.ts';

export type Caller =
  | { kind: 'root'; partition: string; account: string }
  | { kind: 'user'; partition: string; account: string; path: string; name: string; uniqueId: string }
  | {
      kind: 'role-session';
      partition: string;
      account: string;
      /** the role's IAM path, `/` or `/a/b/` (session ARNs drop it; the role's ARN keeps it) */
      path: string;
      role: string;
      session: string;
      /** the role's unique id (AROA…) */
      uniqueId: string;
    }
  | { kind: 'federated-user'; partition: string; account: string; name: string }
  | { kind: 'service'; service: string }
  | { kind: 'identity-provider'; provider: string }
  | { kind: 'canonical-user'; id: string }
  | { kind: 'anonymous' };

export type CallerKind = Caller['kind'];

export const CALLER_KINDS: readonly CallerKind[] = [
  'root',
  'user',
  'role-session',
  'federated-user',
  'service',
  'identity-provider',
  'canonical-user',
  'anonymous',
];

/** Kinds that are principals of an AWS account (they have aws:PrincipalArn and aws:PrincipalAccount). */
export const ACCOUNT_KINDS: readonly CallerKind[] = ['root', 'user', 'role-session', 'federated-user'];

export class CallerError extends Error {
  constructor(
    message: string,
    readonly code: 'INVALID_PRINCIPAL' | 'INCONSISTENT_REQUEST' = 'INVALID_PRINCIPAL',
  ) {
    super(message);
  }
}

/** Characters of IAM user, role, path segment and session names (IAM identifiers, "IAM name requirements"). */
const NAME_CHARS = /^[A-Za-z0-9+=,.@_-]+$/;
const ACCOUNT = /^\d{12}$/;
/** The session name a role ARN given as the caller gets: the AWS CLI's own default shape. */
const DEFAULT_SESSION = 'botocore-session-1733356800';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A unique id shaped like AWS's (prefix + 17 characters), stable for the same text. */
function uniqueIdFor(prefix: 'AIDA' | 'AROA', seed: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 0x85ebca6b) >>> 0;
  }
  let out = prefix;
  let bits = BigInt(h1) * 0x100000000n + BigInt(h2);
  for (let i = 0; i < 17; i++) {
    out += ID_ALPHABET[Number(bits % 32n)];
    bits = bits / 32n + BigInt(i * 7 + 3);
  }
  return out;
}

function splitPathName(rest: string, what: string): { path: string; name: string } {
  const parts = rest.split('/');
  const name = parts.pop() ?? '';
  const dirs = parts.filter((p) => p !== '');
  if (!NAME_CHARS.test(name) || dirs.some((d) => !NAME_CHARS.test(d)))
    throw new CallerError(`${what} name or path ${JSON.stringify(rest)} has characters IAM does not allow`);
  return { path: dirs.length ? `/${dirs.join('/')}/` : '/', name };
}

/**
 * Reads a principal into a caller. An account id stands for the account's root user; a role ARN
 * stands for a session of that role (a role never calls AWS itself: its sessions do).
 */
export function callerOf(p: Principal): Caller {
  switch (p.type) {
    case 'Anonymous':
      return { kind: 'anonymous' };
    case 'Service':
      return { kind: 'service', service: p.id };
    case 'Federated':
      return { kind: 'identity-provider', provider: p.id };
    case 'CanonicalUser':
      return { kind: 'canonical-user', id: p.id };
    case 'AWS':
      return awsCaller(p);
  }
}

function awsCaller(p: Extract<Principal, { type: 'AWS' }>): Caller {
  const id = p.id;
  if (ACCOUNT.test(id)) return { kind: 'root', partition: 'aws', account: id };
  const m = /^arn:([a-z][a-z0-9-]*):(iam|sts)::(\d{12}):(.+)$/.exec(id);
  if (!m)
    throw new CallerError(
      `${JSON.stringify(id)} is not a caller: use an account id, or the ARN of an account root, IAM user, IAM role, role session or federated user`,
    );
  const [, partition, service, account, resource] = m as unknown as [string, string, string, string, string];
  if (service === 'iam') {
    if (resource === 'root') return { kind: 'root', partition, account };
    if (resource.startsWith('user/')) {
      const { path, name } = splitPathName(resource.slice(5), 'user');
      return {
        kind: 'user',
        partition,
        account,
        path,
        name,
        uniqueId: p.uniqueId ?? uniqueIdFor('AIDA', `${account}${path}${name}`),
      };
    }
    if (resource.startsWith('role/')) {
      const { path, name } = splitPathName(resource.slice(5), 'role');
      return {
        kind: 'role-session',
        partition,
        account,
        path,
        role: name,
        session: DEFAULT_SESSION,
        uniqueId: p.uniqueId ?? uniqueIdFor('AROA', `${account}${path}${name}`),
      };
    }
  } else {
    const session = /^assumed-role\/([^/]+)\/([^/]+)$/.exec(resource);
    if (session) {
      const role = session[1]!;
      const name = session[2]!;
      if (!NAME_CHARS.test(role) || !NAME_CHARS.test(name))
        throw new CallerError(`role session ARN ${JSON.stringify(id)} has characters IAM does not allow`);
      const path = p.path ?? '/';
      if (!/^\/(?:[A-Za-z0-9+=,.@_-]+\/)*$/.test(path))
        throw new CallerError(`role path ${JSON.stringify(path)} must start and end with "/"`);
      return {
        kind: 'role-session',
        partition,
        account,
        path,
        role,
        session: name,
        uniqueId: p.uniqueId ?? uniqueIdFor('AROA', `${account}${path}${role}`),
      };
    }
    const fed = /^federated-user\/(.+)$/.exec(resource);
    if (fed && NAME_CHARS.test(fed[1]!)) return { kind: 'federated-user', partition, account, name: fed[1]! };
  }
  throw new CallerError(
    `${JSON.stringify(id)} is not a caller: use an account id, or the ARN of an account root, IAM user, IAM role, role session or federated user`,
  );
}

/** The wire form of a caller (what a request carries and a person reads). */
export function principalOfCaller(c: Caller): Principal {
  switch (c.kind) {
    case 'anonymous':
      return { type: 'Anonymous' };
    case 'service':
      return { type: 'Service', id: c.service };
    case 'identity-provider':
      return { type: 'Federated', id: c.provider };
    case 'canonical-user':
      return { type: 'CanonicalUser', id: c.id };
    case 'root':
      return { type: 'AWS', id: `arn:${c.partition}:iam::${c.account}:root` };
    case 'user':
      return {
        type: 'AWS',
        id: `arn:${c.partition}:iam::${c.account}:user${c.path}${c.name}`,
        uniqueId: c.uniqueId,
      };
    case 'federated-user':
      return { type: 'AWS', id: `arn:${c.partition}:sts::${c.account}:federated-user/${c.name}` };
    case 'role-session': {
      const p: Principal = {
        type: 'AWS',
        id: `arn:${c.partition}:sts::${c.account}:assumed-role/${c.role}/${c.session}`,
        uniqueId: c.uniqueId,
      };
      if (c.path !== '/') p.path = c.path;
      return p;
    }
  }
}

/** The caller's own ARN: for a role session the session's ARN (what Principal names). */
function ownArn(c: Caller): string | undefined {
  const p = principalOfCaller(c);
  return p.type === 'AWS' ? p.id : undefined;
}

/** The role's ARN of a role session. */
function roleArn(c: Extract<Caller, { kind: 'role-session' }>): string {
  return `arn:${c.partition}:iam::${c.account}:role${c.path}${c.role}`;
}

export function callerAccount(c: Caller): string | undefined {
  return 'account' in c ? c.account : undefined;
}

/** aws:PrincipalArn: for a role session the role's ARN, never the session's. */
function callerPrincipalArn(c: Caller): string | undefined {
  switch (c.kind) {
    case 'role-session':
      return roleArn(c);
    case 'root':
    case 'user':
    case 'federated-user':
      return ownArn(c);
    default:
      return undefined;
  }
}

export const PRINCIPAL_TYPE: Partial<Record<CallerKind, string>> = {
  root: 'Account',
  user: 'User',
  'role-session': 'AssumedRole',
  'federated-user': 'FederatedUser',
  anonymous: 'Anonymous',
};

/**
 * Keys the caller alone decides (present exactly when this kind has them). Lower case. A request
 * never sets them in its context to something else (requestProblems).
 */
export const CALLER_KEYS = [
  'aws:principalarn',
  'aws:principalaccount',
  'aws:principaltype',
  'aws:userid',
  'aws:username',
  'aws:principalisawsservice',
  'aws:principalservicename',
] as const;
export type CallerKey = (typeof CALLER_KEYS)[number];

export function isCallerKey(key: string): key is CallerKey {
  return (CALLER_KEYS as readonly string[]).includes(key.toLowerCase());
}

/**
 * Keys that only a principal of an account can bring (organization, tags, KMS's caller account).
 * Whether a request has them depends on more than the caller (the service, the organization), so
 * they stay free context keys; but a service, anonymous or other caller never has them, and
 * kms:CallerAccount is always the caller's own account.
 */
export function isAccountPrincipalKey(key: string): boolean {
  const k = key.toLowerCase();
  return (
    k === 'aws:principalorgid' ||
    k === 'aws:principalorgpaths' ||
    k === 'kms:calleraccount' ||
    k.startsWith('aws:principaltag/')
  );
}

/** The value of a caller key for this caller, or undefined when the caller does not have the key. */
export function callerKeyValue(c: Caller, key: CallerKey): string | undefined {
  switch (key) {
    case 'aws:principalarn':
      return callerPrincipalArn(c);
    case 'aws:principalaccount':
      return callerAccount(c);
    case 'aws:principaltype':
      return PRINCIPAL_TYPE[c.kind];
    case 'aws:userid':
      switch (c.kind) {
        case 'root':
          return c.account;
        case 'user':
          return c.uniqueId;
        case 'role-session':
          return `${c.uniqueId}:${c.session}`;
        case 'federated-user':
          return `${c.account}:${c.name}`;
        case 'anonymous':
          return 'anonymous';
        default:
          return undefined;
      }
    case 'aws:username':
      return c.kind === 'user' ? c.name : undefined;
    case 'aws:principalisawsservice':
      return c.kind === 'service' ? 'true' : ACCOUNT_KINDS.includes(c.kind) ? 'false' : undefined;
    case 'aws:principalservicename':
      return c.kind === 'service' ? c.service : undefined;
  }
}

/** Every caller key this caller has, lower-case key -> value. */
function callerKeys(c: Caller): Map<CallerKey, string> {
  const out = new Map<CallerKey, string>();
  for (const k of CALLER_KEYS) {
    const v = callerKeyValue(c, k);
    if (v !== undefined) out.set(k, v);
  }
  return out;
}

/**
 * Why a request's keys cannot occur together with its caller (empty when they can): a caller key
 * set to another value than the caller's, an account principal's key on another kind of caller,
 * kms:CallerAccount other than the caller's account.
 */
function requestProblems(c: Caller, context: Record<string, string | string[]>): string[] {
  const problems: string[] = [];
  const own = callerKeys(c);
  for (const [key, raw] of Object.entries(context)) {
    const values = typeof raw === 'string' ? [raw] : raw;
    if (values.length === 0) continue;
    const k = key.toLowerCase();
    if (isCallerKey(k)) {
      const v = own.get(k);
      if (v === undefined) problems.push(`${key} does not occur with ${describeCaller(c)}`);
      else if (values.length !== 1 || values[0] !== v)
        problems.push(`${key} is ${JSON.stringify(v)} for ${describeCaller(c)}, not ${JSON.stringify(raw)}`);
    } else if (isAccountPrincipalKey(k)) {
      if (!ACCOUNT_KINDS.includes(c.kind)) problems.push(`${key} does not occur with ${describeCaller(c)}`);
      else if (k === 'kms:calleraccount' && (values.length !== 1 || values[0] !== callerAccount(c)))
        problems.push(
          `kms:CallerAccount is the caller's account ${callerAccount(c)}, not ${JSON.stringify(raw)}`,
        );
    }
  }
  return problems;
}

/**
 * The context without the keys that cannot occur with this caller (caller keys are the caller's to
 * bring; organization, tag and KMS caller keys only come with principals of an account), and with
 * kms:CallerAccount set to the caller's account where it is given: what a generated request keeps.
 */
export function consistentContext(
  c: Caller,
  context: Record<string, string | string[]>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, v] of Object.entries(context)) {
    const k = key.toLowerCase();
    if (isCallerKey(k)) continue;
    if (isAccountPrincipalKey(k)) {
      if (!ACCOUNT_KINDS.includes(c.kind)) continue;
      if (k === 'kms:calleraccount') {
        out[key] = callerAccount(c)!;
        continue;
      }
    }
    out[key] = v;
  }
  return out;
}

/**
 * A request's caller and the values of its keys as every reader of a request takes them (the
 * evaluator, the teaching interpreter): context keys case-insensitive, an empty list absent, the
 * caller's own keys from the caller. Throws CallerError for a principal that is no caller
 * (INVALID_PRINCIPAL) or keys that cannot occur with it (INCONSISTENT_REQUEST).
 */
export function requestKeys(request: Request): {
  caller?: Caller;
  get: (key: string) => string[] | undefined;
} {
  const map = new Map<string, string[]>();
  for (const [k, v] of Object.entries(request.context)) {
    const lower = k.toLowerCase();
    if (map.has(lower)) continue;
    const values = typeof v === 'string' ? [v] : [...v];
    if (values.length > 0) map.set(lower, values);
  }
  const get = (key: string) => map.get(key.toLowerCase());
  if (!request.principal) return { get };
  const caller = callerOf(request.principal);
  const problems = requestProblems(caller, request.context);
  if (problems.length)
    throw new CallerError(
      `The request's keys cannot occur together: ${problems.join('; ')}.`,
      'INCONSISTENT_REQUEST',
    );
  for (const k of CALLER_KEYS) map.delete(k);
  for (const [k, v] of callerKeys(caller)) map.set(k, [v]);
  return { caller, get };
}

/** A short description of the caller for people. */
export function describeCaller(c: Caller): string {
  switch (c.kind) {
    case 'root':
      return `the root user of account ${c.account}`;
    case 'user':
      return `IAM user ${c.name} of account ${c.account}`;
    case 'role-session':
      return `session ${c.session} of role ${c.role} (account ${c.account})`;
    case 'federated-user':
      return `federated user ${c.name} of account ${c.account}`;
    case 'service':
      return `service principal ${c.service}`;
    case 'identity-provider':
      return `identity provider ${c.provider}`;
    case 'canonical-user':
      return `canonical user ${c.id}`;
    case 'anonymous':
      return 'the anonymous caller';
  }
}

// ---------------------------------------------------------------------------------------------------
// Principal element values

/** What one value of a Principal/NotPrincipal element names (semantics-decisions.md, "Principal"). */
export type PrincipalName =
  | { category: 'account'; account: string; partition?: string }
  | { category: 'user' | 'federated-user'; arn: string }
  | { category: 'role'; arn: string; account: string; partition: string; path: string; role: string }
  | { category: 'session'; arn: string; account: string; partition: string; role: string; session: string }
  | { category: 'service' | 'identity-provider' | 'canonical-user'; id: string }
  /** a value with a wildcard, or one that names no caller (a group, a malformed ARN): names nobody */
  | { category: 'nobody'; why: string };

/** Reads one Principal value of the given type (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
export function principalName(type: string, value: string): PrincipalName {
  if (/[*?]/.test(value))
    return { category: 'nobody', why: 'a wildcard other than "*" alone is not allowed in a principal' };
  if (type === 'Service') return { category: 'service', id: value };
  if (type === 'Federated') return { category: 'identity-provider', id: value };
  if (type === 'CanonicalUser') return { category: 'canonical-user', id: value };
  if (ACCOUNT.test(value)) return { category: 'account', account: value };
  const m = /^arn:([a-z][a-z0-9-]*):(iam|sts)::(\d{12}):(.+)$/.exec(value);
  if (m) {
    const [, partition, service, account, resource] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
    ];
    if (service === 'iam' && resource === 'root') return { category: 'account', account, partition };
    try {
      const c = callerOf({ type: 'AWS', id: value });
      if (service === 'iam' && c.kind === 'user') return { category: 'user', arn: value };
      if (service === 'iam' && c.kind === 'role-session')
        return { category: 'role', arn: value, account, partition, path: c.path, role: c.role };
      if (service === 'sts' && c.kind === 'role-session')
        return { category: 'session', arn: value, account, partition, role: c.role, session: c.session };
      if (service === 'sts' && c.kind === 'federated-user') return { category: 'federated-user', arn: value };
    } catch {
      // not a caller ARN: names nobody
    }
  }
  return { category: 'nobody', why: `${JSON.stringify(value)} names no principal` };
}

/** Does this Principal value name the caller (Principal element: an account names all its principals)? */
export function namesCaller(n: PrincipalName, c: Caller): boolean {
  switch (n.category) {
    case 'account':
      return (
        ACCOUNT_KINDS.includes(c.kind) &&
        callerAccount(c) === n.account &&
        (n.partition === undefined || ('partition' in c && c.partition === n.partition))
      );
    case 'user':
    case 'federated-user':
      return (c.kind === 'user' || c.kind === 'federated-user') && ownArn(c) === n.arn;
    case 'role':
      return c.kind === 'role-session' && roleArn(c) === n.arn;
    case 'session':
      return c.kind === 'role-session' && ownArn(c) === n.arn;
    case 'service':
      return c.kind === 'service' && c.service === n.id;
    case 'identity-provider':
      return c.kind === 'identity-provider' && c.provider === n.id;
    case 'canonical-user':
      return c.kind === 'canonical-user' && c.id === n.id;
    case 'nobody':
      return false;
  }
}

/**
 * The identities AWS checks a NotPrincipal element against for this caller (IAM "NotPrincipal"):
 * the account, then the role and the session, or the user. The caller is exempt only when every
 * one of them is listed.
 */
export type Identity = 'account' | 'user' | 'role' | 'session' | 'federated-user' | 'self';
export const IDENTITY_CHAIN: Record<CallerKind, Identity[]> = {
  root: ['account'],
  user: ['account', 'user'],
  'role-session': ['account', 'role', 'session'],
  'federated-user': ['account', 'federated-user'],
  service: ['self'],
  'identity-provider': ['self'],
  'canonical-user': ['self'],
  anonymous: ['self'],
};

/** Does this value list this identity of the caller (exactly: an account lists the account only)? */
export function listsIdentity(n: PrincipalName, c: Caller, identity: Identity): boolean {
  switch (identity) {
    case 'account':
      return n.category === 'account' && namesCaller(n, c);
    case 'user':
      return n.category === 'user' && namesCaller(n, c);
    case 'federated-user':
      return n.category === 'federated-user' && namesCaller(n, c);
    case 'role':
      return n.category === 'role' && namesCaller(n, c);
    case 'session':
      return n.category === 'session' && namesCaller(n, c);
    case 'self':
      return (
        (n.category === 'service' || n.category === 'identity-provider' || n.category === 'canonical-user') &&
        namesCaller(n, c)
      );
  }
}
