import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './src/bench/chromium.ts';

// Debian's Chromium by default, CHROMIUM_PATH overrides (src/bench/chromium.ts).
const executablePath = chromiumPath();
// E2E_PORT / E2E_DIST let several checkouts (or people) run the suite at once without sharing a server.
const PORT = Number(process.env.E2E_PORT ?? 4173);
const DIST = process.env.E2E_DIST ?? 'dist';
// The README's "start the app" command (`npm run dev`) gets its own smoke test against `vite dev`.
const DEV_PORT = PORT + 1000;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}/`,
    viewport: { width: 1280, height: 720 },
    trace: 'off',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /dev-server\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 720 } },
    },
    {
      name: 'dev-server',
      testMatch: /dev-server\.spec\.ts/,
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1280, height: 720 },
        baseURL: `http://localhost:${DEV_PORT}/`,
      },
    },
  ],
  webServer: [
    {
      command: `npm run build -- --outDir ${DIST} && npm run preview -- --outDir ${DIST} --port ${PORT} --strictPort`,
      url: `http://localhost:${PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 180_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // --force: pre-bundle afresh, so a dependency cache left by an earlier checkout state cannot
      // serve stale chunks (504 Outdated Optimize Dep, seen once locally).
      command: `npx vite --port ${DEV_PORT} --strictPort --force`,
      url: `http://localhost:${DEV_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
