/**
 * The question each check asks, encoded: one place that turns a check's inputs into an encoder, a
 * root formula (its solutions are the requests that break the property) and the background axioms.
 * The checker solves these questions (checks.ts); the SMT-LIB export writes them out (smt/export.ts).
 */
import type { Catalog } from '../catalog/catalog.ts';
import type { PolicyType } from '../evaluate/request.ts';
import type { Policy } from '../policy/model.ts';
import { parsePolicy } from '../policy/parse.ts';
import { AWS_PRINCIPAL_RE, Encoder, type PolicyEncoding } from '../smt/encode.ts';
import { FALSE, TRUE, fand, fnot, forr, type Formula } from '../smt/formula.ts';
import { ALL, or as reOr, str } from '../smt/regex.ts';
import { MAX_POLICY_CHARS } from './limits.ts';
import type { AccessSpec, CheckRequest, InputError } from './types.ts';

/** Bad input to a check: reported as an InputError, never as a verdict. */
export class InputProblem extends Error {
  constructor(readonly error: InputError) {
    super(error.message);
  }
}

/** Parses one document of a check, refusing oversized or invalid text with a readable error. */
export function parseDoc(text: string, document: string): Policy {
  if (text.length > MAX_POLICY_CHARS)
    throw new InputProblem({
      code: 'POLICY_TOO_LARGE',
      message: `The ${document} policy is ${Math.round(text.length / 1024)} KiB; the engine takes up to ${MAX_POLICY_CHARS / 1024} KiB (AWS allows 6 KiB for a managed policy).`,
      document,
    });
  const r = parsePolicy(text);
  if (!r.ok) {
    const first = r.findings.find((f) => f.findingType === 'ERROR');
    throw new InputProblem({
      code: first?.issueCode ?? 'INVALID_POLICY',
      message: `The ${document} policy is not valid: ${first?.findingDetails ?? 'unknown problem'}`,
      findings: r.findings,
      document,
    });
  }
  return r.policy;
}

/** Services whose resource policies CheckNoPublicAccess understands, by resource type. */
export const RESOURCE_TYPE_SERVICES: Record<string, string> = {
  'AWS::S3::Bucket': 's3',
  'AWS::S3::AccessPoint': 's3',
  'AWS::S3Express::DirectoryBucket': 's3express',
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::KMS::Key': 'kms',
  'AWS::Lambda::Function': 'lambda',
  'AWS::SecretsManager::Secret': 'secretsmanager',
  'AWS::IAM::AssumeRolePolicyDocument': 'sts',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::ECR::Repository': 'ecr',
  'AWS::Glacier::Vault': 'glacier',
  'AWS::EFS::FileSystem': 'elasticfilesystem',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::Backup::BackupVault': 'backup',
};

/** Keys whose fixed values identify a bounded set of callers (SEMANTICS.md, CheckNoPublicAccess). */
export const IDENTIFYING_KEYS = [
  'aws:sourceip',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:principalorgid',
  'aws:userid',
  'aws:principalorgpaths',
];

