/**
 * Case-insensitive IAM action globs (`*` = any run of characters, `?` = exactly one character) and the
 * two operations the recommender needs on them: matching a concrete action, and the derivative of a
 * glob by a literal prefix (which globs, appended to that prefix, match exactly the strings that start
 * with the prefix and match the original glob).
 */

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}

/** Classic greedy matcher with one backtrack point; both sides must already be lower case. */
export function globMatchLower(p: string, s: string): boolean {
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    const pc = p.charCodeAt(pi);
    if (pi < p.length && (pc === 63 /* ? */ || pc === s.charCodeAt(si))) {
      pi++;
      si++;
    } else if (pi < p.length && pc === 42 /* * */) {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
  return pi === p.length;
}

export function globMatch(pattern: string, action: string): boolean {
  return globMatchLower(pattern.toLowerCase(), action.toLowerCase());
}

/** The literal text before the first wildcard, lower case. */
export function literalPrefix(lowerPattern: string): string {
  let i = 0;
  while (i < lowerPattern.length && lowerPattern[i] !== '*' && lowerPattern[i] !== '?') i++;
  return lowerPattern.slice(0, i);
}

function closure(p: string, states: Set<number>): Set<number> {
  for (const s of [...states]) {
    let i = s;
    while (i < p.length && p[i] === '*') states.add(++i);
  }
  return states;
}

/**
 * NFA states (positions in the lower-case pattern) after reading `prefix` (lower case). Empty when no
 * string starting with `prefix` matches the pattern.
 */
export function statesAfter(lowerPattern: string, prefix: string): Set<number> {
  let states = closure(lowerPattern, new Set([0]));
  for (let k = 0; k < prefix.length && states.size > 0; k++) {
    const c = prefix[k];
    const next = new Set<number>();
    for (const s of states) {
      if (s >= lowerPattern.length) continue;
      const pc = lowerPattern[s];
      if (pc === '*') next.add(s);
      else if (pc === '?' || pc === c) next.add(s + 1);
    }
    states = closure(lowerPattern, next);
  }
  return states;
}

/**
 * Globs (as `prefix` + a suffix of the original pattern, original case kept) whose union matches exactly
 * the strings that start with `prefix` and match `pattern`. For `s3:Get*` and prefix `s3:GetObject` this
 * is `["s3:GetObject*"]`; for `s3:Get*Tagging` it is `["s3:GetObject*Tagging"]`.
 */
export function derivativeGlobs(pattern: string, prefix: string): string[] {
  const lower = pattern.toLowerCase();
  // Fast path for the common `literal*` pattern.
  const star = lower.indexOf('*');
  if (
    star === lower.length - 1 &&
    !lower.includes('?') &&
    prefix.toLowerCase().startsWith(lower.slice(0, star))
  )
    return [`${prefix}*`];
  const states = statesAfter(lower, prefix.toLowerCase());
  // A state sitting on `*` subsumes the state right after that star.
  const kept = [...states]
    .filter((s) => !(s > 0 && lower[s - 1] === '*' && states.has(s - 1)))
    .sort((a, b) => a - b);
  const suffixes = new Set<string>();
  for (const s of kept) {
    const rest = pattern.slice(s);
    if (rest.length > 0 && /^\*+$/.test(rest)) return [`${prefix}*`];
    suffixes.add(rest);
  }
  return [...suffixes].map((r) => prefix + r);
}
