/** Stored exercise progress: a round trip, and damaged or foreign values read as (partly) no progress. */
import { describe, expect, it } from 'vitest';
import { EXERCISES, shareable } from '../teach/exercises.ts';
import {
  EMPTY_PROGRESS,
  linkedKey,
  MAX_LINKED,
  readProgress,
  withLinked,
  writeProgress,
  type Progress,
} from './exerciseProgress.ts';

const linked = shareable(EXERCISES[1]!);

describe('exercise progress', () => {
  it('round trip: attempts, solved, answers, linked exercises and the open one', () => {
    const { progress, key } = withLinked(
      {
        entries: { 'read-one-bucket': { attempts: 3, solved: true, answer: '{"Statement": []}' } },
        linked: [],
      },
      linked,
    );
    const p: Progress = {
      ...progress,
      entries: { ...progress.entries, [key]: { attempts: 1, solved: false } },
      current: key,
    };
    expect(readProgress(writeProgress(p))).toEqual(p);
  });

  it('anything that is not our progress reads as none', () => {
    for (const raw of [
      null,
      '',
      'not json',
      '42',
      'null',
      '[]',
      '{"v": 2, "entries": {}}',
      '{"entries": {}}',
    ])
      expect(readProgress(raw), String(raw)).toEqual(EMPTY_PROGRESS);
  });

  it('a damaged field or entry is dropped on its own', () => {
    const raw = JSON.stringify({
      v: 1,
      entries: {
        'read-one-bucket': { attempts: 2, solved: true },
        'mfa-for-deletes': { attempts: -1, solved: true },
        'team-prefix': { attempts: 1, solved: 'yes' },
        'Bad Key': { attempts: 1, solved: true },
      },
      linked: [
        { key: 'link-x', exercise: { id: 'x' } },
        'junk',
        { key: linkedKey(linked), exercise: linked },
      ],
      current: { not: 'a key' },
    }).replace('"entries":{', '"entries":{"__proto__":{"attempts":1,"solved":true},');
    expect(raw).toContain('"__proto__"');
    expect(readProgress(raw)).toEqual({
      entries: { 'read-one-bucket': { attempts: 2, solved: true } },
      linked: [{ key: linkedKey(linked), exercise: linked }],
    });
  });

  it('the same exercise keeps its key, a changed one gets another; at most MAX_LINKED are kept', () => {
    expect(linkedKey(linked)).toBe(linkedKey(structuredClone(linked)));
    expect(linkedKey({ ...linked, title: 'Another' })).not.toBe(linkedKey(linked));
    let p = EMPTY_PROGRESS;
    for (let i = 0; i < MAX_LINKED + 3; i++) p = withLinked(p, { ...linked, id: `ex-${i}` }).progress;
    expect(p.linked).toHaveLength(MAX_LINKED);
    expect(p.linked[0]!.exercise.id).toBe('ex-3');
    p = withLinked(p, { ...linked, id: 'ex-3' }).progress;
    expect(p.linked.at(-1)!.exercise.id).toBe('ex-3');
    expect(p.linked).toHaveLength(MAX_LINKED);
  });
});
