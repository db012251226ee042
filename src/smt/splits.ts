/**
 * A pattern with policy variables cut at its variables: `t ∈ Q0 T1 Q1 … Tk Qk`, the Ti the
 * variables' terms. A negative test's Boolean stands for the membership and is made true at every
 * split the query can name (`alignedInstances`: a positive test's split of the same string) and at
 * every split a model shows (`matchingSplit`, `splitInstances`); a sample string of a dimension cut
 * so gives the variables values to try (`valuesFromSample`). Used by the joint query (variables.ts)
 * and the lazy solver's joint decision (joint.ts).
 */
import type { Atom } from './atoms.ts';
import { HOLE, splitAtHoles } from './holes.ts';
import { mergeLiterals, modeRe } from './patterns.ts';
import { compileMatcher, smtString, toSmt, type GlobToken, type Re } from './regex.ts';

/**
 * A test `t ∈ Q0 T1 Q1 … Tk Qk` of a pattern with variables in negative position: its Boolean `nl`
 * stands for the membership and is forced true by every split of `t` found to match (instances of
 * the universally quantified negation); a model is then checked against the real membership.
 */
export interface NegativeTest {
  nl: string;
  subject: string;
  terms: string[];
  pieces: Re[];
}

/** The same in positive position: `t = p0 ++ T1 ++ p1 …`, the pi its (existential) pieces. */
export interface PositiveTest {
  subject: string;
  terms: string[];
  pieceTerms: string[];
}

/**
 * "If `t` splits as the positive test says and, laying the negative's terms on some of the
 * positive's (equal to them), the text between is in the negative's pieces, then the negative
 * test holds" — one instance per order-keeping choice of positions (at most 16).
 */
export function alignedInstances(n: NegativeTest, p: PositiveTest): string[] {
  const k = n.terms.length;
  const m = p.terms.length;
  const whole: string[] = [];
  p.pieceTerms.forEach((pt, j) => {
    whole.push(pt);
    if (j < m) whole.push(p.terms[j]!);
  });
  const concat = (parts: string[]): string => {
    const xs = parts.filter((x) => x !== '""');
    return xs.length === 0 ? '""' : xs.length === 1 ? xs[0]! : `(str.++ ${xs.join(' ')})`;
  };
  const out: string[] = [];
  const choose = (i: number, from: number, picked: number[]): void => {
    if (out.length >= 16) return;
    if (i === k) {
      const conds = [`(= ${n.subject} ${concat(whole)})`];
      let start = 0; // index into `whole`: pieceTerms[j] is 2j, terms[j] is 2j+1
      picked.forEach((h, j) => {
        conds.push(`(str.in_re ${concat(whole.slice(start, 2 * h + 1))} ${toSmt(n.pieces[j]!)})`);
        if (p.terms[h] !== n.terms[j]) conds.push(`(= ${p.terms[h]} ${n.terms[j]})`);
        start = 2 * h + 2;
      });
      conds.push(`(str.in_re ${concat(whole.slice(start))} ${toSmt(n.pieces[k]!)})`);
      out.push(`(assert (=> (and ${conds.join(' ')}) ${n.nl}))`);
      return;
    }
    for (let h = from; h <= m - (k - i); h++) choose(i + 1, h + 1, [...picked, h]);
  };
  choose(0, 0, []);
  return out;
}

/**
 * Instances of a negative test at a split found in a model: the texts between the terms are the
 * model's, the outer end is left open (a fresh constant, defined as the rest of the subject), once
 * from the left and once from the right: "if `t` starts with c0 T1 c1 … Tk and the rest is in Qk,
 * `t` is in the language" (and its mirror). Valid for every value; `fresh` names a new constant.
 */
