/** Reading Z3's answers: a minimal S-expression reader and SMT-LIB string/number literals. */
import { decimalText, parseDecimal, rationalToDecimal } from '../policy/values.ts';

export type SExpr = string | SExpr[];

function parseSExprs(text: string): SExpr[] {
  const out: SExpr[] = [];
  const stack: SExpr[][] = [out];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '(') {
      const list: SExpr[] = [];
      stack[stack.length - 1]!.push(list);
      stack.push(list);
      i++;
    } else if (ch === ')') {
      if (stack.length > 1) stack.pop();
      i++;
    } else if (ch === '"') {
      let j = i + 1;
      let s = '"';
      while (j < text.length) {
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            s += '""';
            j += 2;
            continue;
          }
          break;
        }
        s += text[j];
        j++;
      }
      s += '"';
      stack[stack.length - 1]!.push(s);
      i = j + 1;
    } else if (/\s/.test(ch)) i++;
    else {
      let j = i;
      while (j < text.length && !/[\s()"]/.test(text[j]!)) j++;
      stack[stack.length - 1]!.push(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** Decodes an SMT-LIB string literal as Z3 prints it (`""` for a quote, `\u{..}` escapes). */
export function decodeSmtString(lit: string): string {
  const body = lit.slice(1, -1).replace(/""/g, '"');
  return body.replace(
    /\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g,
    (_m, a: string | undefined, b: string | undefined) => String.fromCodePoint(parseInt(a ?? b ?? '0', 16)),
  );
}

/** A real value as Z3 prints it (`12.0`, `(- 3.0)`, `(/ 1.0 20000.0)`) -> an exact rational. */
function realRational(e: SExpr): [bigint, bigint] | undefined {
  if (typeof e === 'string') {
    const d = parseDecimal(e);
    return d && [d.digits, 10n ** BigInt(d.scale)];
  }
  const [op, ...args] = e;
  if (op === '-' && args.length === 1) {
    const r = realRational(args[0]!);
    return r && [-r[0], r[1]];
  }
  if (op === '/' && args.length === 2) {
    const n = realRational(args[0]!);
    const d = realRational(args[1]!);
    if (!n || !d || d[0] === 0n) return undefined;
    return [n[0] * d[1], n[1] * d[0]];
  }
  return undefined;
}

/**
 * A real value as Z3 prints it -> decimal text, exact whenever the value has a finite decimal expansion
 * (see rationalToDecimal for the others). No floating point: a model value such as 1893456000.00015
 * keeps every digit.
 */
export function realToDecimal(e: SExpr): string {
  const r = realRational(e);
  return r ? decimalText(rationalToDecimal(r[0], r[1])) : String(e);
}

/** `((name value) ...)` from get-value -> map. */
export function readValues(text: string): Map<string, SExpr> {
  const map = new Map<string, SExpr>();
  for (const top of parseSExprs(text)) {
    if (!Array.isArray(top)) continue;
    for (const pair of top)
      if (Array.isArray(pair) && typeof pair[0] === 'string' && pair.length === 2) map.set(pair[0], pair[1]!);
  }
  return map;
}
