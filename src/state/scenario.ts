/**
 * The Scenario mode's document as the app edits it: the authorization stack (evaluate/scenario.ts)
 * with each policy as editor text, the caller and the accounts as settings, and the check to run.
 *
 * Each policy is a slot with a stable id (its editor model's name) and two texts: `text`, the
 * scenario, and `old`, the old scenario the diff checks compare it with. An empty text is a policy
 * that side does not have, so one structure holds both scenarios and any layer opens in the
 * side-by-side diff. The engine names a policy by its place among those present (`identity[0]`,
 * `scp[1][0]`); `buildScenarioInput` returns that name -> slot map with each scenario, so an answer's
 * StatementRef finds its editor.
 *
 * Stored state and links are user input: `readScenarioState` copies each field on its own, validated,
 * and keeps the base's value for a bad one.
 */
import { z } from 'zod';
import type { ScenarioCheckRequest } from '../checks/scenario-request.ts';
import type { ScenarioInput } from '../evaluate/scenario.ts';
import { StoredResourceType } from './resourceTypes.ts';

export const SCENARIO_CHECKS = [
  'ScenarioAccessNotGranted',
  'ScenarioNoPublicAccess',
  'ScenarioNoAccessOutside',
  'EvaluateScenario',
  'CompareScenarios',
  'ScenarioNoNewAccess',
] as const;
export type ScenarioCheckKind = (typeof SCENARIO_CHECKS)[number];

/** Checks of an old scenario against the new one: every layer opens in the side-by-side diff. */
export const isScenarioDiff = (c: ScenarioCheckKind): boolean =>
  c === 'CompareScenarios' || c === 'ScenarioNoNewAccess';

export const CALLER_KINDS = ['any', 'arn', 'service', 'anonymous'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

export type Side = 'new' | 'old';
export type LayerKind = 'identity' | 'boundary' | 'session' | 'resource' | 'scp' | 'rcp';
export type OrgKind = 'scp' | 'rcp';

export interface PolicySlot {
  /** stable for the slot's life: its editor models are named after it */
  id: string;
  /** the scenario's policy ('' : this scenario does not have it) */
  text: string;
  /** the old scenario's policy, for the diff checks ('' : the old scenario does not have it) */
  old: string;
}

export interface ScenarioDraft {
  callerAccount: string;
  /** '' : the caller's account owns the resource */
  resourceAccount: string;
  callerKind: CallerKind;
  callerArn: string;
  callerService: string;
  isManagementAccount: boolean;
  identity: PolicySlot[];
  boundary: PolicySlot | null;
  session: PolicySlot[];
  resource: PolicySlot | null;
  /** levels from the organization root down to the account; null: the account is in no organization */
  scps: PolicySlot[][] | null;
  rcps: PolicySlot[][] | null;
}

export interface ScenarioState {
  draft: ScenarioDraft;
  check: ScenarioCheckKind;
  /** access-not-granted: actions and resources, comma or space separated */
  accessActions: string;
  accessResources: string;
  /** public access: one of the seven resource types */
  resourceType: string;
  /** outside access: account ids, comma or space separated */
  trustedAccounts: string;
  /** the request evaluator's form */
  requestAction: string;
  requestResource: string;
  /** '' : the scenario's caller; else an ARN, "anonymous" or a service principal */
  requestPrincipal: string;
  /** a JSON object of condition keys */
  requestContext: string;
  /** the slot whose editor is open */
  selected: string;
}

/** A policy's place in the stack, for labels and test ids. */
export interface SlotPlace {
  layer: LayerKind;
  /** identity/session: position; scp/rcp: position in the level */
  index: number;
  /** scp/rcp */
  level?: number;
  /** `identity-0`, `boundary`, `scp-1-0`: the slot's test id suffix */
  key: string;
  label: string;
}

export const LAYER_TITLES: Record<LayerKind, string> = {
  identity: 'Identity policies',
  boundary: 'Permissions boundary',
  session: 'Session policies',
  resource: 'Resource policy',
  scp: 'Service control policies',
  rcp: 'Resource control policies',
};

/** What each layer is, in a line (the navigator's tooltips, the editor's header). */
export const LAYER_HINTS: Record<LayerKind, string> = {
  identity: "The caller's own policies (a user's or a role's).",
  boundary: 'The most the identity policies can grant.',
  session: 'Passed when a role session starts: the most it can do.',
  resource: "The resource's own policy (a bucket policy, a key policy).",
  scp: "The caller account's organization: every level must allow.",
  rcp: "The resource account's organization: only their Denies matter.",
};

// Limits well above AWS's own (SCPs: 5 per target, 5 OUs deep below the root), so a link cannot make
// the page build thousands of editors.
const MAX_TEXT = 512 * 1024;
const MAX_POLICIES = 20;
const MAX_LEVELS = 8;

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);
const doc = (...Statement: object[]) => pretty({ Version: '2012-10-17', Statement });

