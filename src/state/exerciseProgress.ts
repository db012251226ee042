/**
 * The learner's progress on the exercises, kept in localStorage under its own key (not in the
 * snapshot: it is the learner's, not the documents', and never travels in a link): per exercise
 * the attempts, whether it was solved and the current answer; the exercises opened from links; the
 * open one. Read field by field with zod: a damaged entry is dropped on its own, a value that is
 * not ours at all reads as no progress, never as a crash.
 */
import { z } from 'zod';
import { Exercise } from '../teach/exercise-format.ts';

export const PROGRESS_KEY = 'iam-playground-exercises';
const PROGRESS_VERSION = 1;
/** Exercises from links kept (the oldest is forgotten first). */
export const MAX_LINKED = 20;
const MAX_ANSWER = 512 * 1024;

/** A built-in exercise's id, or `link-…` for one opened from a link; the pattern keeps `__proto__` out. */
const Key = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/);

const Entry = z.object({
  attempts: z.number().int().min(0).max(1_000_000),
  solved: z.boolean(),
  /** the answer as last edited; absent: the starting policy */
  answer: z.string().max(MAX_ANSWER).optional(),
});
export type Entry = z.infer<typeof Entry>;

export interface Progress {
  entries: Record<string, Entry>;
  /** exercises opened from links, newest last, with the key their progress is kept under */
  linked: { key: string; exercise: Exercise }[];
  /** the open exercise's key */
  current?: string;
}

export const EMPTY_PROGRESS: Progress = { entries: {}, linked: [] };

/** Reads stored progress (any text, or null); what cannot be read is left out. */
export function readProgress(raw: string | null): Progress {
  if (!raw) return EMPTY_PROGRESS;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return EMPTY_PROGRESS;
  }
  if (typeof data !== 'object' || data === null || (data as { v?: unknown }).v !== PROGRESS_VERSION)
    return EMPTY_PROGRESS;
  const o = data as Record<string, unknown>;
  const entries: Record<string, Entry> = {};
  if (typeof o.entries === 'object' && o.entries !== null)
    for (const [k, v] of Object.entries(o.entries)) {
      const e = Entry.safeParse(v);
      if (Key.safeParse(k).success && e.success) entries[k] = e.data;
    }
  const linked: Progress['linked'] = [];
  if (Array.isArray(o.linked))
    for (const l of o.linked.slice(-MAX_LINKED)) {
      const key = Key.safeParse((l as { key?: unknown } | null)?.key);
      const ex = Exercise.safeParse((l as { exercise?: unknown } | null)?.exercise);
      if (key.success && ex.success && !linked.some((x) => x.key === key.data))
        linked.push({ key: key.data, exercise: ex.data });
    }
  const current = Key.safeParse(o.current);
  return { entries, linked, ...(current.success ? { current: current.data } : {}) };
}

export function writeProgress(p: Progress): string {
  return JSON.stringify({ v: PROGRESS_VERSION, ...p });
}

/** The key a linked exercise's progress is kept under: the same exercise gets the same key. */
export function linkedKey(e: Exercise): string {
  // FNV-1a over the exercise's JSON: a short, stable name, not a security measure.
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(e)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `link-${e.id}-${h.toString(36)}`.slice(0, 100);
}

/** The progress with a linked exercise added (or moved to the newest), at most MAX_LINKED kept. */
export function withLinked(p: Progress, exercise: Exercise): { progress: Progress; key: string } {
  const key = linkedKey(exercise);
  const linked = [...p.linked.filter((l) => l.key !== key), { key, exercise }].slice(-MAX_LINKED);
  return { progress: { ...p, linked }, key };
}
