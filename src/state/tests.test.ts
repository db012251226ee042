/**
 * Policy tests in the app's state: a request kept as a test, the form's draft both ways, the lists
 * through local storage and share links (old ones without tests included), and import.
 */
import * as lzNamespace from 'lz-string';
import { describe, expect, it } from 'vitest';
import { readTestSuite, type PolicyTest, type TestResult } from '../checks/policy-tests.ts';
import type { Counterexample } from '../checks/types.ts';
import { decodePermalink, encodePermalink } from './permalink.ts';
import { DEFAULT_SNAPSHOT, migrateSnapshot, pickSnapshot, readSnapshot } from './snapshot.ts';
import { STORAGE_KEY, useStore } from './store.ts';
import { draftFromTest, EMPTY_DRAFT, testFromDraft } from './testDraft.ts';
import { importSuite, readTests, suiteJson, testFromRequest } from './tests.ts';
import { policyTestTarget } from './testsAnalysis.ts';
import { testShown } from './testsSlice.ts';

const lz = (lzNamespace as typeof lzNamespace & { default?: typeof lzNamespace }).default ?? lzNamespace;

const NEVER: PolicyTest = {
  name: 'no prod deletes',
  expect: 'never-allowed',
  actions: ['s3:Delete*'],
  resources: ['arn:aws:s3:::prod-*'],
};
const ALWAYS: PolicyTest = {
  name: 'deploy reads artifacts',
  expect: 'always-allowed',
  actions: ['s3:GetObject'],
  resources: ['arn:aws:s3:::artifacts/*'],
  principals: ['arn:aws:iam::111122223333:role/Deploy'],
  context: { 'aws:SecureTransport': 'true', 'aws:SourceVpc': null },
};
const DECISION: PolicyTest = {
  name: 'this request',
  expect: 'ExplicitlyDenied',
  request: {
    action: 's3:DeleteObject',
    resource: 'arn:aws:s3:::prod-1/x',
    context: { 'aws:MultiFactorAuthPresent': 'false' },
  },
};

const counterexample: Counterexample = {
  request: {
    principal: { type: 'AWS', id: 'arn:aws:iam::123456789012:root' },
    action: 's3:DeleteBucket',
    resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/x',
    context: { 'aws:SourceIp': '203.0.113.10', 'aws:TagKeys': ['a', 'b'] },
  },
  grantedBy: [{ document: 'policy', statementIndex: 1, statementId: 'ReadWriteBucket' }],
};

const s = () => useStore.getState();

describe('a request as a test', () => {
  it('is a decision test of exactly that request, in the file format, under a new name', () => {
    const t = testFromRequest({ request: counterexample.request, expect: 'denied', taken: [] });
    expect(t).toEqual({
      name: 'denied: s3:DeleteBucket on arn:aws:s3:::DOC-EXAMPLE-BUCKET/x',
      expect: 'denied',
      request: {
        principal: 'arn:aws:iam::123456789012:root',
        action: 's3:DeleteBucket',
        resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/x',
        context: { 'aws:SourceIp': '203.0.113.10', 'aws:TagKeys': ['a', 'b'] },
      },
    });
    expect(readTestSuite(suiteJson([t])).ok).toBe(true);
    const again = testFromRequest({ request: counterexample.request, expect: 'denied', taken: [t.name] });
    expect(again.name).toBe(`${t.name} (2)`);
  });

  it('writes principals as the file does, keeps a session path, and names a pair document', () => {
    const req = (principal: Counterexample['request']['principal']) =>
      testFromRequest({
        request: { action: 's3:GetObject', resource: '*', context: {}, ...(principal ? { principal } : {}) },
        expect: 'Allowed',
        taken: [],
        document: 'existing',
      });
    expect(req({ type: 'Anonymous' }).request.principal).toBe('anonymous');
    expect(req({ type: 'Service', id: 'ec2.amazonaws.com' }).request.principal).toEqual({
      Service: 'ec2.amazonaws.com',
    });
    const withPath = { type: 'AWS' as const, id: 'arn:aws:sts::1:assumed-role/R/s', path: '/team/' };
    expect(req(withPath).request.principal).toEqual(withPath);
    expect(req(undefined).request).toEqual({ action: 's3:GetObject', resource: '*' });
    expect(req(undefined).document).toBe('existing');
  });

  it('"Keep as a test" adds it to the list the card belongs to, and says so', () => {
    s().setTests('policy', [NEVER]);
    s().setTests('scenario', []);
    const name = s().keepAsTest('policy', counterexample.request, 'denied');
    expect(s().policyTests.map((t) => t.name)).toEqual([NEVER.name, name]);
    expect(s().policyTests[1]).toMatchObject({ expect: 'denied', request: { action: 's3:DeleteBucket' } });
    expect(s().scenarioTests).toEqual([]);
    expect(s().notice?.text).toContain(name);
    s().keepAsTest('scenario', counterexample.request, 'denied');
    expect(s().scenarioTests).toHaveLength(1);
  });

  it('duplicate, edit and delete keep the names unique and the order', () => {
    s().setTests('policy', [NEVER, DECISION]);
    s().duplicateTest('policy', 0);
    expect(s().policyTests.map((t) => t.name)).toEqual([NEVER.name, `${NEVER.name} (copy)`, DECISION.name]);
    s().putTest('policy', { ...ALWAYS }, 1);
    s().deleteTest('policy', 0);
    expect(s().policyTests.map((t) => t.name)).toEqual([ALWAYS.name, DECISION.name]);
  });
});

