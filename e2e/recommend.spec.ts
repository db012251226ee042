import { readFileSync } from 'node:fs';
import { expect, test, type Page } from './fixtures.ts';
import { Catalog } from '../src/catalog/catalog.ts';
import type { CatalogData } from '../src/catalog/types.ts';
import { recommend } from '../src/recommend/index.ts';
import { chooseNode } from '../src/ui/recommend/choose.ts';
import { permalinkFor, Playground } from './playground.ts';

// Node's ESM loader wants import attributes for JSON, so fixtures are read as files (as playground.ts does).
const readJson = <T>(path: string): T =>
  JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as T;
const seed = readJson<typeof import('../src/fixtures/examples/recommendation-seed.json')>(
  '../src/fixtures/examples/recommendation-seed.json',
);
const POLICY = JSON.stringify(seed.policyDocument, null, 2);
const UNUSED = JSON.stringify(seed.unusedPermissions, null, 2);
const KEY = '1|s3:Get*';

type Doc = { Statement: { Action: string | string[] }[] };
const actionSets = (doc: Doc): string[][] =>
  doc.Statement.map((s) => (typeof s.Action === 'string' ? [s.Action] : [...s.Action]).sort());

async function recommendedActions(app: Playground): Promise<string[][]> {
  const step = await app.recommendedStep();
  return actionSets(JSON.parse(step.recommendedPolicy ?? '{"Statement": []}') as Doc);
}

/** The node's drawn shape: a circle for safe nodes, a (rotated) square for unsafe ones. */
async function shapeOf(page: Page, id: string): Promise<'circle' | 'diamond' | 'none'> {
  const shape = page.locator(`[data-testid="trie-node"][data-id="${id}"] .trie-shape`);
  if ((await shape.locator('circle').count()) > 0) return 'circle';
  if ((await shape.locator('rect').count()) > 0) return 'diamond';
  return 'none';
}

/** Opens the app again from its stored state (a reload would re-apply the permalink in the address). */
async function reopen(app: Playground): Promise<void> {
  await app.waitForStored();
  await app.page.goto('about:blank');
  await app.openRecommend('/');
}

test('worked example: the trie, another node chosen, the policy changes and the proof stays green', async ({
  page,
  baseURL,
}) => {
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== new URL(baseURL!).origin)
      foreign.push(u);
  });
  const app = new Playground(page);
  await app.openRecommend();
  await app.waitForSolver();
  await page.getByTestId('rec-example').click();

  // The trie of s3:Get*: the fixture's safe nodes are chosen, its unsafe nodes drawn differently.
  for (const p of seed.trieNodes.safe) {
    const node = app.trieNode(`s3:${p}`);
    await expect(node, p).toHaveAttribute('data-safe', 'true');
    await expect(node, p).toHaveAttribute('data-chosen', 'true');
    expect(await shapeOf(page, `s3:${p}`), p).toBe('circle');
    await expect(node.locator('.trie-check'), p).toHaveCount(1);
  }
  for (const p of seed.trieNodes.unsafe) {
    await expect(app.trieNode(`s3:${p}`), p).toHaveAttribute('data-safe', 'false');
    expect(await shapeOf(page, `s3:${p}`), p).toBe('diamond');
  }
  const stroke = (id: string) =>
    app
      .trieNode(id)
      .locator('.trie-shape > :first-child')
      .evaluate((el) => getComputedStyle(el).stroke);
  expect(await stroke('s3:GetMulti')).not.toBe(await stroke('s3:GetBucket'));

  // Output: exactly expected.today (the pinned catalog), as Access Analyzer's step.
  await expect(page.getByTestId('rec-action')).toHaveText('CREATE_POLICY');
  expect(await recommendedActions(app)).toEqual(actionSets(seed.expected.today as Doc));
  await expect(page.getByTestId('recommend-diff')).toBeVisible();
  await expect(page.locator('[data-testid="future-flag"][data-pattern="s3:GetMulti*"]')).toHaveAttribute(
    'data-origin',
    'refined',
  );
  await expect(page.locator('[data-testid="future-flag"][data-pattern="lambda:Invoke*"]')).toHaveAttribute(
    'data-origin',
    'kept',
  );
  await expect(app.proof()).toHaveAttribute('data-status', 'proved', { timeout: 60_000 });
  const firstProofMs = Number(await app.proof().getAttribute('data-elapsed'));

  // Hover shows the actions under a node and which are unused.
  await app.trieNode('s3:GetBucket').hover();
  await expect(page.getByTestId('trie-details')).toHaveAttribute('data-id', 's3:GetBucket');
  await expect(page.locator('[data-testid="trie-details"] li[data-unused="true"]')).toHaveCount(14);
  await expect(page.locator('[data-testid="trie-details"] li[data-unused="false"]')).toHaveCount(2);

  // An unsafe node cannot be chosen: nothing changes, the reason is said.
  await app.trieNode('s3:GetBucket').click();
  await expect(page.getByTestId('trie-message')).toContainText('not safe');
  await expect(app.trieNode('s3:GetBucket')).toHaveAttribute('data-chosen', 'false');

  // A more specific generalization: open GetObject, choose its child GetObjectVersion.
  await app.trieNode('s3:GetObject').getByTestId('trie-toggle').click();
  await expect(app.trieNode('s3:GetObjectVersion')).toHaveAttribute('data-safe', 'true');
  const t0 = Date.now();
  await app.trieNode('s3:GetObjectVersion').click();
  await expect(app.trieNode('s3:GetObjectVersion')).toHaveAttribute('data-chosen', 'true');
  await expect(app.trieNode('s3:GetObject')).toHaveAttribute('data-chosen', 'false');
  await expect(app.proof()).toHaveAttribute('data-status', 'proving');
  const s3 = (await recommendedActions(app))[1]!;
  expect(s3).toContain('s3:GetObjectVersion*');
  expect(s3).toContain('s3:GetObject');
  expect(s3).toContain('s3:GetObjectAcl');
  expect(s3).not.toContain('s3:GetObject*');
  await expect(app.proof()).toHaveAttribute('data-status', 'proved', { timeout: 60_000 });
  const clickToGreen = Date.now() - t0;
  for (const part of ['notGranted', 'noNewAccess', 'complete'])
    await expect(page.getByTestId(`proof-${part}`)).toHaveAttribute('data-status', 'proved');
  test.info().annotations.push(
    { type: 'first proof (in-app)', description: `${firstProofMs} ms` },
    { type: 'choose node -> proof green', description: `${clickToGreen} ms` },
    {
      type: 'proof after choice (in-app)',
      description: `${await app.proof().getAttribute('data-elapsed')} ms`,
    },
  );

  // The choice persists (the address still holds the opening link, so open the app afresh), and
  // Apply puts the recommendation in the editor.
  await reopen(app);
  await expect(app.trieNode('s3:GetObjectVersion')).toHaveAttribute('data-chosen', 'true');
  const step = await app.recommendedStep();
  await page.getByTestId('rec-apply').click();
  expect(await app.getText('policy')).toBe(step.recommendedPolicy);
  await expect(page.getByTestId('rec-summary')).toContainText('Nothing to change');
  await expect(app.proof()).toHaveAttribute('data-status', 'proved', { timeout: 60_000 });
  expect(foreign).toEqual([]);
});

