/**
 * Exercise links (`#x=…`): one exercise with its hidden suite, so a teacher can send one. The same
 * lz-string encoding as the state permalinks (permalink.ts); what a link holds is read through the
 * exercise's zod schema (teach/exercise-format.ts), never used unchecked.
 */
import { readExercise, type Exercise } from '../teach/exercise-format.ts';
import { decodeHashValue, encodeHashValue } from './permalink.ts';

const PREFIX = '#x=';
/** 1: the first shipped. */
const LINK_VERSION = 1;

export function encodeExerciseLink(exercise: Exercise): string {
  return encodeHashValue(PREFIX, { v: LINK_VERSION, exercise });
}

export type ExerciseLinkResult =
  { ok: true; exercise: Exercise } | { ok: false; error: string } | { ok: 'none' };

export function decodeExerciseLink(hash: string): ExerciseLinkResult {
  const r = decodeHashValue(PREFIX, hash);
  if (r.ok !== true) return r;
  const data = r.value;
  if (typeof data !== 'object' || data === null || !('exercise' in data))
    return { ok: false, error: 'The link holds no exercise.' };
  const v = (data as { v?: unknown }).v;
  if (v !== LINK_VERSION)
    return { ok: false, error: `The exercise link has an unsupported version (${String(v)}).` };
  const read = readExercise((data as { exercise: unknown }).exercise);
  if (!read.ok) return { ok: false, error: `The exercise in this link is not valid: ${read.error}` };
  return read;
}
