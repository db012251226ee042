/**
 * Every built-in exercise through the real engine and Z3: its reference solution passes every hidden
 * test, its starting policy fails at least one, and every plausible wrong answer fails at least one.
 * So each suite is proven solvable and able to tell right from wrong, not hoped to be.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../checks/engine.ts';
import { createNodeEngine } from '../checks/node.ts';
import type { TestResult } from '../checks/policy-tests.ts';
import { answerTarget, readExercise } from './exercise-format.ts';
import { EXERCISES, shareable, type BuiltinExercise } from './exercises.ts';

let engine: Engine;
beforeAll(async () => {
  engine = await createNodeEngine();
});

async function grade(ex: BuiltinExercise, answer: string): Promise<TestResult[]> {
  const out = await engine.runTests({
    target: answerTarget(ex.target, answer),
    tests: ex.suite.tests,
    timeoutMs: 30_000,
  });
  if (!out.ok) throw new Error(`${out.error.code}: ${out.error.message}`);
  return out.results;
}

const failing = (rs: TestResult[]): string[] => rs.filter((r) => r.status !== 'pass').map((r) => r.name);

describe('the built-in exercises', () => {
  it('are at least eight, with unique ids, graded from easy to hard, each valid as a shared exercise', () => {
    expect(EXERCISES.length).toBeGreaterThanOrEqual(8);
    expect(new Set(EXERCISES.map((e) => e.id)).size).toBe(EXERCISES.length);
    const rank = { easy: 0, medium: 1, hard: 2 };
    const levels = EXERCISES.map((e) => rank[e.level]);
    expect(levels).toEqual([...levels].sort((a, b) => a - b));
    for (const e of EXERCISES) {
      const read = readExercise(JSON.parse(JSON.stringify(shareable(e))));
      expect(read, e.id).toEqual({ ok: true, exercise: shareable(e) });
      expect(JSON.stringify(shareable(e))).not.toContain('"solution"');
      expect(e.wrong.length, e.id).toBeGreaterThan(0);
    }
  });

  it('include a scenario exercise whose answer is an SCP', () => {
    expect(EXERCISES.some((e) => e.target.kind === 'scenario' && e.target.answerIn === 'scp')).toBe(true);
  });

  for (const ex of EXERCISES) {
    describe(ex.id, () => {
      it('the reference solution passes every test', async () => {
        const rs = await grade(ex, ex.solution);
        expect(rs).toHaveLength(ex.suite.tests.length);
        expect(failing(rs)).toEqual([]);
      });

      it('the starting policy fails at least one test', async () => {
        const rs = await grade(ex, ex.start);
        expect(rs.some((r) => r.status === 'fail')).toBe(true);
      });

      for (const w of ex.wrong)
        it(`a wrong answer fails at least one test: ${w.mistake}`, async () => {
          const rs = await grade(ex, w.text);
          expect(rs.some((r) => r.status === 'fail')).toBe(true);
          // a wrong answer is caught by a test that fails, never by one the solver could not decide
          expect(rs.filter((r) => r.status === 'unknown' || r.status === 'error')).toEqual([]);
        });
    });
  }
});
