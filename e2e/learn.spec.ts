import { expect, test, type Page } from './fixtures.ts';
import { Playground } from './playground.ts';

const statement = (page: Page, name: string, doc = 'policy') =>
  page.locator(`[data-testid="formula-statement"][data-name="${name}"][data-doc="${doc}"] .fn-line`);
const allowed = (page: Page, doc = 'policy') =>
  page.locator(`[data-testid="formula-allowed"][data-doc="${doc}"]`);

/** Goes to the Step-by-step tab and returns the steps' kinds, titles and marks. */
async function steps(page: Page): Promise<string[]> {
  await expect(page.getByTestId('step-list')).toBeVisible();
  return page
    .getByTestId('step')
    .evaluateAll((els) =>
      els.map(
        (e) => `${(e as HTMLElement).dataset.kind}:${(e as HTMLElement).dataset.matched}:${e.textContent}`,
      ),
    );
}

test.describe('Learn mode lessons', () => {
  test('1 · the public bucket: Principal "*" simplified away, FAIL, an anonymous upload allowed', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openLearn();
    await app.lesson('public-bucket', 'FAIL');
    await expect(page.getByTestId('lesson-text')).toContainText('adds no constraint');
    await expect(page.getByTestId('question-formula')).toHaveText('P ∧ Outside ∧ (Action ∈ ⟦s3:*⟧)');
    await expect(page.getByTestId('question-sat')).toHaveClass(/is-answer/);
    await page.getByTestId('learn-tab-formula').click();
    await expect(statement(page, 'S0')).toHaveText(
      'S0 := (Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")',
    );
    await expect(page.getByTestId('formula-view')).toContainText(
      'left out: Principal "*" (everyone) adds no constraint',
    );
    await expect(allowed(page)).toHaveText('Allowed := S0');
    await page.getByTestId('learn-tab-steps').click();
    await expect(page.getByTestId('req-principal')).toHaveValue('anonymous');
    expect(await steps(page)).toEqual([
      'statement::Statement 0 (S0) · Allow',
      'element:true:✓Principal',
      'element:true:✓Action',
      'element:true:✓Resource',
      'result:true:✓Statement 0 matches: S0 = ⊤',
      'decision:true:✓Decision: Allowed',
    ]);
    await expect(page.getByTestId('step-decision')).toHaveAttribute('data-decision', 'Allowed');
  });

  test('2 · the Deny with NotPrincipal: D1 is a negation, PASS, the upload explicitly denied', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openLearn();
    await app.lesson('deny-notprincipal', 'PASS');
    await expect(page.getByTestId('question-unsat')).toHaveClass(/is-answer/);
    await page.getByTestId('learn-tab-formula').click();
    await expect(statement(page, 'D1')).toHaveText('D1 := ¬(Exempt(Principal; "123456789012"))');
    await expect(allowed(page)).toHaveText('Allowed := S0 ∧ ¬D1');
    await page.getByTestId('learn-tab-steps').click();
    await expect(page.getByTestId('step-decision')).toHaveAttribute('data-decision', 'ExplicitlyDenied');
    await page.getByTestId('step-last').click();
    await expect(page.getByTestId('step-current')).toContainText('Decision: explicitly denied');
    await expect(page.getByTestId('step-current')).toContainText('Allowed = S0 ∧ ¬D1 = ⊤ ∧ ¬⊤ = ⊥');
  });

  test('3 · the cross-account question: P ∧ Outside, FAIL, the counterexample steps through', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openLearn();
    await app.lesson('cross-account', 'FAIL');
    await expect(page.getByTestId('question-formula')).toHaveText('P ∧ Outside');
    await expect(page.getByTestId('question-definition')).toHaveText(
      'Outside := (Principal ∈ Anonymous ∪ AWS) ∧ (Account(Principal) ∉ {"123456789012"})',
    );
    await page.getByTestId('learn-cx').first().click();
    await expect(page.getByTestId('learn-tab-steps')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('req-action')).toHaveValue('s3:PutObject');
    expect(await page.getByTestId('req-principal').inputValue()).not.toContain('123456789012');
    // the solver's counterexample is allowed by the concrete evaluator, and the formula agrees
    await expect(page.getByTestId('step-decision')).toHaveAttribute('data-decision', 'Allowed');
    await expect(page.getByTestId('formula-disagrees')).toHaveCount(0);
  });

  test('4 · CheckNoNewAccess: Pnew ∧ ¬Pold finds s3:DeleteBucket; new allows, existing does not', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openLearn();
    await app.lesson('new-access', 'FAIL');
    await expect(page.getByTestId('question-formula')).toHaveText('Pnew ∧ ¬Pold');
    await page.getByTestId('learn-tab-formula').click();
    await expect(statement(page, 'S0', 'existing')).toHaveText(
      'S0 := (Action = "s3:PutObject") ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")',
    );
    await expect(statement(page, 'S0', 'new')).toHaveText(
      'S0 := (Account(Principal) = "123456789012") ∧ (Action ∈ {"s3:PutObject", "s3:DeleteBucket"}) ∧ (Resource = "arn:aws:s3:::DOC-EXAMPLE-BUCKET")',
    );
    await page.getByTestId('learn-tab-question').click();
    const cx = page.getByTestId('learn-cx').filter({ hasText: 's3:DeleteBucket' }).first();
    await cx.click();
    await expect(page.getByTestId('step-doc')).toHaveValue('new');
    await expect(page.getByTestId('step-decision')).toHaveAttribute('data-decision', 'Allowed');
    await expect(page.getByTestId('step-other-decision')).not.toHaveAttribute('data-decision', 'Allowed');
  });

  test('5 · CheckAccessNotGranted pinpoints statement 1: S0 fails on Action, S1 matches', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openLearn();
    await app.lesson('statement-1', 'FAIL');
    await expect(page.getByTestId('question-formula')).toHaveText('P ∧ (Action = "s3:DeleteBucket")');
    await page.getByTestId('learn-tab-formula').click();
    await expect(statement(page, 'S1')).toHaveText(
      'S1 := (Action ∈ ⟦s3:GetObject*⟧ ∪ {"s3:PutObject", "s3:DeleteBucket"}) ∧ (Resource ∈ ⟦arn:aws:s3:::DOC-EXAMPLE-BUCKET/*⟧)',
    );
    await expect(allowed(page)).toHaveText('Allowed := S0 ∨ S1');
    await page.getByTestId('learn-tab-steps').click();
    expect(await steps(page)).toEqual([
      'statement::Statement 0 (S0) · Allow',
      'element:true:✓Principal',
      'element:false:✗Action',
      'element:false:✗Resource',
      'result:false:✗Statement 0 does not match: S0 = ⊥',
      'statement::Statement 1 (S1) · Allow',
      'element:true:✓Principal',
      'element:true:✓Action',
      'element:true:✓Resource',
      'result:true:✓Statement 1 matches: S1 = ⊤',
      'decision:true:✓Decision: Allowed',
    ]);
    // keyboard: the step list moves with the arrow keys, Home and End
    await page.getByTestId('step-list').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('step-current')).toContainText('Action');
    await expect(page.getByTestId('step-current')).toContainText('"s3:DeleteBucket" matches none of');
    await expect(page.getByTestId('step-position')).toHaveText('Step 3 of 11');
    await page.keyboard.press('End');
    await expect(page.getByTestId('step-current')).toContainText('Allow statement 1 matches');
    await page.keyboard.press('Home');
    await expect(page.getByTestId('step-position')).toHaveText('Step 1 of 11');
    await page.getByTestId('step-next').click();
    await expect(page.getByTestId('step-position')).toHaveText('Step 2 of 11');
    await page.getByTestId('step-prev').click();
    await expect(page.getByTestId('step-position')).toHaveText('Step 1 of 11');
    // the current step's JSON is highlighted in the editor
    await page.getByTestId('step-last').click();
    await page.getByTestId('step-prev').click();
    await expect(
      page.locator('[data-testid="learn-editor-policy"] .learn-step-inline').first(),
    ).toBeVisible();
  });

  test('6 · the trie recommendation opens Least privilege mode with the worked example', async ({ page }) => {
    const app = new Playground(page);
    await app.openLearn();
    await page.getByTestId('lesson-trie').click();
    await expect(page.getByTestId('recommend-view')).toBeVisible();
    await expect(page.getByTestId('mode-recommend')).toHaveAttribute('aria-selected', 'true');
    const policy = await app.getText('policy');
    expect(policy).toContain('lambda:Invoke*');
    expect(policy).toContain('s3:Get*');
  });
});

