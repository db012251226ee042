import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Z3's WASM build uses pthreads, which need SharedArrayBuffer, which browsers only give to
 * cross-origin-isolated pages: both the dev server and `vite preview` must send these headers.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

// ---------------------------------------------------------------------------------------------------
// Precompression at build time: `<file>.br` and `<file>.gz` next to every compressible file of the
// build (z3-built.wasm: 33 MiB raw, ~5.2 MiB brotli). Static hosts that serve precompressed files
// (nginx gzip_static / brotli_static, most CDNs) and `vite preview` (below) send them.

const COMPRESSIBLE = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.json',
  '.wasm',
  '.svg',
  '.ttf',
  '.txt',
  '.map',
]);
const MIN_BYTES = 1024;
/**
 * Brotli quality 11 saves another ~0.8 MiB on the WASM but takes ~4 minutes of one core; 7 takes
 * ~8 s. Results are cached by content hash (node_modules/.cache/precompress), so only a new z3-solver
 * pays it. PRECOMPRESS_BROTLI_QUALITY=11 for a release build.
 */
const BROTLI_QUALITY = Number(process.env.PRECOMPRESS_BROTLI_QUALITY ?? '7');

type Encoding = 'br' | 'gzip';
const EXT: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

function compress(buf: Buffer, enc: Encoding): Promise<Buffer> {
  if (enc === 'gzip') return gzip(buf, { level: 9 });
  return brotli(buf, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  });
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? filesUnder(join(dir, d.name)) : [join(dir, d.name)],
  );
}

