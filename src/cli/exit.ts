/**
 * Exit statuses of the CLI, documented in its help and the README: the verdict of a check, bad input,
 * and an internal error (a bug or a solver that broke, not the user's input), kept apart so a script
 * can tell "fix your input" from "report this".
 */
import type { TestSummary } from '../checks/policy-tests.ts';

export const EXIT = { PASS: 0, FAIL: 1, BAD_INPUT: 2, UNKNOWN: 3, INTERNAL: 4 } as const;

/** Exit status for a check or compare result: 0 PASS/EQUIVALENT, 1 FAIL/not equivalent, 3 UNKNOWN. */
export function exitCodeForResult(result: string): number {
  switch (result) {
    case 'PASS':
    case 'EQUIVALENT':
      return 0;
    case 'FAIL':
    case 'MORE_PERMISSIVE':
    case 'LESS_PERMISSIVE':
    case 'INCOMPARABLE':
      return 1;
    default:
      return 3;
  }
}

/** Exit status for an error: 4 for the CLI's own failure (INTERNAL_ERROR), 2 for every input error. */
export function exitCodeForError(code: string): number {
  return code === 'INTERNAL_ERROR' ? EXIT.INTERNAL : EXIT.BAD_INPUT;
}

/**
 * Exit status of a policy-test run: 2 when a test cannot run as written (status error: bad input,
 * whatever the others say), else 1 when one fails, 3 when none fails but one is UNKNOWN, 0.
 */
export function exitCodeForTests(s: TestSummary): number {
  if (s.errors > 0) return EXIT.BAD_INPUT;
  if (s.failed > 0) return EXIT.FAIL;
  if (s.unknown > 0) return EXIT.UNKNOWN;
  return EXIT.PASS;
}
