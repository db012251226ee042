/**
 * The value patterns of a policy's conditions and resources, with their policy variables: split into
 * glob tokens and `${key}` variables, the regex of each match mode, the ground regex once the
 * variables have values (`instantiate`), and over-approximations that hold for every value
 * (`overApproximate`, what a conflict must survive to be a lemma; docs/semantics-decisions.md).
 */
import { isCallerKey, type CallerKey } from '../evaluate/caller.ts';
import type { Atom } from './atoms.ts';
import { callerKeyPresence } from './caller.ts';
import { HOLE, fillHoles } from './holes.ts';
import {
  and as reAnd,
  arnTokensRe,
  globTokens,
  or as reOr,
  str,
  tokensToRe,
  type GlobToken,
  type Re,
} from './regex.ts';

/** A pattern piece: literal glob tokens or a policy variable. */
export type PatternPiece = { t: 'tokens'; tokens: GlobToken[] } | { t: 'var'; key: string; dflt?: string };

export type MatchMode = 'glob' | 'arn' | 'literal' | 'literal-ci' | 'raw';

/**
 * What a value pattern tests on its dimension: `build` turns the pattern's tokens into the regex of
 * the value itself; a view maps that onto the dimension (identity for a key's own dimension, a
 * piece of the caller code for the keys the caller brings).
 */
export type View = (tokens: GlobToken[], build: (tokens: GlobToken[]) => Re) => Re;
export const OWN: View = (tokens, build) => build(tokens);

/** The regex of a pattern's tokens as a condition operator compares (`raw`: the text as written). */
export function modeRe(tokens: GlobToken[], mode: MatchMode): Re {
  switch (mode) {
    case 'arn':
      return arnTokensRe(tokens);
    case 'glob':
      return tokensToRe(tokens);
    case 'literal':
    case 'raw':
      return str(tokens.map((t) => (t.t === 'lit' ? t.s : t.t === 'star' ? '*' : '?')).join(''));
    case 'literal-ci':
      return tokensToRe(
        tokens.map((t) => ({ t: 'lit', s: t.t === 'lit' ? t.s : t.t === 'star' ? '*' : '?' })),
        { caseInsensitive: true },
      );
  }
}

/**
 * Splits text into glob tokens and `${key}` variables. `${*}`, `${?}`, `${$}` are literal characters.
 * With variables inactive the text is taken as written.
 */
export function splitVariables(text: string, active: boolean): PatternPiece[] {
  if (!active || !text.includes('${')) return [{ t: 'tokens', tokens: globTokens(text) }];
  const pieces: PatternPiece[] = [];
  let tokens: GlobToken[] = [];
  const pushLit = (s: string) => {
    const last = tokens[tokens.length - 1];
    if (last?.t === 'lit') tokens[tokens.length - 1] = { t: 'lit', s: last.s + s };
    else tokens.push({ t: 'lit', s });
  };
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('${', i)) {
      const close = text.indexOf('}', i + 2);
      if (close > 0) {
        const inner = text.slice(i + 2, close).trim();
        i = close + 1;
        if (inner === '*' || inner === '?' || inner === '$') {
          pushLit(inner);
          continue;
        }
        const m = /^([^,]+?)\s*(?:,\s*'([^']*)')?$/.exec(inner);
        if (tokens.length) pieces.push({ t: 'tokens', tokens });
        tokens = [];
        const v: PatternPiece = { t: 'var', key: (m?.[1] ?? inner).toLowerCase() };
        if (m?.[2] !== undefined) v.dflt = m[2];
        pieces.push(v);
        continue;
      }
    }
    const ch = text[i]!;
    if (ch === '*') tokens.push({ t: 'star' });
    else if (ch === '?') tokens.push({ t: 'one' });
    else pushLit(ch);
    i++;
  }
  if (tokens.length) pieces.push({ t: 'tokens', tokens });
  return pieces;
}

/** A key that holds several values: a variable over it has no value, and no default applies. */
export const SEVERAL_VALUES = Symbol('several values');

/**
 * The ground regex of a variable-bearing atom once its variables have values (`values` answers
 * undefined for an absent key); undefined when a variable has no value (the pattern matches nothing).
 */
