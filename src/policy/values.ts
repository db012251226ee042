/**
 * The one reader of condition values: numbers, dates, booleans, IP addresses and CIDR ranges. The
 * concrete evaluator, the SMT encoder (through smt/values.ts) and the validator all use it, so they
 * accept the same texts and give them the same value (docs/semantics-decisions.md, "Condition block").
 *
 * Pure and exact: numbers and instants are decimals held as bigints (no floating point), and dates are
 * turned into epoch seconds from their fields here (no `Date`, so the machine's time zone never
 * matters). Nothing is trimmed: a value with a leading or trailing space is not a number, date or
 * address.
 */

// ---------------------------------------------------------------------------------------------------
// Decimal numbers

/** An exact decimal: value = digits / 10^scale. */
export interface Decimal {
  digits: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))$/;

/**
 * A decimal number: optional sign, digits with an optional fraction (`-12`, `3.50`, `.5`, `7.`,
 * `+0.25`), of any length. No exponent, no spaces, no thousands separators.
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const int = m[2] ?? '';
  const frac = m[3] ?? m[4] ?? '';
  const digits = BigInt(`${int}${frac}` || '0');
  return { digits: m[1] === '-' ? -digits : digits, scale: frac.length };
}

/** -1, 0 or 1. */
export function compareDecimal(a: Decimal, b: Decimal): number {
  const x = a.digits * 10n ** BigInt(Math.max(0, b.scale - a.scale));
  const y = b.digits * 10n ** BigInt(Math.max(0, a.scale - b.scale));
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The shortest exact text of a decimal (`-12.5`, `0.00015`, `3`): what `parseDecimal` reads back. */
export function decimalText(d: Decimal): string {
  let { digits, scale } = d;
  while (scale > 0 && digits % 10n === 0n) {
    digits /= 10n;
    scale--;
  }
  const neg = digits < 0n;
  const abs = (neg ? -digits : digits).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? abs : `${abs.slice(0, -scale)}.${abs.slice(-scale)}`;
  return neg ? `-${body}` : body;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Decimal places kept, beyond the denominator's own length, when a fraction has no finite expansion. */
const EXTRA_PLACES = 60;

/**
 * num/den as a decimal: exact when the reduced denominator has no prime factor but 2 and 5 (every value
 * a policy can write, and every value the solver builds from them); otherwise rounded to
 * len(den) + EXTRA_PLACES places, which keeps it strictly on the same side of every decimal with at
 * most EXTRA_PLACES places (|num/den - c| >= 1 / (den * 10^places(c)) when they differ).
 */
export function rationalToDecimal(num: bigint, den: bigint): Decimal {
  if (den === 0n) throw new Error('rationalToDecimal: zero denominator');
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  num /= g;
  den /= g;
  let twos = 0;
  let fives = 0;
  let rest = den;
  while (rest % 2n === 0n) [rest, twos] = [rest / 2n, twos + 1];
  while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1];
  if (rest === 1n) {
    const scale = Math.max(twos, fives);
    return { digits: num * (10n ** BigInt(scale) / den), scale };
  }
  const scale = den.toString().length + EXTRA_PLACES;
  const scaled = num * 10n ** BigInt(scale);
  const q = scaled / den;
  const r = scaled % den;
  // Round half away from zero.
  const digits = 2n * (r < 0n ? -r : r) >= den ? q + (scaled < 0n ? -1n : 1n) : q;
  return { digits, scale };
}

// ---------------------------------------------------------------------------------------------------
// Dates

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Days from 1970-01-01 to the proleptic Gregorian date y-m-d (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The inverse of daysFromCivil. */
function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

/**
 * A date as exact epoch seconds (a Decimal), or undefined. Two forms:
 * - epoch seconds: any text `parseDecimal` reads (`1893456000`, `1893456000.25`, `-1`, `99999999999999`);
 * - ISO 8601 extended format: `YYYY-MM-DD`, optionally `THH:MM`, `THH:MM:SS` or `THH:MM:SS.fraction`
 *   (any number of fraction digits), then optionally `Z` or an offset `±HH`, `±HHMM`, `±HH:MM`.
 *   `t`/space for `T` and `z` for `Z` are accepted. Without a zone the time is UTC (never local).
 *   Impossible dates and times (`2030-02-30`, `2029-02-29`, `24:00`, `23:60`, a leap second `:60`,
 *   an offset hour above 23) are rejected, never rolled over.
 */
export function parseDate(text: string): Decimal | undefined {
  const epoch = parseDecimal(text);
  if (epoch) return epoch;
  const m = ISO_DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) =>
    Number(x ?? '0'),
  ) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offset = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? '0');
    if (oh > 23 || om > 59) return undefined;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const whole =
    BigInt(daysFromCivil(year, month, day)) * 86400n + BigInt(hour * 3600 + minute * 60 + second - offset);
  const frac = m[7] ?? '';
  return { digits: whole * 10n ** BigInt(frac.length) + BigInt(frac || '0'), scale: frac.length };
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * Epoch seconds as date text that `parseDate` reads back to exactly the same instant: ISO 8601 in UTC
 * (`2030-01-01T00:00:00.00015Z`, the fraction as long as needed) for the years 0000-9999, the epoch
 * seconds themselves (`99999999999999`) outside them.
 */
