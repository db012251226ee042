/**
 * Exercises for learners: the shape of one (the built-in set in exercises.ts, a teacher's in a share
 * link), one zod schema each, and the test target a learner's answer makes. An exercise is a task in
 * words, a starting policy, and a test suite (checks/policy-tests.ts) the learner does not see;
 * "Check my answer" runs the suite on the answer (exercise-feedback.ts words the outcome).
 * Everything here may come from a link, so every field is bounded and checked.
 */
import { z } from 'zod';
import { TestSuite, type TestTarget } from '../checks/policy-tests.ts';
import { ScenarioInput } from '../evaluate/scenario.ts';

/** The engine's own limit on a document (checks.ts MAX_POLICY_CHARS). */
const MAX_POLICY = 512 * 1024;

/** Where a scenario exercise puts the learner's policy: which layer of the stack it is. */
const ANSWER_LAYERS = ['identity', 'boundary', 'session', 'resource', 'scp', 'rcp'] as const;

/**
 * What the learner's policy is tested as: one policy of a type, or one layer of a scenario (an SCP
 * at the account's level, a resource policy behind a role's identity policies, …).
 */
export const ExerciseTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('policy'), policyType: z.enum(['IDENTITY_POLICY', 'RESOURCE_POLICY']) }),
  z
    .strictObject({
      kind: z.literal('scenario'),
      /** the stack without the answer (evaluate/scenario.ts's format) */
      scenario: ScenarioInput,
      /**
       * the layer the answer is: added to the identity or session policies, the boundary or the
       * resource policy, or added to the last (the account's) level of the SCPs or RCPs
       */
      answerIn: z.enum(ANSWER_LAYERS),
    })
    .superRefine((t, ctx) => {
      const levels = t.answerIn === 'scp' ? t.scenario.scps : t.answerIn === 'rcp' ? t.scenario.rcps : [[]];
      if (!levels?.length)
        ctx.addIssue({
          code: 'custom',
          path: ['scenario', `${t.answerIn}s`],
          message: `the answer is an ${t.answerIn.toUpperCase()}, so the scenario needs at least one ${t.answerIn.toUpperCase()} level`,
        });
    }),
]);
export type ExerciseTarget = z.infer<typeof ExerciseTarget>;

/**
 * What a hint shows of the request that breaks the answer besides its action and resource: the
 * caller (trust and bucket policies), the context keys (conditions: MFA, regions, prefixes), the
 * layer of the stack that decided (scenario exercises).
 */
const HINT_PARTS = ['caller', 'context', 'layers'] as const;

/** An exercise as it travels: what a teacher writes and a link carries (no solution in it). */
export const Exercise = z.strictObject({
  /** lower-case letters, digits and dashes */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case letters, digits and dashes')
    .max(64),
  title: z.string().trim().min(1, 'an exercise needs a title').max(200),
  /** the task in words; `code` in backticks */
  task: z.string().trim().min(1, 'an exercise needs a task').max(5_000),
  target: ExerciseTarget,
  /** the policy the learner starts from (JSON text) */
  start: z.string().max(MAX_POLICY),
  hint: z.array(z.enum(HINT_PARTS)).max(HINT_PARTS.length).default([]),
  /** the hidden tests; each name is shown as the hint when its test fails, so it says what is wrong, not how to fix it */
  suite: TestSuite.refine((s) => s.tests.length > 0, 'an exercise needs at least one test'),
});
export type Exercise = z.infer<typeof Exercise>;

/** Reads an exercise from untrusted input: the exercise, or the first problem and where it is. */
export function readExercise(
  input: unknown,
): { ok: true; exercise: Exercise } | { ok: false; error: string } {
  const r = Exercise.safeParse(input);
  if (r.success) return { ok: true, exercise: r.data };
  const issue = r.error.issues[0]!;
  const where = issue.path.length
    ? issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('')
    : 'the exercise';
  return { ok: false, error: `${where.replace(/^\./, '')}: ${issue.message}` };
}

/** The policy type the editor reads the answer as (an SCP or identity layer is an identity-like policy). */
export function answerPolicyType(t: ExerciseTarget): 'IDENTITY_POLICY' | 'RESOURCE_POLICY' {
  if (t.kind === 'policy') return t.policyType;
  return t.answerIn === 'resource' ? 'RESOURCE_POLICY' : 'IDENTITY_POLICY';
}

/** What the answer is, in words, for the task's header. */
export function answerKind(t: ExerciseTarget): string {
  if (t.kind === 'policy') return t.policyType === 'RESOURCE_POLICY' ? 'resource policy' : 'identity policy';
  return {
    identity: 'identity policy',
    boundary: 'permissions boundary',
    session: 'session policy',
    resource: 'resource policy',
    scp: 'SCP',
    rcp: 'RCP',
  }[t.answerIn];
}

/** The test target of an answer: the policy itself, or the scenario with the answer in its layer. */
export function answerTarget(t: ExerciseTarget, answer: string): TestTarget {
  if (t.kind === 'policy')
    return { kind: 'policy', policyType: t.policyType, documents: [{ name: 'policy', text: answer }] };
  const s = structuredClone(t.scenario);
  const last = (levels: ScenarioInput['scps']): void => {
    levels?.[levels.length - 1]?.push(answer);
  };
  switch (t.answerIn) {
    case 'identity':
      s.identityPolicies = [...(s.identityPolicies ?? []), answer];
      break;
    case 'session':
      s.sessionPolicies = [...(s.sessionPolicies ?? []), answer];
      break;
    case 'boundary':
      s.permissionsBoundary = answer;
      break;
    case 'resource':
      s.resourcePolicy = answer;
      break;
    case 'scp':
      last(s.scps);
      break;
    case 'rcp':
      last(s.rcps);
      break;
  }
  return { kind: 'scenario', scenario: s };
}

/** The name the scenario gives the answer's policy (`scp[1][1]`), so a hint can say "your SCP". */
export function answerDocument(t: ExerciseTarget): string {
  if (t.kind === 'policy') return 'policy';
  const count = (xs: unknown[] | undefined): number => xs?.length ?? 0;
  switch (t.answerIn) {
    case 'identity':
      return `identity[${count(t.scenario.identityPolicies)}]`;
    case 'session':
      return `session[${count(t.scenario.sessionPolicies)}]`;
    case 'boundary':
      return 'boundary';
    case 'resource':
      return 'resource';
    case 'scp':
    case 'rcp': {
      const levels = (t.answerIn === 'scp' ? t.scenario.scps : t.scenario.rcps) ?? [];
      const i = levels.length - 1;
      return `${t.answerIn}[${i}][${count(levels[i])}]`;
    }
  }
}
