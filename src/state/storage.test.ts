/**
 * The store's storage: writes are coalesced (one localStorage write per pause, not per change) but
 * never lost — the latest value is readable at once and written when the page is hidden or unloads.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { safeStorage, WRITE_DELAY_MS } from './storage.ts';

class FakeLocalStorage {
  writes: [string, string][] = [];
  data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.writes.push([k, v]);
    this.data.set(k, v);
  }
  removeItem(k: string): void {
    this.data.delete(k);
  }
}

let local: FakeLocalStorage;
let listeners: Map<string, () => void>;

beforeEach(() => {
  vi.useFakeTimers();
  local = new FakeLocalStorage();
  listeners = new Map();
  vi.stubGlobal('localStorage', local);
  vi.stubGlobal('addEventListener', (type: string, f: () => void) => listeners.set(type, f));
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('safeStorage', () => {
  it('writes the latest of a burst of changes once, after a pause', async () => {
    const s = safeStorage();
    for (let i = 0; i < 10; i++) await s.setItem('k', `v${i}`);
    expect(local.writes).toEqual([]);
    // Read back at once: the pending value, not the stale stored one.
    expect(await s.getItem('k')).toBe('v9');
    vi.advanceTimersByTime(WRITE_DELAY_MS);
    expect(local.writes).toEqual([['k', 'v9']]);
    // The same value again is not written again.
    await s.setItem('k', 'v9');
    vi.advanceTimersByTime(WRITE_DELAY_MS);
    expect(local.writes).toHaveLength(1);
  });

  it('writes at once when the page goes away (a reload keeps the last keystroke)', async () => {
    const s = safeStorage();
    await s.setItem('k', 'typed');
    expect(listeners.has('pagehide')).toBe(true);
    listeners.get('pagehide')!();
    expect(local.data.get('k')).toBe('typed');
  });

  it('keeps working in memory when localStorage throws (quota, private mode)', async () => {
    local.setItem = () => {
      throw new Error('QuotaExceededError');
    };
    const s = safeStorage();
    await s.setItem('k', 'v');
    vi.advanceTimersByTime(WRITE_DELAY_MS);
    expect(await s.getItem('k')).toBe('v');
  });

  it('a removed item is not written back later', async () => {
    const s = safeStorage();
    await s.setItem('k', 'v');
    await s.removeItem('k');
    vi.advanceTimersByTime(WRITE_DELAY_MS);
    expect(local.data.has('k')).toBe(false);
  });
});
