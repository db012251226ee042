/**
 * A small regular-expression AST with two back ends: SMT-LIB2 text for Z3 and a JavaScript matcher
 * for the fast paths (choosing realistic witnesses, catalog signatures). Globs from policies are
 * compiled here, so the encoder and its concrete shortcuts agree by construction.
 */
import { nfaMatcher } from './automata.ts';

export type Re =
  | { k: 'str'; s: string }
  | { k: 'any' } // exactly one character
  | { k: 'notchar'; c: string } // one character other than c
  | { k: 'all' } // any string
  | { k: 'none' }
  | { k: 'range'; lo: string; hi: string }
  | { k: 'cat'; rs: Re[] }
  | { k: 'or'; rs: Re[] }
  | { k: 'and'; rs: Re[] }
  | { k: 'not'; r: Re }
  | { k: 'star'; r: Re }
  | { k: 'loop'; r: Re; n: number };

export const ALL: Re = { k: 'all' };
export const NONE: Re = { k: 'none' };
export const ANY: Re = { k: 'any' };

export function str(s: string): Re {
  return { k: 'str', s };
}
export function cat(...rs: Re[]): Re {
  const flat: Re[] = [];
  for (const r of rs) {
    if (r.k === 'none') return NONE;
    if (r.k === 'cat') flat.push(...r.rs);
    else if (r.k === 'str' && r.s === '') continue;
    else {
      const last = flat[flat.length - 1];
      if (r.k === 'str' && last?.k === 'str') flat[flat.length - 1] = { k: 'str', s: last.s + r.s };
      else flat.push(r);
    }
  }
  if (flat.length === 0) return str('');
  return flat.length === 1 ? flat[0]! : { k: 'cat', rs: flat };
}
export function or(...rs: Re[]): Re {
  const flat: Re[] = [];
  const seen = new Set<string>();
  for (const r of rs) {
    const parts = r.k === 'or' ? r.rs : [r];
    for (const p of parts) {
      if (p.k === 'none') continue;
      if (p.k === 'all') return ALL;
      const key = toSmt(p);
      if (!seen.has(key)) {
        seen.add(key);
        flat.push(p);
      }
    }
  }
  if (flat.length === 0) return NONE;
  return flat.length === 1 ? flat[0]! : { k: 'or', rs: flat };
}
export function and(...rs: Re[]): Re {
  const flat: Re[] = [];
  for (const r of rs) {
    if (r.k === 'all') continue;
    if (r.k === 'none') return NONE;
    if (r.k === 'and') flat.push(...r.rs);
    else flat.push(r);
  }
  if (flat.length === 0) return ALL;
  return flat.length === 1 ? flat[0]! : { k: 'and', rs: flat };
}
export function not(r: Re): Re {
  if (r.k === 'all') return NONE;
  if (r.k === 'none') return ALL;
  if (r.k === 'not') return r.r;
  return { k: 'not', r };
}
export function star(r: Re): Re {
  return { k: 'star', r };
}

/** Glob token: literal text or a wildcard. `${*}` and friends become literal text before this. */
export type GlobToken = { t: 'lit'; s: string } | { t: 'star' } | { t: 'one' };

/** Splits a glob into tokens (`*` any run, `?` one character). */
export function globTokens(pattern: string): GlobToken[] {
  const out: GlobToken[] = [];
  let lit = '';
  for (const ch of pattern) {
    if (ch === '*' || ch === '?') {
      if (lit) out.push({ t: 'lit', s: lit });
      lit = '';
      out.push(ch === '*' ? { t: 'star' } : { t: 'one' });
    } else lit += ch;
  }
  if (lit) out.push({ t: 'lit', s: lit });
  return out;
}

export interface GlobOptions {
  /** what `*` and `?` may match: any character, or any but ':' (ARN segments) */
  segment?: boolean;
  caseInsensitive?: boolean;
}

function litRe(s: string, ci: boolean): Re {
  if (!ci) return str(s);
  const parts: Re[] = [];
  for (const ch of s) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    parts.push(lo === up ? str(ch) : or(str(lo), str(up)));
  }
  return cat(...parts);
}

export function tokensToRe(tokens: GlobToken[], opts: GlobOptions = {}): Re {
  const one: Re = opts.segment ? { k: 'notchar', c: ':' } : ANY;
  return cat(
    ...tokens.map((t) =>
      t.t === 'lit'
        ? litRe(t.s, !!opts.caseInsensitive)
        : t.t === 'one'
          ? one
          : opts.segment
            ? star(one)
            : ALL,
    ),
  );
}

export function globRe(pattern: string, opts: GlobOptions = {}): Re {
  return tokensToRe(globTokens(pattern), opts);
}

/**
 * An ARN pattern matched part by part (docs/semantics-decisions.md): the first five fields are
 * globs within their segment, except that a `*` ending a segment may also match colons; the resource
 * part a glob over the rest. `*` alone matches anything; a pattern with fewer than six parts is a
 * plain glob. Kept in step with `arnMatches` (policy/glob.ts).
 */
