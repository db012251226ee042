/**
 * The policy editor's IAM-aware help, driven by keyboard and mouse in the real Monaco: completion of
 * actions, condition operators and condition keys from the catalog, and hover with an action's
 * description and access level (checked against the same catalog the app bundles).
 */
import { expect, test, type Page } from './fixtures.ts';
import { readFileSync } from 'node:fs';
import { Catalog } from '../src/catalog/catalog.ts';
import { Playground } from './playground.ts';

const HEAD = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", ';

/** Sets the text, puts the cursor `fromEnd` characters before its end, and opens completion. */
async function completeAt(app: Playground, text: string, fromEnd: number): Promise<void> {
  const page = app.page;
  await app.setText('policy', text);
  await page.locator('[data-testid="policy-editor"] .view-lines').click();
  await page.keyboard.press('Control+End');
  for (let i = 0; i < fromEnd; i++) await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+Space');
}

function suggestions(page: Page) {
  return page.locator('[data-testid="policy-editor"] .suggest-widget .monaco-list-row');
}

test.beforeEach(async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  // completion and hover wait for the lazily loaded catalog: an unknown action's marker says it is in
  await app.setText('policy', `${HEAD}"Action": "s3:NoSuchActionHere"}]}`);
  await expect
    .poll(async () => (await app.markers('policy')).some((m) => m.code === 'INVALID_ACTION'), {
      timeout: 20_000,
    })
    .toBe(true);
});

test('completes actions of a service, and the chosen one replaces the whole string', async ({ page }) => {
  const app = new Playground(page);
  const typed = 's3:GetObjectTagg';
  await completeAt(app, `${HEAD}"Action": "${typed}"}]}`, '"}]}'.length);
  await expect(suggestions(page).first()).toContainText('s3:GetObjectTagging');
  await page.keyboard.press('Enter');
  await expect.poll(() => app.getText('policy')).toContain('"Action": "s3:GetObjectTagging"}');
});

test('completes condition operators and condition keys', async ({ page }) => {
  const app = new Playground(page);
  await completeAt(
    app,
    `${HEAD}"Action": "s3:GetObject", "Condition": {"StringEq": {}}}]}`,
    '": {}}}]}'.length,
  );
  const labels = suggestions(page);
  await expect(labels.filter({ hasText: /^StringEquals/ }).first()).toBeVisible();
  await expect(labels.filter({ hasText: 'StringEqualsIfExists' }).first()).toBeVisible();
  await page.keyboard.press('Escape');

  await completeAt(
    app,
    `${HEAD}"Action": "s3:GetObject", "Condition": {"StringEquals": {"aws:PrincipalOrgI": "o-1"}}}]}`,
    '": "o-1"}}}]}'.length,
  );
  await expect(suggestions(page).first()).toContainText('aws:PrincipalOrgID');
  await page.keyboard.press('Enter');
  await expect.poll(() => app.getText('policy')).toContain('{"aws:PrincipalOrgID": "o-1"}');
});

test("hovering an action shows its access level and the catalog's description", async ({ page }) => {
  const app = new Playground(page);
  const catalog = new Catalog(
    JSON.parse(readFileSync(new URL('../src/catalog/catalog.generated.json', import.meta.url), 'utf8')),
  );
  const action = catalog.action('s3:GetObject')!;
  await app.setText('policy', `${HEAD}"Action": ["s3:GetObject", "s3:Put*"]}]}`);
  const editor = page.getByTestId('policy-editor');
  await editor.getByText('"s3:GetObject"', { exact: true }).hover();
  const hover = page.locator('.monaco-hover').filter({ hasText: 's3:GetObject' });
  await expect(hover).toContainText(action.accessLevel);
  await expect(hover).toContainText(action.description.slice(0, 40));

  // a wildcard: how many catalog actions it matches, by access level
  const puts = catalog.actions.filter((a) => a.service === 's3' && a.name.startsWith('Put')).length;
  await page.mouse.move(0, 0);
  await editor.getByText('"s3:Put*"', { exact: true }).hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: 's3:Put*' })).toContainText(
    `matches ${puts} catalog actions`,
  );
});
