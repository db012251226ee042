import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckRequest, CheckResponse } from '../../checks/types.ts';
import { MAX_POLICY_CHARS } from '../../checks/limits.ts';
import type { Engine } from '../../checks/engine.ts';
import { createNodeEngine } from '../../checks/node.ts';
import seed from '../../fixtures/examples/recommendation-seed.json';
import { proofRequests, recommend } from '../../recommend/index.ts';
import type { Answer } from '../../worker/client.ts';
import {
  interpretAnswer,
  overallOf,
  prepareRequest,
  PROOF_PARTS,
  type PartState,
  type ProofPart,
} from './proofStatus.ts';

const response = (over: Partial<CheckResponse>): CheckResponse => ({
  kind: 'check',
  result: 'PASS',
  message: 'm',
  reasons: [],
  counterexamples: [],
  stats: { elapsedMs: 1, solverCalls: 1 },
  ...over,
});
const answer = (r: CheckResponse): Answer => ({
  kind: 'result',
  outcome: { ok: true, response: r },
  elapsedMs: 5,
});

describe('interpretAnswer: never proved unless the solver said so', () => {
  it('UNKNOWN, a crash, a cancel and an input error are not proved', () => {
    for (const part of PROOF_PARTS) {
      const unknown = interpretAnswer(
        part,
        answer(
          response({ result: 'UNKNOWN', unknownReason: 'timeout after 10000 ms', newAccess: undefined }),
        ),
      );
      expect(unknown).toMatchObject({ status: 'unknown', summary: 'UNKNOWN: timeout after 10000 ms' });
      expect(interpretAnswer(part, { kind: 'failure', message: 'worker crashed' })?.status).toBe('unknown');
      expect(interpretAnswer(part, { kind: 'cancelled' })?.status).toBe('unknown');
      expect(
        interpretAnswer(part, {
          kind: 'result',
          outcome: { ok: false, error: { code: 'JSON_SYNTAX_ERROR', message: 'bad' } },
          elapsedMs: 1,
        }),
      ).toMatchObject({ status: 'unknown', summary: expect.stringContaining('JSON_SYNTAX_ERROR') });
      expect(interpretAnswer(part, { kind: 'superseded' })).toBeUndefined();
    }
  });

  it('complete: FAIL naming no action and outside nothing is not proved', () => {
    const r = response({
      result: 'FAIL',
      newAccess: { services: [], count: 0, outsideCatalog: false, elapsedMs: 1 },
    });
    expect(interpretAnswer('complete', answer(r))?.status).toBe('unknown');
    expect(interpretAnswer('complete', answer(response({ result: 'PASS' })))?.status).toBe('unknown');
  });

  it('overall: failed wins, then pending, and all-skipped is not a proof', () => {
    const s = (status: 'pending' | 'skipped'): PartState => ({ status });
    const proved: PartState = { status: 'proved' };
    const parts = (a: PartState, b: PartState, c: PartState): Record<ProofPart, PartState> => ({
      notGranted: a,
      noNewAccess: b,
      complete: c,
    });
    expect(overallOf(undefined)).toBe('idle');
    expect(overallOf(parts(proved, proved, proved))).toBe('proved');
    expect(overallOf(parts(s('skipped'), proved, proved))).toBe('proved');
    expect(overallOf(parts(proved, s('pending'), proved))).toBe('proving');
    expect(overallOf(parts({ status: 'failed', summary: 'x' }, s('pending'), proved))).toBe('failed');
    expect(overallOf(parts(proved, { status: 'unknown', summary: 'x' }, proved))).toBe('not-proved');
    expect(overallOf(parts(s('skipped'), s('skipped'), s('skipped')))).toBe('not-proved');
  });
});

