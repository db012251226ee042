/**
 * The encoding evaluated at one concrete request: every atom, presence flag, element slot and number
 * of the encoder is given the value the request implies, and Z3 decides what is left (the set
 * predicates of multi-valued keys, which the background defines). This is how the encoder is held
 * to the concrete evaluator in the tests, and how the teaching view shows the formula's value at a
 * request.
 */
import type { Request } from '../evaluate/request.ts';
import { callerAccount, callerKeyValue, callerOf, isCallerKey } from '../evaluate/caller.ts';
import { principalCode } from './caller.ts';
import { FALSE, TRUE, fand, substitute, toSmtLib, variables, type Formula } from './formula.ts';
import type { Encoder } from './encode.ts';
import { instantiate } from './patterns.ts';
import { compileMatcher } from './regex.ts';
import type { SmtRunner } from './runner.ts';
import { parseDate, parseDecimal, parseIp } from './values.ts';

type Pinned =
  { ok: true; bools: Map<string, boolean>; reals: Map<string, string> } | { ok: false; reason: string };

/** The values the request gives every variable of the encoding (except those the background defines). */
function pinRequest(enc: Encoder, req: Request): Pinned {
  const bools = new Map<string, boolean>();
  const reals = new Map<string, string>();
  const context = new Map<string, string[]>();
  for (const [k, v] of Object.entries(req.context)) {
    const values = typeof v === 'string' ? [v] : v;
    if (values.length && !context.has(k.toLowerCase())) context.set(k.toLowerCase(), values);
  }
  const dimValue = new Map<string, string | undefined>();
  dimValue.set('action', req.action.toLowerCase());
  dimValue.set('resource', req.resource);
  dimValue.set('principal', principalCode(req.principal));
  for (const [key, info] of enc.keys) {
    if (isCallerKey(key)) continue;
    const values = context.get(key);
    if (info.multi) {
      if ((values?.length ?? 0) > info.slots.length)
        return { ok: false, reason: `${info.display} has more values than the encoding's element slots` };
    } else if (info.presence.k === 'var') bools.set(info.presence.name, values !== undefined);
    info.slots.forEach((slot, i) => {
      const v = info.multi ? values?.[i] : values?.[0];
      if (slot.used.k === 'var') bools.set(slot.used.name, v !== undefined);
      if (slot.strDim) dimValue.set(slot.strDim.name, v);
      if (slot.ipDim) {
        const ip = v === undefined ? undefined : parseIp(v);
        dimValue.set(slot.ipDim.name, v === undefined ? undefined : ip ? `${ip.v}:${ip.bits}` : 'x:');
      }
      if (slot.num) {
        const n = v === undefined ? undefined : info.date ? parseDate(v) : parseDecimal(v);
        bools.set(slot.nan!, v !== undefined && !n);
        reals.set(slot.num, n?.smt ?? '0.0');
      }
    });
  }
  const single = (key: string): string | undefined => {
    const caller = req.principal ? callerOf(req.principal) : undefined;
    if (isCallerKey(key)) return caller ? callerKeyValue(caller, key) : undefined;
    if (key === 'kms:calleraccount' && caller) return context.has(key) ? callerAccount(caller) : undefined;
    const info = enc.keys.get(key);
    const values = context.get(key);
    return info && !info.multi && values?.length === 1 ? values[0] : undefined;
  };
  for (const a of enc.atoms) {
    const value = dimValue.get(a.dim.name);
    if (value === undefined) {
      bools.set(a.name, false);
      continue;
    }
    const re = instantiate(a, single);
    bools.set(a.name, re === undefined ? false : compileMatcher(re)(value));
  }
  return { ok: true, bools, reals };
}

/**
 * Does `f` hold at the request? `background` defines the derived variables (set predicates and
 * multi-valued presence). Undefined when the request cannot be expressed in this encoding.
 */
export async function holdsAt(
  runner: SmtRunner,
  enc: Encoder,
  f: Formula,
  background: Formula,
  req: Request,
): Promise<boolean | undefined> {
  const pinned = pinRequest(enc, req);
  if (!pinned.ok) return undefined;
  const map = new Map<string, Formula>([...pinned.bools].map(([k, v]) => [k, v ? TRUE : FALSE]));
  const ask = async (g: Formula): Promise<boolean> => {
    const whole = substitute(fand(g, background), map);
    if (whole.k === 'const') return whole.v;
    const { defs, expr, arithVars } = toSmtLib(whole, 'h');
    const lines = ['(push)'];
    for (const v of [...variables(whole)].sort()) lines.push(`(declare-const ${v} Bool)`);
    for (const r of arithVars) {
      lines.push(`(declare-const ${r} Real)`);
      const value = pinned.reals.get(r);
      if (value !== undefined) lines.push(`(assert (= ${r} ${value}))`);
    }
    lines.push(...defs, `(assert ${expr})`, '(check-sat)', '(pop)');
    const out = (await runner.run(lines.join('\n'))).trim();
    if (out.startsWith('sat')) return true;
    if (out.startsWith('unsat')) return false;
    throw new Error(`Z3 answered ${out} for a fully pinned formula`);
  };
  return ask(f);
}
