/**
 * The one `test` every spec imports (instead of @playwright/test's): it fails any test during which a
 * page of the test's browser context throws an uncaught error (`pageerror`) or logs a console error.
 * Nothing is allow-listed: an error the app causes is a bug, whichever test happens to see it.
 * A spec that provokes an error on purpose asserts it itself and then calls `pageErrors.expect(...)`
 * to take exactly those out (see `PageErrors`).
 */
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';

export class PageErrors {
  readonly seen: string[] = [];

  watch(page: Page): void {
    page.on('pageerror', (e) => {
      this.seen.push(`pageerror on ${page.url()}: ${e.stack ?? e.message}`);
    });
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() !== 'error') return;
      const at = m.location();
      this.seen.push(`console.error on ${page.url()} (${at.url}:${at.lineNumber}): ${m.text()}`);
    });
  }

  /** Takes out the errors a test provokes on purpose (each pattern must match at least one). */
  expect(...patterns: RegExp[]): void {
    for (const p of patterns) {
      const before = this.seen.length;
      const kept = this.seen.filter((e) => !p.test(e));
      if (kept.length === before)
        throw new Error(`expected a page error matching ${p}, saw: ${this.seen.join('\n')}`);
      this.seen.splice(0, this.seen.length, ...kept);
    }
  }
}

export const test = base.extend<{ pageErrors: PageErrors }>({
  pageErrors: [
    async ({ context }, use) => {
      const errors = new PageErrors();
      for (const p of context.pages()) errors.watch(p);
      context.on('page', (p) => errors.watch(p));
      await use(errors);
      expect(errors.seen, 'uncaught page errors and console errors during the test').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
export type { Page, Request } from '@playwright/test';
