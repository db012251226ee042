/**
 * How the checks word their answers: Access Analyzer's messages and its reasons (one per granting
 * statement), so a response reads like the service's own.
 */
import type { OutsidersOptions } from './request.ts';
import type { SearchResult } from './search.ts';
import type { AccessSpec, CheckResponse, CompareResponse, Reason, StatementRef } from './types.ts';

const MESSAGES = {
  noNewAccessPass: 'The modified permissions grant no new access compared to your existing policy.',
  noNewAccessFail: 'The modified permissions grant new access compared to your existing policy.',
  notGrantedPass: 'The policy document does not grant access to perform the listed actions or resources.',
  notGrantedFail:
    'The policy document grants access to perform one or more of the listed actions or resources.',
  notGrantedFailActions: 'The policy document grants access to perform one or more of the listed actions.',
  publicPass: 'The resource policy does not grant public access for the given resource type.',
  publicFail: 'The resource policy grants public access for the given resource type.',
  outsidePass: 'The policy grants no access to principals outside the trusted accounts.',
  outsideFail: 'The policy grants access to principals outside the trusted accounts.',
  unknown: 'The analysis could not reach a verdict within its limits.',
};

/** How a check words its answer: Access Analyzer's messages and the reason per granting statement. */
export interface Wording {
  pass: string;
  fail: string;
  reasons: (granting: StatementRef[]) => Reason[];
}

export const NO_NEW_ACCESS_WORDING: Wording = {
  pass: MESSAGES.noNewAccessPass,
  fail: MESSAGES.noNewAccessFail,
  reasons: (refs) =>
    statementReasons(refs, (g) => `New access in the statement with index: ${g.statementIndex}.`),
};

export function notGrantedWording(access: AccessSpec[]): Wording {
  const onlyActions = access.every((a) => !a.resources?.length);
  const prefix = onlyActions
    ? 'One or more of the listed actions in the statement with index'
    : 'One or more of the listed actions or resources in the statement with index';
  return {
    pass: MESSAGES.notGrantedPass,
    fail: onlyActions ? MESSAGES.notGrantedFailActions : MESSAGES.notGrantedFail,
    reasons: (refs) => statementReasons(refs, (g) => `${prefix}: ${g.statementIndex}.`),
  };
}

export function outsidersWording(o: OutsidersOptions): Wording {
  const what = o.publicMode ? 'Public access' : 'Access from outside the trusted accounts';
  return {
    pass: o.publicMode ? MESSAGES.publicPass : MESSAGES.outsidePass,
    fail: o.publicMode ? MESSAGES.publicFail : MESSAGES.outsideFail,
    reasons: (refs) =>
      statementReasons(refs, (g) =>
        g.statementId !== undefined
          ? `${what} granted in the following statement with sid: ${g.statementId}.`
          : `${what} granted in the following statement with index: ${g.statementIndex}.`,
      ),
  };
}

/** The answer in a check's words; `granting` adds statements beyond the counterexamples' own. */
export function answer(out: SearchResult, w: Wording, granting: StatementRef[] = []): CheckResponse {
  const refs = [...out.counterexamples.flatMap((c) => c.grantedBy), ...granting];
  const reasons = w.reasons(refs);
  const base = { kind: 'check' as const, reasons, counterexamples: out.counterexamples, stats: out.stats };
  const r: CheckResponse =
    out.result === 'FAIL'
      ? { result: 'FAIL', message: w.fail, ...base }
      : out.result === 'PASS'
        ? { result: 'PASS', message: w.pass, ...base, reasons: [] }
        : {
            result: 'UNKNOWN',
            message: MESSAGES.unknown,
            ...base,
            unknownReason: out.unknownReason ?? 'unknown',
          };
  if (out.newAccess) r.newAccess = out.newAccess;
  return r;
}

/** ComparePolicies' verdict from its two directions (A ∧ ¬B, B ∧ ¬A), in words. */
export function compareVerdict(
  aNotB: CheckResponse,
  bNotA: CheckResponse,
): { result: CompareResponse['result']; message: string } {
  const result =
    aNotB.result === 'UNKNOWN' || bNotA.result === 'UNKNOWN'
      ? 'UNKNOWN'
      : aNotB.result === 'PASS' && bNotA.result === 'PASS'
        ? 'EQUIVALENT'
        : aNotB.result === 'FAIL' && bNotA.result === 'PASS'
          ? 'MORE_PERMISSIVE'
          : aNotB.result === 'PASS'
            ? 'LESS_PERMISSIVE'
            : 'INCOMPARABLE';
  const message = {
    EQUIVALENT: 'Policy A and policy B allow exactly the same requests.',
    MORE_PERMISSIVE: 'Policy A allows every request policy B allows, and more.',
    LESS_PERMISSIVE: 'Policy B allows every request policy A allows, and more.',
    INCOMPARABLE: 'Each policy allows some request the other does not.',
    UNKNOWN: MESSAGES.unknown,
  }[result];
  return { result, message };
}

function withSid(r: Reason, g: StatementRef): Reason {
  if (g.statementId !== undefined) r.statementId = g.statementId;
  return r;
}

/**
 * One reason per statement, in statement order (Access Analyzer's reasons shape), each naming the
 * document its statement is in.
 */
export function statementReasons(refs: StatementRef[], describe: (g: StatementRef) => string): Reason[] {
  const seen = new Set<string>();
  const out: Reason[] = [];
  for (const g of refs) {
    const key = `${g.document}#${g.statementIndex}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(
        withSid({ description: describe(g), document: g.document, statementIndex: g.statementIndex }, g),
      );
    }
  }
  return out.sort(
    (x, y) =>
      (x.document ?? '').localeCompare(y.document ?? '') || (x.statementIndex ?? 0) - (y.statementIndex ?? 0),
  );
}
