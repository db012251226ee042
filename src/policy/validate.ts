/**
 * Policy validation in the shape of IAM Access Analyzer's ValidatePolicy: the parser's structural
 * findings plus the validator's, each with Access Analyzer's issue code where it has one and a
 * `learnMoreLink`. The parts, by what they check:
 * - validate-statement.ts: Sid, Principal values, Resource entries, broad grants;
 * - validate-actions.ts: Action entries (known services and actions, redundant entries);
 * - validate-conditions.ts: operators, values and keys of Condition;
 * - validate-policy-types.ts: what each of the four policy types (and a resource policy's resource
 *   type) adds;
 * - validate-reference.ts: findings from the Service Authorization Reference (ARN formats, condition
 *   keys per action, actions and resources that cannot meet).
 * Every finding points at the offending key or value.
 */
import { parseTree } from 'jsonc-parser';
import type { Catalog } from '../catalog/catalog.ts';
import { learnMoreLink } from './validate/learn-more.ts';
import type { Finding, Policy } from './model.ts';
import { parsePolicy } from './parse.ts';
import { checkActions, checkRedundantActions } from './validate/actions.ts';
import { ArnShapes } from './validate/arn.ts';
import { checkCondition } from './validate/conditions.ts';
import type { PolicyType, ValidateOptions, ValidationContext } from './validate/context.ts';
import { Out, sortByPosition } from './validate/findings.ts';
import { checkPolicyType } from './validate/policy-types.ts';
import { checkReference } from './validate/reference.ts';
import { checkBroadGrants, checkPrincipalValues, checkResources, checkSids } from './validate/statement.ts';

export {
  VALIDATE_POLICY_TYPES,
  VALIDATE_RESOURCE_TYPES,
  type PolicyType,
  type ValidateOptions,
  type ValidateResourceType,
} from './validate/context.ts';

/** A finding as ValidatePolicy returns it: with the link to the check's documentation. */
export interface ValidationFinding extends Finding {
  learnMoreLink: string;
}

const shapesByCatalog = new WeakMap<Catalog, ArnShapes>();

function arnShapes(catalog: Catalog): ArnShapes {
  let s = shapesByCatalog.get(catalog);
  if (!s) {
    s = new ArnShapes(catalog);
    shapesByCatalog.set(catalog, s);
  }
  return s;
}

function run(text: string, policy: Policy, opts: ValidateOptions, errorsOnly: boolean): Out {
  const out = new Out(text);
  const root = parseTree(text, [], { allowTrailingComma: false, disallowComments: true });
  if (!root) return out;
  const type: PolicyType = opts.policyType ?? 'IDENTITY_POLICY';
  const ctx: ValidationContext = {
    policy,
    root,
    text,
    catalog: opts.catalog,
    type,
    resourceType: type === 'RESOURCE_POLICY' ? opts.validatePolicyResourceType : undefined,
    out,
    errorsOnly,
    arns: arnShapes(opts.catalog),
  };
  const reportedOperators = new Set<number>();
  checkSids(ctx);
  checkPolicyType(ctx);
  for (const st of policy.statements) {
    checkPrincipalValues(ctx, st);
    checkActions(ctx, st.action);
    if (!errorsOnly) {
      checkRedundantActions(ctx, st.action);
      checkBroadGrants(ctx, st);
    }
    checkResources(ctx, st);
    for (const c of st.conditions) checkCondition(ctx, c, reportedOperators);
  }
  if (!errorsOnly) checkReference(ctx);
  return out;
}

/** Validates policy text. Never throws: every problem is a finding, sorted by position. */
export function validatePolicy(text: string, opts: ValidateOptions): ValidationFinding[] {
  const parsed = parsePolicy(text);
  const findings = [...parsed.findings];
  if (parsed.ok) findings.push(...run(text, parsed.policy, opts, false).findings);
  // Access Analyzer's fields, the link before the locations.
  return sortByPosition(findings).map(({ findingType, issueCode, findingDetails, locations }) => ({
    findingType,
    issueCode,
    findingDetails,
    learnMoreLink: learnMoreLink(issueCode),
    locations,
  }));
}

export type Admission =
  { ok: true; policy: Policy; catalogErrors: Finding[] } | { ok: false; errors: Finding[] };

/**
 * Whether a check may take this document: parse errors and the validator's ERROR findings refuse it
 * (`errors`, sorted by position), except those that only say the catalog does not know a well-formed
 * name (INVALID_ACTION for a service:Name the service lacks, INVALID_SERVICE for a prefix the catalog
 * lacks). AWS's own managed policies carry those (retired services such as deepcomposer, renamed
 * actions such as s3:ListObjects) and they do not change what the policy means: such an entry matches
 * its own name, and the engine's actions are every service:name string, so a verdict holds whatever
 * the catalog. They come back with the policy (`catalogErrors`) for the check to show next to its
 * verdict (docs/semantics-decisions.md, "Invalid input").
 *
 * Skips the costlier warnings (redundant actions, wildcard matching) and the findings from the
 * Service Authorization Reference, which say whether AWS would ever authorize what a statement
 * names, not what the policy means. ReadOnlyAccess (91 KB) takes about 3.5 ms here, warm (parsing
 * alone 1.4 ms, the full validation 50-120 ms).
 */
export function admitPolicy(text: string, opts: ValidateOptions): Admission {
  const parsed = parsePolicy(text);
  if (!parsed.ok) return { ok: false, errors: parsed.findings.filter((f) => f.findingType === 'ERROR') };
  const out = run(text, parsed.policy, opts, true);
  const errors = sortByPosition(out.findings.filter((f) => f.findingType === 'ERROR'));
  const blocking = errors.filter((f) => !out.catalogOnly.has(f));
  if (blocking.length > 0) return { ok: false, errors: blocking };
  return { ok: true, policy: parsed.policy, catalogErrors: errors };
}
