/**
 * Exit statuses of the CLI, documented in its help and the README: the verdict of a check, bad input,
 * and an internal error (a bug or a solver that broke, not the user's input), kept apart so a script
 * can tell "fix your input" from "report this".
 */

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
