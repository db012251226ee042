/**
 * The Scenario mode in Chromium: a scenario example opened from a link built with the app's own
 * encoder, its FAIL with the column of gates, the deciding statement one click from its editor, a
 * layer edited (through its Monaco model) flipping the verdict, the scenario kept across a reload;
 * the comparison of an old and a new scenario with both exact lists; the request evaluator.
 */
import { expect, test } from './fixtures.ts';
import { SCENARIO_EXAMPLES } from '../src/state/scenarioExamples.ts';
import { permalinkFor, Playground } from './playground.ts';

const example = (name: string) => {
  const ex = SCENARIO_EXAMPLES.find((e) => e.name === name);
  if (!ex) throw new Error(`no scenario example ${name}`);
  return ex;
};
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement }, null, 2);

test('a scenario from a link: FAIL with its gates, the deciding statement highlighted, a layer change flips it, a reload keeps it', async ({
  page,
}) => {
  const ex = example('cross-account-bucket');
  const app = new Playground(page);
  await app.openScenario(permalinkFor({ mode: 'scenario', scenario: ex.state }));
  await app.waitForSolver();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'FAIL', { timeout: 45_000 });

  // The request that breaks it, and the gates it passed: the resource policy decided, the boundary
  // and the session policies did not apply.
  const cx = page.getByTestId('scenario-counterexample').first();
  await expect(cx.getByTestId('cx-action')).toHaveText('s3:GetObject');
  await expect(cx.getByTestId('gate')).toHaveCount(4); // no organization: resource, identity, boundary, session
  await expect(cx.locator('[data-testid="gate"][data-layer="resource"]')).toHaveAttribute(
    'data-gate',
    'allowed',
  );
  await expect(cx.locator('[data-testid="gate"][data-layer="resource"]')).toHaveClass(/is-deciding/);
  await expect(cx.locator('[data-testid="gate"][data-layer="identity"]')).toHaveAttribute(
    'data-gate',
    'allowed',
  );
  await expect(cx.locator('[data-testid="gate"][data-layer="boundary"]')).toHaveAttribute(
    'data-gate',
    'not-applied',
  );

  // The deciding statement, one click away: the resource policy's editor opens with it highlighted.
  await expect(page.getByTestId('scenario-editor-title')).toHaveText('Identity policy 1');
  const deciding = cx.getByTestId('deciding-statement');
  await expect(deciding).toHaveAttribute('data-place', 'resource');
  await deciding.click();
  await expect(page.getByTestId('scenario-editor-title')).toHaveText('Resource policy');
  await expect(page.getByTestId('layer-resource')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-testid="scenario-editor"] .stmt-highlight').first()).toBeVisible();

  // Change a layer: the role's identity policy no longer reads objects, so across accounts the
  // bucket policy alone is not enough.
  const identity = ex.state.draft.identity[0]!.id;
  const listOnly = doc({ Sid: 'ListOnly', Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' });
  await app.setSlotText(identity, listOnly);
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'PASS', { timeout: 30_000 });
  await expect(page.getByTestId('layer-identity-0')).toContainText('ListOnly');

  // A reload keeps the scenario (the link is not applied again) and checks it again.
  await app.waitForStored();
  await page.reload();
  await expect(page.getByTestId('scenario-view')).toBeVisible();
  expect(await app.getSlotText(identity)).toBe(listOnly);
  await expect(page.getByTestId('scenario-resource-account')).toHaveValue('444455556666');
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'PASS', { timeout: 45_000 });
});

test('compare: the SCP that denies leaving the organization breaks exactly that action; removing it makes the scenarios equal', async ({
  page,
}) => {
  const ex = example('deny-leaving-org');
  const app = new Playground(page);
  await app.openScenario(permalinkFor({ mode: 'scenario', scenario: ex.state }));
  await app.waitForSolver();
  await expect(page.getByTestId('scenario-diff-editor')).toBeVisible();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'MORE_PERMISSIVE', { timeout: 45_000 });
  const breaks = page.getByTestId('scenario-breaks').getByTestId('scenario-action');
  await expect(breaks).toHaveCount(1);
  await expect(breaks).toHaveAttribute('data-action', 'organizations:LeaveOrganization');
  await expect(page.getByTestId('scenario-opens').getByTestId('scenario-action')).toHaveCount(0);
  await expect(page.getByTestId('layer-scp-1-1')).toContainText('added');

  await page.getByTestId('remove-scp-1-1').click();
  await expect(page.getByTestId('layer-scp-1-1')).toHaveCount(0);
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'EQUIVALENT', { timeout: 30_000 });
});

test('the request evaluator: the region SCP denies outside its regions at the account level, not inside them', async ({
  page,
}) => {
  const ex = example('region-scp');
  const app = new Playground(page);
  await app.openScenario(permalinkFor({ mode: 'scenario', scenario: ex.state }));
  await app.waitForSolver();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'ExplicitlyDenied', { timeout: 45_000 });
  const scp1 = page.locator('[data-testid="gate"][data-layer="scp"][data-level="1"]');
  await expect(scp1).toHaveAttribute('data-gate', 'denied');
  await expect(scp1).toHaveClass(/is-deciding/);
  await page.getByTestId('scenario-request-context').fill('{"aws:RequestedRegion": "eu-west-1"}');
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'Allowed', { timeout: 30_000 });
  await expect(scp1).toHaveAttribute('data-gate', 'allowed');
});

test('a policy that does not parse is named with its code and one click from its editor; layers are added from the navigator', async ({
  page,
}) => {
  const ex = example('boundary-caps-developer');
  const app = new Playground(page);
  await app.openScenario(permalinkFor({ mode: 'scenario', scenario: ex.state }));
  await app.waitForSolver();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'PASS', { timeout: 45_000 });

  await app.setSlotText(ex.state.draft.boundary!.id, '{"Version": "2012-10-17", "Statement": [');
  const error = page.getByTestId('scenario-input-error');
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(error).toContainText('boundary');
  await page.getByTestId('layer-identity-0').click();
  await expect(page.getByTestId('scenario-editor-title')).toHaveText('Identity policy 1');
  await page.getByTestId('scenario-error-open').click();
  await expect(page.getByTestId('scenario-editor-title')).toHaveText('Boundary');

  // Without the boundary the role's iam:* reaches IAM writes.
  await page.getByTestId('remove-boundary').click();
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'FAIL', { timeout: 30_000 });
  // An organization with an SCP level that allows nothing of IAM closes it again.
  await page.getByTestId('org-scp').check();
  await expect(page.getByTestId('layer-scp-0-0')).toBeVisible();
  await app.setSlotText(
    await page
      .getByTestId('layer-scp-0-0')
      .getAttribute('data-slot')
      .then((id) => id!),
    doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }),
  );
  await expect(app.scenarioVerdict()).toHaveAttribute('data-result', 'PASS', { timeout: 30_000 });
});
