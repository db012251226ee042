import { expect, test } from './fixtures.ts';
import { Playground } from './playground.ts';

test('loads with the editor and a ready solver', async ({ page }) => {
  const t0 = Date.now();
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  test.info().annotations.push({ type: 'load-to-ready', description: `${Date.now() - t0} ms` });
  await expect(page.getByTestId('outline-item')).toHaveCount(2);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test('reload keeps the text', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  const text =
    '{\n  "Version": "2012-10-17",\n  "Statement": [{"Sid": "KeepMe", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]\n}';
  await app.setText('policy', text);
  await page.getByTestId('check-select').selectOption('CheckNoPublicAccess');
  await app.waitForStored();
  await page.reload();
  await expect(page.getByTestId('policy-editor')).toBeVisible();
  expect(await app.getText('policy')).toBe(text);
  await expect(page.getByTestId('check-select')).toHaveValue('CheckNoPublicAccess');
});

test('malformed JSON shows an error and the app keeps working', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  await app.setText('policy', '{ "Version": "2012-10-17", "Statement": [ { "Effect": "Allow", ');
  await expect(page.getByTestId('outline-error')).toBeVisible();
  await expect.poll(async () => (await app.markers('policy')).length, { timeout: 10_000 }).toBeGreaterThan(0);
  await app.waitForAnswer();
  await expect(page.getByTestId('verdict')).toHaveCount(0);
  // Fix it: everything recovers.
  await app.setText(
    'policy',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}',
  );
  await expect(page.getByTestId('outline-item')).toHaveCount(1);
  await expect(page.getByTestId('outline-error')).toHaveCount(0);
  await expect(page.getByTestId('solver-status')).toHaveAttribute('data-phase', /^(ready|checking)$/);
});

test('validation findings become editor markers with their issue code', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.setText(
    'policy',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjectt", "Resource": "*"}]}',
  );
  await expect
    .poll(async () => (await app.markers('policy')).filter((m) => m.owner === 'iam' && m.code).length, {
      timeout: 15_000,
    })
    .toBeGreaterThan(0);
});

test('the editors validate as the selector above them says: an RCP, a bucket policy with its own rules', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.open();
  const codes = async () => (await app.markers('policy')).filter((m) => m.owner === 'iam').map((m) => m.code);
  // Auto reads it as the check does (an identity policy): its Principal is the error there.
  await app.setText(
    'policy',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"}]}',
  );
  await expect.poll(codes, { timeout: 15_000 }).toContain('UNSUPPORTED_PRINCIPAL');
  await page.getByTestId('validate-as-select').selectOption('RESOURCE_CONTROL_POLICY');
  await expect.poll(codes).toContain('RCP_SYNTAX_ERROR_NOTACTION');
  expect(await codes()).not.toContain('UNSUPPORTED_PRINCIPAL');
  await page.getByTestId('validate-as-select').selectOption('RESOURCE_POLICY');
  await app.setText(
    'policy',
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["s3:GetObject", "kms:Decrypt"], "Resource": "arn:aws:s3:::b/*"}]}',
  );
  await expect.poll(codes).toContain('ACTION_WITHOUT_MATCHING_RESOURCE');
  expect(await codes()).not.toContain('UNSUPPORTED_ACTION_IN_POLICY');
  await page.getByTestId('validate-resource-type-select').selectOption('AWS::S3::Bucket');
  await expect.poll(codes).toContain('UNSUPPORTED_ACTION_IN_POLICY');
});

test('a crashed or restarted worker is replaced without losing page state', async ({ page }) => {
  const app = new Playground(page);
  await app.open();
  await app.waitForSolver();
  const before = await app.getText('policy');
  await page.evaluate(() => window.__playground!.restartSolver());
  await app.waitForSolver();
  expect(await app.getText('policy')).toBe(before);
  await page.getByTestId('run-button').click();
  await app.waitForAnswer();
});
