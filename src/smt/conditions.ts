/**
 * The Condition element as formulas over the query's vocabulary (atoms.ts): each operator on its
 * key's value slots (text, address or number), the set qualifiers over a multi-valued key's element
 * slots, Null as the key's presence, and a value of the wrong type refused with its statement.
 * Negated operators negate the per-value test: the value matches none of the values; without a
 * qualifier a negated operator on a missing key is true (docs/semantics-decisions.md).
 */
import type { ConditionClause } from '../policy/model.ts';
import { CONDITION_OPERATORS, positiveOperator } from '../policy/operators.ts';
import { isCallerKey } from '../evaluate/caller.ts';
import type { Dim, KeyInfo, Slot, Vocabulary } from './atoms.ts';
import { accountView, callerKeyView } from './caller.ts';
import { FALSE, arith, bvar, fand, fimplies, fnot, forr, type Formula } from './formula.ts';
import type { MatchMode } from './patterns.ts';
import { cat, or as reOr, str } from './regex.ts';
import { parseCidr, parseDate, parseDecimal } from './values.ts';

/** A policy the encoder refuses (an operator or a value it cannot read), with its code and statement. */
export class EncodingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statementIndex?: number,
  ) {
    super(message);
  }
}

/** A statement's condition clause as a formula (`vars`: its policy variables are active). */
export function condition(
  enc: Vocabulary,
  c: ConditionClause,
  vars: boolean,
  statementIndex: number,
): Formula {
  const op = c.operator;
  if (op.base === 'Null') {
    if (op.qualifier || op.ifExists)
      throw new EncodingError(
        'INVALID_OPERATOR',
        `Statement ${statementIndex}: ${op.text} is not a valid operator.`,
        statementIndex,
      );
    const present = enc.presence(c.key);
    const parts = c.values.map((v) => {
      const t = v.value.toLowerCase();
      if (t !== 'true' && t !== 'false')
        throw new EncodingError(
          'INVALID_VALUE',
          `Statement ${statementIndex}: Null takes "true" or "false", found "${v.value}".`,
          statementIndex,
        );
      return t === 'true' ? fnot(present) : present;
    });
    return forr(...parts);
  }
  if (op.text.includes(':') && !op.qualifier)
    throw new EncodingError(
      'INVALID_OPERATOR',
      `Statement ${statementIndex}: unknown condition operator "${op.text}".`,
      statementIndex,
    );
  const negatedOf = positiveOperator(op.base);
  const positiveBase = negatedOf ?? op.base;
  if (!negatedOf && !CONDITION_OPERATORS[op.base])
    throw new EncodingError(
      'INVALID_OPERATOR',
      `Statement ${statementIndex}: unknown condition operator "${op.text}".`,
      statementIndex,
    );
  const negated = negatedOf !== undefined;
  const info = enc.keyInfo(c.key);
  // Per-value test, positive form; negated operators negate it (the value matches none of the values).
  const valueTest = (slot: Slot): Formula => {
    const pos = forr(
      ...c.values.map((v) => valueAtom(enc, info, slot, positiveBase, v.value, vars, statementIndex)),
    );
    return negated ? fnot(pos) : pos;
  };
  const present = enc.presence(c.key);
  if (op.qualifier || info.multi) {
    const kind = op.qualifier === 'ForAllValues' ? 'all' : 'any';
    if (!info.multi) {
      // A set operator on a single-valued key: the single value is a one-element set.
      const single = info.slots[0]!;
      const t = valueTest(single);
      const f = kind === 'any' ? fand(present, t) : fimplies(present, t);
      return op.ifExists ? fimplies(present, f) : f;
    }
    const name = `q_${enc.boolVars.size}`;
    enc.boolVars.add(name);
    info.setPreds.push({ name, kind, pred: valueTest });
    const f = bvar(name);
    // Without a qualifier a negated operator on a missing key is true (semantics-decisions.md).
    const absentIsTrue = op.ifExists || (!op.qualifier && negated);
    return absentIsTrue ? fimplies(present, f) : f;
  }
  const slot = info.slots[0]!;
  const t = valueTest(slot);
  if (op.ifExists) return fimplies(present, t);
  return negated ? fimplies(present, t) : fand(present, t);
}

