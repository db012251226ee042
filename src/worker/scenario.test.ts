/**
 * Scenario checks across the worker boundary: the messages are validated both ways (the page's
 * request, the worker's answer with each layer's gate), a scenario check has the client's rules of a
 * check (latest wins per view, cancel), and the engine's own outcome passes the page's schema.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNodeEngine } from '../checks/node.ts';
import type { ScenarioCheckRequest } from '../checks/scenario-request.ts';
import { AnalysisClient } from './client.ts';
import { FromWorkerSchema, ToWorkerSchema, type FromWorker, type ToWorker } from './protocol.ts';

class FakeWorker {
  onmessage: ((ev: MessageEvent<unknown>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  sent: ToWorker[] = [];
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {}
  reply(msg: FromWorker | Record<string, unknown>): void {
    this.onmessage?.({ data: msg } as MessageEvent<unknown>);
  }
}

const A = '111122223333';
const doc = (...Statement: object[]) => ({ Version: '2012-10-17', Statement });
const SCENARIO = {
  callerAccount: A,
  caller: `arn:aws:iam::${A}:role/Developer`,
  identityPolicies: [JSON.stringify(doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }))],
  // FullAWSAccess, and a Deny: a level with only Denies would allow nothing.
  scps: [
    [
      doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
      doc({ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }),
    ],
  ],
};
const EVALUATE: ScenarioCheckRequest = {
  check: 'EvaluateScenario',
  scenario: SCENARIO,
  request: { action: 's3:DeleteBucket', resource: 'arn:aws:s3:::b' },
};
const VERDICT = {
  decision: 'ExplicitlyDenied',
  decidedBy: { layer: 'scp', level: 0, why: 'an explicit Deny in the SCPs at level 0 wins' },
  layers: [
    {
      layer: 'scp',
      level: 0,
      applies: true,
      why: 'the caller is a principal of a member account',
      decision: 'Deny',
      allowedBy: [],
      deniedBy: [{ document: 'scp[0][1]', statementIndex: 0 }],
    },
  ],
};

describe('the protocol', () => {
  it('takes a scenario check and its answer, and refuses malformed ones', () => {
    expect(
      ToWorkerSchema.safeParse({ kind: 'scenario', id: 1, request: EVALUATE, timeoutMs: 5000 }).success,
    ).toBe(true);
    expect(
      ToWorkerSchema.safeParse({
        kind: 'scenario',
        id: 1,
        request: { check: 'EvaluateEverything', scenario: SCENARIO },
        timeoutMs: 5000,
      }).success,
    ).toBe(false);
    const answer = {
      kind: 'scenario-result',
      id: 1,
      outcome: { ok: true, response: { kind: 'evaluate', verdict: VERDICT } },
      elapsedMs: 3,
    };
    expect(FromWorkerSchema.safeParse(answer).success).toBe(true);
    const badGate = structuredClone(answer);
    (badGate.outcome.response.verdict.layers[0] as { decision: string }).decision = 'Maybe';
    expect(FromWorkerSchema.safeParse(badGate).success).toBe(false);
  });

  it("the engine's own outcomes pass the page's schema (evaluate, a check with its gates, an input error)", async () => {
    const engine = await createNodeEngine();
    const outcomes = [
      await engine.runScenario(EVALUATE),
      await engine.runScenario({
        check: 'ScenarioAccessNotGranted',
        scenario: SCENARIO,
        access: [{ actions: ['s3:GetObject'] }],
      }),
      await engine.runScenario({ ...EVALUATE, scenario: { ...SCENARIO, callerAccount: '12' } }),
    ];
    expect(outcomes.map((o) => (o.ok ? o.response.kind : o.error.code))).toEqual([
      'evaluate',
      'check',
      'INVALID_SCENARIO',
    ]);
    const first = outcomes[1]!;
    expect(
      first.ok && first.response.kind === 'check' && first.response.counterexamples[0]?.stack,
    ).toBeTruthy();
    for (const outcome of outcomes)
      expect(FromWorkerSchema.parse({ kind: 'scenario-result', id: 1, outcome, elapsedMs: 1 })).toBeTruthy();
  });
});

describe('AnalysisClient.checkScenario', () => {
  let workers: FakeWorker[];
  let client: AnalysisClient;
  beforeEach(() => {
    vi.useFakeTimers();
    workers = [];
    client = new AnalysisClient({
      isolated: true,
      spawn: () => {
        const w = new FakeWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
      onStatus: () => undefined,
    });
    workers[0]!.reply({ kind: 'status', phase: 'ready' });
  });
  afterEach(() => {
    client.dispose();
    vi.useRealTimers();
  });

  it('sends a scenario message and settles with the scenario outcome', async () => {
    const answer = client.checkScenario('scenario', EVALUATE, 5000);
    const w = workers[0]!;
    const sent = w.sent[0]!;
    expect(ToWorkerSchema.parse(sent)).toMatchObject({ kind: 'scenario', request: EVALUATE });
    const outcome = { ok: true, response: { kind: 'evaluate', verdict: VERDICT } };
    w.reply({ kind: 'scenario-result', id: sent.id, outcome, elapsedMs: 2 });
    expect(await answer).toEqual({ kind: 'result', outcome, elapsedMs: 2 });
  });

  it('latest wins per view: the older scenario check is cancelled and settles as superseded', async () => {
    const first = client.checkScenario('scenario', EVALUATE, 5000);
    const second = client.checkScenario('scenario', EVALUATE, 5000);
    expect(await first).toEqual({ kind: 'superseded' });
    expect(workers[0]!.sent.map((m) => m.kind)).toEqual(['scenario', 'cancel', 'scenario']);
    client.cancel('scenario');
    expect(await second).toEqual({ kind: 'cancelled' });
  });

  it('an answer of the wrong kind (a check result for a scenario check) is a failure, not a wrong shape', async () => {
    const answer = client.checkScenario('scenario', EVALUATE, 5000);
    const id = workers[0]!.sent[0]!.id;
    workers[0]!.reply({
      kind: 'result',
      id,
      outcome: { ok: false, error: { code: 'INVALID_REQUEST', message: 'x' } },
      elapsedMs: 1,
    });
    expect((await answer).kind).toBe('failure');
  });
});
