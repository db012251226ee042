/**
 * Stepping through a list of steps, one at a time: the position (back to the first step whenever
 * the steps change, i.e. their `key`), the keys (→ ↓ n next, ← ↑ p previous, Home, End, and any
 * extra ones) and the navigation row. StepPanel walks one policy with it, StackWalk a scenario.
 */
import { useState, type KeyboardEvent, type ReactNode } from 'react';

export interface Stepper {
  /** the current position */
  i: number;
  go(n: number): void;
  onKey(e: KeyboardEvent): void;
}

export function useStepper(key: string, count: number, extraKeys: Record<string, number> = {}): Stepper {
  const [pos, setPos] = useState({ key, i: 0 });
  const i = pos.key === key ? Math.min(pos.i, Math.max(0, count - 1)) : 0;
  const go = (n: number) => setPos({ key, i: Math.max(0, Math.min(count - 1, n)) });
  const onKey = (e: KeyboardEvent) => {
    const k = e.key;
    if (k === 'ArrowRight' || k === 'ArrowDown' || k === 'n') go(i + 1);
    else if (k === 'ArrowLeft' || k === 'ArrowUp' || k === 'p') go(i - 1);
    else if (k === 'Home') go(0);
    else if (k === 'End') go(count - 1);
    else if (k in extraKeys) go(extraKeys[k]!);
    else return;
    e.preventDefault();
  };
  return { i, go, onKey };
}

/**
 * Previous / position / Next, with First and Last when `ends`, and any `extra` buttons after them.
 * Test ids are `${testId}-prev`, `-position`, `-next`, `-first`, `-last`.
 */
export function StepNav({
  stepper: { i, go },
  count,
  testId,
  ends = false,
  extra,
}: {
  stepper: Stepper;
  count: number;
  testId: string;
  ends?: boolean;
  extra?: ReactNode;
}) {
  const button = (id: string, label: string, to: number, disabled: boolean, primary = false) => (
    <button
      type="button"
      className={`btn btn-small${primary ? ' btn-primary' : ''}`}
      data-testid={`${testId}-${id}`}
      onClick={() => go(to)}
      disabled={disabled}
    >
      {label}
    </button>
  );
  return (
    <div className="step-nav">
      {ends && button('first', '« First', 0, i === 0)}
      {button('prev', '← Previous', i - 1, i === 0)}
      <span className="small muted" data-testid={`${testId}-position`}>
        Step {i + 1} of {count}
      </span>
      {button('next', 'Next →', i + 1, i >= count - 1, true)}
      {ends && button('last', 'Last »', count - 1, i >= count - 1)}
      {extra}
    </div>
  );
}
