import { expect, test } from '@playwright/test';
import { Playground } from './playground.ts';

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
