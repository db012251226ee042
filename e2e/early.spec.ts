import { expect, test } from './fixtures.ts';
import { Playground } from './playground.ts';

test('a FAIL that needs no solver is shown while Z3 is still loading, and the full answer follows', async ({
  page,
  context,
}) => {
  // Hold the Z3 WebAssembly back: the solver cannot finish starting until it is released.
  let release: (() => void) | undefined;
  const held = new Promise<void>((r) => (release = r));
  await context.route('**/*.wasm', async (route) => {
    await held;
    await route.continue();
  });
  const app = new Playground(page);
  // The default state: CheckAccessNotGranted of s3:DeleteBucket on a policy whose statement 1 allows it.
  await app.open();
  const status = page.getByTestId('solver-status');
  const verdict = page.locator('[data-testid="results"] [data-testid="verdict"]');
  await expect(verdict).toHaveAttribute('data-result', 'FAIL', { timeout: 20_000 });
  await expect(status).toHaveAttribute('data-phase', 'loading');
  await expect(page.getByTestId('new-access-pending')).toContainText('without the solver');
  await expect(page.getByTestId('reasons')).toContainText('statement with index: 1');
  // The solver starts, checks, and its answer replaces the early one.
  release!();
  await app.waitForSolver();
  await expect(page.getByTestId('new-access-pending')).toHaveCount(0, { timeout: 45_000 });
  await expect(verdict).toHaveAttribute('data-result', 'FAIL');
  await expect(page.getByTestId('results')).not.toHaveClass(/is-running/);
});
