/**
 * The Exercise tab of the Learn view: the open exercise's task, _Check my answer_ and what it says
 * (the first failing test's request as a hint, or the proof for every request), _Start over_ and
 * _Share this exercise_; with none open, how exercises work and the teacher's editor.
 */
import type { Counterexample } from '../../checks/types.ts';
import {
  checkAnswer,
  closeExercise,
  dismissLinkError,
  exerciseHash,
  exerciseItems,
  restartExercise,
  useExercises,
} from '../../state/exercises.ts';
import { useStore } from '../../state/store.ts';
import type { Feedback } from '../../teach/exercise-feedback.ts';
import { answerKind, type Exercise } from '../../teach/exercise-format.ts';
import { shareable } from '../../teach/exercises.ts';
import { ExerciseAuthor } from './ExerciseAuthor.tsx';
import './exercises.css';
import { publishLink } from '../shareLink.ts';

/** Text with `code` in backticks. */
function CodeText({ text }: { text: string }) {
  return (
    <>
      {text
        .split('`')
        .map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>))}
    </>
  );
}

async function share(key: string): Promise<void> {
  const hash = exerciseHash(key);
  if (!hash) return;
  await publishLink(hash, {
    copied: 'Link copied: it holds this exercise with its hidden tests (no solution).',
    inAddressBar: 'The address bar now holds a link to this exercise, with its hidden tests (no solution).',
  });
}

export function ExercisePanel({ onStep }: { onStep: (cx: Counterexample) => void }) {
  const progress = useExercises((s) => s.progress);
  const linkError = useExercises((s) => s.linkError);
  const item = exerciseItems(progress).find((i) => i.key === progress.current);
  const entry = item && progress.entries[item.key];
  return (
    <div className="exercise-panel" data-testid="exercise-panel">
      {linkError && (
        <div className="error-box exercise-link-error" data-testid="exercise-link-error" role="alert">
          <strong>This exercise link cannot be opened.</strong> {linkError}{' '}
          <button type="button" className="btn btn-small" onClick={dismissLinkError}>
            Dismiss
          </button>
        </div>
      )}
      {!item ? (
        <>
          <h3>Exercises</h3>
          <p>
            Pick an exercise on the left. Each one is a task, a starting policy in the editor, and tests you
            do not see. <strong>Check my answer</strong> runs them with the solver for <em>every</em> request:
            you get the first request your policy still gets wrong, or a proof that it is right.
          </p>
          <p className="muted small">
            Your answers and progress stay in this browser. A teacher can write an exercise and send it as a
            link.
          </p>
          <ExerciseAuthor />
        </>
      ) : (
        <>
          <div className="exercise-head">
            <h3 data-testid="exercise-title">{item.exercise.title}</h3>
            <span className="muted small">
              {item.builtin ? item.builtin.level : 'from a link'} · your answer is the{' '}
              {answerKind(item.exercise.target)} in the editor
              {entry?.solved ? (
                <span className="exercise-status is-solved" data-testid="exercise-solved">
                  ✓ solved
                </span>
              ) : null}
            </span>
          </div>
          <p className="exercise-task" data-testid="exercise-task">
            <CodeText text={item.exercise.task} />
          </p>
          <Stack exercise={item.exercise} />
          <div className="exercise-actions">
            <button
              type="button"
              className="btn btn-primary"
              data-testid="exercise-check"
              onClick={() => void checkAnswer()}
            >
              Check my answer
            </button>
            <button type="button" className="btn" data-testid="exercise-restart" onClick={restartExercise}>
              Start over
            </button>
            <button
              type="button"
              className="btn"
              data-testid="exercise-share"
              onClick={() => void share(item.key)}
            >
              Share this exercise
            </button>
            <button type="button" className="btn" data-testid="exercise-close" onClick={closeExercise}>
              Close
            </button>
          </div>
          <Result onStep={item.exercise.target.kind === 'policy' ? onStep : undefined} />
          <ExerciseAuthor from={item.builtin ? shareable(item.builtin) : item.exercise} />
        </>
      )}
    </div>
  );
}

/** A scenario exercise's other layers, for reading (the answer is one layer among them). */
function Stack({ exercise }: { exercise: Exercise }) {
  const t = exercise.target;
  if (t.kind !== 'scenario') return null;
  const c = t.scenario.caller;
  const caller =
    c === undefined ? `any principal of ${t.scenario.callerAccount}` : typeof c === 'string' ? c : c.service;
  return (
    <details className="exercise-stack">
      <summary>The rest of the stack (caller {caller})</summary>
      <pre className="mono small">{JSON.stringify(t.scenario, null, 2)}</pre>
    </details>
  );
}

function Result({ onStep }: { onStep: ((cx: Counterexample) => void) | undefined }) {
  const run = useExercises((s) => s.run);
  const current = useExercises((s) => s.progress.current);
  const policy = useStore((s) => s.docs.policy);
  if (!run || run.key !== current) return null;
  if (run.state === 'running')
    return (
      <p className="exercise-running muted" data-testid="exercise-running" role="status">
        Checking your answer… {run.done} of {run.total} tests done.
      </p>
    );
  if (!run.feedback) return null;
  const stale = run.answer !== policy;
  return (
    <div className={`exercise-result${stale ? ' is-stale' : ''}`} data-testid="exercise-result" role="status">
      {stale && <p className="muted small">About an earlier version of your answer; check again.</p>}
      <FeedbackView feedback={run.feedback} onStep={onStep} />
    </div>
  );
}

function FeedbackView({
  feedback: f,
  onStep,
}: {
  feedback: Feedback;
  onStep: ((cx: Counterexample) => void) | undefined;
}) {
  switch (f.kind) {
    case 'solved':
      return (
        <div className="exercise-proof" data-testid="exercise-proof">
          <p>
            <strong>✓ {f.headline}</strong>
          </p>
          <ul>
            {f.proven.map((p) => (
              <li key={p.name}>
                <strong>{p.name}</strong>: {p.claim}.
              </li>
            ))}
          </ul>
        </div>
      );
    case 'hint': {
      const example = f.example;
      return (
        <div className="exercise-hint" data-testid="exercise-hint">
          <p>
            <strong>✗ {f.title}</strong>
          </p>
          <p data-testid="exercise-hint-request">
            {f.headline} {f.request && <code>{f.request}</code>}
            {f.why && <> — {f.why}.</>}
          </p>
          <p className="muted small">
            {f.passed} of {f.total} tests pass.{' '}
            {example && onStep && (
              <button
                type="button"
                className="btn btn-small"
                data-testid="exercise-step"
                onClick={() => onStep(example)}
              >
                Step through this request
              </button>
            )}
          </p>
        </div>
      );
    }
    case 'unknown':
    case 'error':
      return (
        <div className={`exercise-${f.kind}`} data-testid={`exercise-${f.kind}`}>
          <p>
            <strong>{f.kind === 'unknown' ? '? ' : ''}</strong>
            {f.headline}
          </p>
          {f.details.length > 0 && (
            <ul className="small">
              {f.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
      );
  }
}