test('malformed unused actions: a clear error, nothing lost', async ({ page }) => {
  // A custom choice made with the engine, put in a permalink built with the app's encoder.
  const catalog = new Catalog(readJson<CatalogData>('../src/catalog/catalog.generated.json'));
  const base = recommend(POLICY, seed.unusedPermissions, catalog);
  if (!base.ok) throw new Error(base.error.message);
  const r = base.value.refinements.find((x) => x.key === KEY)!;
  const chosen = chooseNode(r.trie, r.chosen, 's3:GetMultiRegion');
  if (!chosen.ok) throw new Error(chosen.reason);

  const app = new Playground(page);
  await app.openRecommend(
    permalinkFor({
      mode: 'recommend',
      docs: { policy: POLICY, existing: '{}', new: '{}' },
      unusedText: UNUSED,
      recommendChoices: { [KEY]: chosen.chosen },
    }),
  );
  await expect(app.trieNode('s3:GetMultiRegion')).toHaveAttribute('data-chosen', 'true');
  expect((await recommendedActions(app))[1]).toContain('s3:GetMultiRegion*');

  const input = page.getByTestId('unused-input');
  const broken = UNUSED.replace('"actions": [', '"actions": [}');
  await input.fill(broken);
  const error = page.getByTestId('unused-error');
  await expect(error).toContainText('not valid JSON');
  await expect(error).toContainText(/line \d+, column \d+/);
  await expect(page.getByTestId('rec-blocked')).toBeVisible();
  await expect(page.getByTestId('trie-node')).toHaveCount(0);
  expect(await app.getText('policy')).toBe(POLICY);
  await expect(input).toHaveValue(broken);

  // A wrong shape names the field.
  const wrongShape = '[{"service": "s3", "actions": ["GetObject"]}]';
  await input.fill(wrongShape);
  await expect(error).toContainText('serviceNamespace');
  // The engine's own check (no wildcards in unused actions) is shown the same way.
  await input.fill('[{"serviceNamespace": "s3", "actions": ["Get*"]}]');
  await expect(page.getByTestId('rec-error')).toHaveAttribute('data-code', 'INVALID_UNUSED');

  // The checklist refuses to overwrite text that does not parse.
  await input.fill(broken);
  await page.getByTestId('unused-tab-pick').click();
  await expect(page.getByTestId('pick-unavailable')).toBeVisible();
  await page.getByTestId('unused-tab-paste').click();

  // Nothing lost: the text survives a reload, and fixing it brings back the choice.
  await reopen(app);
  await expect(page.getByTestId('unused-input')).toHaveValue(broken);
  await expect(page.getByTestId('unused-error')).toBeVisible();
  await page.getByTestId('unused-input').fill(UNUSED);
  await expect(page.getByTestId('unused-error')).toHaveCount(0);
  await expect(app.trieNode('s3:GetMultiRegion')).toHaveAttribute('data-chosen', 'true');
  await app.waitForSolver();
  await expect(app.proof()).toHaveAttribute('data-status', 'proved', { timeout: 60_000 });
});