test.describe('Learn mode linking and export', () => {
  test('hovering the formula highlights its JSON; the cursor in the JSON highlights its formula part', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openLearn();
    await app.lesson('statement-1', 'FAIL');
    await page.getByTestId('learn-tab-formula').click();
    const editor = page.getByTestId('learn-editor-policy');
    // formula -> JSON
    await statement(page, 'S1').locator('[data-role="member"]', { hasText: 's3:DeleteBucket' }).hover();
    await expect(editor.locator('.learn-link-inline')).toHaveText('"s3:DeleteBucket"');
    await statement(page, 'S0').locator('[data-role="member"]', { hasText: 'arn:aws:ec2' }).hover();
    await expect(editor.locator('.learn-link-inline')).toHaveText('"arn:aws:ec2:*:*:instance/*"');
    // keyboard focus does the same
    await statement(page, 'S1').locator('[data-role="atom"]').first().focus();
    await expect(editor.locator('.learn-link-inline').first()).toBeVisible();
    // JSON -> formula
    await page.mouse.move(0, 0);
    await editor.locator('.view-lines span span', { hasText: 'ec2:StartInstances' }).first().click();
    const linked = page.locator('.fn.is-linked');
    await expect(linked).toHaveText('"ec2:StartInstances"');
    await expect(linked).toHaveAttribute('data-role', 'member');
  });

  test('the SMT-LIB export: the script, copy and download', async ({ page }) => {
    const app = new Playground(page);
    await app.openLearn();
    await app.lesson('statement-1', 'FAIL');
    await page.getByTestId('learn-tab-smt').click();
    const script = page.getByTestId('smt-script');
    await expect(script).toContainText('(declare-const action String)');
    await expect(script).toContainText('(check-sat)');
    await expect(script).toContainText('"s3:deletebucket"');
    await expect(page.getByTestId('smt-approximate')).toHaveCount(0);
    const download = page.waitForEvent('download');
    await page.getByTestId('smt-download').click();
    expect((await download).suggestedFilename()).toBe('CheckAccessNotGranted.smt2');
    await expect(page.getByTestId('smt-copy')).toBeEnabled();
  });

  test('the tabs follow the arrow keys', async ({ page }) => {
    const app = new Playground(page);
    await app.openLearn();
    await page.getByTestId('learn-tab-formula').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('learn-tab-question')).toBeFocused();
    await expect(page.getByTestId('learn-tab-question')).toHaveAttribute('aria-selected', 'true');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('learn-tab-smt')).toHaveAttribute('aria-selected', 'true');
  });

  test('a typed request is read with clear errors, and a lesson survives a reload', async ({ page }) => {
    const app = new Playground(page);
    await app.openLearn();
    await page.getByTestId('lesson-public-bucket').click();
    await page.getByTestId('learn-tab-steps').click();
    await page.getByTestId('req-action').fill('PutObject');
    await expect(page.getByTestId('req-errors')).toContainText('action: write it as service:Name');
    await page.getByTestId('req-action').fill('s3:GetObject');
    await expect(page.getByTestId('step-decision')).toHaveAttribute('data-decision', 'ImplicitlyDenied');
    await page.reload();
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await expect(page.getByTestId('lesson-public-bucket')).toHaveAttribute('aria-current', 'true');
    await page.getByTestId('learn-tab-steps').click();
    await expect(page.getByTestId('req-action')).toHaveValue('s3:GetObject');
  });
});
