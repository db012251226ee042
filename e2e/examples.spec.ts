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
