import { expect, test } from './fixtures.ts';
import { Playground, SEED_CASES } from './playground.ts';

for (const c of SEED_CASES) {
  test(`example ${c.name} gives ${c.expected.result}`, async ({ page }) => {
    const app = new Playground(page);
    await app.open();
    await app.waitForSolver();
    await page.getByTestId(`example-${c.name}`).click();
    await expect(app.verdict()).toHaveAttribute('data-result', c.expected.result, { timeout: 30_000 });
    if (c.expected.statementIndex !== undefined)
      await expect(
        page.locator(`[data-testid="statement-link"][data-statement="${c.expected.statementIndex}"]`).first(),
      ).toBeVisible();
    for (const action of c.expected.newlyAllowedActions ?? [])
      await expect(page.locator(`[data-testid="new-action"][data-action="${action}"]`)).toBeVisible();
  });
}

test('the service-aware reading shows beside a verdict it changes, and marks the request', async ({
  page,
}) => {
  // s3:DeleteBucket granted on arn:aws:s3:::DOC-EXAMPLE-BUCKET/* (objects): Access Analyzer's FAIL,
  // a request AWS would never authorize (DeleteBucket acts on buckets).
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await page.getByTestId('example-access-not-granted-identity-statement-1').click();
  await expect(app.verdict()).toHaveAttribute('data-result', 'FAIL', { timeout: 30_000 });
  await expect(page.getByTestId('new-access-pending')).toHaveCount(0, { timeout: 30_000 });
  const note = page.getByTestId('service-aware');
  await expect(note).toContainText('FAIL as Access Analyzer reads it; PASS as AWS authorizes requests');
  await expect(note).toContainText('s3:DeleteBucket acts on bucket');
  await expect(note).toContainText(/catalog \d{4}-\d{2}-\d{2}/);
  await expect(page.getByTestId('counterexample').getByTestId('impossible').first()).toBeVisible();
});

test('no service-aware note when both readings agree', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await page.getByTestId('example-access-not-granted-delete-bucket-resource-policy').click();
  await expect(app.verdict()).toHaveAttribute('data-result', 'FAIL', { timeout: 30_000 });
  // The solver's answer, not the early one (the note comes with the final answer only).
  await expect(page.getByTestId('new-access-pending')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('result-message')).toBeVisible();
  await expect(page.getByTestId('service-aware')).toHaveCount(0);
});
