import { describe, expect, it } from 'vitest';
import { MembershipOracle } from './automata.ts';
import { nodeRunner } from './runner-node.ts';
import {
  ALL,
  and as reAnd,
  arnRe,
  cat,
  compileMatcher,
  globRe,
  not as reNot,
  or as reOr,
  star,
  str,
  toSmt,
  type Re,
} from './regex.ts';
import { decodeSmtString, readValues } from './sexpr.ts';
import { prng as rng } from '../util/prng.ts';

type Literal = { re: Re; positive: boolean };

function search(lits: Literal[], maxStates?: number) {
  return new MembershipOracle(maxStates).search(lits, toSmt);
}

function satisfies(value: string, lits: Literal[]): boolean {
  return lits.every((l) => compileMatcher(l.re)(value) === l.positive);
}

function randomGlob(r: () => number, arn: boolean): Re {
  const atoms = ['a', 'b', ':', '*', '?', 'ab', 'x'];
  let s = arn ? 'arn:aws:' : '';
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) s += atoms[Math.floor(r() * atoms.length)];
  return arn ? arnRe(s) : globRe(s);
}

describe('MembershipOracle', () => {
  it('finds a shortest witness in the intersection of globs', () => {
    const lits: Literal[] = [
      { re: globRe('s3:Get*'), positive: true },
      { re: globRe('*Object'), positive: true },
    ];
    const r = search(lits);
    expect(r).toEqual({ status: 'sat', value: 's3:GetObject' });
  });

  it('proves a glob contained in another (positive inside negative) empty', () => {
    expect(
      search([
        { re: globRe('s3:GetObject*'), positive: true },
        { re: globRe('s3:Get*'), positive: false },
      ]).status,
    ).toBe('unsat');
  });

  it('finds what a wildcard allows beyond a list (the NotAction question)', () => {
    const r = search([
      { re: globRe('s3:Get*'), positive: true },
      { re: reOr(str('s3:GetObject'), str('s3:GetBucketPolicy')), positive: false },
    ]);
    expect(r.status).toBe('sat');
    if (r.status === 'sat') {
      expect(r.value.startsWith('s3:Get')).toBe(true);
      expect(['s3:GetObject', 's3:GetBucketPolicy']).not.toContain(r.value);
    }
  });

  it('keeps ARN wildcards inside their segment', () => {
    // arn:aws:s3:*:... never matches a region holding ':'; the resource part may.
    const r = search([
      { re: arnRe('arn:aws:s3:::bucket/*'), positive: true },
      { re: arnRe('arn:aws:s3:::bucket/a*'), positive: false },
      { re: arnRe('arn:aws:s3:::bucket/'), positive: false },
    ]);
    expect(r.status).toBe('sat');
    if (r.status === 'sat') expect(r.value).toMatch(/^arn:aws:s3:::bucket\/[^a]/);
    expect(
      search([
        { re: arnRe('arn:aws:*:us-east-1:*:*'), positive: true },
        { re: arnRe('arn:aws:*:*:*:*'), positive: false },
      ]).status,
    ).toBe('unsat');
  });

  it('handles intersections inside concatenations (account wrapped in an ARN)', () => {
    const seg = star({ k: 'notchar', c: ':' });
    const acct = cat(str('arn:aws:iam::'), reAnd(globRe('1*'), seg), str(':root'));
    const r = search([{ re: acct, positive: true }]);
    expect(r).toEqual({ status: 'sat', value: 'arn:aws:iam::1:root' });
    const none = cat(str('x'), reAnd(str('a'), str('b')));
    expect(search([{ re: none, positive: true }]).status).toBe('unsat');
  });

  it('counts fixed-length loops (CIDR prefixes as bit strings)', () => {
    const bit = reOr(str('0'), str('1'));
    const in8 = cat(str('10'), { k: 'loop', r: bit, n: 6 });
    const in9 = cat(str('100'), { k: 'loop', r: bit, n: 5 });
    const r = search([
      { re: in8, positive: true },
      { re: in9, positive: false },
    ]);
    expect(r).toEqual({ status: 'sat', value: '10100000' });
  });

  it('prefers readable witness characters', () => {
    const r = search([{ re: cat(str('k='), { k: 'any' }), positive: true }]);
    expect(r).toEqual({ status: 'sat', value: 'k=a' });
  });

  it('searches outside a finite word set (the catalog) by ranges of the sorted words', () => {
    const words = ['s3:getobject', 's3:getobjectacl', 's3:putobject'].sort();
    const oracle = new MembershipOracle();
    const outside = (re: Re) =>
      oracle.search(
        [
          { re, positive: true },
          { words, wordsKey: 'w', positive: false },
        ],
        toSmt,
      );
    expect(outside(reOr(str('s3:getobject'), str('s3:putobject'))).status).toBe('unsat');
    expect(outside(globRe('s3:getobject*'))).toEqual({ status: 'sat', value: 's3:getobjecta' });
    expect(outside(globRe('s3:getobject?cl'))).toEqual({ status: 'sat', value: 's3:getobjectbcl' });
    const inside = oracle.search(
      [
        { re: globRe('s3:*object'), positive: true },
        { words, wordsKey: 'w', positive: true },
      ],
      toSmt,
    );
    expect(inside).toEqual({ status: 'sat', value: 's3:getobject' });
  });

  it('prunes a negative that accepts every continuation', () => {
    expect(
      search([
        { re: globRe('ec2:Describe*'), positive: true },
        { re: reOr(globRe('ec2:Desc*'), str('s3:GetObject')), positive: false },
      ]).status,
    ).toBe('unsat');
    expect(search([{ re: star(ALL), positive: false }]).status).toBe('unsat');
  });

  it('answers unknown, not a guess, when a complement sits inside a regex or the budget runs out', () => {
    expect(search([{ re: cat(str('a'), reNot(str('b'))), positive: true }]).status).toBe('unknown');
    const many = reOr(...Array.from({ length: 300 }, (_, i) => str(`p${i}x${'y'.repeat(i % 40)}`)));
    expect(
      search(
        [
          { re: many, positive: true },
          { re: str('zzz'), positive: false },
          { re: cat(str('p'), star(ALL), str('q')), positive: true },
        ],
        50,
      ).status,
    ).toBe('unknown');
  });

  it('looks at the deadline by work done, so thousands of machines cannot run past it', () => {
    // 3,000 machines (one per statement pattern, as in a 1,500-statement policy pair): one tuple
    // costs tens of thousands of steps, so a deadline asked every 1,024 tuples came 30 s late.
    const lits: Literal[] = [
      { re: globRe('*z*z*z'), positive: true },
      ...Array.from({ length: 3000 }, (_, i) => ({ re: globRe(`k${i}*`), positive: false })),
    ];
    expect(search(lits).status).toBe('sat');
    let asked = 0;
    const late = new MembershipOracle().search(lits, toSmt, () => {
      asked++;
      return true;
    });
    expect(late).toEqual({ status: 'unknown', reason: 'timeout' });
    expect(asked).toBe(1);
  });

  it('agrees with the JavaScript matcher and with Z3 on random glob and ARN literals (seeded)', async () => {
    const runner = await nodeRunner();
    const r = rng(20261123);
    let sat = 0;
    let unsat = 0;
    for (let t = 0; t < 120; t++) {
      const arn = r() < 0.4;
      const lits: Literal[] = Array.from({ length: 1 + Math.floor(r() * 4) }, () => ({
        re: randomGlob(r, arn),
        positive: r() < 0.6,
      }));
      const got = search(lits);
      const smt = reAnd(...lits.map((l) => (l.positive ? l.re : reNot(l.re))));
      const out = await runner.run(
        `(push)(declare-const x String)(assert (str.in_re x ${toSmt(smt)}))(check-sat)(get-value (x))(pop)`,
      );
      const z3Sat = out.trim().startsWith('sat');
      expect(got.status, `case ${t}: ${JSON.stringify(lits.map((l) => [toSmt(l.re), l.positive]))}`).toBe(
        z3Sat ? 'sat' : 'unsat',
      );
      if (got.status === 'sat') {
        sat++;
        expect(satisfies(got.value, lits), `witness ${JSON.stringify(got.value)} of case ${t}`).toBe(true);
        // A breadth-first witness is a shortest one: never longer than Z3's.
        const z3Value = readValues(out.slice(out.indexOf('('))).get('x');
        if (typeof z3Value === 'string')
          expect(got.value.length).toBeLessThanOrEqual(decodeSmtString(z3Value).length);
      } else unsat++;
    }
    // The generator must exercise both answers for the comparison to mean something.
    expect(sat).toBeGreaterThan(20);
    expect(unsat).toBeGreaterThan(20);
  });
});
