import { expect, test } from './fixtures.ts';
import { Playground } from './playground.ts';

test('a solver that failed to start is restarted from the page and answers', async ({ page, context }) => {
  // The Z3 WebAssembly cannot be loaded until `broken` is cleared: the worker's start-up fails.
  let broken = true;
  let refused = 0;
  await context.route('**/*.wasm', async (route) => {
    if (broken) {
      refused++;
      await route.abort('failed');
    } else await route.continue();
  });
  const app = new Playground(page);
  // The default state: CheckAccessNotGranted of s3:DeleteBucket on a policy whose statement 1 allows it.
  await app.open();
  const status = page.getByTestId('solver-status');
  await expect(status).toHaveAttribute('data-phase', 'failed', { timeout: 45_000 });
  expect(refused).toBeGreaterThan(0);
  const restart = page.getByRole('button', { name: 'Restart the solver' });
  await expect(restart).toBeVisible();
  await expect(restart).toHaveAttribute('data-testid', 'restart-solver');
  await expect(page.getByTestId('solver-error')).toContainText('The solver stopped');

  broken = false;
  await restart.click();
  await app.waitForSolver();
  await expect(page.getByTestId('solver-error')).toHaveCount(0);
  // The check runs again on the new worker: the solver's own FAIL, not only the early one.
  const verdict = page.locator('[data-testid="results"] [data-testid="verdict"]');
  await expect(verdict).toHaveAttribute('data-result', 'FAIL', { timeout: 45_000 });
  await expect(page.getByTestId('new-access-pending')).toHaveCount(0, { timeout: 45_000 });
  await expect(page.getByTestId('results')).not.toHaveClass(/is-running/);
  await expect(page.getByTestId('reasons')).toContainText('statement with index: 1');
  await expect(status).toHaveAttribute('data-phase', 'ready');
});
