import { expect, test } from '@playwright/test';

test('smoke', async ({ page }) => {
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  page.on('pageerror', (e) => console.log('pageerror:', e.message));
  await page.goto('/');
  await expect(page.getByTestId('policy-editor')).toBeVisible();
  await expect(page.getByTestId('solver-status')).toHaveAttribute('data-phase', /ready|checking/, {
    timeout: 30_000,
  });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: 'test-results/smoke.png' });
});
