/**
 * The Tests panel: a counterexample kept as a test fails with the request and its statement, passes
 * once the policy is fixed, survives a reload and travels in a share link; a test added through the
 * form shows what "every request" ranges over; a bad import changes nothing.
 */
import { expect, test, type Page } from './fixtures.ts';
import { permalinkFor, Playground } from './playground.ts';

const FIXED = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadWriteBucket',
        Effect: 'Allow',
        Action: ['s3:GetObject*', 's3:PutObject'],
        Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*',
      },
    ],
  },
  null,
  2,
);

const testItem = (page: Page, name: string | RegExp) =>
  page
    .getByTestId('tests-panel')
    .getByTestId('test-item')
    .filter({ has: page.getByText(name) });

test('a counterexample kept as a test: fails, passes once fixed, survives a reload and a share link', async ({
  page,
  browser,
}) => {
  const app = new Playground(page);
  await app.open(permalinkFor({ check: 'CheckAccessNotGranted', criticalActions: 's3:DeleteBucket' }));
  await app.waitForSolver();
  await expect(app.verdict()).toHaveAttribute('data-result', 'FAIL', { timeout: 30_000 });
  await expect(page.getByTestId('tests-empty')).toBeVisible();

  const card = page.getByTestId('counterexample').first();
  await expect(card.getByTestId('keep-as-test')).toHaveAttribute('title', /expects it denied/);
  await card.getByTestId('keep-as-test').click();
  await expect(page.getByTestId('notice')).toContainText('Kept as the test');

  // The policy allows the request: the test fails, with the request and the statement that allows it.
  const kept = testItem(page, /^denied: s3:DeleteBucket on /);
  await expect(kept).toHaveAttribute('data-status', 'fail', { timeout: 30_000 });
  await expect(kept.getByTestId('test-status')).toHaveText(/fail/);
  await expect(kept.getByTestId('test-message')).toContainText('Expected denied, got Allowed');
  await expect(kept.getByTestId('cx-action')).toHaveText('s3:DeleteBucket');
  const link = kept.getByTestId('test-decided-by').getByTestId('statement-link');
  await expect(link).toHaveAttribute('data-statement', '1');
  await link.click();
  await expect(page.locator('[data-testid="policy-editor"] .stmt-highlight').first()).toBeVisible();

  // Fixed: the run as you edit makes it pass.
  await app.setText('policy', FIXED);
  await expect(kept).toHaveAttribute('data-status', 'pass', { timeout: 30_000 });
  await expect(kept.getByTestId('test-message')).toContainText('ImplicitlyDenied, as expected');
  await expect(page.getByTestId('tests-summary')).toHaveText('1 pass');

  // A reload keeps the test (local storage), and runs it again.
  await app.waitForStored();
  await page.reload();
  await expect(testItem(page, /^denied: s3:DeleteBucket on /)).toHaveAttribute('data-status', 'pass', {
    timeout: 45_000,
  });

  // A share link carries it to a page that has never seen it.
  await page.getByTestId('share-button').click();
  await expect(page).toHaveURL(/#p=/);
  const ctx = await browser.newContext();
  const other = new Playground(await ctx.newPage());
  await other.open(page.url());
  await expect(testItem(other.page, /^denied: s3:DeleteBucket on /)).toHaveAttribute('data-status', 'pass', {
    timeout: 45_000,
  });
  expect(await other.getText('policy')).toBe(FIXED);
  await ctx.close();
});

test('a test added with the form: its problems next to its fields, then what "every" ranges over', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open(permalinkFor({ check: 'CheckAccessNotGranted', criticalActions: 's3:DeleteBucket' }));
  await app.waitForSolver();
  const panel = page.getByTestId('tests-panel');
  await panel.getByTestId('tests-add').click();
  const form = panel.getByTestId('test-form');
  await form.getByTestId('test-save').click();
  await expect(form.getByTestId('test-field-error')).toHaveText('a test needs a name');
  await expect(form.getByTestId('test-name')).toHaveAttribute('aria-invalid', 'true');

  await form.getByTestId('test-name').fill('no bucket deletes');
  await form.getByTestId('test-expect').selectOption('never-allowed');
  await form.getByTestId('test-actions').fill('s3:DeleteBucket');
  await form.getByTestId('test-context-add').click();
  await form.getByTestId('test-context-key').fill('aws:SourceVpc');
  await form.getByTestId('test-context-absent').check();
  await form.getByTestId('test-save').click();
  await expect(form).toHaveCount(0);

  const item = testItem(page, 'no bucket deletes');
  await expect(item).toHaveAttribute('data-status', 'fail', { timeout: 30_000 });
  await expect(item.getByTestId('test-scope')).toContainText('No request allowed among');
  await expect(item.getByTestId('test-scope')).toContainText('aws:SourceVpc absent');
  await expect(item.getByTestId('cx-action')).toHaveText('s3:DeleteBucket');

  // Duplicate, then delete the copy.
  await item.getByTestId('test-duplicate').click();
  await expect(testItem(page, 'no bucket deletes (copy)')).toHaveCount(1);
  await testItem(page, 'no bucket deletes (copy)').getByTestId('test-delete').click();
  await expect(panel.getByTestId('test-item')).toHaveCount(1);

  // A bad file is refused, and nothing is lost.
  await panel.getByTestId('tests-import-file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"tests": [{"name": "x", "expect": "maybe"}]}'),
  });
  await expect(panel.getByTestId('tests-import-error')).toContainText('broken.json was not imported');
  await expect(panel.getByTestId('tests-import-error')).toContainText('tests[0]');
  await expect(panel.getByTestId('test-item')).toHaveCount(1);
});

