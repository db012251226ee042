/**
 * Served without COOP/COEP (and with the service-worker fallback blocked), the page is not
 * cross-origin isolated: the app must say so plainly, never start Z3, and keep editing working.
 */
import { expect, test } from './fixtures.ts';
import { Playground } from './playground.ts';

test.use({ serviceWorkers: 'block' });

test('without cross-origin isolation: a clear banner, no solver, editing and validation still work', async ({
  page,
}) => {
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const app = new Playground(page);
  await app.open();
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
  await expect(page.getByTestId('isolation-banner')).toBeVisible();
  await expect(page.getByTestId('isolation-banner')).toContainText(/Cross-Origin-Opener-Policy/);
  await expect(page.getByTestId('solver-status')).toHaveAttribute('data-phase', 'not-isolated');
  expect(workers.some((u) => u.includes('analysis'))).toBe(false);
  // The editor and its validation keep working without the solver.
  await app.setText(
    'policy',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}',
  );
  await expect.poll(async () => (await app.markers('policy')).length, { timeout: 15_000 }).toBeGreaterThan(0);
  // A fetch still in flight (the catalog, loaded lazily) must not fail the next test as the page closes.
  await page.unrouteAll({ behavior: 'ignoreErrors' });
});
