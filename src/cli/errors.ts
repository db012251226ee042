/**
 * The CLI's errors: `{"error": {"code", "message", ...}}` on stdout, exit 2 (bad input) or 4
 * (INTERNAL_ERROR). The codes are a closed set: the engine's InputErrorCode (checks/types.ts) plus
 * the command line's own and the recommender's.
 */
import { z } from 'zod';
import { InputErrorCode } from '../checks/types.ts';

export const CliErrorCode = z.enum([
  ...InputErrorCode.options,
  // the command line and batch lines (parse-args.ts)
  'MISSING_COMMAND',
  'UNKNOWN_COMMAND',
  'UNKNOWN_FLAG',
  'UNEXPECTED_ARGUMENT',
  'UNEXPECTED_FLAG',
  'MISSING_FLAG',
  'MISSING_FLAG_VALUE',
  'DUPLICATE_FLAG',
  'INVALID_FLAG_VALUE',
  'INVALID_BATCH_LINE',
  // flag values (input.ts, run.ts)
  'FILE_NOT_FOUND',
  'INVALID_DOCUMENT',
  'INVALID_JSON',
  'MALFORMED_POLICY_DOCUMENT',
  'INVALID_UNUSED_PERMISSIONS',
  // a policy test file that does not read (checks/policy-tests.ts readTestSuite)
  'INVALID_TESTS',
  // a scenario the engine cannot read (evaluate/scenario.ts ScenarioError; its other codes are above)
  'INVALID_SCENARIO',
  // the recommender (recommend/recommend.ts)
  'POLICY_PARSE_ERROR',
  'INVALID_UNUSED',
  'INVALID_CHOICE',
  /** not the input: a bug, or a solver that broke (exit 4) */
  'INTERNAL_ERROR',
]);
export type CliErrorCode = z.infer<typeof CliErrorCode>;

/** The JSON body of an error: its code, a readable message, and what the code's source adds. */
export interface ErrorBody {
  code: CliErrorCode;
  message: string;
  [extra: string]: unknown;
}

/** A bad-input error thrown while a command reads its flags: becomes `{error: {code, message, ...extra}}`. */
export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
