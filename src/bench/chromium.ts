/**
 * How this project launches Chromium, for the Playwright suite (playwright.config.ts) and the web
 * benchmark alike: Debian's Chromium by default (Playwright's own browser download does not work on
 * these machines), CHROMIUM_PATH overrides, and with neither Playwright uses its own browser.
 */
import { existsSync } from 'node:fs';

export function chromiumPath(): string | undefined {
  return process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
}

/** Headless in a container, and quiet: no background traffic that would count as network requests. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
