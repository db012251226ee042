/**
 * The example gallery: every case of src/fixtures/examples/seed-checks.json, turned into a snapshot
 * that loads with one click. The cases are data; this file only adds a one-line explanation.
 */
import { SEED_CASES, type SeedCase } from '../checks/seed-cases.ts';
import { DEFAULT_SNAPSHOT, readSnapshot, type CheckKind, type Snapshot } from './snapshot.ts';

export interface Example {
  name: string;
  title: string;
  explanation: string;
  check: CheckKind;
  expected: SeedCase['expected'];
  snapshot: Snapshot;
}

const EXPLANATIONS: Record<string, string> = {
  'public-bucket-put':
    'Principal "*" lets anyone upload to the bucket: the public-access check fails on statement 0.',
  'deny-notprincipal-closes-public-access':
    'A Deny for everyone except one account (NotPrincipal) closes the public Allow: the check passes.',
  'cross-account-open': 'Principal "*" reaches callers from any account, not just the trusted one.',
  'cross-account-closed-by-deny':
    'The same Allow, fenced by a Deny for every principal outside the trusted account.',
  'no-new-access-added-delete-bucket':
    'The new policy narrows the principal but adds s3:DeleteBucket: that action is newly granted.',
  'no-new-access-reverse-direction':
    'Widening the principal from one account to "*" grants s3:PutObject to callers the old policy refused.',
  'access-not-granted-delete-bucket-resource-policy':
    'A bucket policy that lists s3:DeleteBucket grants the critical action.',
  'access-not-granted-identity-statement-1':
    'The second statement (index 1) grants s3:DeleteBucket; the EC2 statement is innocent.',
  'access-not-granted-passes': 'Neither s3:DeleteBucket nor iam:PassRole is reachable: the check passes.',
};

const CHECK_ALIASES: Record<string, CheckKind> = {
  NoAccessOutsideAccount: 'NoAccessOutsideAccounts',
  NoAccessOutsideAccounts: 'NoAccessOutsideAccounts',
  CheckNoNewAccess: 'CheckNoNewAccess',
  CheckAccessNotGranted: 'CheckAccessNotGranted',
  CheckNoPublicAccess: 'CheckNoPublicAccess',
  ComparePolicies: 'ComparePolicies',
};

const pretty = (v: unknown): string => JSON.stringify(v, null, 2);

function toExample(c: SeedCase): Example | undefined {
  const check = CHECK_ALIASES[c.check];
  if (!check) return undefined;
  const access = c.access ?? [];
  const snapshot = readSnapshot(
    {
      check,
      // The outside-access checks read resource policies (they name their callers).
      policyType:
        c.policyType ??
        (check === 'CheckNoPublicAccess' || check === 'NoAccessOutsideAccounts'
          ? 'RESOURCE_POLICY'
          : undefined),
      resourceType: c.resourceType,
      criticalActions: access.flatMap((a) => a.actions ?? []).join(', '),
      criticalResources: access.flatMap((a) => a.resources ?? []).join(', '),
      trustedAccounts: (c.trustedAccounts ?? []).join(', '),
      docs: {
        policy: c.policyDocument !== undefined ? pretty(c.policyDocument) : undefined,
        existing: c.existingPolicyDocument !== undefined ? pretty(c.existingPolicyDocument) : undefined,
        new: c.newPolicyDocument !== undefined ? pretty(c.newPolicyDocument) : undefined,
      },
    },
    { ...DEFAULT_SNAPSHOT, criticalActions: '', criticalResources: '' },
  );
  return {
    name: c.name,
    title: c.name.replace(/-/g, ' '),
    explanation: EXPLANATIONS[c.name] ?? c.note ?? `Expected: ${c.expected.result}.`,
    check,
    expected: c.expected,
    snapshot,
  };
}

export const EXAMPLES: Example[] = SEED_CASES.map(toExample).filter((e): e is Example => e !== undefined);

/**
 * The current state with an example's documents and check settings. Everything else (the other
 * modes' inputs, the timeout) stays as the user left it.
 */
export function withExample(current: Snapshot, ex: Example): Snapshot {
  const e = ex.snapshot;
  return {
    ...current,
    mode: 'check',
    docs: { ...e.docs },
    check: e.check,
    policyType: e.policyType,
    resourceType: e.resourceType,
    criticalActions: e.criticalActions,
    criticalResources: e.criticalResources,
    trustedAccounts: e.trustedAccounts,
    // An example's documents are validated as its check reads them.
    validateAs: 'AUTO',
    validateResourceType: '',
  };
}