export function instantiate(
  a: Atom,
  values: (key: string) => string | undefined | typeof SEVERAL_VALUES,
): Re | undefined {
  if (!a.pattern) return a.re;
  const tokens: GlobToken[] = [];
  for (const p of a.pattern.pieces) {
    if (p.t === 'tokens') tokens.push(...p.tokens);
    else {
      const value = values(p.key);
      if (value === SEVERAL_VALUES) return undefined;
      const v = value ?? p.dflt;
      if (v === undefined) return undefined;
      tokens.push({ t: 'lit', s: v });
    }
  }
  const merged = mergeLiterals(tokens);
  const mode = a.pattern.mode;
  return a.pattern.view(merged, (t) => modeRe(t, mode));
}

/** Values a variable's key can take, when known to be regular (`plain`: never empty, never a ':'). */
export type Domain = (key: string) => { re: Re; plain: boolean } | undefined;

/**
 * Over-approximation of a variable atom: every variable may be any text. In an ARN pattern whose
 * first five colons are all written before the first variable, a value lands in the resource part
 * whatever it is, so the partition keeps its segments; a variable earlier than that may bring colons
 * of its own (shifting the segments), and only a plain glob covers every value.
 *
 * With `domain` (the values of the caller's keys: an account is twelve digits), a variable whose
 * key has one stands for its domain instead (or its default), where that is exact: a pattern on its
 * own dimension, not compared ignoring case, in an ARN only a plain domain before the fifth colon.
 */
export function overApproximate(a: Atom, domain?: Domain): Re {
  if (!a.pattern) return a.re!;
  const tight = domain && tightOverApproximation(a, domain);
  if (tight) return tight;
  const tokens: GlobToken[] = [];
  let colonsBeforeVariable = 0;
  let seenVariable = false;
  for (const p of a.pattern.pieces) {
    if (p.t === 'tokens') {
      tokens.push(...p.tokens);
      if (!seenVariable)
        for (const t of p.tokens) if (t.t === 'lit') colonsBeforeVariable += t.s.split(':').length - 1;
    } else {
      tokens.push({ t: 'star' });
      seenVariable = true;
    }
  }
  const mode = a.pattern.mode;
  const build = (t: GlobToken[]): Re =>
    mode === 'literal' || mode === 'literal-ci'
      ? tokensToRe(t, { caseInsensitive: mode === 'literal-ci' })
      : mode === 'arn'
        ? colonsBeforeVariable >= 5
          ? arnTokensRe(t)
          : tokensToRe(t)
        : modeRe(t, mode);
  const over = a.pattern.view(tokens, build);
  // On the principal, a variable over a key the caller brings (without default) also says the
  // caller has that key (the atom implies its presence: varAtom's axiom).
  if (a.dim.kind !== 'principal') return over;
  const keys = a.pattern.pieces.flatMap((p) =>
    p.t === 'var' && p.dflt === undefined && isCallerKey(p.key) ? [p.key] : [],
  );
  return keys.length ? reAnd(over, ...keys.map((k) => callerKeyPresence(k as CallerKey))) : over;
}

function tightOverApproximation(a: Atom, domain: Domain): Re | undefined {
  const pat = a.pattern!;
  if (pat.readsKey !== undefined || pat.mode === 'literal-ci') return undefined;
  const domains: Re[] = [];
  const tokens: GlobToken[] = [];
  let colons = 0;
  for (const p of pat.pieces) {
    if (p.t === 'tokens') {
      tokens.push(...p.tokens);
      for (const t of p.tokens) if (t.t === 'lit') colons += t.s.split(':').length - 1;
      continue;
    }
    const d = domain(p.key);
    if (!d) return undefined;
    const plain = d.plain && (p.dflt === undefined || /^[^:]+$/.test(p.dflt));
    if (pat.mode === 'arn' && colons < 5 && !plain) return undefined;
    tokens.push({ t: 'lit', s: String.fromCharCode(HOLE + domains.length) });
    domains.push(p.dflt === undefined ? d.re : reOr(d.re, str(p.dflt)));
  }
  const merged = mergeLiterals(tokens);
  return fillHoles(
    pat.view(merged, (t) => modeRe(t, pat.mode)),
    domains,
  );
}

/** Adjacent literal tokens merged into one, so ARN splitting sees whole segments. */
export function mergeLiterals(tokens: GlobToken[]): GlobToken[] {
  const merged: GlobToken[] = [];
  for (const t of tokens) {
    const last = merged[merged.length - 1];
    if (t.t === 'lit' && last?.t === 'lit') merged[merged.length - 1] = { t: 'lit', s: last.s + t.s };
    else merged.push(t);
  }
  return merged;
}
