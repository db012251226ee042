/**
 * The least-privilege view's hooks: the solver proof of the current
 * recommendation through the shared worker client, under view names of its own so a proof never
 * cancels the main check (and the main check never cancels a proof).
 */
import { useEffect, useState } from 'react';
import type { ProofRequests } from '../../recommend/index.ts';
import { getClient } from '../../state/analysis.ts';
import {
  interpretAnswer,
  prepareRequest,
  PROOF_PARTS,
  type PartState,
  type ProofPart,
} from './proofStatus.ts';

/**
 * `value`, once it has stopped changing for `ms` (the first value at once). The recommendation of a
 * large policy takes a few hundred ms on the main thread: recomputing it once after a burst of
 * typing, instead of after every key, keeps the editor responsive.
 */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, settled, ms]);
  return settled;
}

/** Re-prove this long after the recommendation last changed (a burst of clicks proves once). */
const PROOF_DEBOUNCE_MS = 300;
const proofView = (part: ProofPart): string => `recommend:${part}`;

export interface ProofRun {
  parts: Record<ProofPart, PartState>;
  /** ms from sending the requests to the last answer (when every part has answered) */
  elapsedMs?: number;
}

interface Received {
  key: string;
  startedAt: number;
  parts: Partial<Record<ProofPart, PartState>>;
  doneAt?: number;
}

/**
 * Proves `requests` (undefined: nothing to prove). Answers belong to the request set they were asked
 * for: a newer set makes every part pending again and cancels the older runs in the worker. The run
 * depends only on the requests' text (and `attempt`, bumped to prove the same requests again), so a
 * re-render with equal requests never restarts it.
 */
export function useProof(
  requests: ProofRequests | undefined,
  timeoutMs: number,
  attempt = 0,
): ProofRun | undefined {
  const key = requests ? JSON.stringify({ attempt, timeoutMs, requests }) : '';
  const [received, setReceived] = useState<Received>();

  useEffect(() => {
    if (!key) return;
    const job = JSON.parse(key) as { timeoutMs: number; requests: ProofRequests };
    let live = true;
    const wanted = PROOF_PARTS.filter((p) => job.requests[p] !== undefined);
    // One part at a time: the client's watchdog counts from when a check is sent, so a part queued
    // in the worker behind the others would spend its budget waiting.
    const runParts = async (): Promise<void> => {
      setReceived({ key, startedAt: performance.now(), parts: {} });
      for (const part of wanted) {
        const prepared = prepareRequest(job.requests[part]!);
        const state: PartState | undefined = prepared.ok
          ? interpretAnswer(part, await getClient().check(proofView(part), prepared.request, job.timeoutMs))
          : { status: 'unknown', summary: prepared.reason };
        if (!live || !state) return;
        setReceived((prev) => {
          if (!prev || prev.key !== key) return prev;
          const parts = { ...prev.parts, [part]: state };
          const done = wanted.every((p) => parts[p] !== undefined);
          return { ...prev, parts, ...(done ? { doneAt: performance.now() } : {}) };
        });
      }
    };
    const timer = setTimeout(() => void runParts(), PROOF_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
      for (const part of wanted) getClient().cancel(proofView(part));
    };
  }, [key]);

  if (!requests) return undefined;
  const mine = received?.key === key ? received : undefined;
  const parts = {} as Record<ProofPart, PartState>;
  for (const p of PROOF_PARTS)
    parts[p] = requests[p] === undefined ? { status: 'skipped' } : (mine?.parts[p] ?? { status: 'pending' });
  return {
    parts,
    ...(mine?.doneAt !== undefined ? { elapsedMs: Math.round(mine.doneAt - mine.startedAt) } : {}),
  };
}
