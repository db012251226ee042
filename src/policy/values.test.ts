/**
 * The one reader of condition values (values.ts), held to the IAM User Guide's condition operators
 * page: Numeric operators compare integers and decimals; Date operators take ISO 8601 dates/times or
 * epoch (UNIX) seconds; Bool takes true/false; IpAddress takes IPv4/IPv6 addresses and CIDR ranges.
 * Where the page is silent the choice is the one written in docs/semantics-decisions.md.
 */
import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  compareDecimal,
  decimalText,
  formatDate,
  parseBool,
  parseCidr,
  parseDate,
  parseDecimal,
  parseIp,
  rationalToDecimal,
  type Decimal,
} from './values.ts';

const dec = (text: string): Decimal => {
  const d = parseDecimal(text);
  if (!d) throw new Error(`${text} is not a decimal`);
  return d;
};
/** Epoch seconds of a date text, as exact decimal text. */
const epoch = (text: string): string | undefined => {
  const d = parseDate(text);
  return d && decimalText(d);
};

describe('numbers', () => {
  it('reads integers and decimals exactly, of any length', () => {
    expect(decimalText(dec('10'))).toBe('10');
    expect(decimalText(dec('-3.50'))).toBe('-3.5');
    expect(decimalText(dec('+0.25'))).toBe('0.25');
    expect(decimalText(dec('.5'))).toBe('0.5');
    expect(decimalText(dec('7.'))).toBe('7');
    expect(decimalText(dec('99999999999999'))).toBe('99999999999999');
    expect(compareDecimal(dec('9007199254740993'), dec('9007199254740992'))).toBe(1);
    expect(compareDecimal(dec('0.1000000000000000000001'), dec('0.1'))).toBe(1);
    expect(compareDecimal(dec('10.0'), dec('10'))).toBe(0);
    expect(compareDecimal(dec('-2'), dec('-1.5'))).toBe(-1);
  });

  it('rejects spaces, exponents, separators and empty parts', () => {
    for (const bad of [' 5', '5 ', '1e3', '1,000', '', '.', '+', '-.', '0x10', 'NaN', 'Infinity', '1.2.3'])
      expect(parseDecimal(bad), JSON.stringify(bad)).toBeUndefined();
  });

  it('rationalToDecimal is exact for terminating fractions and keeps the side of nearby decimals otherwise', () => {
    expect(decimalText(rationalToDecimal(3786912000000003n, 2000000n))).toBe('1893456000.0000015');
    expect(decimalText(rationalToDecimal(-1n, 8n))).toBe('-0.125');
    expect(decimalText(rationalToDecimal(10n, -4n))).toBe('-2.5');
    const third = rationalToDecimal(1n, 3n);
    expect(compareDecimal(third, dec('0.3333333333333333333333333333333333'))).toBe(1);
    expect(compareDecimal(third, dec('0.3333333333333333333333333333333334'))).toBe(-1);
  });
});