function valueAtom(
  enc: Vocabulary,
  info: KeyInfo,
  slot: Slot,
  base: string,
  value: string,
  vars: boolean,
  statementIndex: number,
): Formula {
  const bad = (what: string) =>
    new EncodingError(
      'INVALID_VALUE',
      `Statement ${statementIndex}: ${base} on ${info.display} needs ${what}, found "${value}".`,
      statementIndex,
    );
  if (base.startsWith('Numeric') || base.startsWith('Date')) {
    const n = base.startsWith('Numeric') ? parseDecimal(value) : parseDate(value);
    if (n === undefined) throw bad(base.startsWith('Numeric') ? 'a number' : 'a date');
    enc.view(info, 'num');
    if (base.startsWith('Date')) info.date = true;
    const { num, nan } = enc.numVar(slot);
    const rel = base.replace(/^(Numeric|Date)/, '');
    const opSym = {
      Equals: '=',
      LessThan: '<',
      LessThanEquals: '<=',
      GreaterThan: '>',
      GreaterThanEquals: '>=',
    }[rel];
    if (!opSym) throw bad('a known comparison');
    return fand(fnot(bvar(nan)), arith(`(${opSym} ${num} ${n.smt})`, [num]));
  }
  if (base === 'IpAddress') {
    if (!parseCidr(value)) throw bad('an IPv4 or IPv6 address or CIDR range');
    enc.view(info, 'ip');
    return ipRangeAtom(enc, enc.ipDim(slot), value);
  }
  enc.view(info, 'str');
  let mode: MatchMode;
  switch (base) {
    case 'StringEquals':
    case 'BinaryEquals':
      mode = 'literal';
      break;
    case 'StringEqualsIgnoreCase':
      mode = 'literal-ci';
      break;
    case 'Bool':
      mode = 'literal-ci';
      break;
    case 'StringLike':
      mode = 'glob';
      break;
    case 'ArnEquals':
    case 'ArnLike':
      mode = 'arn';
      break;
    default:
      throw bad('a supported operator');
  }
  const useVars = vars && base !== 'Bool' && base !== 'BinaryEquals';
  const principal = enc.dims.get('principal')!;
  const key = info.key;
  if (isCallerKey(key)) {
    const how = mode === 'arn' ? 'arn' : mode === 'glob' ? 'glob' : 'literal';
    return enc.patternAtom(
      principal,
      value,
      mode,
      useVars,
      (tokens, build) => callerKeyView(key, tokens, build, how),
      key,
    );
  }
  if (key === 'kms:calleraccount')
    // Always the caller's own account (evaluate/caller.ts): a view of the caller, not a free value.
    return enc.patternAtom(
      principal,
      value,
      mode === 'arn' ? 'glob' : mode,
      useVars,
      (tokens, build) => accountView(build(tokens)),
      key,
    );
  return enc.patternAtom(enc.strDim(slot), value, mode, useVars);
}

/**
 * The request's values of a key avoid every pattern (StringLike; a /0 range avoids nothing): true
 * when the key is absent, and for a multi-valued key when no element matches. For a key the caller
 * brings the test is on the caller itself. Call before finish().
 */
export function avoidsValues(enc: Vocabulary, keyText: string, patterns: string[]): Formula {
  const info = enc.keyInfo(keyText);
  const key = info.key;
  if (isCallerKey(key)) {
    const principal = enc.dims.get('principal')!;
    return fnot(
      forr(
        ...patterns.map((v) =>
          enc.patternAtom(principal, v, 'glob', false, (tokens, build) =>
            callerKeyView(key, tokens, build, 'glob'),
          ),
        ),
      ),
    );
  }
  const hits = (slot: Slot): Formula =>
    forr(
      ...patterns.map((v) => {
        if (key !== 'aws:sourceip') return enc.patternAtom(enc.strDim(slot), v, 'glob', false);
        const m = /\/(\d+)$/.exec(v);
        return m && Number(m[1]) === 0 ? FALSE : ipRangeAtom(enc, enc.ipDim(slot), v);
      }),
    );
  enc.view(info, key === 'aws:sourceip' ? 'ip' : 'str');
  if (info.multi) {
    const name = `q_${enc.boolVars.size}`;
    enc.boolVars.add(name);
    info.setPreds.push({ name, kind: 'all', pred: (slot) => fnot(hits(slot)) });
    return bvar(name);
  }
  return fnot(fand(info.presence, hits(info.slots[0]!)));
}

/** `address ∈ CIDR` on an IP dimension (addresses are bit strings: a range is a prefix). */
function ipRangeAtom(enc: Vocabulary, d: Dim, cidrText: string): Formula {
  const cidr = parseCidr(cidrText);
  if (!cidr) return FALSE;
  const bits = cidr.bits.slice(0, cidr.prefix);
  const rest = (cidr.v === 4 ? 32 : 128) - cidr.prefix;
  const re = cat(
    str(`${cidr.v}:${bits}`),
    rest > 0 ? { k: 'loop', r: reOr(str('0'), str('1')), n: rest } : str(''),
  );
  return enc.atom(d, re, `in ${cidrText}`);
}
