/**
 * The part of the app's state that persists (localStorage) and travels (permalinks): the documents
 * and the check settings. Both sources are untrusted input, so they are read through `readSnapshot`,
 * which copies known fields one by one and validates each.
 */
import { z } from 'zod';
import { CheckName, PolicyType, type CheckRequest } from '../checks/types.ts';
import type { PolicyTest } from '../checks/policy-tests.ts';
import { StoredResourceType } from './resourceTypes.ts';
import { readScenarioState, type ScenarioState } from './scenario.ts';
import { DEFAULT_SCENARIO } from './scenarioExamples.ts';
import { readTests } from './tests.ts';
import { VALIDATE_AS, VALIDATE_ATTACHED_TO, type ValidateAs, type ValidateAttachedTo } from './validation.ts';

/** The checks, as the engine's request schema names them. */
export const CHECK_KINDS = CheckName.options;
export type CheckKind = CheckName;

export const DOC_IDS = ['policy', 'existing', 'new'] as const;

/**
 * The app's modes: checks (security review), scenario (the whole authorization stack), least
 * privilege (recommendations), learn (teaching).
 */
export const MODES = ['check', 'scenario', 'recommend', 'learn'] as const;
export type Mode = (typeof MODES)[number];
export type DocId = (typeof DOC_IDS)[number];

/** Checks that compare two documents use the side-by-side diff editor. */
export const isDiffCheck = (c: CheckKind): boolean => c === 'CheckNoNewAccess' || c === 'ComparePolicies';

export interface Snapshot {
  docs: Record<DocId, string>;
  mode: Mode;
  check: CheckKind;
  policyType: PolicyType;
  resourceType: string;
  criticalActions: string;
  criticalResources: string;
  trustedAccounts: string;
  timeoutMs: number;
  /** Least privilege: the unused actions as typed (Access Analyzer's findings shape), kept verbatim */
  unusedText: string;
  /** Least privilege: chosen trie nodes per refinement key (`<statementIndex>|<wildcard>`) */
  recommendChoices: Record<string, string[]>;
  /** Learn: the open lesson (id from src/ui/learn/lessons.ts), '' for none */
  lesson: string;
  /** Learn: the request being stepped through, as the form's JSON ({principal, action, resource, context}) */
  learnRequest: string;
  /** Scenario: the stack's layers, caller and accounts, and its check's settings (state/scenario.ts) */
  scenario: ScenarioState;
  /** Check: the policy tests of the documents (state/tests.ts); none in older stored state and links */
  policyTests: PolicyTest[];
  /** Scenario: the policy tests of the scenario */
  scenarioTests: PolicyTest[];
  /** Check: what the editors validate the documents as (state/validation.ts); `AUTO` follows the check */
  validateAs: ValidateAs;
  /** Check: the resource a resource policy is validated as attached to, '' for none */
  validateResourceType: ValidateAttachedTo;
}

/**
 * 2: the Scenario mode (`scenario`, and `mode: 'scenario'`). 1: the first shipped. Every version is
 * read field by field (`readSnapshot`), so a field a version lacks takes its default: `migrateSnapshot`.
 */
export const SNAPSHOT_VERSION = 2;
/** The engine's own limit (checks.ts MAX_POLICY_CHARS): a document it accepts survives a reload too. */
const MAX_DOC = 512 * 1024;

const fieldSchemas = {
  mode: z.enum(MODES),
  check: CheckName,
  policyType: PolicyType,
  resourceType: StoredResourceType,
  criticalActions: z.string().max(10_000),
  criticalResources: z.string().max(10_000),
  trustedAccounts: z.string().max(10_000),
  timeoutMs: z.number().int().min(500).max(60_000),
  unusedText: z.string().max(200_000),
  lesson: z
    .string()
    .regex(/^[a-z0-9-]*$/)
    .max(64),
  learnRequest: z.string().max(20_000),
  validateAs: z.enum(VALIDATE_AS),
  validateResourceType: z.enum(VALIDATE_ATTACHED_TO),
  // Keys are engine refinement keys (`1|s3:Get*`, `0|NotAction`); the pattern also keeps `__proto__` out.
  recommendChoices: z
    .record(
      z
        .string()
        .regex(/^\d+\|/)
        .max(2_000),
      z.array(z.string().max(2_000)).max(5_000),
    )
    .refine((o) => Object.keys(o).length <= 1_000),
} as const;
const docSchema = z.string().max(MAX_DOC);

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);

