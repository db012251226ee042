import { decodeExerciseLink, encodeExerciseLink } from '../src/state/exerciseLink.ts';
import { PROGRESS_KEY } from '../src/state/exerciseProgress.ts';
import { EXERCISES, shareable } from '../src/teach/exercises.ts';
import { expect, test, type Page } from './fixtures.ts';
import { Playground } from './playground.ts';

const EXERCISE = EXERCISES.find((e) => e.id === 'read-one-bucket')!;
/** The policy's actions on every resource: other buckets stay open. */
const WRONG = EXERCISE.wrong.find((w) => w.mistake.includes('every resource'))!.text;

/** The stored progress of one exercise, as local storage holds it now. */
function storedEntry(page: Page, key: string) {
  return page.evaluate(
    ([storageKey, k]) => {
      const raw = localStorage.getItem(storageKey);
      return raw ? (JSON.parse(raw) as { entries: Record<string, unknown> }).entries[k] : undefined;
    },
    [PROGRESS_KEY, key] as const,
  );
}

test.describe('Learn mode exercises', () => {
  test('solved wrong (the hint shows a request), then right (the proof), and a reload keeps it solved', async ({
    page,
  }) => {
    const app = new Playground(page);
    await app.openLearn();
    const item = page.getByTestId(`exercise-${EXERCISE.id}`);
    await item.click();
    await expect(page.getByTestId('learn-tab-exercise')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('exercise-title')).toHaveText(EXERCISE.title);
    expect(await app.getText('policy')).toBe(EXERCISE.start);

    await app.setText('policy', WRONG);
    await page.getByTestId('exercise-check').click();
    const hint = page.getByTestId('exercise-hint');
    await expect(hint).toContainText('Other buckets stay closed', { timeout: 45_000 });
    await expect(page.getByTestId('exercise-hint-request')).toContainText(
      /This request is still allowed: s3:\S+ on arn:aws:s3:::other-bucket\S* — statement 0 allows it\./,
    );
    await expect(item).toHaveAttribute('data-attempts', '1');
    await expect(item).toHaveAttribute('data-solved', 'false');
    // the hint's request steps through on the answer
    await page.getByTestId('exercise-step').click();
    await expect(page.getByTestId('learn-tab-steps')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('step-decision')).toHaveAttribute('data-decision', 'Allowed');
    await page.getByTestId('learn-tab-exercise').click();

    await app.setText('policy', EXERCISE.solution);
    await expect(page.getByTestId('exercise-result')).toContainText('earlier version of your answer');
    await page.getByTestId('exercise-check').click();
    const proof = page.getByTestId('exercise-proof');
    await expect(proof).toContainText('Correct for every request:', { timeout: 45_000 });
    await expect(proof).toContainText(
      /Other buckets stay closed: never allowed: s3:\* \(\d+ catalog actions\) on arn:aws:s3:::other-bucket/,
    );
    await expect(proof.locator('li')).toHaveCount(EXERCISE.suite.tests.length);
    await expect(item).toHaveAttribute('data-solved', 'true');
    await expect(item).toHaveAttribute('data-attempts', '2');

    // progress and the answer are written (coalesced) before the reload
    await expect
      .poll(() => storedEntry(page, EXERCISE.id))
      .toEqual({ attempts: 2, solved: true, answer: EXERCISE.solution });
    await app.waitForStored();
    await page.reload();
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await expect(item).toHaveAttribute('data-solved', 'true');
    await expect(page.getByTestId('learn-tab-exercise')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('exercise-solved')).toBeVisible();
    await expect.poll(() => app.getText('policy')).toBe(EXERCISE.solution);
  });

  test("a teacher's exercise travels in a link with its hidden tests; Share this exercise writes one", async ({
    page,
  }) => {
    const app = new Playground(page);
    const mine = {
      id: 'no-prod-deletes',
      title: 'No deletes in prod',
      task: 'Let the role do anything with `prod-data` except delete.',
      target: { kind: 'policy' as const, policyType: 'IDENTITY_POLICY' as const },
      start: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::prod-data/*' }],
      }),
      hint: [],
      suite: {
        tests: [
          {
            name: 'Objects are never deleted',
            expect: 'never-allowed' as const,
            actions: ['s3:DeleteObject'],
            resources: ['arn:aws:s3:::prod-data/*'],
          },
        ],
      },
    };
    await page.goto('/' + encodeExerciseLink(mine));
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await expect(page.getByTestId('exercise-title')).toHaveText('No deletes in prod');
    await expect(page.getByTestId('exercise-task')).toHaveText(
      'Let the role do anything with prod-data except delete.',
    );
    await app.waitForSolver();
    await expect.poll(() => app.getText('policy')).toBe(mine.start);
    await page.getByTestId('exercise-check').click();
    await expect(page.getByTestId('exercise-hint')).toContainText('Objects are never deleted', {
      timeout: 45_000,
    });
    await expect(page.getByTestId('exercise-hint-request')).toContainText(
      /This request is still allowed: s3:DeleteObject on arn:aws:s3:::prod-data\/\S+ — statement 0 allows it\./,
    );

    // a built-in exercise shared: the link holds its suite, not its solution
    await page.getByTestId(`exercise-${EXERCISES[1]!.id}`).click();
    await page.getByTestId('exercise-share').click();
    await expect(page.getByTestId('notice')).toContainText('hidden tests (no solution)');
    const shared = decodeExerciseLink(new URL(page.url()).hash);
    expect(shared).toEqual({ ok: true, exercise: shareable(EXERCISES[1]!) });
  });

  test('a damaged exercise link says so in the Learn view', async ({ page }) => {
    await page.goto('/#x=this-is-not-an-exercise');
    await expect(page.getByTestId('learn-view')).toBeVisible();
    await expect(page.getByTestId('exercise-link-error')).toContainText(
      'This exercise link cannot be opened. The link is damaged',
    );
    const noTests = { ...shareable(EXERCISE), suite: { tests: [] } };
    await page.goto('/' + encodeExerciseLink(noTests));
    await expect(page.getByTestId('exercise-link-error')).toContainText(
      'suite: an exercise needs at least one test',
    );
  });
});