/** AWS attaches FullAWSAccess to every root, OU and account: without an Allow a level allows nothing. */
export const FULL_AWS_ACCESS = doc({ Effect: 'Allow', Action: '*', Resource: '*' });

/** What an added policy starts as, per layer. */
const TEMPLATES: Record<LayerKind, string> = {
  identity: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }),
  boundary: doc({ Effect: 'Allow', Action: ['s3:*', 'cloudwatch:*'], Resource: '*' }),
  session: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
  resource: doc({
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::111122223333:root' },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::amzn-s3-demo-bucket/*',
  }),
  scp: FULL_AWS_ACCESS,
  rcp: doc({
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: '*',
    Condition: { BoolIfExists: { 'aws:SecureTransport': 'false' } },
  }),
};

const present = (s: PolicySlot, side: Side): string | undefined => {
  const t = side === 'new' ? s.text : s.old;
  return t.trim() === '' ? undefined : t;
};

/** Every slot with its place, in the navigator's order. */
export function slotPlaces(d: ScenarioDraft): { slot: PolicySlot; place: SlotPlace }[] {
  const out: { slot: PolicySlot; place: SlotPlace }[] = [];
  const list = (layer: 'identity' | 'session', slots: PolicySlot[], name: string) =>
    slots.forEach((slot, index) =>
      out.push({ slot, place: { layer, index, key: `${layer}-${index}`, label: `${name} ${index + 1}` } }),
    );
  const levels = (layer: OrgKind, ls: PolicySlot[][] | null) =>
    ls?.forEach((level, l) =>
      level.forEach((slot, index) =>
        out.push({
          slot,
          place: {
            layer,
            index,
            level: l,
            key: `${layer}-${l}-${index}`,
            label: `${layer.toUpperCase()} ${index + 1}, ${levelName(l, ls.length)}`,
          },
        }),
      ),
    );
  list('identity', d.identity, 'Identity policy');
  if (d.boundary)
    out.push({
      slot: d.boundary,
      place: { layer: 'boundary', index: 0, key: 'boundary', label: 'Boundary' },
    });
  list('session', d.session, 'Session policy');
  if (d.resource)
    out.push({
      slot: d.resource,
      place: { layer: 'resource', index: 0, key: 'resource', label: 'Resource policy' },
    });
  levels('scp', d.scps);
  levels('rcp', d.rcps);
  return out;
}

/** A level's name: the root, an OU, or the account (the last of several). */
export function levelName(level: number, count: number): string {
  if (level === 0) return 'root';
  if (level === count - 1) return 'account';
  return `OU ${level}`;
}

export function findSlot(d: ScenarioDraft, id: string): { slot: PolicySlot; place: SlotPlace } | undefined {
  return slotPlaces(d).find((x) => x.slot.id === id);
}

/** The scenario the engine reads for one side, and which slot each of its policy names is. */
export interface BuiltScenario {
  input: ScenarioInput;
  /** engine document name (`identity[0]`, `scp[1][0]`) -> slot id */
  slotOf: Record<string, string>;
}

