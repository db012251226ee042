import { expect, test, type Page } from './fixtures.ts';
import { SCENARIO_EXAMPLES } from '../src/state/scenarioExamples.ts';
import { permalinkFor, Playground } from './playground.ts';

// Refreshes docs/screenshots/ (run with UPDATE_SCREENSHOTS=1); skipped otherwise so tests leave the tree clean.
test.skip(!process.env.UPDATE_SCREENSHOTS, 'set UPDATE_SCREENSHOTS=1 to refresh docs/screenshots');

/**
 * The statement a link highlights is drawn and its editor has stopped scrolling to it (the reveal
 * scrolls smoothly): the frame shows it where the user would see it.
 */
async function highlightShown(page: Page): Promise<void> {
  await expect(page.locator('.stmt-highlight').first()).toBeInViewport();
  let last = '';
  await expect
    .poll(async () => {
      // Monaco scrolls by moving its lines layer, not by the DOM's scrollTop.
      const now = await page
        .locator('.monaco-editor .lines-content')
        .evaluateAll((els) =>
          els.map((e) => `${(e as HTMLElement).style.top},${(e as HTMLElement).style.left}`).join(';'),
        );
      const still = now === last;
      last = now;
      return still;
    })
    .toBe(true);
}

test('screenshots of the main views', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await page.getByTestId('example-access-not-granted-identity-statement-1').click();
  await app.waitForAnswer();
  await page
    .getByTestId('statement-link')
    .first()
    .click()
    .catch(() => undefined);
  await highlightShown(page);
  await page.screenshot({ path: 'docs/screenshots/single-policy.png' });

  await page.getByTestId('example-no-new-access-added-delete-bucket').click();
  await app.waitForAnswer();
  await page
    .locator('[data-testid="new-action"]')
    .first()
    .click()
    .catch(() => undefined);
  await highlightShown(page);
  await page.screenshot({ path: 'docs/screenshots/diff-new-access.png' });

  await app.setText('new', '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Alow", ');
  // The picture is of the markers: wait for them in the model and drawn in the editor.
  await expect.poll(async () => (await app.markers('new')).length).toBeGreaterThan(0);
  await expect(page.locator('[data-testid="diff-editor"] .squiggly-error').first()).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/malformed.png' });
  await expect(page.getByTestId('diff-editor')).toBeVisible();
});

test('screenshot of the least-privilege view', async ({ page }) => {
  const app = new Playground(page);
  await app.openRecommend();
  await app.waitForSolver();
  await page.getByTestId('rec-example').click();
  await app.trieNode('s3:GetObject').getByTestId('trie-toggle').click();
  await app.trieNode('s3:GetObjectVersion').click();
  await expect(app.proof()).toHaveAttribute('data-status', 'proved', { timeout: 60_000 });
  await app.trieNode('s3:GetBucket').hover();
  await expect(page.getByTestId('notice')).toHaveCount(0, { timeout: 8000 });
  await page.screenshot({ path: 'docs/screenshots/recommend.png' });
});

test('screenshots of the Learn view', async ({ page }) => {
  const app = new Playground(page);
  await app.openLearn();
  // the formula next to the JSON, one part hovered
  await app.lesson('statement-1', 'FAIL');
  await page.getByTestId('learn-tab-formula').click();
  await page
    .locator('[data-testid="formula-statement"][data-name="S1"] [data-role="member"]', {
      hasText: 's3:DeleteBucket',
    })
    .hover();
  await expect(page.locator('.learn-link-inline')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/learn-formula.png' });
  // the question and its verdict
  await app.lesson('new-access', 'FAIL');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: 'docs/screenshots/learn-question.png' });
  // step by step, on a condition-free statement that does not match
  await app.lesson('statement-1', 'FAIL');
  await page.getByTestId('learn-tab-steps').click();
  for (let i = 0; i < 2; i++) await page.getByTestId('step-next').click();
  await page.screenshot({ path: 'docs/screenshots/learn-steps.png' });
  // the SMT-LIB export
  await page.getByTestId('learn-tab-smt').click();
  await expect(page.getByTestId('smt-script')).toContainText('(check-sat)');
  await page.screenshot({ path: 'docs/screenshots/learn-smt.png' });
});

test('screenshot of the Scenario mode', async ({ page }) => {
  const ex = SCENARIO_EXAMPLES.find((e) => e.name === 'region-scp')!;
  const app = new Playground(page);
  await app.openScenario(permalinkFor({ mode: 'scenario', scenario: ex.state }));
  await app.waitForSolver();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'ExplicitlyDenied', { timeout: 45_000 });
  await page.getByTestId('deciding-statement').first().click();
  await highlightShown(page);
  await page.screenshot({ path: 'docs/screenshots/scenario.png' });
});

test('screenshot of the Tests panel', async ({ page }) => {
  const app = new Playground(page);
  await app.open(
    permalinkFor({
      check: 'CheckAccessNotGranted',
      criticalActions: 's3:DeleteBucket',
      policyTests: [
        {
          name: 'no bucket deletes',
          expect: 'never-allowed',
          actions: ['s3:DeleteBucket'],
          resources: ['arn:aws:s3:::DOC-EXAMPLE-BUCKET*'],
        },
        {
          name: 'can read objects',
          expect: 'always-allowed',
          actions: ['s3:GetObject'],
          resources: ['arn:aws:s3:::DOC-EXAMPLE-BUCKET/*'],
        },
        {
          name: 'starts instances',
          expect: 'Allowed',
          request: {
            action: 'ec2:StartInstances',
            resource: 'arn:aws:ec2:us-east-1:123456789012:instance/i-1',
          },
        },
      ],
    }),
  );
  await app.waitForSolver();
  const panel = page.getByTestId('tests-panel');
  await expect(panel.getByTestId('tests-summary')).toHaveText('1 fail · 2 pass', { timeout: 45_000 });
  await panel.getByTestId('test-example').getByTestId('statement-link').click();
  await highlightShown(page);
  await panel.getByTestId('test-item').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'docs/screenshots/tests-panel.png' });
});
