/**
 * Value grammars for the condition operator families (used by `validatePolicy`). Each function
 * answers whether a condition value is well-formed for its operator; none of them throws. They are
 * the readers of values.ts, which the evaluator and the encoder use too, so a value the validator
 * accepts is one the checks can read (docs/semantics-decisions.md, "Condition block").
 */
import { parseBool, parseCidr, parseDate, parseDecimal } from './values.ts';

/** Decimal number without exponent: `12`, `-3.5`, `+0.25`, `.5`, `7.`. */
export function isNumber(v: string): boolean {
  return parseDecimal(v) !== undefined;
}

/**
 * ISO 8601 date or date-time (`2020-01-01`, `2020-01-01T00:00:00Z`, `2020-01-01T00:00:00.123+02:00`;
 * no zone = UTC; impossible dates such as Feb 30 rejected) or epoch seconds (`1577836800`).
 */
export function isDate(v: string): boolean {
  return parseDate(v) !== undefined;
}

/** `true` / `false`, case-insensitive. */
export function isBool(v: string): boolean {
  return parseBool(v) !== undefined;
}

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length (`10.0.0.0/8`, `2001:db8::/32`). */
export function isIpOrCidr(v: string): boolean {
  return parseCidr(v) !== undefined;
}
