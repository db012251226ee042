/**
 * The teacher's side of exercises: an exercise as JSON (the shape of teach/exercise-format.ts, the
 * same a link carries), checked with its zod schema and opened like one from a link; from there
 * _Share this exercise_ sends it. Starts from the open exercise, or from a template with the
 * editor's policy as the starting policy.
 */
import { useState } from 'react';
import { openLinkedExercise } from '../../state/exercises.ts';
import { useStore } from '../../state/store.ts';
import { readExercise, type Exercise } from '../../teach/exercise-format.ts';

function template(start: string): Exercise {
  return {
    id: 'my-exercise',
    title: 'No deletes in prod',
    task: 'Let the role do anything with the bucket `prod-data`, except delete it or its objects.',
    target: { kind: 'policy', policyType: 'IDENTITY_POLICY' },
    start,
    hint: [],
    suite: {
      tests: [
        {
          name: 'Objects of prod-data can be read and written',
          expect: 'always-allowed',
          actions: ['s3:GetObject', 's3:PutObject'],
          resources: ['arn:aws:s3:::prod-data/*'],
        },
        {
          name: 'Nothing in prod-data is ever deleted',
          expect: 'never-allowed',
          actions: ['s3:Delete*'],
          resources: ['arn:aws:s3:::prod-data', 'arn:aws:s3:::prod-data/*'],
        },
      ],
    },
  };
}

const pretty = (e: Exercise): string => JSON.stringify(e, null, 2);

export function ExerciseAuthor({ from }: { from?: Exercise }) {
  const [draft, setDraft] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const text = draft ?? pretty(from ?? template(useStore.getState().docs.policy));

  const open = (): void => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      setError(`The exercise is not JSON: ${(e as Error).message}`);
      return;
    }
    const r = readExercise(data);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(undefined);
    setDraft(undefined);
    openLinkedExercise(r.exercise);
  };

  const useEditorPolicy = (): void => {
    try {
      const data = JSON.parse(text) as Record<string, unknown>;
      setDraft(JSON.stringify({ ...data, start: useStore.getState().docs.policy }, null, 2));
      setError(undefined);
    } catch (e) {
      setError(`The exercise is not JSON: ${(e as Error).message}`);
    }
  };

  return (
    <details className="exercise-author" data-testid="exercise-author">
      <summary>Write an exercise (for teachers)</summary>
      <p className="muted small">
        An exercise is JSON: a title, a task (<code>`code`</code> in backticks), what the answer is tested as
        (<code>target</code>: a policy of a type, or a layer of a scenario), the starting policy, the hint
        style and the hidden tests (the policy tests format). Each test&apos;s name is shown when it fails:
        say what is wrong, not how to fix it. <em>Open</em> checks it and opens it here; then{' '}
        <em>Share this exercise</em> gives the link.
      </p>
      <textarea
        className="exercise-author-text mono"
        data-testid="exercise-author-text"
        spellCheck={false}
        aria-label="Exercise JSON"
        value={text}
        onChange={(e) => setDraft(e.target.value)}
      />
      {error && (
        <div className="error-box" data-testid="exercise-author-error" role="alert">
          {error}
        </div>
      )}
      <div className="exercise-actions">
        <button type="button" className="btn" data-testid="exercise-author-open" onClick={open}>
          Open
        </button>
        <button type="button" className="btn" onClick={useEditorPolicy}>
          The editor&apos;s policy as the start
        </button>
        {draft !== undefined && (
          <button type="button" className="btn" onClick={() => (setDraft(undefined), setError(undefined))}>
            Reset
          </button>
        )}
      </div>
    </details>
  );
}