test('picking unused actions from the policy, then applying', async ({ page }) => {
  const app = new Playground(page);
  await app.openRecommend(permalinkFor({ mode: 'recommend', unusedText: '' }));
  await expect(page.getByTestId('rec-empty')).toHaveText(/^Nothing to remove yet: give the unused actions/);
  // With nothing to remove, the recommendation is the policy itself: no line of the diff deleted.
  await expect(page.getByTestId('rec-unchanged')).toBeVisible();
  const diff = page.getByTestId('recommend-diff');
  await expect(diff.locator('.editor.modified .view-lines')).toContainText('Statement');
  await expect(diff.locator('.line-delete, .char-delete, .line-insert, .char-insert')).toHaveCount(0);
  await page.getByTestId('unused-tab-pick').click();
  await page.getByTestId('pick-search').fill('deletebucket');
  await page.locator('[data-testid="pick-item"][data-action="s3:DeleteBucket"]').check();
  await page.getByTestId('pick-search').fill('ec2:describeinstancest');
  await page.locator('[data-testid="pick-item"][data-action="ec2:DescribeInstanceStatus"]').check();
  await page.getByTestId('unused-tab-paste').click();
  const text = await page.getByTestId('unused-input').inputValue();
  expect(JSON.parse(text)).toEqual([
    { serviceNamespace: 's3', actions: ['DeleteBucket'] },
    { serviceNamespace: 'ec2', actions: ['DescribeInstanceStatus'] },
  ]);

  const actions = (await recommendedActions(app)).flat();
  expect(actions).not.toContain('s3:DeleteBucket');
  expect(actions).not.toContain('ec2:DescribeInstance*');
  expect(actions.some((a) => a.startsWith('ec2:DescribeInstance'))).toBe(true);
  await expect(app.trieNode('ec2:DescribeInstanceStatus')).toHaveAttribute('data-safe', 'false');
  await app.waitForSolver();
  await expect(app.proof()).toHaveAttribute('data-status', 'proved', { timeout: 60_000 });
});

test('the trie is usable by keyboard and readable at 60+ nodes', async ({ page }) => {
  const app = new Playground(page);
  await app.openRecommend(
    permalinkFor({
      mode: 'recommend',
      docs: { policy: POLICY, existing: '{}', new: '{}' },
      unusedText: UNUSED,
    }),
  );
  const multi = app.trieNode('s3:GetMulti');
  await multi.focus();
  await page.keyboard.press('ArrowRight'); // expand
  await expect(multi).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight'); // to the first child
  await expect(app.trieNode('s3:GetMultiRegion')).toBeFocused();
  await page.keyboard.press('Enter'); // choose it
  await expect(app.trieNode('s3:GetMultiRegion')).toHaveAttribute('data-chosen', 'true');
  await expect(multi).toHaveAttribute('data-chosen', 'false');
  expect((await recommendedActions(app))[1]).toContain('s3:GetMultiRegion*');
  await page.keyboard.press('ArrowLeft'); // back to the parent
  await expect(multi).toBeFocused();
  await page.keyboard.press('Enter'); // and back to the more general node
  await expect(multi).toHaveAttribute('data-chosen', 'true');
  expect(await recommendedActions(app)).toEqual(actionSets(seed.expected.today as Doc));

  const trie = page.getByTestId('trie');
  await page.getByTestId('trie-expand-all').click();
  expect(Number(await trie.getAttribute('data-nodes'))).toBeGreaterThanOrEqual(60);
  // Fitted to the panel however tall it grows; the zoom buttons still shrink it.
  await expectTrieInsidePanel(page);
  const content = page.getByTestId('trie-content');
  const tall = await content.boundingBox();
  await page.getByTestId('trie-zoom-out').click();
  await expect(trie).toHaveAttribute('data-fitted', 'false');
  const small = await content.boundingBox();
  expect(small!.height).toBeLessThan(tall!.height);
  // No two visible nodes overlap.
  const boxes = await page
    .locator('[data-testid="trie-node"] .trie-shape')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap, `${i} and ${j}`).toBe(false);
    }
});

