/** Node entry for the solver (tests, CLI, bench). The browser worker has its own boot file. */
import { init } from 'z3-solver';
import { withHeapStrings, type Z3Init } from './heap-strings.ts';
import { makeRunner, type SmtRunner, type Z3LowLevel } from './runner.ts';

let runnerPromise: Promise<SmtRunner> | undefined;

export function nodeRunner(): Promise<SmtRunner> {
  runnerPromise ??= init().then((z) =>
    makeRunner(withHeapStrings(z as unknown as Z3Init) as unknown as Z3LowLevel),
  );
  return runnerPromise;
}
