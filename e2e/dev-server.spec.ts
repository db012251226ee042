/**
 * The README's "start the app" command: `npm run dev` (vite dev) must boot Z3 in its worker and give
 * a verdict, with no page error (e2e/fixtures.ts fails any test on one). (The production build is
 * covered by every other spec.)
 */
import { expect, test } from './fixtures.ts';
import { Playground } from './playground.ts';

test('vite dev serves a working app: solver ready and a verdict', async ({ page }) => {
  const app = new Playground(page);
  // The first dev load pre-bundles Monaco and z3-solver: allow for it.
  await page.goto('/', { timeout: 90_000 });
  await expect(page.getByTestId(/^(policy|diff)-editor$/)).toBeVisible({ timeout: 60_000 });
  await app.waitForSolver();
  await app.waitForAnswer(60_000);
  await expect(app.verdict()).toHaveText(/PASS|FAIL|UNKNOWN/);
  const solver = await page.evaluate(() => window.__playground!.getState().solver);
  expect(solver.phase).toBe('ready');
});
