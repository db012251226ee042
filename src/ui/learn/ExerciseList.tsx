/**
 * The exercises in the Learn view's side column: built in (easy to hard), then those opened from
 * links, each with the learner's progress (solved, or how many attempts). Opening one loads the
 * learner's answer into the editor and shows the Exercise tab.
 */
import { useMemo } from 'react';
import { exerciseItems, openExercise, useExercises } from '../../state/exercises.ts';
import './exercises.css';

export function ExerciseList({ onOpen }: { onOpen: () => void }) {
  const progress = useExercises((s) => s.progress);
  const items = useMemo(() => exerciseItems(progress), [progress]);
  return (
    <section className="panel" aria-label="Exercises">
      <h2>Exercises</h2>
      <ol className="lesson-list exercise-list">
        {items.map((item, i) => {
          const entry = progress.entries[item.key];
          const open = progress.current === item.key;
          const status = entry?.solved
            ? 'solved'
            : entry?.attempts
              ? `${entry.attempts} ${entry.attempts === 1 ? 'attempt' : 'attempts'}`
              : '';
          return (
            <li key={item.key}>
              <button
                type="button"
                className={`lesson${open ? ' is-selected' : ''}`}
                data-testid={`exercise-${item.key}`}
                data-solved={entry?.solved ? 'true' : 'false'}
                data-attempts={entry?.attempts ?? 0}
                aria-current={open ? 'true' : undefined}
                title={item.builtin ? `${item.builtin.level}` : 'opened from a link'}
                onClick={() => {
                  openExercise(item.key);
                  onOpen();
                }}
              >
                <span className="lesson-no">{item.builtin ? i + 1 : '↗'}</span>
                <span className="exercise-name">
                  {item.exercise.title}
                  {status && (
                    <span className={`exercise-status${entry?.solved ? ' is-solved' : ''}`}>
                      {entry?.solved ? '✓ solved' : status}
                    </span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
