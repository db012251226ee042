/**
 * The page's side of the worker, against a scripted fake worker: latest request wins, the watchdog
 * counts from when the worker starts a check (not while it waits in the queue), and a crashed or
 * silent worker is replaced with every pending check settled.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CheckRequest } from '../checks/types.ts';
import { AnalysisClient, WATCHDOG_GRACE_MS, type SolverStatus } from './client.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

class FakeWorker {
  onmessage: ((ev: MessageEvent<unknown>) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  sent: ToWorker[] = [];
  terminated = false;
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(msg: FromWorker | Record<string, unknown>): void {
    this.onmessage?.({ data: msg } as MessageEvent<unknown>);
  }
  crash(message: string): void {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}

const REQUEST: CheckRequest = {
  check: 'CheckAccessNotGranted',
  policyDocument: '{}',
  access: [{ actions: ['s3:DeleteBucket'] }],
  policyType: 'IDENTITY_POLICY',
};
const PASS = {
  ok: true as const,
  response: {
    kind: 'check' as const,
    result: 'PASS' as const,
    message: 'ok',
    reasons: [],
    counterexamples: [],
    stats: { elapsedMs: 1, solverCalls: 1 },
  },
};

let workers: FakeWorker[];
let statuses: SolverStatus[];
let client: AnalysisClient;

beforeEach(() => {
  vi.useFakeTimers();
  workers = [];
  statuses = [];
  client = new AnalysisClient({
    isolated: true,
    spawn: () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    onStatus: (s) => statuses.push(s),
  });
  workers[0]!.reply({ kind: 'status', phase: 'ready', z3Version: 'Z3 test' });
});

afterEach(() => {
  client.dispose();
  vi.useRealTimers();
});

describe('AnalysisClient', () => {
  it('keeps the latest request per view: the older one settles as superseded and is cancelled', async () => {
    const first = client.check('main', REQUEST, 1000);
    const second = client.check('main', REQUEST, 1000);
    expect(await first).toEqual({ kind: 'superseded' });
    const w = workers[0]!;
    expect(w.sent.map((m) => m.kind)).toEqual(['check', 'cancel', 'check']);
    expect((w.sent[1] as { id: number }).id).toBe((w.sent[0] as { id: number }).id);
    const secondId = (w.sent[2] as { id: number }).id;
    w.reply({ kind: 'result', id: secondId, outcome: PASS, elapsedMs: 3 });
    expect(await second).toMatchObject({ kind: 'result', elapsedMs: 3 });
  });

  it('a preliminary verdict reaches the current check only, before its result', async () => {
    const w = workers[0]!;
    const FAIL = { ok: true as const, response: { ...PASS.response, result: 'FAIL' as const } };
    const seen: string[] = [];
    const older = client.check('main', REQUEST, 1000, { onPreliminary: () => seen.push('older') });
    const latest = client.check('main', REQUEST, 1000, {
      onPreliminary: (o) => seen.push(o.ok ? `latest ${o.response.result}` : 'latest error'),
    });
    expect(await older).toEqual({ kind: 'superseded' });
    w.reply({ kind: 'preliminary', id: 1, outcome: FAIL }); // the superseded check: ignored
    w.reply({ kind: 'preliminary', id: 2, outcome: FAIL });
    w.reply({ kind: 'result', id: 2, outcome: FAIL, elapsedMs: 5 });
    w.reply({ kind: 'preliminary', id: 2, outcome: FAIL }); // after the result: ignored
    expect(await latest).toMatchObject({ kind: 'result', elapsedMs: 5 });
    expect(seen).toEqual(['latest FAIL']);
  });

  it('cancel() tells the worker to stop that check (settling the promise alone would cancel nothing)', async () => {
    const w = workers[0]!;
    const main = client.check('main', REQUEST, 1000);
    const other = client.check('proof', REQUEST, 1000);
    w.reply({ kind: 'started', id: 1 });
    client.cancel('main');
    expect(await main).toEqual({ kind: 'cancelled' });
    // The worker is asked to interrupt exactly the running check of that view, once.
    expect(w.sent.filter((m) => m.kind === 'cancel')).toEqual([{ kind: 'cancel', id: 1 }]);
    // Its late answer changes nothing; the other view's check goes on and is answered.
    w.reply({ kind: 'result', id: 1, outcome: PASS, elapsedMs: 900 });
    w.reply({ kind: 'cancelled', id: 1 });
    w.reply({ kind: 'result', id: 2, outcome: PASS, elapsedMs: 5 });
    expect(await other).toMatchObject({ kind: 'result', elapsedMs: 5 });
    // Nothing left to cancel: no message for a view with no check.
    client.cancel('main');
    expect(w.sent.filter((m) => m.kind === 'cancel')).toHaveLength(1);
  });

  it('other views are independent', async () => {
    const a = client.check('main', REQUEST, 1000);
    const b = client.check('proof', REQUEST, 1000);
    const w = workers[0]!;
    w.reply({ kind: 'result', id: 2, outcome: PASS, elapsedMs: 1 });
    w.reply({ kind: 'result', id: 1, outcome: PASS, elapsedMs: 1 });
    expect((await a).kind).toBe('result');
    expect((await b).kind).toBe('result');
  });

  it('a queued check does not spend its budget waiting: the watchdog starts on "started"', async () => {
    const w = workers[0]!;
    const a = client.check('a', REQUEST, 1000);
    const b = client.check('b', REQUEST, 1000);
    w.reply({ kind: 'started', id: 1 });
    // a runs for almost its whole allowance; b waits in the queue meanwhile.
    vi.advanceTimersByTime(1000 + WATCHDOG_GRACE_MS - 10);
    w.reply({ kind: 'result', id: 1, outcome: PASS, elapsedMs: 1000 });
    w.reply({ kind: 'started', id: 2 });
    vi.advanceTimersByTime(1000);
    expect(workers).toHaveLength(1);
    w.reply({ kind: 'result', id: 2, outcome: PASS, elapsedMs: 900 });
    expect((await a).kind).toBe('result');
    expect((await b).kind).toBe('result');
  });

  it('a check that outlives its budget gets the worker replaced and settles with a failure', async () => {
    const p = client.check('main', REQUEST, 1000);
    workers[0]!.reply({ kind: 'started', id: 1 });
    vi.advanceTimersByTime(1000 + WATCHDOG_GRACE_MS + 1);
    const a = await p;
    expect(a.kind).toBe('failure');
    if (a.kind === 'failure') expect(a.message).toMatch(/restarted/);
    expect(workers[0]!.terminated).toBe(true);
    expect(workers).toHaveLength(2);
  });

  it('a crash settles pending checks and starts a new worker', async () => {
    const p = client.check('main', REQUEST, 1000);
    workers[0]!.crash('out of memory');
    const a = await p;
    expect(a).toEqual({ kind: 'failure', message: 'The analysis worker crashed: out of memory' });
    expect(workers).toHaveLength(2);
    expect(statuses.at(-1)?.phase).toBe('loading');
  });

  it('ignores malformed and foreign messages instead of trusting them', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const p = client.check('main', REQUEST, 1000);
    const w = workers[0]!;
    w.reply({ kind: 'result', id: 1, outcome: { ok: 'maybe' }, elapsedMs: 1 });
    w.reply({ kind: 'nonsense' });
    let settled = false;
    void p.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    w.reply({ kind: 'failure', id: 1, message: 'The analysis worker refused the request: too long' });
    expect(await p).toEqual({
      kind: 'failure',
      message: 'The analysis worker refused the request: too long',
    });
    expect(logged).toHaveBeenCalledTimes(2);
    logged.mockRestore();
  });

  it('says plainly when the page is not cross-origin isolated, and never spawns a worker', async () => {
    const seen: SolverStatus[] = [];
    let spawned = 0;
    const c = new AnalysisClient({
      isolated: false,
      spawn: () => {
        spawned++;
        return new FakeWorker() as unknown as Worker;
      },
      onStatus: (s) => seen.push(s),
    });
    expect(seen).toEqual([{ phase: 'not-isolated' }]);
    const a = await c.check('main', REQUEST, 1000);
    expect(a.kind).toBe('failure');
    expect(spawned).toBe(0);
  });
});