/** The drawn trie lies inside its viewport, and the viewport inside the trie panel. */
async function expectTrieInsidePanel(page: Page): Promise<void> {
  const panel = (await page.getByTestId('trie-panel').boundingBox())!;
  const viewport = (await page.getByTestId('trie-viewport').boundingBox())!;
  const drawn = (await page.getByTestId('trie-content').boundingBox())!;
  const within = (a: typeof panel, b: typeof panel) =>
    a.x >= b.x - 0.5 &&
    a.y >= b.y - 0.5 &&
    a.x + a.width <= b.x + b.width + 0.5 &&
    a.y + a.height <= b.y + b.height + 0.5;
  expect(
    within(viewport, panel),
    `viewport ${JSON.stringify(viewport)} in panel ${JSON.stringify(panel)}`,
  ).toBe(true);
  expect(
    within(drawn, viewport),
    `trie ${JSON.stringify(drawn)} in viewport ${JSON.stringify(viewport)}`,
  ).toBe(true);
}

test('a wide trie (s3:Get* with its children expanded) fits the panel; keys zoom, pan and fit', async ({
  page,
}) => {
  const app = new Playground(page);
  await app.openRecommend(
    permalinkFor({
      mode: 'recommend',
      docs: { policy: POLICY, existing: '{}', new: '{}' },
      unusedText: UNUSED,
    }),
  );
  const trie = page.getByTestId('trie');
  const collapsedChild = page.locator('[data-testid="trie-node"][aria-level="2"][aria-expanded="false"]');
  await expect(app.trieNode('s3:GetObject')).toBeVisible();
  const shown = Number(await trie.getAttribute('data-nodes'));
  while ((await collapsedChild.count()) > 0) await collapsedChild.first().getByTestId('trie-toggle').click();
  expect(Number(await trie.getAttribute('data-nodes'))).toBeGreaterThan(shown);
  await expect(trie).toHaveAttribute('data-fitted', 'true');
  await expectTrieInsidePanel(page);
  const fitted = Number(await trie.getAttribute('data-scale'));
  expect(fitted).toBeLessThan(1); // it is wider than the panel: scaled down, not cut off

  const scale = async () => Number(await trie.getAttribute('data-scale'));
  const viewport = page.getByTestId('trie-viewport');
  await viewport.focus();
  await page.keyboard.press('+');
  expect(await scale()).toBeGreaterThan(fitted);
  await expect(page.getByTestId('trie-zoom')).toHaveText(`${Math.round((await scale()) * 100)}%`);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  expect(await scale()).toBeLessThan(fitted);
  const before = (await page.getByTestId('trie-content').boundingBox())!;
  await page.keyboard.press('ArrowLeft'); // pans: the drawing moves right
  await page.keyboard.press('ArrowUp'); // and down
  const after = (await page.getByTestId('trie-content').boundingBox())!;
  expect(after.x - before.x).toBeCloseTo(40, 0);
  expect(after.y - before.y).toBeCloseTo(40, 0);
  await page.keyboard.press('0');
  await expect(trie).toHaveAttribute('data-fitted', 'true');
  expect(await scale()).toBeCloseTo(fitted, 3);
  await expectTrieInsidePanel(page);
  // The buttons are focusable and labelled.
  await page.getByRole('button', { name: 'Zoom in' }).focus();
  await page.keyboard.press('Enter');
  expect(await scale()).toBeGreaterThan(fitted);
  await page.getByRole('button', { name: 'Fit to the panel' }).click();
  expect(await scale()).toBeCloseTo(fitted, 3);
});

test('a policy whose every action is unused: DETACH_POLICY, proved, nothing to apply', async ({ page }) => {
  const policy = JSON.stringify(
    {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'OnlyReads', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectAcl'], Resource: '*' },
      ],
    },
    null,
    2,
  );
  const app = new Playground(page);
  await app.openRecommend(
    permalinkFor({
      mode: 'recommend',
      docs: { policy, existing: '{}', new: '{}' },
      unusedText: '[{"serviceNamespace": "s3", "actions": ["GetObject", "GetObjectAcl"]}]',
    }),
  );
  await expect(page.getByTestId('rec-action')).toHaveText('DETACH_POLICY');
  await expect(page.getByTestId('rec-detach')).toBeVisible();
  expect(await app.recommendedStep()).toEqual({ recommendedAction: 'DETACH_POLICY' });
  await expect(page.getByTestId('rec-apply')).toBeDisabled();
  await app.waitForSolver();
  await expect(app.proof()).toHaveAttribute('data-status', 'proved', { timeout: 60_000 });
  expect(await app.getText('policy')).toBe(policy);
});
