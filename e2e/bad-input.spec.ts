import { expect, test, type Page } from './fixtures.ts';
import { permalinkFor, Playground } from './playground.ts';

/** Issue 11: a condition value the evaluator rejects, in the new policy of a CheckNoNewAccess pair. */
const EXISTING = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
});
const malformed = (value: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: '*',
        Condition: { NumericLessThan: { 's3:max-keys': value } },
      },
    ],
  });

/** The answer is the coded input error of the full check, and the solver is up (not failed). */
async function expectInputError(page: Page, value: string): Promise<void> {
  const error = page.getByTestId('input-error');
  await expect(error).toBeVisible({ timeout: 45_000 });
  // A check refuses a document with an ERROR finding, naming it (docs/semantics-decisions.md, "Invalid
  // input"), with the engine's code for the fault: the evaluator's and the CLI's too.
  await expect(error).toHaveAttribute('data-code', 'INVALID_VALUE');
  await expect(error).toContainText(
    `NumericLessThan needs a number such as 10 or 2.5; "${value}" is not one`,
  );
  await expect(page.getByTestId('solver-status')).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('solver-error')).toHaveCount(0);
  await expect(page.getByTestId('run-error')).toHaveCount(0);
}

test('a condition value the evaluator rejects is an input error, on a cold load, after a reload and with a warm solver', async ({
  page,
}) => {
  const app = new Playground(page);
  // Cold: the check is queued while the worker starts, so the early answer meets it before Z3 is up.
  await app.open(
    permalinkFor({ check: 'CheckNoNewAccess', docs: { existing: EXISTING, new: malformed('abc') } as never }),
  );
  await expectInputError(page, 'abc');
  // The document is saved: a reload starts a fresh worker on it, which must start all the same.
  await page.reload();
  await expect(page.getByTestId('diff-editor')).toBeVisible();
  expect(await app.getText('new')).toBe(malformed('abc'));
  await expectInputError(page, 'abc');
  // Warm: the solver is up, the edited pair goes through the engine's own early stage.
  await app.setText('new', malformed('xyz'));
  await expectInputError(page, 'xyz');
});
