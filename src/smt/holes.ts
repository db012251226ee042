/**
 * A pattern's regex with its policy variables as placeholder characters ("holes": one private-use
 * character per variable), so the usual glob and ARN code builds it once. Then the holes are filled
 * with the regexes of the variables' values (patterns.ts, over-approximation), printed as SMT with
 * the variables' string terms, or cut at into ground pieces (variables.ts, splits.ts).
 */
import { cat, or as reOr, smtString, star, str, toSmt, type Re } from './regex.ts';

/** Placeholder characters for the variables while a pattern's regex is built (then substituted). */
export const HOLE = 0xe000;

/** Replaces the placeholder characters in a regex's literal pieces by the regexes they stand for. */
export function fillHoles(r: Re, fills: Re[]): Re {
  switch (r.k) {
    case 'str': {
      const parts: Re[] = [];
      let lit = '';
      for (const ch of r.s) {
        const h = ch.charCodeAt(0) - HOLE;
        if (h >= 0 && h < fills.length) {
          parts.push(str(lit), fills[h]!);
          lit = '';
        } else lit += ch;
      }
      return parts.length ? cat(...parts, str(lit)) : r;
    }
    case 'cat':
      return cat(...r.rs.map((x) => fillHoles(x, fills)));
    case 'or':
      return reOr(...r.rs.map((x) => fillHoles(x, fills)));
    case 'and':
      return { k: 'and', rs: r.rs.map((x) => fillHoles(x, fills)) };
    case 'not':
      return { k: 'not', r: fillHoles(r.r, fills) };
    case 'star':
      return star(fillHoles(r.r, fills));
    case 'loop':
      return { k: 'loop', r: fillHoles(r.r, fills), n: r.n };
    default:
      return r;
  }
}

/** A regex whose `str` pieces may hold holes (variables), printed with the variables' terms. */
export function printRe(r: Re, holes: string[]): string {
  switch (r.k) {
    case 'str': {
      const parts: string[] = [];
      let lit = '';
      for (const ch of r.s) {
        const h = ch.charCodeAt(0) - HOLE;
        if (h >= 0 && h < holes.length) {
          if (lit) parts.push(`(str.to_re ${smtString(lit)})`);
          lit = '';
          parts.push(`(str.to_re ${holes[h]!})`);
        } else lit += ch;
      }
      if (lit || !parts.length) parts.push(`(str.to_re ${smtString(lit)})`);
      return parts.length === 1 ? parts[0]! : `(re.++ ${parts.join(' ')})`;
    }
    case 'cat':
      return `(re.++ ${r.rs.map((x) => printRe(x, holes)).join(' ')})`;
    case 'or':
      return `(re.union ${r.rs.map((x) => printRe(x, holes)).join(' ')})`;
    case 'and':
      return `(re.inter ${r.rs.map((x) => printRe(x, holes)).join(' ')})`;
    case 'not':
      return `(re.comp ${printRe(r.r, holes)})`;
    case 'star':
      return `(re.* ${printRe(r.r, holes)})`;
    case 'loop':
      return `((_ re.loop ${r.n} ${r.n}) ${printRe(r.r, holes)})`;
    default:
      return toSmt(r);
  }
}

/** The text of a `str` regex with its holes as a string term. */
export function printTerm(s: string, holes: string[]): string {
  const parts: string[] = [];
  let lit = '';
  for (const ch of s) {
    const h = ch.charCodeAt(0) - HOLE;
    if (h >= 0 && h < holes.length) {
      if (lit) parts.push(smtString(lit));
      lit = '';
      parts.push(holes[h]!);
    } else lit += ch;
  }
  if (lit || !parts.length) parts.push(smtString(lit));
  return parts.length === 1 ? parts[0]! : `(str.++ ${parts.join(' ')})`;
}

export function hasHole(r: Re): boolean {
  switch (r.k) {
    case 'str':
      for (const ch of r.s) if (ch.charCodeAt(0) >= HOLE && ch.charCodeAt(0) < HOLE + 0x100) return true;
      return false;
    case 'cat':
    case 'or':
    case 'and':
      return r.rs.some(hasHole);
    case 'not':
    case 'star':
    case 'loop':
      return hasHole(r.r);
    default:
      return false;
  }
}

/**
 * A regex whose holes all sit in the literal pieces of one concatenation, cut at the holes:
 * `Q0 h1 Q1 … hk Qk` with ground Qi (undefined when a hole is under a star, union, ...).
 */
export function splitAtHoles(r: Re): { pieces: Re[]; holes: number[] } | undefined {
  const flat: Re[] = [];
  const walk = (x: Re): void => {
    if (x.k === 'cat') x.rs.forEach(walk);
    else flat.push(x);
  };
  walk(r);
  const pieces: Re[] = [];
  const holes: number[] = [];
  let cur: Re[] = [];
  for (const x of flat) {
    if (x.k !== 'str') {
      if (hasHole(x)) return undefined;
      cur.push(x);
      continue;
    }
    let lit = '';
    for (const ch of x.s) {
      const h = ch.charCodeAt(0) - HOLE;
      if (h >= 0 && h < 0x100) {
        cur.push(str(lit));
        lit = '';
        pieces.push(cat(...cur));
        holes.push(h);
        cur = [];
      } else lit += ch;
    }
    cur.push(str(lit));
  }
  pieces.push(cat(...cur));
  return { pieces, holes };
}