test('Scenario mode: a request kept as a scenario test shows the deciding layer; its expectation changed in the JSON view', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.openScenario();
  await app.waitForSolver();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'FAIL', { timeout: 45_000 });
  await page.getByTestId('scenario-counterexample').first().getByTestId('keep-as-test').click();

  const panel = page.getByTestId('tests-panel');
  const kept = panel.getByTestId('test-item').first();
  await expect(kept).toHaveAttribute('data-status', 'fail', { timeout: 30_000 });
  await expect(kept.getByTestId('cx-action')).toHaveText('s3:GetObject');
  await expect(kept.getByTestId('gates')).toHaveAttribute('data-decision', 'Allowed');
  await expect(kept.locator('[data-testid="gate"][data-layer="resource"]')).toHaveClass(/is-deciding/);
  await kept.getByTestId('deciding-statement').click();
  await expect(page.getByTestId('scenario-editor-title')).toHaveText('Resource policy');

  // The JSON view: a typo is refused where it is; the right expectation makes the test pass.
  await panel.getByTestId('tests-json-toggle').click();
  const json = panel.getByTestId('tests-json');
  const suite = JSON.parse(await json.inputValue()) as { tests: { expect: string }[] };
  await json.fill(JSON.stringify({ tests: [{ ...suite.tests[0], expect: 'allowed' }] }));
  await panel.getByTestId('tests-json-apply').click();
  await expect(panel.getByTestId('tests-json-error')).toContainText('tests[0].expect');
  await json.fill(JSON.stringify({ tests: [{ ...suite.tests[0], expect: 'Allowed' }] }, null, 2));
  await panel.getByTestId('tests-json-apply').click();
  await expect(json).toHaveCount(0);
  await expect(kept).toHaveAttribute('data-status', 'pass', { timeout: 30_000 });
});

test('Learn: the request of the step-by-step evaluation kept as a test with its decision', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open(permalinkFor({ check: 'CheckAccessNotGranted' }));
  await page.getByTestId('mode-learn').click();
  await page.getByTestId('learn-tab-steps').click();
  await page.getByTestId('req-action').fill('s3:PutObject');
  await page.getByTestId('req-resource').fill('arn:aws:s3:::DOC-EXAMPLE-BUCKET/a');
  await expect(page.getByTestId('step-decision')).toHaveAttribute('data-decision', 'Allowed');
  const keep = page.getByTestId('step-panel').getByTestId('keep-as-test');
  await expect(keep).toHaveAttribute('title', /expects it allowed/);
  await keep.click();

  await page.getByTestId('mode-check').click();
  await app.waitForSolver();
  const kept = testItem(page, 'Allowed: s3:PutObject on arn:aws:s3:::DOC-EXAMPLE-BUCKET/a');
  await expect(kept).toHaveAttribute('data-status', 'pass', { timeout: 30_000 });
});