export const DEFAULT_SNAPSHOT: Snapshot = {
  mode: 'check',
  check: 'CheckAccessNotGranted',
  policyType: 'IDENTITY_POLICY',
  resourceType: 'AWS::S3::Bucket',
  criticalActions: 's3:DeleteBucket, iam:PassRole',
  criticalResources: '',
  trustedAccounts: '123456789012',
  timeoutMs: 10_000,
  unusedText: '',
  recommendChoices: {},
  lesson: '',
  learnRequest: '',
  scenario: DEFAULT_SCENARIO,
  policyTests: [],
  scenarioTests: [],
  validateAs: 'AUTO',
  validateResourceType: '',
  docs: {
    policy: pretty({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ManageInstances',
          Effect: 'Allow',
          Action: ['ec2:DescribeInstance*', 'ec2:StartInstances', 'ec2:StopInstances'],
          Resource: 'arn:aws:ec2:*:*:instance/*',
        },
        {
          Sid: 'ReadWriteBucket',
          Effect: 'Allow',
          Action: ['s3:GetObject*', 's3:PutObject', 's3:DeleteBucket'],
          Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*',
        },
      ],
    }),
    existing: pretty({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Uploads',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: ['s3:PutObject'],
          Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET/*',
        },
      ],
    }),
    new: pretty({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Uploads',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:root' },
          Action: ['s3:PutObject', 's3:DeleteBucket'],
          Resource: 'arn:aws:s3:::DOC-EXAMPLE-BUCKET*',
        },
      ],
    }),
  },
};

/**
 * Reads a snapshot from untrusted JSON: every known field is validated on its own and copied if
 * valid; unknown fields are ignored; missing or invalid fields keep `base`'s value.
 */
export function readSnapshot(input: unknown, base: Snapshot = DEFAULT_SNAPSHOT): Snapshot {
  const out: Snapshot = { ...base, docs: { ...base.docs } };
  if (typeof input !== 'object' || input === null) return out;
  const o = input as Record<string, unknown>;
  const mode = fieldSchemas.mode.safeParse(o.mode);
  if (mode.success) out.mode = mode.data;
  const check = fieldSchemas.check.safeParse(o.check);
  if (check.success) out.check = check.data;
  const policyType = fieldSchemas.policyType.safeParse(o.policyType);
  if (policyType.success) out.policyType = policyType.data;
  const resourceType = fieldSchemas.resourceType.safeParse(o.resourceType);
  if (resourceType.success) out.resourceType = resourceType.data;
  const criticalActions = fieldSchemas.criticalActions.safeParse(o.criticalActions);
  if (criticalActions.success) out.criticalActions = criticalActions.data;
  const criticalResources = fieldSchemas.criticalResources.safeParse(o.criticalResources);
  if (criticalResources.success) out.criticalResources = criticalResources.data;
  const trustedAccounts = fieldSchemas.trustedAccounts.safeParse(o.trustedAccounts);
  if (trustedAccounts.success) out.trustedAccounts = trustedAccounts.data;
  const timeoutMs = fieldSchemas.timeoutMs.safeParse(o.timeoutMs);
  if (timeoutMs.success) out.timeoutMs = timeoutMs.data;
  const unusedText = fieldSchemas.unusedText.safeParse(o.unusedText);
  if (unusedText.success) out.unusedText = unusedText.data;
  const recommendChoices = fieldSchemas.recommendChoices.safeParse(o.recommendChoices);
  if (recommendChoices.success) out.recommendChoices = recommendChoices.data;
  const lesson = fieldSchemas.lesson.safeParse(o.lesson);
  if (lesson.success) out.lesson = lesson.data;
  const learnRequest = fieldSchemas.learnRequest.safeParse(o.learnRequest);
  if (learnRequest.success) out.learnRequest = learnRequest.data;
  const validateAs = fieldSchemas.validateAs.safeParse(o.validateAs);
  if (validateAs.success) out.validateAs = validateAs.data;
  const validateResourceType = fieldSchemas.validateResourceType.safeParse(o.validateResourceType);
  if (validateResourceType.success) out.validateResourceType = validateResourceType.data;
  out.scenario = readScenarioState(o.scenario, base.scenario);
  out.policyTests = readTests(o.policyTests) ?? base.policyTests;
  out.scenarioTests = readTests(o.scenarioTests) ?? base.scenarioTests;
  if (typeof o.docs === 'object' && o.docs !== null) {
    const docs = o.docs as Record<string, unknown>;
    for (const id of DOC_IDS) {
      const d = docSchema.safeParse(docs[id]);
      if (d.success) out.docs[id] = d.data;
    }
  }
  return out;
}

export function pickSnapshot(s: Snapshot): Snapshot {
  return {
    docs: { policy: s.docs.policy, existing: s.docs.existing, new: s.docs.new },
    mode: s.mode,
    check: s.check,
    policyType: s.policyType,
    resourceType: s.resourceType,
    criticalActions: s.criticalActions,
    criticalResources: s.criticalResources,
    trustedAccounts: s.trustedAccounts,
    timeoutMs: s.timeoutMs,
    unusedText: s.unusedText,
    recommendChoices: s.recommendChoices,
    lesson: s.lesson,
    learnRequest: s.learnRequest,
    scenario: s.scenario,
    policyTests: s.policyTests,
    scenarioTests: s.scenarioTests,
    validateAs: s.validateAs,
    validateResourceType: s.validateResourceType,
  };
}

/**
 * A stored snapshot of any version as this version's. Version 1 had no Scenario mode: its state is
 * the default scenario; every other field reads as before. (Version 0 never shipped; any older or
 * damaged value is read field by field like a permalink.)
 */
export function migrateSnapshot(persisted: unknown, version: number): Snapshot {
  if (version <= 1 && typeof persisted === 'object' && persisted !== null) {
    const { scenario: _ignored, ...v1 } = persisted as Record<string, unknown>;
    return readSnapshot(v1);
  }
  return readSnapshot(persisted);
}

const splitList = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

/** The fields of a snapshot that `buildRequest` reads: a change to any other field changes no request. */
export const REQUEST_FIELDS = [
  'docs',
  'check',
  'policyType',
  'resourceType',
  'criticalActions',
  'criticalResources',
  'trustedAccounts',
] as const satisfies readonly (keyof Snapshot)[];

export type RequestFields = Pick<Snapshot, (typeof REQUEST_FIELDS)[number]>;

/** The request fields of a snapshot (or of the store's state). */
export function pickRequestFields(s: RequestFields): RequestFields {
  const out = {} as Record<string, unknown>;
  for (const k of REQUEST_FIELDS) out[k] = s[k];
  return out as RequestFields;
}

/** The engine request the current settings describe. */
export function buildRequest(s: RequestFields): CheckRequest {
  switch (s.check) {
    case 'CheckNoNewAccess':
      return {
        check: 'CheckNoNewAccess',
        existingPolicyDocument: s.docs.existing,
        newPolicyDocument: s.docs.new,
        policyType: s.policyType,
        exactNewAccess: true,
      };
    case 'ComparePolicies':
      return {
        check: 'ComparePolicies',
        policyA: s.docs.existing,
        policyB: s.docs.new,
        policyType: s.policyType,
      };
    case 'CheckAccessNotGranted': {
      const actions = splitList(s.criticalActions);
      const resources = splitList(s.criticalResources);
      return {
        check: 'CheckAccessNotGranted',
        policyDocument: s.docs.policy,
        policyType: s.policyType,
        access: [{ ...(actions.length ? { actions } : {}), ...(resources.length ? { resources } : {}) }],
      };
    }
    case 'CheckNoPublicAccess':
      return { check: 'CheckNoPublicAccess', policyDocument: s.docs.policy, resourceType: s.resourceType };
    case 'NoAccessOutsideAccounts':
      return {
        check: 'NoAccessOutsideAccounts',
        policyDocument: s.docs.policy,
        trustedAccounts: splitList(s.trustedAccounts),
        policyType: s.policyType,
      };
  }
}

/** Maps the engine's document names (`existing`/`new`, `a`/`b`, `policy`) to the editor's. */
export function docIdOf(engineDocument: string, check: CheckKind): DocId {
  if (engineDocument === 'existing' || engineDocument === 'a') return 'existing';
  if (engineDocument === 'new' || engineDocument === 'b') return 'new';
  return isDiffCheck(check) ? 'new' : 'policy';
}
