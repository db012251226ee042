/**
 * The preview server of vite.config.ts, on a tiny fake build: precompressed files chosen by
 * Accept-Encoding, cache headers for hashed assets, and the isolation headers on every response.
 */
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preview, type PreviewServer } from 'vite';
import { acceptsEncoding, IMMUTABLE } from '../../vite.config.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const JS = 'export const x = ' + JSON.stringify('a'.repeat(5000)) + ';\n';

let dir: string;
let server: PreviewServer;
let port: number;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

function expectIsolated(r: Reply): void {
  expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(r.headers['cross-origin-embedder-policy']).toBe('require-corp');
  expect(r.headers['cross-origin-resource-policy']).toBe('same-origin');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'preview-test-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  const js = join(dir, 'assets/app-AbCd12_-.js');
  writeFileSync(js, JS);
  writeFileSync(js + '.br', brotliCompressSync(JS));
  writeFileSync(js + '.gz', gzipSync(JS));
  server = await preview({
    root: ROOT,
    logLevel: 'silent',
    build: { outDir: dir },
    preview: { port: 0, host: '127.0.0.1' },
  });
  port = (server.httpServer.address() as AddressInfo).port;
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('preview server', () => {
  it('sends the brotli file when allowed, cached for a year', async () => {
    const r = await get('/assets/app-AbCd12_-.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toBe('text/javascript');
    expect(r.headers['cache-control']).toBe(IMMUTABLE);
    expect(r.headers.vary).toContain('Accept-Encoding');
    expect(r.body.equals(readFileSync(join(dir, 'assets/app-AbCd12_-.js.br')))).toBe(true);
    expectIsolated(r);
  });

  it('falls back to gzip, then to the plain file', async () => {
    const gz = await get('/assets/app-AbCd12_-.js', { 'accept-encoding': 'gzip, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await get('/assets/app-AbCd12_-.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(JS);
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
    expectIsolated(plain);
  });

  it('answers a matching If-None-Match with 304, isolation headers included', async () => {
    const first = await get('/assets/app-AbCd12_-.js', { 'accept-encoding': 'br' });
    const etag = String(first.headers.etag);
    const again = await get('/assets/app-AbCd12_-.js', { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expectIsolated(again);
  });

  it('makes browsers revalidate index.html', async () => {
    const r = await get('/', { 'accept-encoding': 'br' });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-cache');
    expectIsolated(r);
  });
});

describe('acceptsEncoding', () => {
  it('reads names, q-values and *', () => {
    expect(acceptsEncoding('gzip, deflate, br', 'br')).toBe(true);
    expect(acceptsEncoding('gzip', 'br')).toBe(false);
    expect(acceptsEncoding('br;q=0, gzip', 'br')).toBe(false);
    expect(acceptsEncoding('BR;q=0.5', 'br')).toBe(true);
    expect(acceptsEncoding('*', 'gzip')).toBe(true);
    expect(acceptsEncoding('*;q=0', 'gzip')).toBe(false);
    expect(acceptsEncoding(undefined, 'gzip')).toBe(false);
  });
});
