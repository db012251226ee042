/**
 * Reads the three solver answers of a recommendation's proof (see src/recommend/proof.ts) as
 * proved / failed / unknown, per part and overall. UNKNOWN, a timeout, a cancelled or crashed run and
 * an input error are never "proved". Pure: no React.
 */
import {
  CheckRequest,
  type CheckResponse,
  type CompareResponse,
  type Counterexample,
} from '../../checks/types.ts';
import { MAX_POLICY_CHARS } from '../../checks/limits.ts';
import type { Answer } from '../../worker/client.ts';

export const PROOF_PARTS = ['notGranted', 'noNewAccess', 'complete'] as const;
export type ProofPart = (typeof PROOF_PARTS)[number];

export const PART_TITLES: Record<ProofPart, string> = {
  notGranted: 'Grants no unused action',
  noNewAccess: 'Grants nothing new',
  complete: 'Keeps every used action',
};

export type PartState =
  | { status: 'pending' }
  /** notGranted when there is no unused action: nothing to prove */
  | { status: 'skipped' }
  | { status: 'proved'; note?: string; elapsedMs?: number }
  | {
      status: 'failed';
      summary: string;
      counterexample?: Counterexample;
      /** actions the part names (unused actions still granted, actions newly granted or dropped) */
      actions?: string[];
      elapsedMs?: number;
    }
  | { status: 'unknown'; summary: string; elapsedMs?: number };

export type Overall = 'idle' | 'proving' | 'proved' | 'failed' | 'not-proved';

const isCompare = (r: CheckResponse | CompareResponse): r is CompareResponse => r.kind === 'compare';

function actionsOf(r: CheckResponse): string[] {
  return (r.newAccess?.services ?? []).flatMap((s) => s.actions.map((a) => a.action));
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One part's state from its answer; undefined for a superseded answer (a newer run is on its way). */
export function interpretAnswer(part: ProofPart, answer: Answer): PartState | undefined {
  switch (answer.kind) {
    case 'superseded':
      return undefined;
    case 'cancelled':
      return { status: 'unknown', summary: 'The proof was cancelled.' };
    case 'failure':
      return { status: 'unknown', summary: `The solver did not finish: ${answer.message}` };
    case 'result':
      break;
  }
  const { outcome, elapsedMs } = answer;
  if (!outcome.ok)
    return {
      status: 'unknown',
      summary: `The engine refused the proof request: ${outcome.error.code}: ${outcome.error.message}`,
      elapsedMs,
    };
  const r = outcome.response;
  if (isCompare(r))
    return { status: 'unknown', summary: 'Unexpected answer shape (a comparison).', elapsedMs };
  if (r.result === 'UNKNOWN')
    return { status: 'unknown', summary: `UNKNOWN: ${r.unknownReason ?? r.message}`, elapsedMs };
  const cx = r.counterexamples[0];
  const withCx = cx ? { counterexample: cx } : {};
  switch (part) {
    case 'notGranted': {
      if (r.result === 'PASS') return { status: 'proved', elapsedMs };
      const granted = [...new Set(r.counterexamples.map((c) => c.request.action))];
      return {
        status: 'failed',
        summary: `The recommended policy still grants an unused action${granted.length ? `: ${granted.join(', ')}` : ''}.`,
        actions: granted,
        ...withCx,
        elapsedMs,
      };
    }
    case 'noNewAccess': {
      if (r.result === 'PASS') return { status: 'proved', elapsedMs };
      const added = actionsOf(r);
      return {
        status: 'failed',
        summary: `The recommended policy grants access the original did not${added.length ? ` (${plural(added.length, 'action')})` : ''}.`,
        actions: added,
        ...withCx,
        elapsedMs,
      };
    }
    case 'complete': {
      const na = r.newAccess;
      if (!na)
        return { status: 'unknown', summary: 'The check did not list the actions it compared.', elapsedMs };
      if (na.count > 0) {
        const dropped = actionsOf(r);
        return {
          status: 'failed',
          summary: `The recommended policy no longer allows ${plural(na.count, 'used action')} the original allowed.`,
          actions: dropped,
          ...withCx,
          elapsedMs,
        };
      }
      if (r.result === 'PASS') return { status: 'proved', elapsedMs };
      if (na.outsideCatalog)
        return {
          status: 'proved',
          note: 'Every catalog action is kept. The narrowed wildcards no longer match actions outside the catalog (ones AWS may add later): intended.',
          elapsedMs,
        };
      return {
        status: 'unknown',
        summary: `The check answered ${r.result} without naming an action: not proved.`,
        elapsedMs,
      };
    }
  }
}

export function overallOf(parts: Record<ProofPart, PartState> | undefined): Overall {
  if (!parts) return 'idle';
  const states = PROOF_PARTS.map((p) => parts[p].status);
  if (states.includes('failed')) return 'failed';
  if (states.includes('pending')) return 'proving';
  if (states.every((s) => s === 'proved' || s === 'skipped') && states.includes('proved')) return 'proved';
  return 'not-proved';
}

export const OVERALL_LABEL: Record<Overall, string> = {
  idle: 'No proof yet',
  proving: 'Proving…',
  proved: 'Proved',
  failed: 'Not proved: a part fails',
  'not-proved': 'Not proved',
};

function compact(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}

/** The request with every policy document passed through `f`. */
function mapDocuments(request: CheckRequest, f: (text: string) => string): CheckRequest {
  switch (request.check) {
    case 'CheckNoNewAccess':
      return {
        ...request,
        existingPolicyDocument: f(request.existingPolicyDocument),
        newPolicyDocument: f(request.newPolicyDocument),
      };
    case 'CheckAccessNotGranted':
    case 'CheckNoPublicAccess':
    case 'NoAccessOutsideAccounts':
      return { ...request, policyDocument: f(request.policyDocument) };
    case 'ComparePolicies':
      return { ...request, policyA: f(request.policyA), policyB: f(request.policyB) };
  }
}

function tooLong(request: CheckRequest): string | undefined {
  let first: string | undefined;
  mapDocuments(request, (text) => {
    if (first === undefined && text.length > MAX_POLICY_CHARS)
      first = `a document of ${Math.round(text.length / 1024)} KiB; the engine takes up to ${MAX_POLICY_CHARS / 1024} KiB`;
    return text;
  });
  return first;
}

/**
 * The request as the worker and the engine will accept it. The proof's documents are pretty-printed,
 * so a request whose documents pass the engine's size limit (MAX_POLICY_CHARS) only once indentation
 * is gone is sent re-serialised without it (same statements, same order); one that is still too
 * large is refused here, with the reason, instead of coming back as an error.
 */
export function prepareRequest(
  request: CheckRequest,
): { ok: true; request: CheckRequest } | { ok: false; reason: string } {
  if (CheckRequest.safeParse(request).success && !tooLong(request)) return { ok: true, request };
  const smaller = mapDocuments(request, compact);
  const check = CheckRequest.safeParse(smaller);
  const long = tooLong(smaller);
  if (check.success && !long) return { ok: true, request: smaller };
  if (long) return { ok: false, reason: `The proof request is too large for the solver (${long}).` };
  const issue = check.success ? undefined : check.error.issues[0];
  return {
    ok: false,
    reason: `The proof request is too large for the solver worker (${issue?.path.join('.') ?? 'request'}: ${issue?.message ?? 'rejected'}).`,
  };
}
