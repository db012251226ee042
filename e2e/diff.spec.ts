import { expect, test } from './fixtures.ts';
import { Playground, permalinkFor } from './playground.ts';

test('diff mode shows the newly granted action and highlights its statement', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await page.getByTestId('example-no-new-access-added-delete-bucket').click();
  await expect(page.getByTestId('diff-editor')).toBeVisible();
  const action = page.locator('[data-testid="new-action"][data-action="s3:DeleteBucket"]');
  await expect(action).toBeVisible({ timeout: 30_000 });
  await action.click();
  await expect(page.locator('[data-testid="diff-editor"] .modified .stmt-highlight').first()).toBeVisible();
});

test('outline click highlights a statement in the diff editor', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await page.getByTestId('check-select').selectOption('CheckNoNewAccess');
  await expect(page.getByTestId('diff-editor')).toBeVisible();
  await page.getByTestId('outline-new').getByTestId('outline-item').first().click();
  await expect(page.locator('[data-testid="diff-editor"] .modified .stmt-highlight').first()).toBeVisible();
});

test('compare: a reason of "existing allows, new does not" points into policy A, the existing editor', async ({
  page,
}) => {
  const doc = (...statements: unknown[]) =>
    JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
  const read = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' };
  const app = new Playground(page);
  // A grants s3:PutObject at index 1; B grants nothing A does not: one reason, into policy A.
  await app.open(
    permalinkFor({
      check: 'ComparePolicies',
      docs: {
        existing: doc(read, { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }),
        new: doc(read),
        policy: '',
      },
    }),
  );
  await app.waitForSolver();
  await expect(app.verdict()).toHaveAttribute('data-result', 'MORE_PERMISSIVE', { timeout: 30_000 });
  const link = page.getByTestId('reasons').getByTestId('statement-link');
  await expect(link).toHaveCount(1);
  await expect(link).toHaveAttribute('data-doc', 'existing');
  await expect(link).toHaveAttribute('data-statement', '1');
  await link.click();
  await expect(page.locator('[data-testid="diff-editor"] .original .stmt-highlight').first()).toBeVisible();
});
