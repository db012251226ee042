import { expect, test, type Request } from './fixtures.ts';
import { Playground } from './playground.ts';

/** Many overlapping wildcard statements with conditions: hard for any string solver. */
function pathologicalPolicy(): string {
  const statements = [];
  for (let i = 0; i < 120; i++) {
    statements.push({
      Effect: i % 3 === 0 ? 'Deny' : 'Allow',
      Action: [`s3:*${'?'.repeat(i % 7)}*Object*`, `*${i}*:*Get*`],
      Resource: [`arn:aws:s3:::*${'a*'.repeat(i % 9)}/${i}*`],
      Condition: { StringLike: { 'aws:PrincipalTag/team': [`*${i}*`, `?${'*?'.repeat(i % 5)}`] } },
    });
  }
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 1);
}

test('a pathological policy ends in UNKNOWN or an error without freezing the page', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await page.getByTestId('timeout-select').selectOption('2000');
  await app.setText('policy', pathologicalPolicy());
  // The page stays responsive while the worker works: once the check is under way, a frame round
  // trip is quick.
  await expect(page.getByTestId('results')).toHaveClass(/is-running/);
  const frameMs = await page.evaluate(
    () =>
      new Promise<number>((r) => {
        const t = performance.now();
        requestAnimationFrame(() => r(performance.now() - t));
      }),
  );
  expect(frameMs).toBeLessThan(500);
  // Solver budget 2 s + watchdog 5 s: an answer (or an error) well within 20 s.
  await app.waitForAnswer(20_000);
  const verdict = page.getByTestId('verdict');
  if ((await verdict.count()) > 0)
    await expect(verdict.first()).toHaveAttribute('data-result', /UNKNOWN|PASS|FAIL/);
  await expect(page.getByTestId('policy-editor')).toBeVisible();
});

test('a running check can be cancelled', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await page.getByTestId('timeout-select').selectOption('30000');
  await app.setText('policy', pathologicalPolicy());
  const cancel = page.getByTestId('cancel-button');
  // A fast engine may finish before the button is clicked: both are fine, neither may hang.
  try {
    await cancel.click({ timeout: 3000 });
    await expect(
      page
        .getByTestId('run-cancelled')
        .or(page.getByTestId('verdict'))
        .or(page.getByTestId('input-error'))
        .first(),
    ).toBeVisible();
  } catch {
    await app.waitForAnswer();
  }
  await expect(page.getByTestId('run-button')).toBeVisible({ timeout: 10_000 });
});

test('no request leaves the origin', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  // Requests not yet answered: the test ends when every request the check caused has finished.
  const inFlight = new Set<Request>();
  page.on('request', (r) => {
    inFlight.add(r);
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) foreign.push(u);
  });
  page.on('requestfinished', (r) => inFlight.delete(r));
  page.on('requestfailed', (r) => inFlight.delete(r));
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await page.getByTestId('example-no-new-access-added-delete-bucket').click();
  await app.waitForAnswer();
  await expect.poll(() => [...inFlight].map((r) => r.url())).toEqual([]);
  expect(foreign).toEqual([]);
});
