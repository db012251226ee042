/**
 * Condition values in the forms the encoder needs (exact SMT-LIB rationals, CIDR bit strings). The
 * reading itself is policy/values.ts, the one the concrete evaluator and the validator use, so the
 * encoder accepts exactly the texts they accept and gives them exactly the same value.
 */
import {
  formatDate as formatInstant,
  ipBits,
  parseCidr as readCidr,
  parseDate as readDate,
  parseDecimal as readDecimal,
  parseIp as readIp,
  type Decimal,
} from '../policy/values.ts';

/** A Decimal as an exact SMT-LIB real term. */
function decimalSmt(d: Decimal): string {
  const neg = d.digits < 0n;
  const abs = neg ? -d.digits : d.digits;
  const body = d.scale === 0 ? `${abs}.0` : `(/ ${abs}.0 ${10n ** BigInt(d.scale)}.0)`;
  return neg ? `(- ${body})` : body;
}

/** A decimal number as an exact SMT-LIB real term. */
export function parseDecimal(text: string): { smt: string; value: Decimal } | undefined {
  const d = readDecimal(text);
  return d && { smt: decimalSmt(d), value: d };
}

/** An ISO 8601 date/time or epoch seconds as exact epoch seconds (an SMT-LIB real term). */
export function parseDate(text: string): { smt: string; value: Decimal } | undefined {
  const d = readDate(text);
  return d && { smt: decimalSmt(d), value: d };
}

/**
 * A model's date value (epoch seconds as decimal text, as realToDecimal writes it) as the date text a
 * counterexample shows: ISO 8601 in UTC with every fraction digit, which parseDate reads back to the
 * same instant (so a window narrower than a millisecond keeps its witness).
 */
export function formatDate(seconds: string): string {
  const d = readDecimal(seconds);
  return d ? formatInstant(d) : seconds;
}

export interface Cidr {
  v: 4 | 6;
  /** the address as a bit string (32 or 128 characters) */
  bits: string;
  prefix: number;
}

export function parseIp(text: string): { v: 4 | 6; bits: string } | undefined {
  const ip = readIp(text);
  return ip && { v: ip.version, bits: ipBits(ip) };
}

export function parseCidr(text: string): Cidr | undefined {
  const c = readCidr(text);
  return c && { v: c.version, bits: ipBits(c), prefix: c.prefix };
}

export function formatIp(v: 4 | 6, bits: string): string {
  if (v === 4) return [0, 8, 16, 24].map((i) => parseInt(bits.slice(i, i + 8), 2)).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 128; i += 16) groups.push(parseInt(bits.slice(i, i + 16), 2).toString(16));
  return groups.join(':');
}
