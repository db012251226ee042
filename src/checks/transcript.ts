/** The SMT transcript (teaching view): every command sent to Z3 for one check, with Z3's answers. */
import type { SmtRunner } from '../smt/runner.ts';

/** A runner that passes every script through and keeps it, with Z3's answer, for the transcript. */
export function recordingRunner(inner: SmtRunner): {
  runner: SmtRunner;
  transcript: (check: string) => string;
} {
  const lines: string[] = [];
  const runner: SmtRunner = {
    get calls() {
      return inner.calls;
    },
    interrupt: () => inner.interrupt(),
    get aborted() {
      return inner.aborted;
    },
    resume: () => inner.resume?.(),
    async run(script) {
      const out = await inner.run(script);
      lines.push(script.trim());
      const answer = out.trim();
      if (answer) lines.push(...answer.split('\n').map((l) => `; => ${l}`));
      return out;
    },
  };
  return {
    runner,
    transcript: (check) =>
      [
        `; IAM policy playground: what the engine sent to Z3 for ${check}, in order (z3-solver 5.2.0).`,
        "; Z3's answers follow each command as '; =>' comments. Replayed in Z3, the commands give the same",
        '; answers (the timeouts are those of this run). The lazy solver asks many small questions: the',
        '; Boolean skeleton with atoms as plain Booleans, then learned facts about them ("lemmas").',
        ...lines,
        '',
      ].join('\n'),
  };
}
