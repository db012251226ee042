/**
 * localStorage that never throws: private modes, sandboxed iframes and full quotas make the real one
 * throw on access or on write. Falls back to memory so the app keeps working (without persistence).
 */
import type { StateStorage } from 'zustand/middleware';

/**
 * Writes are coalesced: the store persists on every change (each keystroke, each solver status),
 * and writing two large documents to localStorage each time cost ~5 ms of the main thread per edit.
 * The latest value is written after WRITE_DELAY_MS, and at once when the page is hidden or unloaded
 * (a reload included), so what the user typed is never lost to the delay.
 */
export const WRITE_DELAY_MS = 250;

export function safeStorage(): StateStorage {
  const memory = new Map<string, string>();
  let real: Storage | undefined;
  try {
    real = globalThis.localStorage;
    real.getItem('__probe__');
  } catch {
    real = undefined;
  }
  const pending = new Map<string, string>();
  const written = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    for (const [name, value] of pending) {
      if (written.get(name) === value) continue;
      try {
        real?.setItem(name, value);
        written.set(name, value);
      } catch {
        // quota or a revoked permission: memory keeps this session going
      }
    }
    pending.clear();
  };
  globalThis.addEventListener?.('pagehide', flush);
  globalThis.addEventListener?.('beforeunload', flush);
  globalThis.document?.addEventListener('visibilitychange', () => {
    if (globalThis.document.visibilityState === 'hidden') flush();
  });
  return {
    getItem(name) {
      // What this page set wins (written or not yet, or refused by a full quota).
      if (memory.has(name)) return memory.get(name)!;
      try {
        return real?.getItem(name) ?? null;
      } catch {
        return null;
      }
    },
    setItem(name, value) {
      memory.set(name, value);
      pending.set(name, value);
      timer ??= setTimeout(flush, WRITE_DELAY_MS);
    },
    removeItem(name) {
      memory.delete(name);
      pending.delete(name);
      try {
        real?.removeItem(name);
      } catch {
        // nothing to do
      }
    },
  };
}
