/**
 * Matching helpers for the concrete evaluator: globs, ARN patterns and policy variables (numbers,
 * dates and IP ranges are read by values.ts). Pure functions; no Node or DOM imports (runs in a
 * browser worker).
 *
 * A pattern is a list of parts. `pattern` parts come from the policy text: `*` matches any run of
 * characters and `?` exactly one. `literal` parts come from policy-variable substitution (the value of
 * a context key, or `${*}`, `${?}`, `${$}`) and never act as wildcards.
 */

type GlobPart = { kind: 'pattern'; text: string } | { kind: 'literal'; text: string };

export type GlobInput = string | GlobPart[];

function toParts(p: GlobInput): GlobPart[] {
  return typeof p === 'string' ? [{ kind: 'pattern', text: p }] : p;
}

/** The text of a pattern as written after substitution (wildcards shown as `*`/`?`). */
function partsText(p: GlobInput): string {
  return toParts(p)
    .map((x) => x.text)
    .join('');
}

function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

export interface GlobOptions {
  /** lower-case the pattern (and, in `globMatches`, the subject) before matching */
  caseInsensitive?: boolean;
  /**
   * ARN mode: until this many `:` characters have been passed in the pattern, `?` and a `*` do not
   * match `:` (they stay within their colon-separated segment), except a `*` that is the last
   * character of its segment (the pattern's next character is `:`): that one may match beyond the
   * colon (IAM User Guide, "Resource": it "can expand to match beyond the colon boundaries").
   */
  segmentColons?: number;
}

/** Compiled globs by options, then by pattern text (the policy's own strings, whose hashes V8 keeps). */
const cache = new Map<string, Map<string, GlobMatcher>>();
let cached = 0;

/** Compiles a glob (`*` any run, `?` one character, everything else literal) to an anchored RegExp. */
export function globToRegExp(pattern: GlobInput, opts: GlobOptions = {}): GlobMatcher {
  const plain =
    typeof pattern === 'string'
      ? pattern
      : pattern.length === 1 && pattern[0]!.kind === 'pattern'
        ? pattern[0]!.text
        : undefined;
  const flags = `${opts.caseInsensitive ? 'i' : 's'}${opts.segmentColons ?? 0}${plain === undefined ? 'p' : ''}`;
  const key = plain ?? JSON.stringify(pattern);
  let byText = cache.get(flags);
  if (!byText) cache.set(flags, (byText = new Map()));
  const hit = byText.get(key);
  if (hit) return hit;
  const re = compileGlob(pattern, opts);
  // Large enough for the biggest managed policies (thousands of patterns) evaluated over and over.
  if (++cached > 200_000) {
    cache.clear();
    cached = 0;
  }
  byText.set(key, re);
  return re;
}

/** What a compiled glob offers: a whole-string test. */
export interface GlobMatcher {
  test(text: string): boolean;
}

// Pattern positions that are not literal code points.
const STAR = -1;
const ONE = -2;
/** a `*` / `?` that does not match `:` (within an ARN's first five segments) */
const SEG_STAR = -3;
const SEG_ONE = -4;
const COLON = 58;

/**
 * Up to three `*`, a RegExp (V8's backtracking is at worst cubic there); more, a linear-time
 * simulation over pattern positions, because a pattern such as `*?*?*?*?*?*a` makes a backtracking
 * RegExp exponential in the length of the text.
 */
function compileGlob(pattern: GlobInput, opts: GlobOptions): GlobMatcher {
  const limit = opts.segmentColons ?? 0;
  let colons = 0;
  let src = '^';
  // Per pattern position: the code point a literal must equal, or one of the wildcard codes below.
  const codes: number[] = [];
  const chars: { wild: boolean; ch: string }[] = [];
  for (const part of toParts(pattern)) {
    const text = opts.caseInsensitive ? part.text.toLowerCase() : part.text;
    for (const ch of text) chars.push({ wild: part.kind === 'pattern' && (ch === '*' || ch === '?'), ch });
  }
  for (let i = 0; i < chars.length; i++) {
    const { wild, ch } = chars[i]!;
    // A `*` that ends its segment (the next character is a `:`) may match beyond the colon.
    const inSegment = colons < limit && !(ch === '*' && chars[i + 1]?.ch === ':');
    if (wild && ch === '*') {
      src += inSegment ? '[^:]*' : '[\\s\\S]*';
      codes.push(inSegment ? SEG_STAR : STAR);
    } else if (wild && ch === '?') {
      src += inSegment ? '[^:]' : '[\\s\\S]';
      codes.push(inSegment ? SEG_ONE : ONE);
    } else {
      if (ch === ':') colons++;
      src += escapeRegExp(ch);
      codes.push(ch.codePointAt(0)!);
    }
  }
  if (codes.filter((c) => c === STAR || c === SEG_STAR).length <= 3) return new RegExp(`${src}$`, 'u');
  return new GlobAutomaton(Int32Array.from(codes));
}

/**
 * The glob as an automaton whose states are pattern positions, run over the text's code points (like
 * the `u` RegExp) with two reused state arrays: O(pattern × text) time, no allocation per test.
 */
class GlobAutomaton implements GlobMatcher {
  private cur: Uint8Array;
  private next: Uint8Array;

  constructor(private readonly codes: Int32Array) {
    this.cur = new Uint8Array(codes.length + 1);
    this.next = new Uint8Array(codes.length + 1);
  }