describe("the form's draft", () => {
  it('reads back every kind of test as it was', () => {
    for (const t of [NEVER, ALWAYS, DECISION]) {
      const back = testFromDraft(draftFromTest(t), []);
      expect(back).toEqual({ ok: true, test: t });
    }
    const anon: PolicyTest = {
      name: 'svc',
      expect: 'Allowed',
      request: { principal: { Service: 'ec2.amazonaws.com' }, action: 'sts:AssumeRole', resource: '*' },
    };
    expect(draftFromTest(anon).principal).toBe('Service:ec2.amazonaws.com');
    expect(testFromDraft(draftFromTest(anon), [])).toEqual({ ok: true, test: anon });
  });

  it('puts each problem next to its field', () => {
    const r = testFromDraft(
      {
        ...EMPTY_DRAFT,
        name: NEVER.name,
        context: [
          { key: 'aws:SourceIp', value: '1.2.3.4', absent: false },
          { key: 'aws:sourceip', value: '5.6.7.8', absent: false },
          { key: '', value: 'x', absent: false },
          { key: 'aws:TagKeys', value: '["a", 1]', absent: false },
        ],
      },
      [NEVER.name],
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      name: `another test is named "${NEVER.name}"`,
      'context.1': 'aws:sourceip is given twice',
      'context.2': 'a value needs its condition key',
      'context.3': 'a list of values is JSON strings, like ["a", "b"]',
    });
    const d = testFromDraft({ ...EMPTY_DRAFT, name: ' ', expect: 'denied', principal: '{"Nope": 1}' }, []);
    expect(d.ok).toBe(false);
    if (d.ok) return;
    expect(Object.keys(d.errors).sort()).toEqual(['action', 'name', 'principal', 'resource']);
    expect(d.errors.name).toBe('a test needs a name');
  });

  it('an absent key is null in a range test; a decision test lists only the keys it has', () => {
    const range = testFromDraft(
      { ...EMPTY_DRAFT, name: 'n', context: [{ key: 'aws:SourceVpc', value: '', absent: true }] },
      [],
    );
    expect(range).toMatchObject({ ok: true, test: { context: { 'aws:SourceVpc': null } } });
  });
});

describe('tests in stored state and links', () => {
  it('survive local storage: what the store writes reads back, and older state without tests loads', async () => {
    s().setTests('policy', [NEVER, DECISION]);
    s().setTests('scenario', [ALWAYS]);
    const storage = useStore.persist.getOptions().storage!;
    const stored = (await storage.getItem(STORAGE_KEY))!;
    expect(readSnapshot(stored.state)).toMatchObject({
      policyTests: [NEVER, DECISION],
      scenarioTests: [ALWAYS],
    });

    // A version 2 state from before tests (and a version 1 one) loads, with no tests.
    const { policyTests: _p, scenarioTests: _s, ...old } = pickSnapshot(DEFAULT_SNAPSHOT);
    s().setTests('policy', []); // (the store writes its state: before the old one is put in its place)
    await storage.setItem(STORAGE_KEY, {
      state: { ...old, docs: { ...old.docs, policy: '{"Statement": []}' } },
      version: 2,
    });
    await useStore.persist.rehydrate();
    expect(s().docs.policy).toBe('{"Statement": []}');
    expect(s().policyTests).toEqual([]);
    expect(migrateSnapshot(old, 1).policyTests).toEqual([]);
  });

  it('keep the good tests of a damaged list', () => {
    expect(
      readTests([NEVER, { name: 'x', expect: 'maybe' }, { ...DECISION, name: NEVER.name }, DECISION]),
    ).toEqual([NEVER, DECISION]);
    expect(readTests('not a list')).toBeUndefined();
    expect(
      readSnapshot({ policyTests: 42 }, { ...DEFAULT_SNAPSHOT, policyTests: [NEVER] }).policyTests,
    ).toEqual([NEVER]);
  });

  it('travel in share links, and links from before tests still open', () => {
    const link = encodePermalink({
      ...DEFAULT_SNAPSHOT,
      policyTests: [NEVER, DECISION],
      scenarioTests: [ALWAYS],
    });
    const back = decodePermalink(link);
    if (back.ok !== true) throw new Error('link did not decode');
    expect(back.snapshot.policyTests).toEqual([NEVER, DECISION]);
    expect(back.snapshot.scenarioTests).toEqual([ALWAYS]);

    const { policyTests: _p, scenarioTests: _s, ...old } = pickSnapshot(DEFAULT_SNAPSHOT);
    const oldLink = `#p=${lz.compressToEncodedURIComponent(JSON.stringify({ v: 2, ...old, trustedAccounts: '1' }))}`;
    const opened = decodePermalink(oldLink);
    if (opened.ok !== true) throw new Error('old link did not decode');
    expect(opened.snapshot).toMatchObject({ trustedAccounts: '1', policyTests: [], scenarioTests: [] });
  });
});