/** Values of `key` in the policy's conditions that are fixed (no wildcard, no variable). */
export function fixedValues(p: Policy, key: string): string[] {
  const out: string[] = [];
  for (const st of p.statements)
    for (const c of st.conditions)
      if (c.key.toLowerCase() === key)
        for (const v of c.values) if (!/[*?]|\$\{/.test(v.value)) out.push(v.value);
  return out;
}

/** Accounts CheckNoPublicAccess counts as known: every 12-digit number the policy mentions. */
export function namedAccounts(p: Policy): string[] {
  return [...new Set([...JSON.stringify(p).matchAll(/\b\d{12}\b/g)].map((m) => m[0]))];
}

/** An encoded question: solutions of `root` (with `background`) are requests breaking the property. */
export interface EncodedQuestion {
  enc: Encoder;
  root: Formula;
  background: Formula;
}

/** `Pnew ∧ ¬Pold`. The new policy is encoded first, then the old one, in one encoder. */
export function noNewAccessQuestion(
  catalog: Catalog,
  oldP: Policy,
  newP: Policy,
  policyType: PolicyType,
  names: { old: string; new: string },
): EncodedQuestion & { eNew: PolicyEncoding; eOld: PolicyEncoding } {
  const enc = new Encoder(catalog, { identity: policyType === 'IDENTITY_POLICY' });
  enc.prepare([oldP, newP]);
  const eNew = enc.policy(newP, names.new);
  const eOld = enc.policy(oldP, names.old);
  return { enc, eNew, eOld, root: fand(eNew.allowed, fnot(eOld.allowed)), background: enc.finish() };
}

/** `P ∧ Critical`: a request for one of the listed accesses that the policy allows. */
export function accessNotGrantedQuestion(
  catalog: Catalog,
  p: Policy,
  access: AccessSpec[],
  policyType: PolicyType,
): EncodedQuestion & { e: PolicyEncoding } {
  if (
    !Array.isArray(access) ||
    access.length === 0 ||
    access.some((a) => !a.actions?.length && !a.resources?.length)
  )
    throw new InputProblem({
      code: 'INVALID_ACCESS',
      message: 'access must be a non-empty list of {actions?, resources?} with at least one of them.',
    });
  const enc = new Encoder(catalog, { identity: policyType === 'IDENTITY_POLICY' });
  enc.prepare([p]);
  const e = enc.policy(p, 'policy');
  const critical = forr(
    ...access.map((a) =>
      fand(
        a.actions?.length ? enc.actionsAtom(a.actions) : TRUE,
        a.resources?.length ? enc.resourcesAtom(a.resources) : TRUE,
      ),
    ),
  );
  return { enc, e, root: fand(e.allowed, critical), background: enc.finish() };
}

export interface OutsidersOptions {
  /** CheckNoPublicAccess: only actions of this service matter */
  service?: string;
  trusted: string[];
  orgs: string[];
  /** CheckNoPublicAccess: every account the policy names counts as known, fixed identifying values bound the callers */
  publicMode: boolean;
}

/** `P ∧ Outside`: a request the policy allows from a caller outside the known accounts. */
export function outsidersQuestion(
  catalog: Catalog,
  p: Policy,
  o: OutsidersOptions,
): EncodedQuestion & { e: PolicyEncoding } {
  const enc = new Encoder(catalog, { identity: false });
  enc.prepare([p]);
  const e = enc.policy(p, 'policy');
  const principal = enc.dims.get('principal')!;
  const known = new Set(o.trusted);
  if (o.publicMode) for (const a of namedAccounts(p)) known.add(a);
  const callers = enc.atom(
    principal,
    reOr(str('Anonymous:'), AWS_PRINCIPAL_RE),
    'anonymous or an AWS principal',
  );
  const knownAccounts = known.size
    ? enc.atom(
        principal,
        reOr(...[...known].map((a) => enc.principalValueRe('AWS', a))),
        `a principal of ${[...known].join(', ')}`,
      )
    : FALSE;
  const parts: Formula[] = [e.allowed, fand(callers, fnot(knownAccounts))];
  if (o.service) parts.push(enc.actionsAtom([`${o.service}:*`]));
  if (o.orgs.length) {
    const org = enc.keyInfo('aws:PrincipalOrgID');
    const inOrg = forr(
      ...o.orgs.map((id) =>
        enc.patternAtom(
          enc.dim('ctx:aws:principalorgid', 'string', ALL, 'aws:principalorgid'),
          id,
          'literal',
          false,
        ),
      ),
    );
    parts.push(fnot(fand(org.presence, inOrg)));
  }
  if (o.publicMode) {
    // A fixed identifying value bounds the callers; the outsider's values avoid every fixed one.
    for (const key of IDENTIFYING_KEYS) {
      const fixed = fixedValues(p, key);
      if (!fixed.length || !enc.keys.has(key)) continue;
      const info = enc.keys.get(key)!;
      const d = enc.dims.get(key === 'aws:sourceip' ? `ip:${key}` : `ctx:${key}`);
      if (!d) continue;
      const atoms = fixed.map((v) => {
        if (key !== 'aws:sourceip') return enc.patternAtom(d, v, 'literal', false);
        // Only ranges narrower than the whole address space bound the callers.
        const m = /\/(\d+)$/.exec(v);
        return m && Number(m[1]) === 0 ? FALSE : enc.ipRangeAtom(d, v);
      });
      parts.push(fnot(fand(info.presence, forr(...atoms))));
    }
  }
  return { enc, e, root: fand(...parts), background: enc.finish() };
}

/** The service of a CheckNoPublicAccess resource type, or a clear error. */
export function publicAccessService(resourceType: string): string {
  const service = RESOURCE_TYPE_SERVICES[resourceType];
  if (!service)
    throw new InputProblem({
      code: 'INVALID_RESOURCE_TYPE',
      message: `Unsupported resource type "${resourceType}". Use one of ${Object.keys(RESOURCE_TYPE_SERVICES).join(', ')}.`,
    });
  return service;
}

/** The trusted accounts of NoAccessOutsideAccounts, checked. */
export function checkTrusted(trustedAccounts: string[], trustedOrgIds: string[] | undefined): void {
  const bad = trustedAccounts.find((a) => !/^\d{12}$/.test(a));
  if (bad !== undefined)
    throw new InputProblem({ code: 'INVALID_ACCOUNT', message: `"${bad}" is not a 12-digit account id.` });
  if (trustedAccounts.length === 0 && !trustedOrgIds?.length)
    throw new InputProblem({
      code: 'MISSING_TRUSTED',
      message: 'Give at least one trusted account id or organization id.',
    });
}

/** A check request with its documents parsed and its arguments checked: what a check asks about. */
export type ParsedCheck =
  | { kind: 'noNewAccess'; existing: Policy; next: Policy; policyType: PolicyType; exactNewAccess: boolean }
  | { kind: 'accessNotGranted'; policy: Policy; access: AccessSpec[]; policyType: PolicyType }
  | { kind: 'outsiders'; policy: Policy; options: OutsidersOptions }
  | { kind: 'compare'; a: Policy; b: Policy; policyType: PolicyType };

/**
 * Parses a check's documents (named existing/new, policy, a/b in errors) and checks its arguments;
 * throws InputProblem. For the checker (checks.ts) and the SMT-LIB export (smt/export.ts) alike.
 */
export function parseCheck(req: CheckRequest): ParsedCheck {
  switch (req.check) {
    case 'CheckNoNewAccess':
      return {
        kind: 'noNewAccess',
        existing: parseDoc(req.existingPolicyDocument, 'existing'),
        next: parseDoc(req.newPolicyDocument, 'new'),
        policyType: req.policyType,
        exactNewAccess: req.exactNewAccess ?? true,
      };
    case 'CheckAccessNotGranted':
      return {
        kind: 'accessNotGranted',
        policy: parseDoc(req.policyDocument, 'policy'),
        access: req.access,
        policyType: req.policyType,
      };
    case 'CheckNoPublicAccess': {
      const policy = parseDoc(req.policyDocument, 'policy');
      const service = publicAccessService(req.resourceType);
      return { kind: 'outsiders', policy, options: { service, trusted: [], orgs: [], publicMode: true } };
    }
    case 'NoAccessOutsideAccounts': {
      const policy = parseDoc(req.policyDocument, 'policy');
      checkTrusted(req.trustedAccounts, req.trustedOrgIds);
      return {
        kind: 'outsiders',
        policy,
        options: { trusted: req.trustedAccounts, orgs: req.trustedOrgIds ?? [], publicMode: false },
      };
    }
    case 'ComparePolicies':
      return {
        kind: 'compare',
        a: parseDoc(req.policyA, 'a'),
        b: parseDoc(req.policyB, 'b'),
        policyType: req.policyType,
      };
  }
}
