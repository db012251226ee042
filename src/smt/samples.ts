/**
 * Realistic strings tried for a dimension before any automaton or solver call: the strings its
 * positive literals obviously contain, callers of the accounts and principals the literals name
 * (an account's root, a role, a session of it), then a few defaults per kind of dimension. The
 * first candidate that satisfies every literal is the witness (realize.ts); most are found so.
 */
import { callerOf, principalName, type Caller } from '../evaluate/caller.ts';
import type { Dim, Literal } from './atoms.ts';
import { callerCode } from './caller.ts';
import type { Ground } from './realize.ts';
import type { Re } from './regex.ts';

/** Candidate witnesses for a dimension's ground literals, the likeliest first. */
export function candidates(d: Dim, ground: Ground[]): string[] {
  const out: string[] = [];
  if (d.kind === 'principal') out.push(...principalCandidates(ground.map((g) => g.lit)));
  for (const g of ground) if (g.lit.value) out.push(...samples(g.re, 'example'));
  out.push(...(DEFAULTS[d.kind] ?? []));
  return out;
}

/** Sample strings a regex obviously contains (used to avoid solver calls). */
function samples(r: Re, filler: string): string[] {
  switch (r.k) {
    case 'str':
      return [r.s];
    case 'any':
    case 'notchar':
      return ['x'];
    case 'all':
      return [filler];
    case 'none':
      return [];
    case 'range':
      return [r.lo];
    case 'star':
      return ['', ...samples(r.r, filler).slice(0, 1)];
    case 'loop': {
      const one = samples(r.r, filler)[0];
      return one === undefined ? [] : [one.repeat(r.n)];
    }
    case 'cat': {
      let acc = [''];
      for (const part of r.rs) {
        const s = part.k === 'star' && part.r.k === 'notchar' ? [filler] : samples(part, filler);
        const next: string[] = [];
        for (const a of acc) for (const b of s.slice(0, 2)) if (next.length < 4) next.push(a + b);
        acc = next;
        if (!acc.length) return [];
      }
      return acc;
    }
    case 'or':
      return r.rs.flatMap((x) => samples(x, filler)).slice(0, 6);
    case 'and':
    case 'not':
      return [];
  }
}

const DEFAULTS: Record<string, string[]> = {
  resource: [
    'arn:aws:s3:::example-bucket/example-object',
    'arn:aws:iam::111122223333:role/example',
    'example',
  ],
  principal: [
    'Anonymous:',
    'Service:s3.amazonaws.com',
    'Federated:cognito-identity.amazonaws.com',
    'CanonicalUser:79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be',
  ],
  string: ['example', 'true', 'false', '1'],
  ip: ['4:' + [203, 0, 113, 10].map((p) => p.toString(2).padStart(8, '0')).join(''), 'x:'],
  action: ['example:exampleaction'],
};

/**
 * Realistic callers for the accounts a principal literal names (positive literals first): the
 * account's root, a role in it, and a session of that role, before any synthetic string.
 */
function principalCandidates(lits: Literal[]): string[] {
  const named: Caller[] = [];
  const accounts: string[] = [];
  for (const l of [...lits].sort((a, b) => Number(b.value) - Number(a.value))) {
    for (const m of l.atom.label.matchAll(/\b\d{12}\b/g)) if (!accounts.includes(m[0])) accounts.push(m[0]);
    // The callers a Principal value names (a role's session, the user itself) come first.
    for (const m of l.atom.label.matchAll(/arn:[a-z-]+:(?:iam|sts)::\d{12}:[^\s,]+/g)) {
      const n = principalName('AWS', m[0]);
      if (n.category === 'nobody' || n.category === 'account') continue;
      try {
        named.push(callerOf({ type: 'AWS', id: m[0] }));
      } catch {
        // not a caller
      }
    }
    for (const m of l.atom.label.matchAll(/(?:Service|Federated):([^\s,]+)/g))
      named.push(
        m[0].startsWith('Service')
          ? { kind: 'service', service: m[1]! }
          : { kind: 'identity-provider', provider: m[1]! },
      );
  }
  accounts.push('111122223333', '444455556666');
  const codes = named.map(callerCode);
  for (const a of accounts) {
    for (const id of [
      `arn:aws:sts::${a}:assumed-role/Developer/alice`,
      `arn:aws:iam::${a}:user/alice`,
      `arn:aws:iam::${a}:root`,
      `arn:aws:sts::${a}:federated-user/alice`,
    ])
      codes.push(callerCode(callerOf({ type: 'AWS', id })));
    // A service-linked role's session, as AWS names them (SCPs and RCPs exempt these).
    codes.push(
      callerCode(
        callerOf({
          type: 'AWS',
          id: `arn:aws:sts::${a}:assumed-role/AWSServiceRoleForElasticLoadBalancing/ElasticLoadBalancing`,
          path: '/aws-service-role/elasticloadbalancing.amazonaws.com/',
        }),
      ),
    );
  }
  return codes;
}