describe('import', () => {
  it('a good file replaces the list', () => {
    s().setTests('policy', [NEVER]);
    const r = s().importTests('policy', suiteJson([ALWAYS, DECISION]));
    expect(r).toEqual({ ok: true, count: 2 });
    expect(s().policyTests).toEqual([ALWAYS, DECISION]);
  });

  it('a bad file changes nothing and says what is wrong, and where', () => {
    s().setTests('policy', [NEVER]);
    const bad = (text: string) => {
      const r = s().importTests('policy', text);
      expect(s().policyTests).toEqual([NEVER]);
      return r.ok ? '' : r.message;
    };
    expect(bad('{"tests": [')).toMatch(/^The tests are not JSON/);
    expect(bad(JSON.stringify({ tests: [NEVER, { ...DECISION, expect: 'maybe' }] }))).toMatch(
      /^tests\[1\]\.expect: "maybe" is not one of never-allowed, /,
    );
    expect(bad(JSON.stringify({ tests: [{ ...DECISION, request: { action: 's3:GetObject' } }] }))).toMatch(
      /^tests\[0\]\.request\.resource: /,
    );
    expect(bad(JSON.stringify({ tests: [{ ...NEVER, actions: 's3:*' }] }))).toMatch(/^tests\[0\]\.actions: /);
    expect(bad(JSON.stringify({ tests: [NEVER, NEVER] }))).toBe(
      `tests[1].name: "${NEVER.name}" is used twice`,
    );
    expect(bad(JSON.stringify([NEVER]))).toMatch(/^the file: /);
    expect(
      importSuite(
        JSON.stringify({ tests: Array.from({ length: 501 }, (_, i) => ({ ...NEVER, name: `t${i}` })) }),
      ),
    ).toMatchObject({ ok: false, message: expect.stringMatching(/at most 500/) });
  });
});

describe('what the tests run on, and how each shows', () => {
  it('the policy, or the pair with the new policy first; the public-access check as a resource policy', () => {
    const docs = { policy: 'P', existing: 'E', new: 'N' };
    expect(policyTestTarget({ docs, check: 'CheckAccessNotGranted', policyType: 'IDENTITY_POLICY' })).toEqual(
      {
        kind: 'policy',
        policyType: 'IDENTITY_POLICY',
        documents: [{ name: 'policy', text: 'P' }],
      },
    );
    expect(
      policyTestTarget({ docs, check: 'CheckNoNewAccess', policyType: 'RESOURCE_POLICY' }).documents,
    ).toEqual([
      { name: 'new', text: 'N' },
      { name: 'existing', text: 'E' },
    ]);
    expect(
      policyTestTarget({ docs, check: 'CheckNoPublicAccess', policyType: 'IDENTITY_POLICY' }).policyType,
    ).toBe('RESOURCE_POLICY');
  });

  it('running: this run’s result, else the last one dimmed; results arrive one by one', () => {
    const result = (name: string, status: TestResult['status']): TestResult => ({
      name,
      expect: 'never-allowed',
      status,
      message: status,
      document: 'policy',
      stats: { elapsedMs: 1, solverCalls: 1 },
    });
    s().startTestsRun('k1', 'policy');
    s().testResult('k1', result('a', 'fail'));
    s().finishTestsRun('k1', {
      kind: 'result',
      outcome: {
        ok: true,
        results: [result('a', 'fail'), result('b', 'pass')],
        summary: { passed: 1, failed: 1, unknown: 0, errors: 0, elapsedMs: 2 },
      },
      elapsedMs: 2,
    });
    s().startTestsRun('k2', 'policy');
    expect(testShown(s().testsRun, 'policy', 'a')).toMatchObject({ status: 'running', stale: true });
    s().testResult('k1', result('a', 'pass')); // an older run's: ignored
    s().testResult('k2', result('a', 'pass'));
    expect(testShown(s().testsRun, 'policy', 'a')).toMatchObject({ status: 'pass', stale: false });
    expect(testShown(s().testsRun, 'policy', 'b')).toMatchObject({ status: 'running', stale: true });
    expect(testShown(s().testsRun, 'scenario', 'a').status).toBe('not-run');
    s().finishTestsRun('k2', { kind: 'superseded' });
    expect(s().testsRun?.state).toBe('running');
    s().finishTestsRun('k2', {
      kind: 'result',
      outcome: { ok: false, error: { code: 'INVALID_POLICY', message: 'bad', document: 'policy' } },
      elapsedMs: 1,
    });
    expect(s().testsRun).toMatchObject({ state: 'done', error: { code: 'INVALID_POLICY' } });
    expect(testShown(s().testsRun, 'policy', 'b')).toMatchObject({ status: 'not-run', stale: true });
  });
});
