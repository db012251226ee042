/**
 * Permalinks: the snapshot, lz-string compressed into the URL hash (`#p=…`). The hash is user input:
 * it is decompressed, parsed as JSON and read field by field through `readSnapshot`; nothing in it
 * is executed or inserted as HTML.
 */
import * as lzNamespace from 'lz-string';
import { DEFAULT_SNAPSHOT, pickSnapshot, readSnapshot, SNAPSHOT_VERSION, type Snapshot } from './snapshot.ts';

// lz-string is CommonJS: bundlers expose its functions as named exports, Node's ESM loader only as `default`.
const lz = (lzNamespace as typeof lzNamespace & { default?: typeof lzNamespace }).default ?? lzNamespace;

const PREFIX = '#p=';
const MAX_HASH = 400_000;

export function encodePermalink(s: Snapshot): string {
  return (
    PREFIX + lz.compressToEncodedURIComponent(JSON.stringify({ v: SNAPSHOT_VERSION, ...pickSnapshot(s) }))
  );
}

export type DecodeResult = { ok: true; snapshot: Snapshot } | { ok: false; error: string } | { ok: 'none' };

export function decodePermalink(hash: string): DecodeResult {
  if (!hash.startsWith(PREFIX)) return { ok: 'none' };
  if (hash.length > MAX_HASH) return { ok: false, error: 'The link is too long to be a playground link.' };
  const json = lz.decompressFromEncodedURIComponent(hash.slice(PREFIX.length));
  if (!json) return { ok: false, error: 'The link is damaged: it does not decompress.' };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return { ok: false, error: 'The link is damaged: it is not valid JSON.' };
  }
  if (typeof data !== 'object' || data === null)
    return { ok: false, error: 'The link holds no playground state.' };
  const v = (data as { v?: unknown }).v;
  if (typeof v !== 'number' || v < 1 || v > SNAPSHOT_VERSION)
    return { ok: false, error: `The link has an unsupported version (${String(v)}).` };
  return { ok: true, snapshot: readSnapshot(data, DEFAULT_SNAPSHOT) };
}

/**
 * Another kind of link in the same encoding: any JSON value under its own prefix of the hash (an
 * exercise: `#x=`, state/exerciseLink.ts), with the same limits. The value is user input: the
 * caller validates it (zod) before it uses anything in it.
 */
export function encodeHashValue(prefix: string, value: unknown): string {
  return prefix + lz.compressToEncodedURIComponent(JSON.stringify(value));
}

export function decodeHashValue(
  prefix: string,
  hash: string,
): { ok: true; value: unknown } | { ok: false; error: string } | { ok: 'none' } {
  if (!hash.startsWith(prefix)) return { ok: 'none' };
  if (hash.length > MAX_HASH) return { ok: false, error: 'The link is too long to be a playground link.' };
  const json = lz.decompressFromEncodedURIComponent(hash.slice(prefix.length));
  if (!json) return { ok: false, error: 'The link is damaged: it does not decompress.' };
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    return { ok: false, error: 'The link is damaged: it is not valid JSON.' };
  }
}