describe('prepareRequest: what the worker accepts', () => {
  const statement = (i: number) => ({
    Sid: `S${i}`,
    Effect: 'Allow',
    Action: [`s3:Get${i}*`],
    Resource: '*',
  });
  const doc = (n: number) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [...Array(n).keys()].map(statement) }, null, 2);

  it('leaves a request the worker accepts alone', () => {
    const req: CheckRequest = {
      check: 'CheckNoNewAccess',
      existingPolicyDocument: doc(3),
      newPolicyDocument: doc(2),
      policyType: 'IDENTITY_POLICY',
    };
    expect(prepareRequest(req)).toEqual({ ok: true, request: req });
  });

  it('re-serialises oversized pretty-printed documents without indentation, same statements', () => {
    const big = doc(6000);
    expect(big.length).toBeGreaterThan(MAX_POLICY_CHARS);
    const req: CheckRequest = {
      check: 'CheckNoNewAccess',
      existingPolicyDocument: big,
      newPolicyDocument: doc(2),
      policyType: 'IDENTITY_POLICY',
      exactNewAccess: true,
    };
    const r = prepareRequest(req);
    expect(r.ok).toBe(true);
    if (!r.ok || r.request.check !== 'CheckNoNewAccess') return;
    expect(r.request.existingPolicyDocument.length).toBeLessThanOrEqual(MAX_POLICY_CHARS);
    expect(JSON.parse(r.request.existingPolicyDocument)).toEqual(JSON.parse(big));
    expect(r.request.newPolicyDocument).toBe(JSON.stringify(JSON.parse(doc(2))));
    expect(r.request.exactNewAccess).toBe(true);
  });

  it('refuses, with the reason, a request still too large', () => {
    const huge = doc(8000);
    const r = prepareRequest({
      check: 'CheckAccessNotGranted',
      policyDocument: huge,
      access: [{ actions: ['s3:GetObject'] }],
      policyType: 'IDENTITY_POLICY',
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/too large for the solver \(a document of 568 KiB/);
  });
});

describe('interpretAnswer on real solver answers (Node engine, real Z3)', () => {
  let engine: Engine;
  const policyText = JSON.stringify(seed.policyDocument, null, 2);
  const unused = seed.unusedPermissions;

  beforeAll(async () => {
    engine = await createNodeEngine();
  }, 60_000);

  async function prove(recommended: string | undefined): Promise<Record<ProofPart, PartState>> {
    const reqs = proofRequests(policyText, recommended, unused);
    const out = {} as Record<ProofPart, PartState>;
    for (const part of PROOF_PARTS) {
      const req: CheckRequest | undefined = reqs[part];
      if (!req) {
        out[part] = { status: 'skipped' };
        continue;
      }
      const outcome = await engine.run(req, { timeoutMs: 30_000 });
      out[part] = interpretAnswer(part, { kind: 'result', outcome, elapsedMs: 0 })!;
    }
    return out;
  }

  it('the worked example is proved', async () => {
    const r = recommend(policyText, unused, engine.catalog);
    if (!r.ok) throw new Error(r.error.message);
    const parts = await prove(r.value.recommendedPolicy);
    expect(parts.notGranted.status, JSON.stringify(parts.notGranted)).toBe('proved');
    expect(parts.noNewAccess.status, JSON.stringify(parts.noNewAccess)).toBe('proved');
    expect(parts.complete.status, JSON.stringify(parts.complete)).toBe('proved');
    expect(overallOf(parts)).toBe('proved');
  }, 120_000);

  it('keeping the original is caught: unused actions still granted', async () => {
    const parts = await prove(policyText);
    expect(parts.notGranted.status).toBe('failed');
    if (parts.notGranted.status === 'failed') {
      expect(parts.notGranted.counterexample).toBeDefined();
      const unusedKeys = unused.flatMap((e) =>
        e.actions.map((a) => `${e.serviceNamespace}:${a}`.toLowerCase()),
      );
      for (const a of parts.notGranted.actions ?? []) expect(unusedKeys).toContain(a.toLowerCase());
    }
    expect(overallOf(parts)).toBe('failed');
  }, 120_000);

  it('dropping a used action is caught by the completeness part, naming it', async () => {
    const doc = structuredClone(seed.expected.today) as { Statement: { Action: string[] }[] };
    doc.Statement[1]!.Action = doc.Statement[1]!.Action.filter((a) => a !== 's3:GetJobTagging');
    const parts = await prove(JSON.stringify(doc, null, 2));
    expect(parts.complete.status).toBe('failed');
    if (parts.complete.status === 'failed') expect(parts.complete.actions).toEqual(['s3:GetJobTagging']);
    expect(parts.noNewAccess.status).toBe('proved');
  }, 120_000);
});