function precompress(): Plugin {
  let outDir = '';
  let cacheDir = '';
  return {
    name: 'iam-playground:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
      cacheDir = join(config.root, 'node_modules/.cache/precompress');
    },
    async closeBundle() {
      if (!Number.isInteger(BROTLI_QUALITY) || BROTLI_QUALITY < 0 || BROTLI_QUALITY > 11)
        throw new Error(
          `PRECOMPRESS_BROTLI_QUALITY must be 0..11, got ${process.env.PRECOMPRESS_BROTLI_QUALITY}`,
        );
      const t0 = performance.now();
      mkdirSync(cacheDir, { recursive: true });
      const files = filesUnder(outDir).filter((f) => COMPRESSIBLE.has(extname(f)));
      let raw = 0;
      const sent: Record<Encoding, number> = { br: 0, gzip: 0 };
      await Promise.all(
        files.map(async (file) => {
          const buf = readFileSync(file);
          if (buf.length < MIN_BYTES) return;
          raw += buf.length;
          const hash = createHash('sha256').update(buf).digest('hex');
          for (const enc of ['br', 'gzip'] as const) {
            const params = enc === 'br' ? `br-q${BROTLI_QUALITY}-w24` : 'gz-9';
            const cached = join(cacheDir, `${hash}.${params}`);
            let out: Buffer;
            if (existsSync(cached)) out = readFileSync(cached);
            else {
              out = await compress(buf, enc);
              // Parallel builds share the cache: write aside, then rename (atomic).
              const tmp = `${cached}.${process.pid}.tmp`;
              writeFileSync(tmp, out);
              renameSync(tmp, cached);
            }
            // Not worth a second file (and a Vary) when it barely shrinks.
            if (out.length > buf.length * 0.95) {
              sent[enc] += buf.length;
              continue;
            }
            writeFileSync(file + EXT[enc], out);
            sent[enc] += out.length;
          }
        }),
      );
      const mib = (n: number) => `${(n / 2 ** 20).toFixed(2)} MiB`;
      this.info(
        `precompressed ${files.length} files in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
          `${mib(raw)} raw, ${mib(sent.br)} brotli (q${BROTLI_QUALITY}), ${mib(sent.gzip)} gzip`,
      );
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// `vite preview`: serve the precompressed files (Vite's own preview only gzips text on the fly and
// sends no WASM compressed), and cache headers: content-hashed files under assets/ never change, so
// they are cached for a year without revalidation; everything else (index.html, coi-serviceworker.js)
// is revalidated on every load (ETag -> 304).

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[A-Za-z0-9]+$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** True when an Accept-Encoding header allows `enc` (q=0 refuses it; `*` stands for unlisted ones). */
export function acceptsEncoding(header: string | undefined, enc: Encoding): boolean {
  if (!header) return false;
  let star: boolean | undefined;
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    const allowed = q === undefined || Number(q.slice(2)) > 0;
    if (name.toLowerCase() === enc) return allowed;
    if (name === '*') star = allowed;
  }
  return star ?? false;
}

function servePrecompressed(): Plugin {
  return {
    name: 'iam-playground:serve-precompressed',
    configurePreviewServer(server) {
      const root = resolve(server.config.root, server.config.build.outDir);
      const base = server.config.base.startsWith('/') ? server.config.base : '/';
      const headers = { ...isolationHeaders, ...server.config.preview.headers };
      // Added here (not returned), so it runs before Vite's compression and static middlewares.
      server.middlewares.use((req: IncomingMessage, res: ServerResponse, next: () => void) => {
        // Every response keeps the isolation headers, 304s and 404s included.
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
        let path: string;
        try {
          path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
        } catch {
          return next();
        }
        if (base !== '/' && path.startsWith(base)) path = path.slice(base.length - 1);
        res.setHeader('Cache-Control', HASHED_ASSET.test(path) ? IMMUTABLE : 'no-cache');
        if ((req.method !== 'GET' && req.method !== 'HEAD') || req.headers.range) return next();
        const file = resolve(root, '.' + path);
        if (!file.startsWith(root + sep)) return next();
        const type = MIME[extname(file)];
        const enc = (['br', 'gzip'] as const).find(
          (e) => acceptsEncoding(req.headers['accept-encoding'], e) && existsSync(file + EXT[e]),
        );
        if (!type || !enc || !existsSync(file)) {
          // Caches must keep the encodings apart for files that have precompressed variants.
          if (type && existsSync(file + EXT.br)) res.setHeader('Vary', 'Accept-Encoding');
          return next();
        }
        const st = statSync(file + EXT[enc]);
        const etag = `"${st.size.toString(36)}-${Math.trunc(st.mtimeMs).toString(36)}-${enc}"`;
        res.setHeader('Vary', 'Accept-Encoding');
        res.setHeader('ETag', etag);
        res.setHeader('Last-Modified', st.mtime.toUTCString());
        if (req.headers['if-none-match'] === etag) {
          res.statusCode = 304;
          return res.end();
        }
        res.setHeader('Content-Type', type);
        res.setHeader('Content-Encoding', enc);
        res.setHeader('Content-Length', st.size);
        if (req.method === 'HEAD') return res.end();
        createReadStream(file + EXT[enc]).pipe(res);
      });
    },
  };
}

/**
 * monaco-editor's `internal/common/workers.js` (imported by the JSON language's lazily loaded mode for
 * `createWebWorker`) also imports every editor contribution: it is swapped for
 * src/ui/editor/monacoWorkers.ts, the same function alone, so the editors keep the curated feature list
 * of src/ui/editor/monaco.ts and no contribution arrives after the first editor with a service the
 * running editors never registered (the "depends on UNKNOWN service ICodeLensCache" page errors).
 * For the build and for the dev server's pre-bundling of Monaco alike.
 */
const SLIM_MONACO_WORKERS = resolve(import.meta.dirname, 'src/ui/editor/monacoWorkers.ts');
function slimMonacoWorkers(): Plugin {
  return {
    name: 'iam-playground:slim-monaco-workers',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/[\\/]node_modules[\\/]monaco-editor[\\/]/.test(importer)) return null;
      return /(^|\/)internal\/common\/workers\.js$/.test(source) ? SLIM_MONACO_WORKERS : null;
    },
  };
}

export default defineConfig({
  plugins: [slimMonacoWorkers(), react(), precompress(), servePrecompressed()],
  base: './',
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 8000,
    // Keep z3-built.wasm a separate file (never inlined) so it streams and caches on its own.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') || file.endsWith('z3-built.js') ? false : undefined),
  },
  // z3-solver's browser entry is CommonJS: pre-bundle it so `vite dev` serves it as ESM ("exports is not defined" otherwise).
  // The dev server pre-bundles Monaco with Rolldown: it gets the same swap as the build.
  optimizeDeps: { include: ['z3-solver'], rolldownOptions: { plugins: [slimMonacoWorkers()] } },
});
