/**
 * Value grammars for the condition operator families (used by `validatePolicy`). Each function
 * answers whether a condition value is well-formed for its operator; none of them throws.
 */

/** Decimal number without exponent: `12`, `-3.5`, `+0.25`, `.5`, `7.` (as the evaluator reads it). */
export function isNumber(v: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(v);
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|z|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * ISO 8601 date or date-time (`2020-01-01`, `2020-01-01T00:00:00Z`, `2020-01-01T00:00:00.123+02:00`;
 * no zone = UTC) or epoch seconds (`1577836800`): the forms the concrete evaluator accepts.
 */
export function isDate(v: string): boolean {
  if (/^[+-]?\d+(\.\d+)?$/.test(v)) return true;
  const m = ISO_DATE.exec(v);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12) return false;
  const maxDay = DAYS[month - 1] ?? 31;
  if (day < 1 || day > maxDay) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  const max = [23, 59, 59, 23, 59];
  return [m[4], m[5], m[6], m[8], m[9]].every((x, i) => x === undefined || Number(x) <= (max[i] ?? 59));
}

/** `true` / `false`, case-insensitive (docs/semantics-decisions.md). */
export function isBool(v: string): boolean {
  const l = v.toLowerCase();
  return l === 'true' || l === 'false';
}

function isIpv4(v: string): boolean {
  const parts = v.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIpv6(v: string): boolean {
  if (v.length === 0) return false;
  let text = v;
  // An embedded IPv4 tail counts as two groups.
  let extra = 0;
  const lastColon = text.lastIndexOf(':');
  if (lastColon >= 0 && text.slice(lastColon + 1).includes('.')) {
    if (!isIpv4(text.slice(lastColon + 1))) return false;
    text = text.slice(0, lastColon + 1) + '0';
    extra = 1;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string): string[] | undefined => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0] ?? '');
  if (!head) return false;
  if (halves.length === 1) return head.length + extra === 8;
  const tail = groups(halves[1] ?? '');
  if (!tail) return false;
  return head.length + tail.length + extra <= 7;
}

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length (`10.0.0.0/8`, `2001:db8::/32`). */
export function isIpOrCidr(v: string): boolean {
  const slash = v.indexOf('/');
  const addr = slash < 0 ? v : v.slice(0, slash);
  const len = slash < 0 ? undefined : v.slice(slash + 1);
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return false;
  if (isIpv4(addr)) return len === undefined || Number(len) <= 32;
  if (isIpv6(addr)) return len === undefined || Number(len) <= 128;
  return false;
}
