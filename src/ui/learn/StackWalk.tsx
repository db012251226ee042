/**
 * A scenario request walked through the IAM flow chart (teach/stack-steps.ts), one step at a time as
 * StepPanel walks one policy: explicit deny, SCP and RCP levels, resource policy, identity policies,
 * boundary, session policies, then the decision. The current step is highlighted; next / previous
 * with the buttons or the arrow keys (Home, End; D jumps to the deciding step). Each statement the
 * step points at is a button that asks to reveal it in its editor.
 */
import { StepNav, useStepper } from './Stepper.tsx';
import type { StatementHit } from '../../evaluate/stack.ts';
import {
  OUTCOME_TEXT,
  outcomeMark,
  type StackStep,
  type StackStepOutcome,
  type StackWalk as Walk,
} from '../../teach/stack-steps.ts';

const TONE: Record<StackStepOutcome, string> = {
  allow: ' is-match',
  deny: ' is-miss',
  'no-match': '',
  'not-applicable': '',
  decides: '',
};

interface Props {
  walk: Walk;
  /** asks to show the statement in its editor */
  onReveal: (document: string, statementIndex: number) => void;
  /** the statement's name for the reader (default: the engine's `scp[1][0] #2`) */
  refLabel?: (h: StatementHit) => string;
  /** whether the statement can be revealed (default: every one) */
  canReveal?: (h: StatementHit) => boolean;
}

const defaultLabel = (h: StatementHit): string =>
  `${h.document} #${h.statementIndex}${h.statementId ? ` ${h.statementId}` : ''}`;

function Refs({
  step,
  onReveal,
  refLabel,
  canReveal,
}: { step: StackStep } & Required<Pick<Props, 'onReveal' | 'refLabel' | 'canReveal'>>) {
  if (step.refs.length === 0) return null;
  return (
    <div className="gate-hits stack-walk-refs">
      {step.refs.map((h) =>
        canReveal(h) ? (
          <button
            key={`${h.document}#${h.statementIndex}`}
            type="button"
            className="chip chip-link"
            data-testid="stack-walk-ref"
            data-document={h.document}
            data-statement={h.statementIndex}
            title="Show this statement in its editor"
            onClick={() => onReveal(h.document, h.statementIndex)}
          >
            {refLabel(h)}
          </button>
        ) : (
          <span key={`${h.document}#${h.statementIndex}`} className="chip">
            {refLabel(h)}
          </span>
        ),
      )}
    </div>
  );
}

export function StackWalk({ walk, onReveal, refLabel = defaultLabel, canReveal = () => true }: Props) {
  const { steps, decidingIndex } = walk;
  const key = steps.map((s) => `${s.id}:${s.outcome}:${s.deciding}`).join('|');
  const stepper = useStepper(key, steps.length, { d: decidingIndex });
  const { i, go, onKey } = stepper;
  const current = steps[i];

  return (
    <div className="step-panel stack-walk" data-testid="stack-walk">
      <StepNav
        stepper={stepper}
        count={steps.length}
        testId="stack-walk"
        extra={
          <button
            type="button"
            className="btn btn-small"
            data-testid="stack-walk-deciding"
            onClick={() => go(decidingIndex)}
            disabled={i === decidingIndex}
          >
            Deciding step
          </button>
        }
      />
      {current && (
        <div
          className={`step-current${current.phase === 'decision' ? ' step-decision' : ''}${TONE[current.outcome]}${
            current.reached ? '' : ' is-unreached'
          }`}
          data-testid="stack-walk-current"
          data-step={current.id}
          data-outcome={current.outcome}
          data-deciding={String(current.deciding)}
          aria-live="polite"
        >
          <div className="step-title">
            <span className="step-mark" aria-hidden="true">
              {outcomeMark(current.outcome)}
            </span>
            {current.title}{' '}
            <span className="muted small">
              · {OUTCOME_TEXT[current.outcome]}
              {current.deciding && <span className="chip gate-decides">decided</span>}
              {!current.reached && ' · not reached: the flow had already decided'}
            </span>
          </div>
          <div className="step-detail">{current.detail}</div>
          <Refs step={current} onReveal={onReveal} refLabel={refLabel} canReveal={canReveal} />
        </div>
      )}
      <ol
        className="step-list"
        tabIndex={0}
        role="group"
        aria-label="Flow chart steps: arrow keys move between steps, D jumps to the deciding step"
        data-testid="stack-walk-list"
        onKeyDown={onKey}
      >
        {steps.map((s, j) => (
          <li
            key={s.id}
            className={`step-item${s.phase === 'decision' || s.deciding ? ' step-decision' : ''}${
              j === i ? ' is-current' : ''
            }${s.reached ? '' : ' is-unreached'}`}
            data-testid="stack-walk-step"
            data-step={s.id}
            data-outcome={s.outcome}
            data-deciding={String(s.deciding)}
            aria-current={j === i ? 'step' : undefined}
            onClick={() => go(j)}
          >
            <span
              className={`step-mark${s.outcome === 'allow' ? ' is-match' : s.outcome === 'deny' ? ' is-miss' : ''}`}
              aria-label={OUTCOME_TEXT[s.outcome]}
            >
              {outcomeMark(s.outcome)}
            </span>
            {s.title}
            {s.deciding && <span className="chip gate-decides">decided</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}