export function buildScenarioInput(d: ScenarioDraft, side: Side): BuiltScenario {
  const slotOf: Record<string, string> = {};
  const list = (slots: PolicySlot[], name: string): string[] => {
    const out: string[] = [];
    for (const s of slots) {
      const t = present(s, side);
      if (t === undefined) continue;
      slotOf[`${name}[${out.length}]`] = s.id;
      out.push(t);
    }
    return out;
  };
  const input: ScenarioInput = { callerAccount: d.callerAccount.trim() };
  if (d.resourceAccount.trim()) input.resourceAccount = d.resourceAccount.trim();
  if (d.callerKind === 'arn') input.caller = d.callerArn.trim();
  else if (d.callerKind === 'service') input.caller = { service: d.callerService.trim() };
  else if (d.callerKind === 'anonymous') input.caller = 'anonymous';
  if (d.isManagementAccount) input.isManagementAccount = true;
  const identity = list(d.identity, 'identity');
  if (identity.length) input.identityPolicies = identity;
  const single = (s: PolicySlot | null, name: string): string | undefined => {
    const t = s ? present(s, side) : undefined;
    if (s && t !== undefined) slotOf[name] = s.id;
    return t;
  };
  const boundary = single(d.boundary, 'boundary');
  if (boundary !== undefined) input.permissionsBoundary = boundary;
  const session = list(d.session, 'session');
  if (session.length) input.sessionPolicies = session;
  const resource = single(d.resource, 'resource');
  if (resource !== undefined) input.resourcePolicy = resource;
  const levels = (ls: PolicySlot[][], name: OrgKind): string[][] =>
    ls.map((level, i) => list(level, `${name}[${i}]`));
  if (d.scps) input.scps = levels(d.scps, 'scp');
  if (d.rcps) input.rcps = levels(d.rcps, 'rcp');
  return { input, slotOf };
}

const splitList = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

export type BuiltRequest =
  | {
      ok: true;
      request: ScenarioCheckRequest;
      /** per side, engine document name -> slot id (`old`: diff checks only) */
      slots: { new: Record<string, string>; old?: Record<string, string> };
    }
  | { ok: false; error: string };

/** The request principal as the engine reads it (evaluate/request.ts principalFromJson). */
function requestPrincipal(text: string): unknown {
  const t = text.trim();
  if (t === '') return undefined;
  if (/\.amazonaws\.com(\.cn)?$/i.test(t) && !t.startsWith('arn:')) return { Service: t };
  return t;
}