  /** Adds the positions reachable by letting stars match nothing; false when no position is live. */
  private close(set: Uint8Array): boolean {
    const codes = this.codes;
    let any = false;
    for (let i = 0; i <= codes.length; i++) {
      if (!set[i]) continue;
      any = true;
      const c = codes[i];
      if (c === STAR || c === SEG_STAR) set[i + 1] = 1;
    }
    return any;
  }

  test(text: string): boolean {
    const codes = this.codes;
    const m = codes.length;
    let cur = this.cur;
    let next = this.next;
    cur.fill(0);
    cur[0] = 1;
    this.close(cur);
    for (let k = 0; k < text.length; k++) {
      const ch = text.codePointAt(k)!;
      if (ch > 0xffff) k++;
      next.fill(0);
      for (let i = 0; i < m; i++) {
        if (!cur[i]) continue;
        const c = codes[i]!;
        if (c >= 0) {
          if (c === ch) next[i + 1] = 1;
        } else if (ch !== COLON || c === STAR || c === ONE) {
          if (c === STAR || c === SEG_STAR) next[i] = 1;
          else next[i + 1] = 1;
        }
      }
      if (!this.close(next)) return false;
      [cur, next] = [next, cur];
    }
    this.cur = cur;
    this.next = next;
    return cur[m] === 1;
  }
}

/** Glob match of a whole string. */
export function globMatches(pattern: GlobInput, text: string, opts: GlobOptions = {}): boolean {
  return globToRegExp(pattern, opts).test(opts.caseInsensitive ? text.toLowerCase() : text);
}

function countColons(p: GlobInput): number {
  let n = 0;
  for (const ch of partsText(p)) if (ch === ':') n++;
  return n;
}

/** True when an ARN pattern has fewer than six colon-separated segments (and is not `*`). */
export function isMalformedArnPattern(pattern: GlobInput): boolean {
  const parts = toParts(pattern);
  if (parts.length === 1 && parts[0]?.kind === 'pattern' && parts[0].text === '*') return false;
  return countColons(parts) < 5;
}

/**
 * ARN pattern matching (Resource/NotResource and the Arn* condition operators), case-sensitive:
 * - the pattern `*` matches everything;
 * - a resource with fewer than six colon-separated segments matches nothing else;
 * - a pattern with at least six segments: the first five segments are globs within their segment,
 *   except that a `*` ending a segment may also match colons; the rest (after the fifth colon) is a
 *   glob over the remainder, which may hold `:` and `/`;
 * - a malformed pattern (fewer than six segments) is a plain glob over the whole string.
 */
export function arnMatches(pattern: GlobInput, arn: string): boolean {
  const parts = toParts(pattern);
  if (parts.length === 1 && parts[0]?.kind === 'pattern' && parts[0].text === '*') return true;
  if (arn.split(':').length < 6) return false;
  if (countColons(parts) < 5) return globMatches(parts, arn);
  return globMatches(parts, arn, { segmentColons: 5 });
}

// ---------------------------------------------------------------------------------------------------
// Policy variables

export type VariableLookup = (key: string) => string | string[] | undefined;

export interface Substitution {
  /** false when a referenced key is absent (without default) or holds several values */
  ok: boolean;
  /** the text after substitution (for display) */
  text: string;
  /** the pattern parts: policy text stays `pattern`, substituted values are `literal` */
  parts: GlobPart[];
  /** the keys that could not be substituted */
  missing: string[];
}

const SPECIAL_VARIABLES: Record<string, string> = { '*': '*', '?': '?', $: '$' };

/** Parses the inside of `${...}`: a key, optionally `, 'default'`. */
function parseVariable(inner: string): { key: string; fallback?: string } | undefined {
  const m = /^\s*([^,'\s][^,']*?)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
  if (!m || m[1] === undefined) return undefined;
  return m[2] === undefined ? { key: m[1] } : { key: m[1], fallback: m[2] };
}

/**
 * Substitutes policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'none'}`, `${*}`...).
 * With `active` false (policy version other than 2012-10-17) the text is returned as it is.
 * A `${` without a closing `}`, or with an unparseable inside, is literal policy text.
 */
export function substituteVariables(text: string, lookup: VariableLookup, active: boolean): Substitution {
  const parts: GlobPart[] = [];
  const missing: string[] = [];
  const push = (kind: GlobPart['kind'], t: string): void => {
    if (t === '') return;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += t;
    else parts.push({ kind, text: t });
  };
  if (!active) {
    push('pattern', text);
    return { ok: true, text, parts, missing };
  }
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('${', i);
    if (open < 0) {
      push('pattern', text.slice(i));
      break;
    }
    const close = text.indexOf('}', open + 2);
    if (close < 0) {
      push('pattern', text.slice(i));
      break;
    }
    push('pattern', text.slice(i, open));
    const inner = text.slice(open + 2, close);
    const special = SPECIAL_VARIABLES[inner];
    const v = special === undefined ? parseVariable(inner) : undefined;
    if (special !== undefined) push('literal', special);
    else if (!v) push('pattern', text.slice(open, close + 1));
    else {
      const raw = lookup(v.key);
      const values = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
      if (values.length === 1 && values[0] !== undefined) push('literal', values[0]);
      else if (values.length === 0 && v.fallback !== undefined) push('literal', v.fallback);
      else missing.push(v.key);
    }
    i = close + 1;
  }
  return { ok: missing.length === 0, text: partsText(parts), parts, missing };
}
