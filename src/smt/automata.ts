/**
 * Exact membership reasoning for one dimension without Z3: is there a string that is in every
 * positive regex and in no negative one? Each regex becomes an NFA (Thompson; `and` by product), the
 * NFAs are determinised lazily (subset construction, one cache per regex) and the product of the
 * resulting DFAs is searched breadth first, so a witness is a shortest one.
 *
 * Why not Z3: measured on z3-solver 5.2.0, one `str.in_re` query costs 6 ms to seconds, and a check
 * needs hundreds of them (145 calls, 6 s of a 10 s budget on one corpus pair). Policy patterns are
 * globs, ARNs and CIDR prefixes, whose automata stay small, so the search below answers in
 * microseconds to milliseconds. It gives up (`unknown`) past a state budget; the caller then asks Z3.
 *
 * Characters are UTF-16 code units, as in the JavaScript matchers of regex.ts.
 */
import type { Re } from './regex.ts';

const MAX_CHAR = 0xffff;

/** A character set: sorted, disjoint, inclusive [lo, hi] code-unit intervals. */
type CharSet = readonly (readonly [number, number])[];

const ANY_SET: CharSet = [[0, MAX_CHAR]];

function notCharSet(c: number): CharSet {
  const out: [number, number][] = [];
  if (c > 0) out.push([0, c - 1]);
  if (c < MAX_CHAR) out.push([c + 1, MAX_CHAR]);
  return out;
}

