/**
 * The Scenario mode's state: the draft -> the engine's scenario (with the name -> slot map an answer
 * is read back through), structural edits, reading untrusted state field by field, the snapshot's
 * version 2 (links and storage of version 1 still read), and the store's scenario slice.
 */
import { describe, expect, it } from 'vitest';
import { decodePermalink, encodePermalink } from './permalink.ts';
import {
  addLevel,
  addPolicy,
  buildScenarioInput,
  buildScenarioRequest,
  copyToOld,
  FULL_AWS_ACCESS,
  readScenarioState,
  removeLevel,
  removeSlot,
  setOrganization,
  setSlotText,
  slotPlaces,
  type ScenarioDraft,
} from './scenario.ts';
import { DEFAULT_SCENARIO, SCENARIO_EXAMPLES } from './scenarioExamples.ts';
import { DEFAULT_SNAPSHOT, migrateSnapshot, readSnapshot, SNAPSHOT_VERSION } from './snapshot.ts';
import { useStore } from './store.ts';

const P = (id: string, text: string, old = text) => ({ id, text, old });
const DRAFT: ScenarioDraft = {
  callerAccount: '111122223333',
  resourceAccount: '',
  callerKind: 'arn',
  callerArn: 'arn:aws:iam::111122223333:role/Dev',
  callerService: '',
  isManagementAccount: false,
  identity: [P('p1', 'ID1'), P('p2', '', 'OLD2'), P('p3', 'ID3')],
  boundary: P('p4', '  ', 'B'),
  session: [],
  resource: P('p5', 'R', ''),
  scps: [[P('p6', 'S00')], [P('p7', ''), P('p8', 'S11')]],
  rcps: null,
};

describe('the draft as the engine reads it', () => {
  it('an empty text is a policy that side does not have; names count only the policies present', () => {
    const now = buildScenarioInput(DRAFT, 'new');
    expect(now.input).toEqual({
      callerAccount: '111122223333',
      caller: 'arn:aws:iam::111122223333:role/Dev',
      identityPolicies: ['ID1', 'ID3'],
      resourcePolicy: 'R',
      scps: [['S00'], ['S11']],
    });
    expect(now.slotOf).toEqual({
      'identity[0]': 'p1',
      'identity[1]': 'p3',
      resource: 'p5',
      'scp[0][0]': 'p6',
      'scp[1][0]': 'p8',
    });
    const old = buildScenarioInput(DRAFT, 'old');
    expect(old.input.identityPolicies).toEqual(['ID1', 'OLD2', 'ID3']);
    expect(old.input.permissionsBoundary).toBe('B');
    expect(old.input.resourcePolicy).toBeUndefined();
    expect(old.slotOf['boundary']).toBe('p4');
    expect(old.input.scps).toEqual([['S00'], ['S11']]);
  });

  it('callers: any (absent), a service, anonymous; the resource account only when set', () => {
    expect(buildScenarioInput({ ...DRAFT, callerKind: 'any' }, 'new').input.caller).toBeUndefined();
    expect(
      buildScenarioInput({ ...DRAFT, callerKind: 'service', callerService: 'lambda.amazonaws.com' }, 'new')
        .input.caller,
    ).toEqual({ service: 'lambda.amazonaws.com' });
    expect(buildScenarioInput({ ...DRAFT, callerKind: 'anonymous' }, 'new').input.caller).toBe('anonymous');
    expect(
      buildScenarioInput({ ...DRAFT, resourceAccount: '444455556666' }, 'new').input.resourceAccount,
    ).toBe('444455556666');
  });

  it('each check builds its request; settings that make none say why', () => {
    const s = { ...DEFAULT_SCENARIO, draft: DRAFT };
    expect(
      buildScenarioRequest({ ...s, check: 'ScenarioAccessNotGranted', accessActions: ' ' }),
    ).toMatchObject({
      ok: false,
    });
    const evaluate = buildScenarioRequest({
      ...s,
      check: 'EvaluateScenario',
      requestAction: 's3:GetObject',
      requestResource: 'arn:aws:s3:::b/k',
      requestPrincipal: 'lambda.amazonaws.com',
      requestContext: '{"aws:RequestedRegion": "eu-west-1"}',
    });
    expect(evaluate.ok && evaluate.request).toMatchObject({
      request: {
        principal: { Service: 'lambda.amazonaws.com' },
        context: { 'aws:RequestedRegion': 'eu-west-1' },
      },
    });
    expect(buildScenarioRequest({ ...s, check: 'EvaluateScenario', requestContext: '{oops' })).toMatchObject({
      ok: false,
    });
    expect(
      buildScenarioRequest({ ...s, check: 'ScenarioNoAccessOutside', trustedAccounts: '1234' }),
    ).toMatchObject({
      ok: false,
    });
    const compare = buildScenarioRequest({ ...s, check: 'CompareScenarios' });
    expect(compare.ok && compare.request.check).toBe('CompareScenarios');
    expect(compare.ok && compare.slots.old?.['boundary']).toBe('p4');
  });
});

