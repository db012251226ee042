/** Parsing of condition values into the forms the encoder needs (exact rationals, CIDR bits). */

/** A decimal number as an exact SMT-LIB real term. */
export function parseDecimal(text: string): { smt: string; value: number } | undefined {
  const m = /^\s*([+-]?)(\d+)(?:\.(\d+))?\s*$/.exec(text);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const frac = m[3] ?? '';
  const num = sign * BigInt(m[2]! + frac);
  const den = 10n ** BigInt(frac.length);
  return { smt: rational(num, den), value: Number(text) };
}

function rational(num: bigint, den: bigint): string {
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const body = den === 1n ? `${abs}.0` : `(/ ${abs}.0 ${den}.0)`;
  return neg ? `(- ${body})` : body;
}

/** ISO 8601 date/time or epoch seconds -> epoch seconds (exact to the millisecond). */
export function parseDate(text: string): { smt: string; value: number } | undefined {
  const t = text.trim();
  let ms: number;
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) ms = Number(t) * 1000;
  else {
    if (!/^\d{4}-\d{2}-\d{2}/.test(t)) return undefined;
    ms = Date.parse(t);
  }
  if (!Number.isFinite(ms)) return undefined;
  const whole = BigInt(Math.round(ms));
  return { smt: rational(whole, 1000n), value: ms / 1000 };
}

export interface Cidr {
  v: 4 | 6;
  /** the address as a bit string (32 or 128 characters) */
  bits: string;
  prefix: number;
}

export function parseIp(text: string): { v: 4 | 6; bits: string } | undefined {
  const t = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const parts = t.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: 4, bits: parts.map((p) => p.toString(2).padStart(8, '0')).join('') };
  }
  if (!t.includes(':') || !/^[0-9a-fA-F:.]+$/.test(t)) return undefined;
  let head = t;
  let tailV4: number[] | undefined;
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
  if (v4) {
    tailV4 = v4[1]!.split('.').map(Number);
    head = t.slice(0, -v4[1]!.length) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  let bits = groups.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
  if (tailV4) bits = bits.slice(0, 96) + tailV4.map((p) => p.toString(2).padStart(8, '0')).join('');
  return { v: 6, bits };
}

export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (addr === undefined || extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = ip.v === 4 ? 32 : 128;
  const prefix = len === undefined ? max : /^\d+$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return undefined;
  return { v: ip.v, bits: ip.bits, prefix };
}

export function formatIp(v: 4 | 6, bits: string): string {
  if (v === 4) return [0, 8, 16, 24].map((i) => parseInt(bits.slice(i, i + 8), 2)).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 128; i += 16) groups.push(parseInt(bits.slice(i, i + 16), 2).toString(16));
  return groups.join(':');
}