/** The engine request the scenario settings describe, or what keeps them from being one. */
export function buildScenarioRequest(s: ScenarioState): BuiltRequest {
  const now = buildScenarioInput(s.draft, 'new');
  const slots = { new: now.slotOf };
  switch (s.check) {
    case 'ScenarioAccessNotGranted': {
      const actions = splitList(s.accessActions);
      const resources = splitList(s.accessResources);
      if (!actions.length && !resources.length)
        return { ok: false, error: 'List at least one action or resource the stack must not allow.' };
      return {
        ok: true,
        slots,
        request: {
          check: 'ScenarioAccessNotGranted',
          scenario: now.input,
          access: [{ ...(actions.length ? { actions } : {}), ...(resources.length ? { resources } : {}) }],
        },
      };
    }
    case 'ScenarioNoPublicAccess':
      return {
        ok: true,
        slots,
        request: { check: 'ScenarioNoPublicAccess', scenario: now.input, resourceType: s.resourceType },
      };
    case 'ScenarioNoAccessOutside': {
      const trusted = splitList(s.trustedAccounts);
      const bad = trusted.find((a) => !/^\d{12}$/.test(a));
      if (bad !== undefined) return { ok: false, error: `"${bad}" is not an account id (12 digits).` };
      return {
        ok: true,
        slots,
        request: { check: 'ScenarioNoAccessOutside', scenario: now.input, trustedAccounts: trusted },
      };
    }
    case 'EvaluateScenario': {
      let context: Record<string, string | string[]> = {};
      if (s.requestContext.trim()) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(s.requestContext);
        } catch (e) {
          return { ok: false, error: `The context is not JSON: ${(e as Error).message}` };
        }
        const r = z.record(z.string(), z.union([z.string(), z.array(z.string())])).safeParse(parsed);
        if (!r.success)
          return {
            ok: false,
            error: 'The context is a JSON object of condition keys, each a string or a list of strings.',
          };
        context = r.data;
      }
      if (!s.requestAction.trim()) return { ok: false, error: 'The request needs an action.' };
      const principal = requestPrincipal(s.requestPrincipal);
      return {
        ok: true,
        slots,
        request: {
          check: 'EvaluateScenario',
          scenario: now.input,
          request: {
            ...(principal !== undefined ? { principal } : {}),
            action: s.requestAction.trim(),
            resource: s.requestResource.trim() || '*',
            context,
          },
        },
      };
    }
    case 'CompareScenarios': {
      const old = buildScenarioInput(s.draft, 'old');
      return {
        ok: true,
        slots: { ...slots, old: old.slotOf },
        request: { check: 'CompareScenarios', scenarioA: old.input, scenarioB: now.input },
      };
    }
    case 'ScenarioNoNewAccess': {
      const old = buildScenarioInput(s.draft, 'old');
      return {
        ok: true,
        slots: { ...slots, old: old.slotOf },
        request: {
          check: 'ScenarioNoNewAccess',
          existingScenario: old.input,
          newScenario: now.input,
          exactNewAccess: true,
        },
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Editing the structure (pure: each returns a new draft)

/** The draft's field for an organization policy kind. */
const orgField = (k: OrgKind): 'scps' | 'rcps' => (k === 'scp' ? 'scps' : 'rcps');

function nextId(d: ScenarioDraft): string {
  let max = 0;
  for (const { slot } of slotPlaces(d)) {
    const n = /^p(\d+)$/.exec(slot.id);
    if (n) max = Math.max(max, Number(n[1]));
  }
  return `p${max + 1}`;
}

/** Adds a policy (from the layer's template) on both sides, or on the new side only while comparing. */
export function addPolicy(
  d: ScenarioDraft,
  layer: LayerKind,
  opts: { level?: number; newSideOnly?: boolean } = {},
): { draft: ScenarioDraft; id: string } {
  const id = nextId(d);
  const text = TEMPLATES[layer];
  const slot: PolicySlot = { id, text, old: opts.newSideOnly ? '' : text };
  switch (layer) {
    case 'identity':
      return { draft: { ...d, identity: [...d.identity, slot] }, id };
    case 'session':
      return { draft: { ...d, session: [...d.session, slot] }, id };
    case 'boundary':
      return { draft: { ...d, boundary: d.boundary ?? slot }, id: d.boundary?.id ?? id };
    case 'resource':
      return { draft: { ...d, resource: d.resource ?? slot }, id: d.resource?.id ?? id };
    case 'scp':
    case 'rcp': {
      const levels = d[orgField(layer)] ?? [[]];
      const at = Math.min(opts.level ?? levels.length - 1, levels.length - 1);
      return {
        draft: { ...d, [orgField(layer)]: levels.map((l, i) => (i === at ? [...l, slot] : l)) },
        id,
      };
    }
  }
}

export function removeSlot(d: ScenarioDraft, id: string): ScenarioDraft {
  const keep = (xs: PolicySlot[]) => xs.filter((s) => s.id !== id);
  return {
    ...d,
    identity: keep(d.identity),
    boundary: d.boundary?.id === id ? null : d.boundary,
    session: keep(d.session),
    resource: d.resource?.id === id ? null : d.resource,
    scps: d.scps?.map(keep) ?? null,
    rcps: d.rcps?.map(keep) ?? null,
  };
}

/** A level below the last one (an OU or the account); an SCP level starts with FullAWSAccess. */
export function addLevel(d: ScenarioDraft, kind: OrgKind): ScenarioDraft {
  const levels = d[orgField(kind)] ?? [];
  if (levels.length >= MAX_LEVELS) return d;
  const next: PolicySlot[] =
    kind === 'scp' ? [{ id: nextId(d), text: FULL_AWS_ACCESS, old: FULL_AWS_ACCESS }] : [];
  return { ...d, [orgField(kind)]: [...levels, next] };
}

export function removeLevel(d: ScenarioDraft, kind: OrgKind, level: number): ScenarioDraft {
  const levels = d[orgField(kind)];
  if (!levels) return d;
  const left = levels.filter((_, i) => i !== level);
  return { ...d, [orgField(kind)]: left.length ? left : null };
}

/**
 * In an organization or not (per account side): SCPs need an Allow at every level, so joining starts
 * the root with FullAWSAccess; RCPs hold RCPFullAWSAccess implicitly, so joining starts with none.
 */
export function setOrganization(d: ScenarioDraft, kind: OrgKind, on: boolean): ScenarioDraft {
  if (!on) return { ...d, [orgField(kind)]: null };
  if (d[orgField(kind)]) return d;
  return addLevel({ ...d, [orgField(kind)]: [] }, kind);
}

export function setSlotText(d: ScenarioDraft, id: string, side: Side, text: string): ScenarioDraft {
  const key = side === 'new' ? 'text' : 'old';
  const found = findSlot(d, id);
  if (!found || found.slot[key] === text) return d;
  const edit = (s: PolicySlot): PolicySlot => (s.id === id && s[key] !== text ? { ...s, [key]: text } : s);
  const list = (xs: PolicySlot[]) => (xs.some((s) => s.id === id) ? xs.map(edit) : xs);
  return {
    ...d,
    identity: list(d.identity),
    boundary: d.boundary && edit(d.boundary),
    session: list(d.session),
    resource: d.resource && edit(d.resource),
    scps: d.scps?.map(list) ?? null,
    rcps: d.rcps?.map(list) ?? null,
  };
}

/** The old scenario becomes a copy of the scenario (the start of "what does my change do?"). */
export function copyToOld(d: ScenarioDraft): ScenarioDraft {
  const copy = (s: PolicySlot): PolicySlot => ({ ...s, old: s.text });
  return {
    ...d,
    identity: d.identity.map(copy),
    boundary: d.boundary && copy(d.boundary),
    session: d.session.map(copy),
    resource: d.resource && copy(d.resource),
    scps: d.scps?.map((l) => l.map(copy)) ?? null,
    rcps: d.rcps?.map((l) => l.map(copy)) ?? null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Reading untrusted state (local storage, links)

const SlotSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,24}$/),
    text: z.string().max(MAX_TEXT),
    old: z.string().max(MAX_TEXT).optional(),
  })
  .transform((s): PolicySlot => ({ id: s.id, text: s.text, old: s.old ?? '' }));
