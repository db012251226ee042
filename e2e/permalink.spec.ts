import { expect, test } from './fixtures.ts';
import { permalinkFor, Playground } from './playground.ts';

test('permalink round trip', async ({ page, browser }) => {
  const app = new Playground(page);
  await app.open();
  const text =
    '{"Version": "2012-10-17", "Statement": [{"Sid": "Shared", "Effect": "Deny", "Action": "*", "Resource": "*"}]}';
  await app.setText('policy', text);
  await page.getByTestId('check-select').selectOption('NoAccessOutsideAccounts');
  await page.getByTestId('trusted-accounts').fill('111122223333');
  await page.getByTestId('share-button').click();
  await expect(page).toHaveURL(/#p=/);
  const url = page.url();

  // A fresh context: no localStorage, only the link.
  const ctx = await browser.newContext();
  const other = new Playground(await ctx.newPage());
  await other.open(url);
  expect(await other.getText('policy')).toBe(text);
  await expect(other.page.getByTestId('check-select')).toHaveValue('NoAccessOutsideAccounts');
  await expect(other.page.getByTestId('trusted-accounts')).toHaveValue('111122223333');
  await ctx.close();
});

test('a link built with the app encoder opens that state', async ({ page }) => {
  const app = new Playground(page);
  await app.open(
    permalinkFor({
      check: 'CheckNoNewAccess',
      docs: { existing: '{}', new: '{"Statement": []}', policy: '' },
    }),
  );
  await expect(page.getByTestId('diff-editor')).toBeVisible();
  expect(await app.getText('new')).toBe('{"Statement": []}');
});

test('a damaged or hostile link is rejected without breaking the app', async ({ page }) => {
  const app = new Playground(page);
  await app.open('/#p=not-really-compressed<img src=x onerror=alert(1)>');
  await expect(page.getByTestId('notice')).toBeVisible();
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.getByTestId('outline-item')).toHaveCount(2);
});

test('after a link is opened, a reload keeps the later edits (the link is not re-applied)', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open(
    permalinkFor({ check: 'CheckAccessNotGranted', docs: { policy: '{"Statement": []}' } as never }),
  );
  expect(await app.getText('policy')).toBe('{"Statement": []}');
  await expect(page).not.toHaveURL(/#p=/);
  const edited = '{"Version": "2012-10-17", "Statement": []}';
  await app.setText('policy', edited);
  await app.waitForStored();
  await page.reload();
  await expect(page.getByTestId(/^(policy|diff)-editor$/)).toBeVisible();
  expect(await app.getText('policy')).toBe(edited);
});
