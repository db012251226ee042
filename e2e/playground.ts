/** Page object for the playground: state is set through the app's own encoder and Monaco models. */
import { readFileSync } from 'node:fs';
import { expect, type Page } from '@playwright/test';
import { encodePermalink } from '../src/state/permalink.ts';
import { DEFAULT_SNAPSHOT, type DocId, type Snapshot } from '../src/state/snapshot.ts';
import { STORAGE_KEY } from '../src/state/store.ts';

export interface SeedCase {
  name: string;
  check: string;
  expected: { result: string; statementIndex?: number; newlyAllowedActions?: string[] };
}

export const SEED_CASES: SeedCase[] = (
  JSON.parse(readFileSync(new URL('../src/fixtures/examples/seed-checks.json', import.meta.url), 'utf8')) as {
    cases: SeedCase[];
  }
).cases;

export function permalinkFor(patch: Partial<Snapshot>): string {
  return (
    '/' +
    encodePermalink({ ...DEFAULT_SNAPSHOT, ...patch, docs: { ...DEFAULT_SNAPSHOT.docs, ...patch.docs } })
  );
}

export class Playground {
  constructor(readonly page: Page) {}

  async open(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByTestId(/^(policy|diff)-editor$/)).toBeVisible();
  }

  async waitForSolver(): Promise<void> {
    await expect(this.page.getByTestId('solver-status')).toHaveAttribute('data-phase', /^(ready|checking)$/, {
      timeout: 45_000,
    });
  }

  async setText(doc: DocId, text: string): Promise<void> {
    await this.page.evaluate(([d, t]) => window.__playground!.setText(d as DocId, t as string), [doc, text]);
  }

  getText(doc: DocId): Promise<string> {
    return this.page.evaluate((d) => window.__playground!.getText(d as DocId), doc);
  }

  /**
   * Waits until local storage holds every persisted field as the store holds it now. Writes are
   * coalesced (src/state/storage.ts), so a test that reloads or opens a new page waits for this
   * instead of sleeping past the write delay. Resolves with nothing; times out naming the fields
   * still missing.
   */
  async waitForStored(): Promise<void> {
    const fields = Object.keys(DEFAULT_SNAPSHOT);
    await expect
      .poll(
        () =>
          this.page.evaluate(
            ([key, names]) => {
              // Key order is not part of the value (the store and the stored snapshot build docs apart).
              const canon = (v: unknown): unknown =>
                Array.isArray(v)
                  ? v.map(canon)
                  : v !== null && typeof v === 'object'
                    ? Object.fromEntries(
                        Object.keys(v)
                          .sort()
                          .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
                      )
                    : v;
              const raw = localStorage.getItem(key);
              const stored = raw ? (JSON.parse(raw) as { state?: Record<string, unknown> }).state : undefined;
              const live = window.__playground!.getState() as unknown as Record<string, unknown>;
              return names.filter(
                (n) => JSON.stringify(canon(stored?.[n])) !== JSON.stringify(canon(live[n])),
              );
            },
            [STORAGE_KEY, fields] as const,
          ),
        { message: 'persisted fields that local storage does not hold yet' },
      )
      .toEqual([]);
  }

  markers(doc: DocId): Promise<{ owner: string; code?: string; message: string }[]> {
    return this.page.evaluate((d) => window.__playground!.getMarkers(d as DocId), doc);
  }

  verdict() {
    return this.page.getByTestId('verdict').first();
  }

  /** Opens the Learn mode (from the Check view) and waits for the solver. */
  async openLearn(): Promise<void> {
    await this.open();
    await this.page.getByTestId('mode-learn').click();
    await expect(this.page.getByTestId('learn-view')).toBeVisible();
    await this.waitForSolver();
  }

  /** Opens a lesson and the tab it is about; waits for the verdict of its check. */
  async lesson(id: string, verdict: string): Promise<void> {
    await this.page.getByTestId(`lesson-${id}`).click();
    await this.page.getByTestId('learn-tab-question').click();
    await expect(this.page.getByTestId('learn-verdict')).toHaveAttribute('data-result', verdict, {
      timeout: 30_000,
    });
  }

  /** Least privilege: opens a link (by default one in that mode) and waits for the view. */
  async openRecommend(path = permalinkFor({ mode: 'recommend' })): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByTestId('recommend-view')).toBeVisible();
  }

  /** Least privilege: one node of the trie panel, by its engine id (`s3:GetObject`, `s3:GetObject$`). */
  trieNode(id: string) {
    return this.page.locator(`[data-testid="trie-node"][data-id="${id}"]`);
  }

  /** Least privilege: the UnusedPermissionsRecommendedStep the view shows. */
  async recommendedStep(): Promise<{ recommendedAction: string; recommendedPolicy?: string }> {
    const text = await this.page.getByTestId('rec-step-json').textContent();
    return JSON.parse(text ?? '{}') as { recommendedAction: string; recommendedPolicy?: string };
  }

  /** Least privilege: the overall proof status (`proving`, `proved`, `failed`, `not-proved`). */
  proof() {
    return this.page.getByTestId('rec-proof');
  }

  /** Scenario: opens a link (by default one in that mode) and waits for the view. */
  async openScenario(path = permalinkFor({ mode: 'scenario' })): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByTestId('scenario-view')).toBeVisible();
  }

  /** Scenario: set a policy's text (by slot id; `old` for the old scenario) through its Monaco model. */
  async setSlotText(slot: string, text: string, side: 'new' | 'old' = 'new'): Promise<void> {
    await this.page.evaluate(
      ([id, s, t]) => window.__playground!.setSlotText(id!, s as 'new' | 'old', t!),
      [slot, side, text],
    );
  }

  getSlotText(slot: string, side: 'new' | 'old' = 'new'): Promise<string | undefined> {
    return this.page.evaluate(
      ([id, s]) => window.__playground!.getSlotText(id!, s as 'new' | 'old'),
      [slot, side],
    );
  }

  /** Scenario: the verdict of the finished answer (not a dimmed one while the next check runs). */
  scenarioVerdict() {
    return this.page.getByTestId('scenario-results').getByTestId('scenario-verdict').first();
  }

  /** Waits until the results panel shows a finished answer (a verdict or an error). */
  async waitForAnswer(timeout = 30_000): Promise<void> {
    await expect(this.page.getByTestId('results')).not.toHaveClass(/is-running/, { timeout });
    await expect(
      this.page
        .getByTestId('verdict')
        .or(this.page.getByTestId('input-error'))
        .or(this.page.getByTestId('run-error'))
        .first(),
    ).toBeVisible({ timeout });
  }
}