const Slots = z.array(SlotSchema).max(MAX_POLICIES);
const Levels = z.array(Slots).min(1).max(MAX_LEVELS).nullable();

const draftFields = {
  callerAccount: z.string().max(64),
  resourceAccount: z.string().max(64),
  callerKind: z.enum(CALLER_KINDS),
  callerArn: z.string().max(2048),
  callerService: z.string().max(256),
  isManagementAccount: z.boolean(),
  identity: Slots,
  boundary: SlotSchema.nullable(),
  session: Slots,
  resource: SlotSchema.nullable(),
  scps: Levels,
  rcps: Levels,
} as const;

const stateFields = {
  check: z.enum(SCENARIO_CHECKS),
  accessActions: z.string().max(10_000),
  accessResources: z.string().max(10_000),
  resourceType: StoredResourceType,
  trustedAccounts: z.string().max(10_000),
  requestAction: z.string().max(512),
  requestResource: z.string().max(2048),
  requestPrincipal: z.string().max(2048),
  requestContext: z.string().max(20_000),
  selected: z.string().max(24),
} as const;

function copyFields<T extends object>(
  out: T,
  input: Record<string, unknown>,
  fields: Record<string, z.ZodType>,
): void {
  for (const [k, schema] of Object.entries(fields)) {
    const r = schema.safeParse(input[k]);
    if (r.success) (out as Record<string, unknown>)[k] = r.data;
  }
}

/** Slots whose ids repeat (a hand-made link) are renumbered: an id names one editor model. */
function uniqueIds(d: ScenarioDraft): ScenarioDraft {
  const ids = slotPlaces(d).map((x) => x.slot.id);
  if (new Set(ids).size === ids.length) return d;
  let n = 0;
  const renew = (s: PolicySlot): PolicySlot => ({ ...s, id: `p${++n}` });
  return {
    ...d,
    identity: d.identity.map(renew),
    boundary: d.boundary && renew(d.boundary),
    session: d.session.map(renew),
    resource: d.resource && renew(d.resource),
    scps: d.scps?.map((l) => l.map(renew)) ?? null,
    rcps: d.rcps?.map((l) => l.map(renew)) ?? null,
  };
}

/** Reads scenario state from untrusted JSON, field by field; a bad field keeps `base`'s value. */
export function readScenarioState(input: unknown, base: ScenarioState): ScenarioState {
  const out: ScenarioState = { ...base, draft: { ...base.draft } };
  if (typeof input !== 'object' || input === null) return out;
  const o = input as Record<string, unknown>;
  copyFields(out, o, stateFields);
  if (typeof o.draft === 'object' && o.draft !== null) {
    copyFields(out.draft, o.draft as Record<string, unknown>, draftFields);
    out.draft = uniqueIds(out.draft);
  }
  if (!findSlot(out.draft, out.selected)) out.selected = slotPlaces(out.draft)[0]?.slot.id ?? '';
  return out;
}