export function splitInstances(
  n: NegativeTest,
  subject: string,
  values: string[],
  positions: number[],
  fresh: () => string,
): string[] {
  const k = n.terms.length;
  const texts: string[] = [];
  let from = 0;
  positions.forEach((at, j) => {
    texts.push(subject.slice(from, at));
    from = at + values[j]!.length;
  });
  texts.push(subject.slice(from));
  const cat = (parts: string[]): string => (parts.length === 1 ? parts[0]! : `(str.++ ${parts.join(' ')})`);
  const out: string[] = [];
  // From the left: c0 T1 … ck-1 Tk, then the rest.
  const left: string[] = [];
  for (let j = 0; j < k; j++) left.push(smtString(texts[j]!), n.terms[j]!);
  const x = fresh();
  out.push(
    `(declare-const ${x} String)`,
    `(assert (=> (str.prefixof ${cat(left)} ${n.subject}) (= ${n.subject} (str.++ ${left.join(' ')} ${x}))))`,
    `(assert (=> (and (str.prefixof ${cat(left)} ${n.subject}) (str.in_re ${x} ${toSmt(n.pieces[k]!)})) ${n.nl}))`,
  );
  // From the right: the rest, then T1 c1 … Tk ck.
  const right: string[] = [];
  for (let j = 0; j < k; j++) right.push(n.terms[j]!, smtString(texts[j + 1]!));
  const y = fresh();
  out.push(
    `(declare-const ${y} String)`,
    `(assert (=> (str.suffixof ${cat(right)} ${n.subject}) (= ${n.subject} (str.++ ${y} ${right.join(' ')}))))`,
    `(assert (=> (and (str.suffixof ${cat(right)} ${n.subject}) (str.in_re ${y} ${toSmt(n.pieces[0]!)})) ${n.nl}))`,
  );
  return out;
}

/**
 * Split positions at which `subject` is in `Q0 v1 Q1 … vk Qk` (the model's values), if any.
 */
export function matchingSplit(subject: string, values: string[], pieces: Re[]): number[] | undefined {
  const tests = pieces.map((q) => compileMatcher(q));
  let budget = 10_000;
  const go = (j: number, from: number): number[] | undefined => {
    if (j === values.length) return tests[j]!(subject.slice(from)) ? [] : undefined;
    const v = values[j]!;
    for (let at = subject.indexOf(v, from); at >= 0; at = subject.indexOf(v, at + 1)) {
      if (--budget < 0) return undefined;
      if (!tests[j]!(subject.slice(from, at))) continue;
      const rest = go(j + 1, at + v.length);
      if (rest) return [at, ...rest];
      if (at >= subject.length) break;
    }
    return undefined;
  };
  return go(0, 0);
}

/**
 * Values the variables of `atom` may take for `sample` to match it: the sample (a string of the
 * atom's dimension that satisfies an over-approximation; for a test of a key the caller brings,
 * that key's value) cut where the pattern's text allows, each
 * cut giving every variable a value (a variable twice, the same value). At most `limit`, non-empty
 * values first; none when the pattern is not a plain concatenation around its variables.
 */
export function valuesFromSample(atom: Atom, sample: string, limit = 6): Map<string, string>[] {
  const pat = atom.pattern;
  if (!pat || pat.mode === 'literal-ci') return [];
  const keys: string[] = [];
  const tokens: GlobToken[] = [];
  for (const piece of pat.pieces) {
    if (piece.t === 'tokens') tokens.push(...piece.tokens);
    else {
      tokens.push({ t: 'lit', s: String.fromCharCode(HOLE + keys.length) });
      keys.push(piece.key);
    }
  }
  const merged = mergeLiterals(tokens);
  const split = splitAtHoles(modeRe(merged, pat.mode));
  if (!split) return [];
  const tests = split.pieces.map((q) => compileMatcher(q));
  const out: Map<string, string>[] = [];
  let budget = 5_000;
  const go = (j: number, from: number, values: Map<string, string>): void => {
    if (out.length >= limit || --budget < 0) return;
    if (j === split.holes.length) {
      if (tests[j]!(sample.slice(from))) out.push(new Map(values));
      return;
    }
    const key = keys[split.holes[j]!]!;
    for (let a = from; a <= sample.length; a++) {
      if (!tests[j]!(sample.slice(from, a))) continue;
      const fixed = values.get(key);
      for (let b = sample.length; b >= a; b--) {
        const v = sample.slice(a, b);
        if (fixed !== undefined && v !== fixed) continue;
        const next = new Map(values).set(key, v);
        go(j + 1, b, next);
        if (out.length >= limit) return;
      }
    }
  };
  go(0, 0, new Map());
  return out.sort((x, y) => Number([...x.values()].includes('')) - Number([...y.values()].includes('')));
}
