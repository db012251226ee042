/**
 * Propositional formulas over solver atoms, hash-consed so equal sub-formulas are the same object:
 * that makes the cheap simplifications (A ∧ ¬A, an old policy that covers the new one) structural.
 */

export type Formula =
  | { k: 'const'; v: boolean; id: number }
  | { k: 'var'; name: string; id: number } // a Bool constant declared in the SMT script
  | { k: 'arith'; smt: string; vars: string[]; id: number } // a native arithmetic literal
  | { k: 'not'; f: Formula; id: number }
  | { k: 'and'; fs: Formula[]; id: number }
  | { k: 'or'; fs: Formula[]; id: number };

const table = new Map<string, Formula>();
let nextId = 0;

function intern<T extends Formula>(key: string, make: (id: number) => T): T {
  // A long-lived worker would otherwise grow the table forever; dropping it only loses sharing.
  if (table.size > 500_000) {
    table.clear();
    table.set('T', TRUE);
    table.set('F', FALSE);
  }
  const hit = table.get(key);
  if (hit) return hit as T;
  const f = make(nextId++);
  table.set(key, f);
  return f;
}

export const TRUE: Formula = intern('T', (id) => ({ k: 'const', v: true, id }));
export const FALSE: Formula = intern('F', (id) => ({ k: 'const', v: false, id }));

export function bvar(name: string): Formula {
  return intern(`v:${name}`, (id) => ({ k: 'var', name, id }));
}

export function arith(smt: string, vars: string[]): Formula {
  return intern(`a:${smt}`, (id) => ({ k: 'arith', smt, vars, id }));
}

export function fnot(f: Formula): Formula {
  if (f.k === 'const') return f.v ? FALSE : TRUE;
  if (f.k === 'not') return f.f;
  return intern(`!${f.id}`, (id) => ({ k: 'not', f, id }));
}

function nary(kind: 'and' | 'or', input: Formula[]): Formula {
  const unit = kind === 'and' ? TRUE : FALSE;
  const zero = kind === 'and' ? FALSE : TRUE;
  const seen = new Map<number, Formula>();
  const stack = [...input];
  while (stack.length) {
    const f = stack.pop()!;
    if (f === zero) return zero;
    if (f === unit) continue;
    if (f.k === kind) {
      stack.push(...f.fs);
      continue;
    }
    seen.set(f.id, f);
  }
  for (const f of seen.values()) if (f.k === 'not' && seen.has(f.f.id)) return zero;
  const fs = [...seen.values()].sort((a, b) => a.id - b.id);
  if (fs.length === 0) return unit;
  if (fs.length === 1) return fs[0]!;
  if (kind === 'and') {
    // A ∧ ¬(A ∨ B ∨ ...) is false: the common case of an old policy that covers the new one.
    const members = new Set(fs.map((f) => f.id));
    for (const f of fs)
      if (f.k === 'not' && f.f.k === 'or' && f.f.fs.some((g) => members.has(g.id))) return FALSE;
    const disj = fs.filter((f): f is Extract<Formula, { k: 'or' }> => f.k === 'or');
    for (const f of fs) {
      if (f.k !== 'not' || f.f.k !== 'or') continue;
      const neg = new Set(f.f.fs.map((g) => g.id));
      if (disj.some((d) => d.fs.every((g) => neg.has(g.id)))) return FALSE;
    }
  }
  return intern(`${kind}(${fs.map((f) => f.id).join(',')})`, (id) => ({ k: kind, fs, id }));
}

export function fand(...fs: Formula[]): Formula {
  return nary('and', fs);
}
export function forr(...fs: Formula[]): Formula {
  return nary('or', fs);
}
export function fimplies(a: Formula, b: Formula): Formula {
  return forr(fnot(a), b);
}

/** Replaces variables by constants (or other formulas) and simplifies. */
export function substitute(
  f: Formula,
  map: Map<string, Formula>,
  memo = new Map<number, Formula>(),
): Formula {
  const hit = memo.get(f.id);
  if (hit) return hit;
  let out: Formula;
  switch (f.k) {
    case 'const':
    case 'arith':
      out = f;
      break;
    case 'var':
      out = map.get(f.name) ?? f;
      break;
    case 'not':
      out = fnot(substitute(f.f, map, memo));
      break;
    case 'and':
      out = fand(...f.fs.map((g) => substitute(g, map, memo)));
      break;
    case 'or':
      out = forr(...f.fs.map((g) => substitute(g, map, memo)));
      break;
  }
  memo.set(f.id, out);
  return out;
}

/**
 * SMT-LIB2 text. Shared sub-formulas are printed once as `define-fun`s so that large policies stay
 * linear in size; returns the definitions and the root expression.
 */
export function toSmtLib(
  root: Formula,
  prefix = 'f',
): { defs: string[]; expr: string; vars: Set<string>; arithVars: Set<string> } {
  const uses = new Map<number, number>();
  const count = (f: Formula): void => {
    const n = (uses.get(f.id) ?? 0) + 1;
    uses.set(f.id, n);
    if (n > 1) return;
    if (f.k === 'not') count(f.f);
    else if (f.k === 'and' || f.k === 'or') f.fs.forEach(count);
  };
  count(root);
  const defs: string[] = [];
  const names = new Map<number, string>();
  const vars = new Set<string>();
  const arithVars = new Set<string>();
  const print = (f: Formula): string => {
    const named = names.get(f.id);
    if (named) return named;
    let s: string;
    switch (f.k) {
      case 'const':
        return f.v ? 'true' : 'false';
      case 'var':
        vars.add(f.name);
        return f.name;
      case 'arith':
        f.vars.forEach((v) => arithVars.add(v));
        s = f.smt;
        break;
      case 'not':
        s = `(not ${print(f.f)})`;
        break;
      case 'and':
        s = `(and ${f.fs.map(print).join(' ')})`;
        break;
      case 'or':
        s = `(or ${f.fs.map(print).join(' ')})`;
        break;
    }
    if ((uses.get(f.id) ?? 0) > 1 && f.k !== 'arith') {
      const name = `${prefix}${f.id}`;
      defs.push(`(define-fun ${name} () Bool ${s})`);
      names.set(f.id, name);
      return name;
    }
    return s;
  };
  const expr = print(root);
  return { defs, expr, vars, arithVars };
}

export function variables(f: Formula, out = new Set<string>(), seen = new Set<number>()): Set<string> {
  if (seen.has(f.id)) return out;
  seen.add(f.id);
  if (f.k === 'var') out.add(f.name);
  else if (f.k === 'not') variables(f.f, out, seen);
  else if (f.k === 'and' || f.k === 'or') f.fs.forEach((g) => variables(g, out, seen));
  return out;
}

/**
 * At most one of `fs` holds, in linear size (Sinz's sequential counter: `name_i` means "one of the
 * first i holds"). Measured on Z3 5.1: the same constraint as equalities of one number with 300
 * constants made a ten-variable Boolean problem time out at 20 s.
 */
export function atMostOne(fs: Formula[], name: string): Formula {
  if (fs.length < 2) return TRUE;
  const out: Formula[] = [];
  const s = (i: number) => bvar(`${name}_${i}`);
  for (let i = 0; i < fs.length - 1; i++) {
    out.push(fimplies(fs[i]!, s(i)));
    if (i > 0) {
      out.push(fimplies(s(i - 1), s(i)));
      out.push(fimplies(fs[i]!, fnot(s(i - 1))));
    }
  }
  out.push(fimplies(fs[fs.length - 1]!, fnot(s(fs.length - 2))));
  return fand(...out);
}