function intersectSets(a: CharSet, b: CharSet): CharSet {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export class UnsupportedRegex extends Error {}

/** An ε-NFA with one start and one accepting state. */
interface Nfa {
  eps: number[][];
  edges: { set: CharSet; to: number }[][];
  start: number;
  accept: number;
}

class NfaBuilder {
  eps: number[][] = [];
  edges: { set: CharSet; to: number }[][] = [];

  state(): number {
    this.eps.push([]);
    this.edges.push([]);
    return this.eps.length - 1;
  }

  /** Adds the fragment for `r`; returns its start and accepting state. */
  frag(r: Re): [number, number] {
    switch (r.k) {
      case 'str': {
        const s = this.state();
        let cur = s;
        for (let i = 0; i < r.s.length; i++) {
          const c = r.s.charCodeAt(i);
          const n = this.state();
          this.edges[cur]!.push({ set: [[c, c]], to: n });
          cur = n;
        }
        return [s, cur];
      }
      case 'any':
      case 'notchar':
      case 'range': {
        const s = this.state();
        const t = this.state();
        const set: CharSet =
          r.k === 'any'
            ? ANY_SET
            : r.k === 'notchar'
              ? notCharSet(r.c.charCodeAt(0))
              : [[r.lo.charCodeAt(0), r.hi.charCodeAt(0)]];
        this.edges[s]!.push({ set, to: t });
        return [s, t];
      }
      case 'all': {
        const s = this.state();
        this.edges[s]!.push({ set: ANY_SET, to: s });
        return [s, s];
      }
      case 'none':
        return [this.state(), this.state()];
      case 'cat': {
        const [s, first] = this.frag(r.rs[0]!);
        let end = first;
        for (const part of r.rs.slice(1)) {
          const [ps, pe] = this.frag(part);
          this.eps[end]!.push(ps);
          end = pe;
        }
        return [s, end];
      }
      case 'or': {
        const s = this.state();
        const t = this.state();
        for (const part of r.rs) {
          const [ps, pe] = this.frag(part);
          this.eps[s]!.push(ps);
          this.eps[pe]!.push(t);
        }
        return [s, t];
      }
      case 'star': {
        const s = this.state();
        const [ps, pe] = this.frag(r.r);
        this.eps[s]!.push(ps);
        this.eps[pe]!.push(s);
        return [s, s];
      }
      case 'loop': {
        const s = this.state();
        let end = s;
        for (let i = 0; i < r.n; i++) {
          const [ps, pe] = this.frag(r.r);
          this.eps[end]!.push(ps);
          end = pe;
        }
        return [s, end];
      }
      case 'and': {
        let acc = buildNfa(r.rs[0]!);
        for (const part of r.rs.slice(1)) acc = productNfa(acc, buildNfa(part));
        return this.embed(acc);
      }
      case 'not':
        throw new UnsupportedRegex('complement inside a regular expression');
    }
  }

  private embed(n: Nfa): [number, number] {
    const offset = this.eps.length;
    for (let i = 0; i < n.eps.length; i++) {
      this.eps.push(n.eps[i]!.map((t) => t + offset));
      this.edges.push(n.edges[i]!.map((e) => ({ set: e.set, to: e.to + offset })));
    }
    return [n.start + offset, n.accept + offset];
  }
}

function buildNfa(r: Re): Nfa {
  const b = new NfaBuilder();
  const [start, accept] = b.frag(r);
  return { eps: b.eps, edges: b.edges, start, accept };
}

/**
 * Membership of one string by simulating the NFA (no determinisation): the JavaScript matcher for
 * regexes a RegExp cannot express, such as an intersection inside a concatenation.
 */
export function nfaMatcher(r: Re): (s: string) => boolean {
  const nfa = buildNfa(r);
  const closure = (seed: Iterable<number>): Set<number> => {
    const seen = new Set<number>(seed);
    const stack = [...seen];
    while (stack.length) {
      const q = stack.pop()!;
      for (const t of nfa.eps[q]!)
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
    }
    return seen;
  };
  const start = closure([nfa.start]);
  return (s) => {
    let cur = start;
    for (let i = 0; i < s.length && cur.size; i++) {
      const c = s.charCodeAt(i);
      const next: number[] = [];
      for (const q of cur)
        for (const e of nfa.edges[q]!) if (e.set.some(([lo, hi]) => c >= lo && c <= hi)) next.push(e.to);
      cur = closure(next);
    }
    return cur.has(nfa.accept);
  };
}

const PRODUCT_LIMIT = 200_000;

/** The intersection of two NFAs (reachable part only). */
function productNfa(a: Nfa, b: Nfa): Nfa {
  const ids = new Map<number, number>();
  const eps: number[][] = [];
  const edges: { set: CharSet; to: number }[][] = [];
  const queue: [number, number][] = [];
  const idOf = (x: number, y: number): number => {
    const k = x * b.eps.length + y;
    let id = ids.get(k);
    if (id === undefined) {
      id = eps.length;
      if (id > PRODUCT_LIMIT) throw new UnsupportedRegex('intersection too large');
      ids.set(k, id);
      eps.push([]);
      edges.push([]);
      queue.push([x, y]);
    }
    return id;
  };
  const start = idOf(a.start, b.start);
  while (queue.length) {
    const [x, y] = queue.pop()!;
    const id = idOf(x, y);
    for (const t of a.eps[x]!) eps[id]!.push(idOf(t, y));
    for (const t of b.eps[y]!) eps[id]!.push(idOf(x, t));
    for (const ea of a.edges[x]!)
      for (const eb of b.edges[y]!) {
        const set = intersectSets(ea.set, eb.set);
        if (set.length) edges[id]!.push({ set, to: idOf(ea.to, eb.to) });
      }
  }
  // A dedicated accepting state keeps the one-accept shape: (accept, accept) -ε-> final.
  const final = eps.length;
  eps.push([]);
  edges.push([]);
  const both = ids.get(a.accept * b.eps.length + b.accept);
  if (both !== undefined) eps[both]!.push(final);
  return { eps, edges, start, accept: final };
}

/**
 * The alphabet cut into classes of characters that every regex involved treats alike, each with a
 * representative character (a readable one where the class has one).
 */
export class Alphabet {
  /** class i is [bounds[i], bounds[i+1] - 1] */
  readonly bounds: number[];
  readonly reps: string[];
  /** class indices, most readable representative first (the search tries them in this order) */
  readonly order: number[];

  constructor(sets: Iterable<CharSet>) {
    const cuts = new Set<number>([0, MAX_CHAR + 1]);
    for (const set of sets)
      for (const [lo, hi] of set) {
        cuts.add(lo);
        cuts.add(hi + 1);
      }
    this.bounds = [...cuts].sort((x, y) => x - y);
    this.reps = [];
    for (let i = 0; i + 1 < this.bounds.length; i++)
      this.reps.push(representative(this.bounds[i]!, this.bounds[i + 1]! - 1));
    const rank = (ch: string): number => {
      const i = READABLE.indexOf(ch);
      return i >= 0 ? i : READABLE.length + ch.charCodeAt(0);
    };
    this.order = this.reps.map((_, i) => i).sort((x, y) => rank(this.reps[x]!) - rank(this.reps[y]!));
  }

  get size(): number {
    return this.reps.length;
  }

  /** The classes (indices) a character set covers. */
  classesOf(set: CharSet): number[] {
    const out: number[] = [];
    for (const [lo, hi] of set) {
      let i = lowerBound(this.bounds, lo);
      while (i + 1 < this.bounds.length && this.bounds[i]! <= hi) out.push(i++);
    }
    return out;
  }
}

function lowerBound(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (xs[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const READABLE = 'abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFGHIJKLMNOPQRSTUVWXYZ./=+@,';

function representative(lo: number, hi: number): string {
  for (const ch of READABLE) {
    const c = ch.charCodeAt(0);
    if (c >= lo && c <= hi) return ch;
  }
  if (lo <= 0x7e && hi >= 0x20)
    return String.fromCharCode(Math.max(lo, 0x21) <= hi ? Math.max(lo, 0x21) : 0x20);
  // Avoid lone surrogates where the class allows it.
  if (lo < 0xd800 || lo > 0xdfff) return String.fromCharCode(lo);
  return String.fromCharCode(hi > 0xdfff ? 0xe000 : lo);
}

function charSetsOf(n: Nfa): CharSet[] {
  return n.edges.flatMap((es) => es.map((e) => e.set));
}

/** A lazily determinised NFA over a fixed alphabet. DFA state 0 is the empty (dead) set. */
export class LazyDfa {
  private nfa: Nfa;
  private classEdges: { classes: Set<number>; to: number }[][];
  private keyToId = new Map<string, number>();
  private sets: number[][] = [];
  private trans: Int32Array[] = [];
  readonly accepting: boolean[] = [];
  /** every continuation is accepted (a trailing `*` was reached): lets the search prune */
  readonly universal: boolean[] = [];
  private universalNfa: boolean[];
  readonly start: number;

  constructor(
    nfa: Nfa,
    private alphabet: Alphabet,
  ) {
    this.nfa = nfa;
    this.classEdges = nfa.edges.map((es) =>
      es.map((e) => ({ classes: new Set(alphabet.classesOf(e.set)), to: e.to })),
    );
    // An NFA state that loops on every character and reaches the accepting state by ε accepts
    // every continuation.
    this.universalNfa = nfa.edges.map(
      (es, q) =>
        es.some((e) => e.to === q && e.set.length === 1 && e.set[0]![0] === 0 && e.set[0]![1] === MAX_CHAR) &&
        this.reaches(q, nfa.accept),
    );
    this.intern([]);
    this.start = this.intern(this.closure([nfa.start]));
  }

  get states(): number {
    return this.sets.length;
  }

  private reaches(from: number, target: number): boolean {
    const seen = new Set<number>([from]);
    const stack = [from];
    while (stack.length) {
      const q = stack.pop()!;
      if (q === target) return true;
      for (const t of this.nfa.eps[q]!)
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
    }
    return false;
  }

  private closure(seed: number[]): number[] {
    const seen = new Set<number>(seed);
    const stack = [...seed];
    while (stack.length) {
      const q = stack.pop()!;
      for (const t of this.nfa.eps[q]!)
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
    }
    // Only states with outgoing character edges or the accepting state matter for the future.
    return [...seen]
      .filter((q) => q === this.nfa.accept || this.nfa.edges[q]!.length > 0)
      .sort((x, y) => x - y);
  }

  private intern(set: number[]): number {
    const key = set.join(',');
    let id = this.keyToId.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.keyToId.set(key, id);
      this.sets.push(set);
      this.trans.push(new Int32Array(this.alphabet.size).fill(-1));
      this.accepting.push(set.includes(this.nfa.accept));
      this.universal.push(set.some((q) => this.universalNfa[q]));
    }
    return id;
  }

  step(state: number, cls: number): number {
    const row = this.trans[state]!;
    const hit = row[cls]!;
    if (hit >= 0) return hit;
    const next: number[] = [];
    for (const q of this.sets[state]!)
      for (const e of this.classEdges[q]!) if (e.classes.has(cls)) next.push(e.to);
    const id = next.length ? this.intern(this.closure(next)) : 0;
    row[cls] = id;
    return id;
  }
}

/** A finite set of words as a DFA: a state is the range of (sorted) words that share the prefix read. */
export class WordSetDfa {
  private ranges: [number, number, number][] = [];
  private keyToId = new Map<string, number>();
  private trans: Int32Array[] = [];
  readonly accepting: boolean[] = [];
  readonly universal: boolean[] = [];
  readonly start: number;

  constructor(
    private words: readonly string[],
    private alphabet: Alphabet,
  ) {
    this.intern(0, 0, 0);
    this.start = this.intern(0, words.length, 0);
  }

  get states(): number {
    return this.ranges.length;
  }

  private intern(lo: number, hi: number, depth: number): number {
    if (lo >= hi && this.ranges.length > 0) return 0;
    const key = `${lo},${hi},${depth}`;
    let id = this.keyToId.get(key);
    if (id === undefined) {
      id = this.ranges.length;
      this.keyToId.set(key, id);
      this.ranges.push([lo, hi, depth]);
      this.trans.push(new Int32Array(this.alphabet.size).fill(-1));
      this.accepting.push(lo < hi && this.words[lo]!.length === depth);
      this.universal.push(false);
    }
    return id;
  }

  /** First index in [lo, hi) whose character at `depth` is at least `c` (shorter words count as -1). */
  private bound(lo: number, hi: number, depth: number, c: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const w = this.words[mid]!;
      if ((w.length > depth ? w.charCodeAt(depth) : -1) < c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  step(state: number, cls: number): number {
    const row = this.trans[state]!;
    const hit = row[cls]!;
    if (hit >= 0) return hit;
    const [lo, hi, depth] = this.ranges[state]!;
    const cLo = this.alphabet.bounds[cls]!;
    const cHi = this.alphabet.bounds[cls + 1]! - 1;
    const a = this.bound(lo, hi, depth, cLo);
    const b = this.bound(a, hi, depth, cHi + 1);
    const id = state === 0 ? 0 : this.intern(a, b, depth + 1);
    row[cls] = id;
    return id;
  }
}

/** A regex, or a finite set of words (sorted by code unit, e.g. the catalog's action names). */
export type Literal =
  { re: Re; positive: boolean } | { words: readonly string[]; wordsKey: string; positive: boolean };

type Machine = {
  readonly start: number;
  readonly accepting: boolean[];
  readonly universal: boolean[];
  step(state: number, cls: number): number;
};

export type SearchResult =
  { status: 'sat'; value: string } | { status: 'unsat' } | { status: 'unknown'; reason: string };

/**
 * Compiled regexes of one dimension, sharing an alphabet, with their DFAs cached across searches
 * (a LazySolver asks about the same atoms over and over).
 */
/** Machine steps between two looks at the deadline (about a millisecond of work). */
const WORK_PER_DEADLINE_CHECK = 20_000;

export class MembershipOracle {
  private nfas = new Map<string, Nfa | UnsupportedRegex>();
  private dfas = new Map<string, LazyDfa>();
  private wordSets = new Map<string, WordSetDfa>();
  private wordChars = new Set<string>();
  private alphabet?: Alphabet;
  private alphabetSets: CharSet[] = [];

  constructor(private readonly maxStates = 50_000) {}

  private nfa(key: string, re: Re): Nfa {
    let n = this.nfas.get(key);
    if (!n) {
      try {
        n = buildNfa(re);
      } catch (e) {
        if (!(e instanceof UnsupportedRegex)) throw e;
        n = e;
      }
      this.nfas.set(key, n);
      if (!(n instanceof UnsupportedRegex)) {
        const before = this.alphabet;
        this.alphabetSets.push(...charSetsOf(n));
        // A regex with new character distinctions invalidates the shared alphabet and its DFAs.
        if (before && charSetsOf(n).some((s) => !refines(before, s))) this.resetAlphabet();
      }
    }
    if (n instanceof UnsupportedRegex) throw n;
    return n;
  }

  private resetAlphabet(): void {
    this.alphabet = undefined;
    this.dfas.clear();
    this.wordSets.clear();
  }

  /** Every character of a word set becomes its own class (the set tells them apart). */
  private addWords(key: string, words: readonly string[]): void {
    if (this.wordSets.has(key)) return;
    const fresh: CharSet[] = [];
    for (const w of words)
      for (let i = 0; i < w.length; i++) {
        const ch = w[i]!;
        if (this.wordChars.has(ch)) continue;
        this.wordChars.add(ch);
        fresh.push([[ch.charCodeAt(0), ch.charCodeAt(0)]]);
      }
    if (!fresh.length) return;
    const before = this.alphabet;
    this.alphabetSets.push(...fresh);
    if (before && fresh.some((s) => !refines(before, s))) this.resetAlphabet();
  }

  private wordSet(key: string, words: readonly string[]): WordSetDfa {
    this.alphabet ??= new Alphabet(this.alphabetSets);
    let d = this.wordSets.get(key);
    if (!d) {
      d = new WordSetDfa(words, this.alphabet);
      this.wordSets.set(key, d);
    }
    return d;
  }

  private dfa(key: string, re: Re): LazyDfa {
    const nfa = this.nfa(key, re);
    this.alphabet ??= new Alphabet(this.alphabetSets);
    let d = this.dfas.get(key);
    if (!d) {
      d = new LazyDfa(nfa, this.alphabet);
      this.dfas.set(key, d);
    }
    return d;
  }

  /**
   * Searches for a string in every positive and no negative regex. `keyOf` names a regex for the
   * caches (equal keys must mean equal regexes).
   */
  search(lits: Literal[], keyOf: (re: Re) => string, deadline?: () => boolean): SearchResult {
    let machines: { dfa: Machine; positive: boolean }[];
    try {
      // Build every NFA first: the alphabet must know all of them before any DFA is made.
      const keys = lits.map((l) => ('re' in l ? keyOf(l.re) : l.wordsKey));
      lits.forEach((l, i) => ('re' in l ? this.nfa(keys[i]!, l.re) : this.addWords(keys[i]!, l.words)));
      machines = lits.map((l, i) => ({
        dfa: 're' in l ? this.dfa(keys[i]!, l.re) : this.wordSet(keys[i]!, l.words),
        positive: l.positive,
      }));
    } catch (e) {
      if (e instanceof UnsupportedRegex) return { status: 'unknown', reason: e.message };
      throw e;
    }
    const alphabet = this.alphabet!;
    const n = machines.length;
    const accepts = (t: Int32Array): boolean =>
      machines.every((m, i) => m.dfa.accepting[t[i]!] === m.positive);
    const start = Int32Array.from(machines.map((m) => m.dfa.start));
    if (machines.some((m, i) => (m.positive ? start[i] === 0 : m.dfa.universal[start[i]!])))
      return { status: 'unsat' };
    const seen = new Set<string>([start.join(',')]);
    const tuples: Int32Array[] = [start];
    const parent: number[] = [-1];
    const via: number[] = [-1];
    const scratch = new Int32Array(n);
    // The deadline is asked after a fixed amount of work (machine steps), not a fixed number of
    // tuples: with thousands of machines one tuple can cost a million steps.
    let work = 0;
    for (let head = 0; head < tuples.length; head++) {
      const t = tuples[head]!;
      if (accepts(t)) {
        let s = '';
        for (let at = head; at > 0; at = parent[at]!) s = alphabet.reps[via[at]!]! + s;
        return { status: 'sat', value: s };
      }
      if (tuples.length > this.maxStates)
        return { status: 'unknown', reason: `more than ${this.maxStates} automaton states` };
      for (const c of alphabet.order) {
        if (work > WORK_PER_DEADLINE_CHECK) {
          if (deadline?.()) return { status: 'unknown', reason: 'timeout' };
          work = 0;
        }
        work += n;
        let dead = false;
        for (let i = 0; i < n; i++) {
          const m = machines[i]!;
          const s = m.dfa.step(t[i]!, c);
          // A positive machine in the dead state never accepts again; a negative one that accepts
          // every continuation never lets the tuple accept.
          if (m.positive ? s === 0 : m.dfa.universal[s]) {
            dead = true;
            break;
          }
          scratch[i] = s;
        }
        if (dead) continue;
        const key = scratch.join(',');
        if (seen.has(key)) continue;
        seen.add(key);
        tuples.push(scratch.slice());
        parent.push(head);
        via.push(c);
      }
    }
    return { status: 'unsat' };
  }
}

/** Does every class of `alphabet` lie wholly inside or wholly outside `set`? */
function refines(alphabet: Alphabet, set: CharSet): boolean {
  for (const [lo, hi] of set) {
    const i = lowerBound(alphabet.bounds, lo);
    if (alphabet.bounds[i] !== lo) return false;
    const j = lowerBound(alphabet.bounds, hi + 1);
    if (alphabet.bounds[j] !== hi + 1) return false;
  }
  return true;
}
