/**
 * localStorage that never throws: private modes, sandboxed iframes and full quotas make the real one
 * throw on access or on write. Falls back to memory so the app keeps working (without persistence).
 */
import type { StateStorage } from 'zustand/middleware';

export function safeStorage(): StateStorage {
  const memory = new Map<string, string>();
  let real: Storage | undefined;
  try {
    real = globalThis.localStorage;
    real.getItem('__probe__');
  } catch {
    real = undefined;
  }
  return {
    getItem(name) {
      try {
        return real ? real.getItem(name) : (memory.get(name) ?? null);
      } catch {
        return memory.get(name) ?? null;
      }
    },
    setItem(name, value) {
      memory.set(name, value);
      try {
        real?.setItem(name, value);
      } catch {
        // quota or a revoked permission: memory keeps this session going
      }
    },
    removeItem(name) {
      memory.delete(name);
      try {
        real?.removeItem(name);
      } catch {
        // nothing to do
      }
    },
  };
}