describe('structural edits', () => {
  it('adds and removes policies and levels; ids stay unique and stable', () => {
    const a = addPolicy(DRAFT, 'session');
    expect(a.id).toBe('p9');
    expect(a.draft.session).toHaveLength(1);
    const b = addPolicy(a.draft, 'scp', { level: 0, newSideOnly: true });
    expect(b.draft.scps![0]!.map((x) => x.id)).toEqual(['p6', b.id]);
    expect(b.draft.scps![0]![1]!.old).toBe('');
    const c = removeSlot(b.draft, 'p3');
    expect(c.identity.map((x) => x.id)).toEqual(['p1', 'p2']);
    const d = addLevel(c, 'scp');
    expect(d.scps).toHaveLength(3);
    expect(d.scps![2]![0]!.text).toBe(FULL_AWS_ACCESS);
    expect(removeLevel(d, 'scp', 1).scps!.map((l) => l.map((x) => x.id))).toEqual([
      ['p6', b.id],
      [d.scps![2]![0]!.id],
    ]);
    const ids = slotPlaces(d).map((x) => x.slot.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('joining an organization: SCPs start with FullAWSAccess at the root, RCPs with none; leaving drops them', () => {
    const joined = setOrganization(setOrganization({ ...DRAFT, scps: null }, 'scp', true), 'rcp', true);
    expect(joined.scps!.map((l) => l.map((x) => x.text))).toEqual([[FULL_AWS_ACCESS]]);
    expect(joined.rcps).toEqual([[]]);
    expect(setOrganization(joined, 'scp', false).scps).toBeNull();
  });

  it('edits one side of one slot; copyToOld makes the old scenario the current one', () => {
    const d = setSlotText(DRAFT, 'p8', 'old', 'X');
    expect(d.scps![1]![1]).toEqual(P('p8', 'S11', 'X'));
    expect(d.identity).toBe(DRAFT.identity); // untouched lists are kept
    const c = copyToOld(d);
    expect(slotPlaces(c).every((x) => x.slot.old === x.slot.text)).toBe(true);
  });
});

describe('reading untrusted scenario state', () => {
  it('a bad field keeps the base value; the others are read', () => {
    const r = readScenarioState(
      {
        check: 'DropTables',
        accessActions: 's3:PutObject',
        draft: { callerAccount: '444455556666', identity: 'not a list', scps: [[{ id: 'x1', text: 'T' }]] },
      },
      DEFAULT_SCENARIO,
    );
    expect(r.check).toBe(DEFAULT_SCENARIO.check);
    expect(r.accessActions).toBe('s3:PutObject');
    expect(r.draft.callerAccount).toBe('444455556666');
    expect(r.draft.identity).toEqual(DEFAULT_SCENARIO.draft.identity);
    expect(r.draft.scps).toEqual([[{ id: 'x1', text: 'T', old: '' }]]);
  });

  it('repeated ids are renumbered (an id names one editor); an unknown selection opens the first policy', () => {
    const r = readScenarioState(
      { selected: 'nope', draft: { identity: [P('a', '1'), P('a', '2')], resource: null } },
      { ...DEFAULT_SCENARIO, draft: { ...DRAFT, scps: null } },
    );
    const ids = slotPlaces(r.draft).map((x) => x.slot.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(r.selected).toBe(ids[0]);
  });
});

describe('the snapshot, version 2', () => {
  it('a scenario travels in a link and comes back whole', () => {
    const ex = SCENARIO_EXAMPLES.find((e) => e.name === 'deny-leaving-org')!;
    const link = encodePermalink({ ...DEFAULT_SNAPSHOT, mode: 'scenario', scenario: ex.state });
    const back = decodePermalink(link);
    expect(back.ok === true && back.snapshot.scenario).toEqual(ex.state);
    expect(back.ok === true && back.snapshot.mode).toBe('scenario');
  });

  it('version 1 (stored or linked) has no scenario: it reads as the default, the rest as before', () => {
    expect(SNAPSHOT_VERSION).toBe(2);
    const v1 = { mode: 'check', check: 'CheckNoPublicAccess', scenario: { check: 'CompareScenarios' } };
    const migrated = migrateSnapshot(v1, 1);
    expect(migrated.check).toBe('CheckNoPublicAccess');
    expect(migrated.scenario).toEqual(DEFAULT_SCENARIO);
    expect(readSnapshot({ scenario: { check: 'CompareScenarios' } }).scenario.check).toBe('CompareScenarios');
  });
});

describe('the scenario slice', () => {
  it('structural edits keep the open editor while its slot exists; showStatement opens and highlights', () => {
    const s = () => useStore.getState();
    s().setScenario({ selected: 'p1' });
    s().editDraft(() => ({ ...DRAFT }));
    expect(s().scenario.selected).toBe('p1');
    s().editDraft((d) => removeSlot(d, 'p1'));
    expect(s().scenario.selected).toBe('p2');
    s().showStatement('p8', 'new', 0);
    expect(s().scenario.selected).toBe('p8');
    expect(s().scenarioHighlight).toMatchObject({ slot: 'p8', side: 'new', statementIndex: 0 });
  });

  it('a run keeps the previous answer; a superseded or stale answer never replaces the current one', () => {
    const s = () => useStore.getState();
    const answer = { kind: 'failure' as const, message: 'x' };
    s().startScenarioRun('a', 'ScenarioAccessNotGranted', { new: {} });
    s().finishScenarioRun('a', answer);
    s().startScenarioRun('b', 'CompareScenarios', { new: {}, old: {} });
    expect(s().scenarioRun).toMatchObject({
      state: 'running',
      previous: { answer, check: 'ScenarioAccessNotGranted' },
    });
    s().finishScenarioRun('a', answer);
    s().finishScenarioRun('b', { kind: 'superseded' });
    expect(s().scenarioRun?.state).toBe('running');
    s().finishScenarioRun('b', answer);
    expect(s().scenarioRun).toMatchObject({ state: 'done', check: 'CompareScenarios' });
  });
});
