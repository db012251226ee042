import { defineConfig } from 'vite';
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

export default defineConfig({
  plugins: [react()],
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
  optimizeDeps: { exclude: ['z3-solver'] },
});
