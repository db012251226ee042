import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkScheduler, DEBOUNCE_MS } from './scheduler.ts';

describe('checkScheduler: the check as you edit', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('idle: changes of one moment join one check, at once (a microtask)', async () => {
    const fire = vi.fn();
    const s = checkScheduler({ fire, running: () => false });
    s.changed('a');
    s.changed('b');
    expect(fire).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(fire).toHaveBeenCalledTimes(1);
  });

  it('while a check runs: an edit soon after the last waits for the burst to end', async () => {
    const fire = vi.fn();
    const s = checkScheduler({ fire, running: () => true });
    s.changed('a'); // the first edit in a while is checked at once
    await Promise.resolve();
    expect(fire).toHaveBeenCalledTimes(1);
    s.changed('b');
    await Promise.resolve();
    vi.advanceTimersByTime(DEBOUNCE_MS - 1);
    expect(fire).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fire).toHaveBeenCalledTimes(2);
  });

  it('the same request is checked once, until forgotten; stop drops a waiting check', async () => {
    const fire = vi.fn();
    const s = checkScheduler({ fire, running: () => false });
    s.changed('a');
    await Promise.resolve();
    s.changed('a');
    await Promise.resolve();
    expect(fire).toHaveBeenCalledTimes(1);
    s.forget();
    s.changed('a');
    s.stop();
    await Promise.resolve();
    vi.advanceTimersByTime(DEBOUNCE_MS * 2);
    expect(fire).toHaveBeenCalledTimes(1);
  });
});
