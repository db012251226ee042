/**
 * The Scenario mode's walk through the flow chart in Chromium: the request evaluator's answer walked
 * step by step (previous / next, the keyboard), the deciding step found and its statement opened in
 * its editor; a counterexample's walk too.
 */
import { expect, test } from './fixtures.ts';
import { SCENARIO_EXAMPLES } from '../src/state/scenarioExamples.ts';
import { permalinkFor, Playground } from './playground.ts';

const example = (name: string) => {
  const ex = SCENARIO_EXAMPLES.find((e) => e.name === name);
  if (!ex) throw new Error(`no scenario example ${name}`);
  return ex;
};

test('the region SCP: the walk reaches the explicit Deny at the account level and opens its statement', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.openScenario(permalinkFor({ mode: 'scenario', scenario: example('region-scp').state }));
  await app.waitForSolver();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'ExplicitlyDenied', { timeout: 45_000 });

  await page.getByTestId('walk-through').click();
  const walk = page.getByTestId('stack-walk');
  await expect(walk).toBeVisible();
  const current = walk.getByTestId('stack-walk-current');
  // Step 1 of the flow chart is the explicit Deny, and here it decides.
  await expect(current).toHaveAttribute('data-step', 'deny');
  await expect(current).toHaveAttribute('data-deciding', 'true');
  await expect(current).toHaveAttribute('data-outcome', 'deny');
  await expect(walk.getByTestId('stack-walk-position')).toHaveText(/^Step 1 of \d+$/);

  // Next: the SCP levels, the root's first; the later steps are not reached.
  await walk.getByTestId('stack-walk-next').click();
  await expect(current).toHaveAttribute('data-step', 'scp-0');
  await walk.getByTestId('stack-walk-prev').click();
  await expect(current).toHaveAttribute('data-step', 'deny');
  const list = walk.getByTestId('stack-walk-list');
  await list.focus();
  await page.keyboard.press('End');
  await expect(current).toHaveAttribute('data-step', 'decision');
  await expect(current).toContainText('explicitly denied');
  await page.keyboard.press('d');
  await expect(current).toHaveAttribute('data-step', 'deny');
  await expect(walk.locator('[data-testid="stack-walk-step"][data-deciding="true"]')).toHaveAttribute(
    'data-step',
    'deny',
  );

  // The Deny statement opens in its editor: an SCP of the account's level.
  const ref = current.getByTestId('stack-walk-ref').first();
  await expect(ref).toHaveAttribute('data-document', /^scp\[1\]\[\d+\]$/);
  await ref.click();
  await expect(page.getByTestId('scenario-editor-title')).toContainText('SCP');
  await expect(page.locator('[data-testid="scenario-editor"] .stmt-highlight').first()).toBeVisible();
});

test('a counterexample across accounts: its walk decides at the resource policy', async ({ page }) => {
  const app = new Playground(page);
  await app.openScenario(permalinkFor({ mode: 'scenario', scenario: example('cross-account-bucket').state }));
  await app.waitForSolver();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'FAIL', { timeout: 45_000 });
  const cx = page.getByTestId('scenario-counterexample').first();
  await cx.getByTestId('walk-through').click();
  const walk = cx.getByTestId('stack-walk');
  await walk.getByTestId('stack-walk-deciding').click();
  const current = walk.getByTestId('stack-walk-current');
  await expect(current).toHaveAttribute('data-step', 'resource');
  await expect(current).toHaveAttribute('data-outcome', 'allow');
  await walk.getByTestId('stack-walk-list').focus();
  await page.keyboard.press('End');
  await expect(current).toContainText('Across accounts');
});