export function formatDate(seconds: Decimal): string {
  const unit = 10n ** BigInt(seconds.scale);
  const whole = floorDiv(seconds.digits, unit);
  const frac = seconds.digits - whole * unit;
  const days = floorDiv(whole, 86400n);
  const sod = Number(whole - days * 86400n);
  if (days < -719528n || days > 2932896n) return decimalText(seconds);
  const [y, mo, d] = civilFromDays(Number(days));
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const time = `${p(Math.floor(sod / 3600))}:${p(Math.floor(sod / 60) % 60)}:${p(sod % 60)}`;
  const fracText = frac === 0n ? '' : `.${frac.toString().padStart(seconds.scale, '0').replace(/0+$/, '')}`;
  return `${p(y, 4)}-${p(mo)}-${p(d)}T${time}${fracText}Z`;
}

// ---------------------------------------------------------------------------------------------------
// Booleans

/** `true` / `false`, in any case; anything else (including `1`, `yes`, ` true`) is not a boolean. */
export function parseBool(text: string): boolean | undefined {
  const l = text.toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : undefined;
}

// ---------------------------------------------------------------------------------------------------
// IP addresses

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

export interface Cidr extends IpAddress {
  prefix: number;
}

/** Dotted quad; each part 1-3 decimal digits up to 255 (a leading zero is decimal, never octal). */
function parseIpv4(text: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  let v = 0n;
  for (const g of m.slice(1)) {
    const n = Number(g);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (s: string, last: boolean): number[] | undefined => {
    if (s === '') return [];
    const out: number[] = [];
    const items = s.split(':');
    for (let k = 0; k < items.length; k++) {
      const g = items[k] ?? '';
      if (last && k === items.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(parseInt(g, 16));
      else return undefined;
    }
    return out;
  };
  const head = groupsOf(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else groups = head;
  if (groups.length !== 8) return undefined;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

/**
 * An IPv4 (`10.0.0.1`) or IPv6 (`2001:db8::1`, `::ffff:10.0.0.1`, the dotted tail only last) address.
 * An IPv4-mapped IPv6 address is an IPv6 address.
 */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { version: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 === undefined ? undefined : { version: 6, value: v6 };
}

/**
 * A CIDR range `address/length` (length 1-3 digits, at most 32 or 128); a plain address is a /32 or
 * /128. Bits past the prefix may be set (`10.1.2.3/8` is `10.0.0.0/8`).
 */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const max = ip.version === 4 ? 32 : 128;
  if (slash < 0) return { ...ip, prefix: max };
  const p = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  if (prefix > max) return undefined;
  return { ...ip, prefix };
}

/** True when the address lies in the range; IPv4 addresses never fall in IPv6 ranges (and back). */
export function cidrContains(range: Cidr, ip: IpAddress): boolean {
  if (range.version !== ip.version) return false;
  const shift = BigInt((range.version === 4 ? 32 : 128) - range.prefix);
  return range.value >> shift === ip.value >> shift;
}

/** The address as a bit string (32 or 128 characters), as the encoder's IP dimension holds it. */
export function ipBits(ip: IpAddress): string {
  return ip.value.toString(2).padStart(ip.version === 4 ? 32 : 128, '0');
}