describe('dates', () => {
  it('ISO 8601 dates and date-times with a zone are instants', () => {
    expect(epoch('1970-01-01T00:00:00Z')).toBe('0');
    expect(epoch('2024-01-01T00:00:00Z')).toBe('1704067200');
    expect(epoch('2024-01-01T02:00:00+02:00')).toBe('1704067200');
    expect(epoch('2023-12-31T19:30:00-0430')).toBe('1704067200');
    expect(epoch('2024-01-01T09:00:00+09')).toBe('1704067200');
    expect(epoch('2024-01-01T00:00Z')).toBe('1704067200');
    expect(epoch('2024-02-29T00:00:00Z')).toBe('1709164800');
    expect(epoch('1969-12-31T23:59:59Z')).toBe('-1');
    expect(epoch('0000-01-01T00:00:00Z')).toBe('-62167219200');
    expect(epoch('9999-12-31T23:59:59Z')).toBe('253402300799');
  });

  it('a date or date-time without a zone is UTC, never local time', () => {
    expect(epoch('2024-01-01')).toBe('1704067200');
    expect(epoch('2024-01-01T00:00:00')).toBe('1704067200');
    expect(epoch('2030-01-01T00:00:00')).toBe(epoch('2030-01-01T00:00:00Z'));
  });

  it('fractions of a second are kept exactly, however many digits', () => {
    expect(epoch('2024-01-01T00:00:00.5Z')).toBe('1704067200.5');
    expect(epoch('2030-01-01T00:00:00.0001Z')).toBe('1893456000.0001');
    expect(epoch('2030-01-01T00:00:00.000000000001Z')).toBe('1893456000.000000000001');
    expect(
      compareDecimal(parseDate('2030-01-01T00:00:00.0001Z')!, parseDate('2030-01-01T00:00:00.0002Z')!),
    ).toBe(-1);
  });

  it('epoch (UNIX) seconds are read as numbers, of any size', () => {
    expect(epoch('1704067200')).toBe('1704067200');
    expect(epoch('1704067200.25')).toBe('1704067200.25');
    expect(epoch('99999999999999')).toBe('99999999999999');
    expect(epoch('-86400')).toBe('-86400');
    // four digits alone are epoch seconds, not a year
    expect(epoch('2030')).toBe('2030');
  });

  it('impossible dates and times are rejected, never rolled over', () => {
    for (const bad of [
      '2030-02-30T00:00:00Z',
      '2030-02-30',
      '2029-02-29',
      '1900-02-29',
      '2030-04-31',
      '2030-13-01',
      '2030-00-10',
      '2030-01-00',
      '2030-01-01T24:00:00Z',
      '2030-01-01T23:60:00Z',
      '2030-01-01T23:59:60Z',
      '2030-01-01T00:00:00+24:00',
      '2030-01-01T00:00:00+05:60',
    ])
      expect(parseDate(bad), bad).toBeUndefined();
    expect(epoch('2000-02-29')).toBe('951782400');
  });

  it('rejects other shapes: spaces, basic format, words, a zone without a time', () => {
    for (const bad of [
      ' 2030-01-01',
      '2030-01-01 ',
      ' 1704067200',
      '20300101T000000Z',
      '2030-1-1',
      '2030-01-01Z',
      '2030-01-01T00:00:00.Z',
      '2030-01-01T00:00:00,5Z',
      'soon',
      '',
    ])
      expect(parseDate(bad), JSON.stringify(bad)).toBeUndefined();
  });

  it('formatDate writes text that reads back to exactly the same instant', () => {
    for (const text of [
      '0',
      '1893456000.00015',
      '1893456000.0000015',
      '-1.5',
      '-62167219200',
      '253402300799.999',
      '253402300800',
      '99999999999999',
      '-99999999999999.5',
    ]) {
      const d = dec(text);
      const shown = formatDate(d);
      expect(compareDecimal(parseDate(shown)!, d), `${text} -> ${shown}`).toBe(0);
    }
    expect(formatDate(dec('1893456000.00015'))).toBe('2030-01-01T00:00:00.00015Z');
    expect(formatDate(dec('-1.5'))).toBe('1969-12-31T23:59:58.5Z');
    expect(formatDate(dec('99999999999999'))).toBe('99999999999999');
  });

  it('agrees with Date.UTC on every day of a 400-year cycle and around it', () => {
    for (let y = 1800; y <= 2201; y += 1)
      for (let m = 1; m <= 12; m++)
        for (const d of [1, 28, 29, 30, 31]) {
          const text = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const utc = Date.UTC(y, m - 1, d);
          const real = new Date(utc).getUTCDate() === d;
          expect(epoch(text), text).toBe(real ? String(utc / 1000) : undefined);
        }
  });
});

describe('booleans and addresses', () => {
  it('Bool values are true/false in any case, nothing else', () => {
    expect(parseBool('true')).toBe(true);
    expect(parseBool('FALSE')).toBe(false);
    expect(parseBool('True')).toBe(true);
    for (const bad of ['1', '0', 'yes', ' true', 'true ', '']) expect(parseBool(bad), bad).toBeUndefined();
  });

  it('parses IPv4, IPv6 and CIDR ranges', () => {
    expect(parseIp('10.0.0.1')).toEqual({ version: 4, value: 0x0a000001n });
    expect(parseIp('::1')).toEqual({ version: 6, value: 1n });
    expect(parseIp('::')).toEqual({ version: 6, value: 0n });
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe(0xffff0a000001n);
    expect(parseIp('1:2:3:4:5:6:7:8')?.value).toBe(0x00010002000300040005000600070008n);
    for (const bad of [
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '256.0.0.1',
      ' 10.0.0.1',
      '10.0.0.1 ',
      '1.2.3.4::1',
      '10.0.0',
    ])
      expect(parseIp(bad), bad).toBeUndefined();
    const r = parseCidr('10.1.2.3/8');
    const ip = parseIp('10.200.0.1');
    expect(r && ip && cidrContains(r, ip)).toBe(true);
    expect(parseCidr('10.0.0.0/8')?.prefix).toBe(8);
    expect(parseCidr('2001:db8::')?.prefix).toBe(128);
    for (const bad of ['::/129', '10.0.0.0/33', '10.0.0.0/', '10.0.0.0/0008', '10.0.0.0/8/8', ' 10.0.0.0/8'])
      expect(parseCidr(bad), bad).toBeUndefined();
    // IPv4 addresses never fall in IPv6 ranges, IPv4-mapped ones included
    expect(cidrContains(parseCidr('::ffff:0:0/96')!, parseIp('10.0.0.1')!)).toBe(false);
    expect(cidrContains(parseCidr('10.0.0.0/8')!, parseIp('::ffff:10.0.0.1')!)).toBe(false);
  });
});
