/**
 * Who is an outsider, concretely: the reading the outside-access questions encode (questions.ts
 * `outsider`) written once more over a plain request, for the referee to check every counterexample
 * against and the early guess to pick its callers by. The fencing values of a policy come from here
 * for both sides, so the formula and this test cannot read a policy's fences differently.
 */
import { ACCOUNT_KINDS, callerAccount, callerOf, requestKeys, type CallerKind } from '../evaluate/caller.ts';
import type { Request } from '../evaluate/request.ts';
import { globMatches } from '../policy/glob.ts';
import type { Policy } from '../policy/model.ts';
import { cidrContains, parseCidr, parseIp } from '../policy/values.ts';
import { COMMON_FENCES, type Fence, type FenceRule, type PublicReading } from './public-types.ts';
import type { OutsidersOptions } from './request.ts';

/** Accounts CheckNoPublicAccess counts as known: every 12-digit number the policy mentions. */
export function namedAccounts(p: Policy): string[] {
  return [...new Set([...JSON.stringify(p).matchAll(/\b\d{12}\b/g)].map((m) => m[0]))];
}

/** The kinds of caller that can be outsiders: anonymous, principals of accounts, and the reading's own. */
export function outsiderKinds(reading: PublicReading | undefined): CallerKind[] {
  return ['anonymous', ...ACCOUNT_KINDS, ...(reading?.outsiders ?? [])];
}

/**
 * The SAML providers of a known account, as a glob over a `Federated` caller's id: the account's own
 * identity provider, whose users are the account's (docs/semantics-decisions.md, "Public access").
 */
export const knownSamlProvider = (account: string): string => `arn:*:iam::${account}:saml-provider/*`;

function fenceOf(key: string, reading: PublicReading | undefined): Fence | undefined {
  const all = [...COMMON_FENCES, ...(reading?.fences ?? [])];
  return (
    all.find((f) => f.key === key) ?? all.find((f) => f.key.startsWith('*:') && key.endsWith(f.key.slice(1)))
  );
}

const ACCOUNT_FIELD = /^\d{12}$/;

/** Does this condition value fence callers under the key's rule? (Variables never do.) */
function fences(value: string, rule: FenceRule): boolean {
  if (value.includes('${')) return false;
  const wild = /[*?]/.test(value);
  if (!wild && rule !== 'org-path') return true;
  switch (rule) {
    case 'fixed':
      return false;
    case 'userid':
      return /^[A-Z0-9]+:[^*?]*\*$/.test(value);
    case 'org-path':
      return /^o-[a-z0-9]+\//.test(value);
    case 'arn-account': {
      // The wildcards only in the resource part, after a fixed account: resources of one account.
      const parts = value.split(':');
      return (
        parts.length >= 6 &&
        parts[0] === 'arn' &&
        parts.slice(1, 5).every((s) => !/[*?]/.test(s)) &&
        ACCOUNT_FIELD.test(parts[4]!)
      );
    }
    case 'owner-prefix': {
      const prefix = value.slice(0, value.search(/[*?]/));
      return prefix.includes('/');
    }
  }
}

/** RFC 1918's private IPv4 ranges: a range inside one of them fences, however broad (S3's reading). */
const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

/**
 * Does an aws:SourceIp value bound the callers? Not when it is very broad: S3's definition of
 * "public" (User Guide, Blocking public access, "The meaning of 'public'") counts ranges broader
 * than /8 for IPv4 and /32 for IPv6 as public, except RFC 1918 private ranges.
 */
function narrowIpRange(value: string): boolean {
  const r = parseCidr(value);
  if (!r) return false;
  if (r.version === 6) return r.prefix >= 32;
  return r.prefix >= 8 || PRIVATE_V4.some((p) => r.prefix >= p.prefix && cidrContains(p, r));
}

/**
 * The values that fence callers, key by key (lower case), from the conditions of `policies`: for
 * every type the common keys (public-types.ts COMMON_FENCES), and the reading's own.
 */
export function fencesOf(policies: Policy[], reading: PublicReading | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of policies)
    for (const st of p.statements)
      for (const c of st.conditions) {
        const key = c.key.toLowerCase();
        const fence = fenceOf(key, reading);
        if (!fence) continue;
        const values = c.values
          .map((v) => v.value)
          .filter((v) => fences(v, fence.rule) && (key !== 'aws:sourceip' || narrowIpRange(v)));
        if (!values.length) continue;
        const list = out.get(key) ?? [];
        for (const v of values) if (!list.includes(v)) list.push(v);
        out.set(key, list);
      }
  return out;
}

/** Does one of the request's values of `key` fall on a fence (a CIDR for aws:SourceIp, else a glob)? */
function onFence(key: string, values: string[], fenceValues: string[]): boolean {
  if (key === 'aws:sourceip')
    return values.some((v) => {
      const ip = parseIp(v);
      return (
        ip !== undefined &&
        fenceValues.some((f) => {
          const range = parseCidr(f);
          // fencesOf keeps only the ranges that bound callers (narrowIpRange)
          return range !== undefined && cidrContains(range, ip);
        })
      );
    });
  return values.some((v) => fenceValues.some((f) => globMatches(f, v)));
}

/**
 * Why the request is not one from an outsider (undefined when it is): its caller is of a kind that
 * does not count, of a trusted or known account, a service acting for no resource owner or for a known
 * one (aws:SourceAccount), a known account's SAML provider, in a trusted organization, or has a value
 * on a fence; or its action is of no service the reading counts.
 */
export function notOutsider(
  req: Request,
  o: OutsidersOptions,
  known: readonly string[],
  fenced: Map<string, string[]>,
): string | undefined {
  if (!req.principal) return 'the request has no caller';
  let keys: ReturnType<typeof requestKeys>;
  try {
    keys = requestKeys(req);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const caller = keys.caller ?? callerOf(req.principal);
  if (!outsiderKinds(o.reading).includes(caller.kind))
    return `a caller of kind ${caller.kind} does not count`;
  const accounts = new Set([...o.trusted, ...known]);
  const account = callerAccount(caller);
  if (account !== undefined && ACCOUNT_KINDS.includes(caller.kind) && accounts.has(account))
    return `the caller's account ${account} is ${o.publicMode ? 'named by the policy' : 'trusted'}`;
  if (
    caller.kind === 'identity-provider' &&
    [...accounts].some((a) => globMatches(knownSamlProvider(a), caller.provider))
  )
    return `${caller.provider} is a SAML provider of account named by the policy`;
  if (caller.kind === 'service') {
    const source = keys.get('aws:sourceaccount');
    if (!source) return 'a service principal acting for no resource owner (no aws:SourceAccount)';
    const named = source.find((v) => accounts.has(v));
    if (named !== undefined) return `the service acts for account ${named}, which the policy names`;
  }
  const services = o.reading?.services;
  if (services && !services.some((s) => req.action.toLowerCase().startsWith(`${s}:`)))
    return `${req.action} is not an action of ${services.join(', ')}`;
  const org = keys.get('aws:principalorgid');
  if (o.orgs.length && org?.some((v) => o.orgs.includes(v)))
    return `the caller is in the trusted organization ${org.join(', ')}`;
  for (const [key, values] of fenced) {
    const have = keys.get(key);
    if (have && onFence(key, have, values)) return `its ${key} ${have.join(', ')} is one the policy fixes`;
  }
  return undefined;
}
