/**
 * The pieces of the exact decision of policy variables (variables.ts): the caller's keys read from a
 * caller code by a unique split, their domains, the over-approximation that uses them, and the
 * splits a model is checked at.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../catalog/catalog.ts';
import { CALLER_KEYS, callerAccount, callerKeyValue, callerOf, type Caller } from '../evaluate/caller.ts';
import { parsePolicy } from '../policy/parse.ts';
import { MembershipOracle } from './automata.ts';
import { callerCode } from './caller.ts';
import type { Atom } from './atoms.ts';
import { Encoder } from './encode.ts';
import { instantiate, overApproximate } from './patterns.ts';
import { compileMatcher, globRe, toSmt } from './regex.ts';
import { callerDomain, callerDomainRe, callerPresenceRe } from './caller-domains.ts';
import { matchingSplit } from './splits.ts';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

const CALLERS: Caller[] = [
  { type: 'AWS', id: 'arn:aws:iam::111122223333:root' },
  { type: 'AWS', id: 'arn:aws:iam::111122223333:user/alice' },
  { type: 'AWS', id: 'arn:aws:iam::444455556666:user/division/team/bob.smith@example' },
  { type: 'AWS', id: 'arn:aws:sts::111122223333:assumed-role/Developer/session-1' },
  { type: 'AWS', id: 'arn:aws-cn:sts::444455556666:federated-user/carol' },
  { type: 'Service', id: 's3.amazonaws.com' },
  { type: 'Federated', id: 'cognito-identity.amazonaws.com' },
  { type: 'CanonicalUser', id: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' },
  { type: 'Anonymous' },
].map((p) => callerOf(p as Parameters<typeof callerOf>[0]));

const KEYS = [...CALLER_KEYS, 'kms:calleraccount'];
const valueOf = (c: Caller, key: string): string | undefined =>
  key === 'kms:calleraccount' ? callerAccount(c) : callerKeyValue(c, key as (typeof CALLER_KEYS)[number]);

describe('the keys a caller brings', () => {
  it('presence and domain agree with the caller model', () => {
    for (const c of CALLERS)
      for (const key of KEYS) {
        const code = callerCode(c);
        const v = valueOf(c, key);
        expect(compileMatcher(callerPresenceRe(key))(code), `${key} of ${code}`).toBe(v !== undefined);
        if (v !== undefined) expect(compileMatcher(callerDomainRe(key))(v), `${key} = ${v}`).toBe(true);
      }
  });
});

function variableAtoms(resource: string): Atom[] {
  const parsed = parsePolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resource }],
    }),
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.findings));
  const enc = new Encoder(catalog, { identity: true });
  enc.prepare([parsed.policy]);
  enc.policy(parsed.policy, 'p');
  enc.finish();
  return enc.dims.get('resource')!.atoms.filter((a) => a.pattern);
}

describe('over-approximation with the domains of the caller keys', () => {
  const PATTERNS = [
    'arn:aws:dynamodb:*:${aws:PrincipalAccount}:table/*',
    'arn:aws:dynamodb:us-*-1:${aws:PrincipalAccount}:table/${aws:username}',
    'arn:aws:s3:::b/${aws:username}/*',
    "arn:aws:s3:::b/${aws:username, 'shared'}/*",
    'arn:aws:s3:::b/${aws:userid}/${aws:PrincipalTag/team}*',
    'arn:aws:iam::${aws:PrincipalAccount}:role/${aws:PrincipalTag/role}',
  ];
  const VALUES: Record<string, string[]> = {
    'aws:principalaccount': ['111122223333', '000000000000'],
    'aws:username': ['alice', 'a.b@c', 'shared'],
    'aws:userid': ['AIDAEXAMPLE', 'AROAEXAMPLE:session', '111122223333:carol'],
    'aws:principaltag/team': ['', 'a:b', 'x/y'],
    'aws:principaltag/role': ['R', 'a:b:c'],
  };

  it('contains the pattern with every value of the domain (and the default)', () => {
    const oracle = new MembershipOracle();
    for (const pattern of PATTERNS)
      for (const atom of variableAtoms(pattern)) {
        const over = overApproximate(atom, callerDomain);
        const combos: Record<string, string>[] = [{}];
        for (const key of atom.varKeys) {
          const next: Record<string, string>[] = [];
          for (const c of combos) for (const v of VALUES[key]!) next.push({ ...c, [key]: v });
          combos.splice(0, combos.length, ...next);
        }
        for (const values of combos)
          for (const absent of [false, true]) {
            const inst = instantiate(atom, (k) => (absent && k === 'aws:username' ? undefined : values[k]));
            if (!inst) continue;
            const escaped = oracle.search(
              [
                { re: inst, positive: true },
                { re: over, positive: false },
              ],
              toSmt,
            );
            expect(escaped.status, `${pattern} with ${JSON.stringify(values)}`).toBe('unsat');
          }
      }
  });

  it('is tighter than "any text" where the domain decides (an account is twelve digits)', () => {
    const [atom] = variableAtoms('arn:aws:s3:::b/${aws:PrincipalAccount}/*');
    const over = compileMatcher(overApproximate(atom!, callerDomain));
    expect(over('arn:aws:s3:::b/111122223333/x')).toBe(true);
    expect(over('arn:aws:s3:::b/shared/x')).toBe(false);
    expect(compileMatcher(overApproximate(atom!))('arn:aws:s3:::b/shared/x')).toBe(true);
  });
});

describe('matchingSplit', () => {
  it('finds where the values sit between the pieces, or nothing', () => {
    const pieces = [globRe('arn:aws:dynamodb:*:'), globRe(':table/*')];
    const arn = 'arn:aws:dynamodb:a:b:111:table/t';
    expect(matchingSplit(arn, ['111'], pieces)).toEqual([arn.indexOf('111')]);
    expect(matchingSplit('arn:aws:dynamodb:a:111:table/t', ['222'], pieces)).toBeUndefined();
    expect(matchingSplit('b/x/x/y', ['x', 'y'], [globRe('b/*'), globRe('/'), globRe('')])).toEqual([4, 6]);
  });
});
