/** Glob helpers for action patterns (`*` any run, `?` one character, case-insensitive). */

export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

/**
 * True when every string matched by glob `a` is also matched by glob `b` (case-insensitive).
 * `b`'s `*` may absorb any tokens of `a` (wildcards included), `b`'s `?` absorbs one literal or `?`
 * of `a`, and a literal of `b` only the same literal of `a`.
 */
export function globIncludes(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const n = x.length;
  const m = y.length;
  // ok[i][j]: x[i..] is included in y[j..]; filled from the end.
  let next = new Array<boolean>(n + 1).fill(false); // column j + 1
  next[n] = true; // j = m: only the empty rest of x is included in the empty rest of y
  for (let i = 0; i < n; i++) next[i] = false;
  for (let j = m - 1; j >= 0; j--) {
    const cur = new Array<boolean>(n + 1).fill(false);
    const bc = y[j];
    for (let i = n; i >= 0; i--) {
      if (bc === '*') {
        cur[i] = (next[i] ?? false) || (i < n && (cur[i + 1] ?? false));
      } else if (i === n) {
        cur[i] = false;
      } else {
        const ac = x[i];
        if (bc === '?') cur[i] = ac !== '*' && (next[i + 1] ?? false);
        else cur[i] = ac === bc && (next[i + 1] ?? false);
      }
    }
    next = cur;
  }
  return next[0] ?? false;
}