export function arnTokensRe(tokens: GlobToken[]): Re {
  if (tokens.length === 1 && tokens[0]!.t === 'star') return ALL;
  // Split the token list at the first five literal colons.
  const segs: GlobToken[][] = [[]];
  for (const t of tokens) {
    if (t.t !== 'lit' || segs.length === 6) {
      segs[segs.length - 1]!.push(t);
      continue;
    }
    let s = t.s;
    while (segs.length < 6) {
      const c = s.indexOf(':');
      if (c < 0) break;
      if (c > 0) segs[segs.length - 1]!.push({ t: 'lit', s: s.slice(0, c) });
      segs.push([]);
      s = s.slice(c + 1);
    }
    if (s) segs[segs.length - 1]!.push({ t: 'lit', s });
  }
  // Malformed pattern: a plain glob, and (as the evaluator decides) only over six-part ARNs.
  if (segs.length < 6) return and(tokensToRe(tokens), SIX_PARTS);
  const parts: Re[] = [];
  segs.forEach((seg, i) => {
    if (i > 0) parts.push(str(':'));
    if (i === 5) {
      parts.push(tokensToRe(seg));
      return;
    }
    // A `*` that is the last character of its segment may match beyond the colon (IAM "Resource").
    const last = seg[seg.length - 1];
    if (last?.t === 'star') parts.push(tokensToRe(seg.slice(0, -1), { segment: true }), ALL);
    else parts.push(tokensToRe(seg, { segment: true }));
  });
  return cat(...parts);
}

const SEGMENT: Re = { k: 'star', r: { k: 'notchar', c: ':' } };
const SIX_PARTS: Re = cat(
  SEGMENT,
  str(':'),
  SEGMENT,
  str(':'),
  SEGMENT,
  str(':'),
  SEGMENT,
  str(':'),
  SEGMENT,
  str(':'),
  ALL,
);

export function arnRe(pattern: string): Re {
  return arnTokensRe(globTokens(pattern));
}

// ---------------------------------------------------------------------------------------------
// SMT-LIB2 printing

/** SMT-LIB 2.6 string literal: printable ASCII as is (a quote doubled), everything else \u{..}. */
export function smtString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '""';
    else if (cp >= 0x20 && cp <= 0x7e && ch !== '\\') out += ch;
    else out += `\\u{${cp.toString(16)}}`;
  }
  return out + '"';
}

export function toSmt(r: Re): string {
  switch (r.k) {
    case 'str':
      return `(str.to_re ${smtString(r.s)})`;
    case 'any':
      return 're.allchar';
    case 'notchar':
      return `(re.diff re.allchar (str.to_re ${smtString(r.c)}))`;
    case 'all':
      return 're.all';
    case 'none':
      return 're.none';
    case 'range':
      return `(re.range ${smtString(r.lo)} ${smtString(r.hi)})`;
    case 'cat':
      return `(re.++ ${r.rs.map(toSmt).join(' ')})`;
    case 'or':
      return `(re.union ${r.rs.map(toSmt).join(' ')})`;
    case 'and':
      return `(re.inter ${r.rs.map(toSmt).join(' ')})`;
    case 'not':
      return `(re.comp ${toSmt(r.r)})`;
    case 'star':
      return `(re.* ${toSmt(r.r)})`;
    case 'loop':
      return `((_ re.loop ${r.n} ${r.n}) ${toSmt(r.r)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// JavaScript matching

function escapeJs(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** JS regex source for intersection/complement-free expressions, undefined otherwise. */
function jsSource(r: Re): string | undefined {
  switch (r.k) {
    case 'str':
      return escapeJs(r.s);
    case 'any':
      return '[\\s\\S]';
    case 'notchar':
      return `[^${escapeJs(r.c)}]`;
    case 'all':
      return '[\\s\\S]*';
    case 'none':
      return '(?!)';
    case 'range':
      return `[${escapeJs(r.lo)}-${escapeJs(r.hi)}]`;
    case 'cat': {
      const parts = r.rs.map(jsSource);
      return parts.some((p) => p === undefined) ? undefined : parts.map((p) => `(?:${p})`).join('');
    }
    case 'or': {
      const parts = r.rs.map(jsSource);
      return parts.some((p) => p === undefined) ? undefined : `(?:${parts.join('|')})`;
    }
    case 'star': {
      const p = jsSource(r.r);
      return p === undefined ? undefined : `(?:${p})*`;
    }
    case 'loop': {
      const p = jsSource(r.r);
      return p === undefined ? undefined : `(?:${p}){${r.n}}`;
    }
    default:
      return undefined;
  }
}

/** Unbounded repetitions along one alternative: with more than three, a backtracking RegExp can blow up. */
function starDepth(r: Re): number {
  switch (r.k) {
    case 'all':
    case 'star':
      return 1 + (r.k === 'star' ? starDepth(r.r) : 0);
    case 'cat':
      return r.rs.reduce((n, x) => n + starDepth(x), 0);
    case 'or':
    case 'and':
      return Math.max(0, ...r.rs.map(starDepth));
    case 'not':
    case 'loop':
      return starDepth(r.r);
    default:
      return 0;
  }
}

/** A predicate equivalent to membership in r. */
export function compileMatcher(r: Re): (s: string) => boolean {
  // A pattern like `*?*?*?*?*?*a` would make V8's backtracking exponential: simulate the automaton.
  if (starDepth(r) > 3) return nfaMatcher(r);
  switch (r.k) {
    case 'and': {
      const ms = r.rs.map(compileMatcher);
      return (s) => ms.every((m) => m(s));
    }
    case 'not': {
      const m = compileMatcher(r.r);
      return (s) => !m(s);
    }
    case 'or': {
      const src = jsSource(r);
      if (src !== undefined) {
        const re = new RegExp(`^${src}$`);
        return (s) => re.test(s);
      }
      const ms = r.rs.map(compileMatcher);
      return (s) => ms.some((m) => m(s));
    }
    default: {
      const src = jsSource(r);
      // An intersection or complement inside a concatenation: simulate the automaton instead.
      if (src === undefined) return nfaMatcher(r);
      const re = new RegExp(`^${src}$`);
      return (s) => re.test(s);
    }
  }
}
