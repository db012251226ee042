/** Node entry for the solver (tests, CLI, bench). The browser worker has its own boot file. */
import { init } from 'z3-solver';
import { makeRunner, type SmtRunner, type Z3LowLevel } from './runner.ts';

let runnerPromise: Promise<SmtRunner> | undefined;

export function nodeRunner(): Promise<SmtRunner> {
  runnerPromise ??= init().then(({ Z3 }) => makeRunner(Z3 as unknown as Z3LowLevel));
  return runnerPromise;
}
