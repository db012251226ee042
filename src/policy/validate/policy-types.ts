/**
 * The rules each policy type adds to the grammar, as Access Analyzer's ValidatePolicy reads them:
 * - identity policies and SCPs have no Principal (SCPs use the full policy language since 2025:
 *   NotAction and Condition with Allow, NotResource, wildcards anywhere in an action);
 * - resource policies name a Principal; with `validatePolicyResourceType` they take only that
 *   resource's actions and ARNs, and a role trust policy (AWS::IAM::AssumeRolePolicyDocument) only
 *   the sts actions that act on a role, no Resource, no NotPrincipal, no bare `"*"`;
 * - RCPs (AWS Organizations, "RCP syntax"): Principal `"*"` only, no NotPrincipal, no NotAction,
 *   actions of the services RCPs support (the catalog's list), Allow only as RCPFullAWSAccess writes
 *   it (`"*"` principal and resource, no Condition);
 * - SCPs and RCPs at most 5,120 characters (AWS Organizations quotas).
 * Issue codes and finding types are Access Analyzer's ("IAM policy validation check reference").
 */
import { findNodeAtLocation } from 'jsonc-parser';
import type { CatalogAction } from '../../catalog/catalog.ts';
import { globMatches } from '../glob.ts';
import type { Located, Statement } from '../model.ts';
import { statementName, type ValidateResourceType, type ValidationContext } from './context.ts';
import { spanOf, type Place } from './findings.ts';
import { hasWildcard } from '../validate-glob.ts';
import { capital, principalValues } from './statement.ts';

/** AWS Organizations: the most characters an SCP or an RCP may have (whitespace counts). */
const ORGANIZATION_POLICY_QUOTA = 5120;
/** IAM: a managed policy's characters, whitespace not counted. */
const IDENTITY_POLICY_QUOTA = 6144;
/** IAM: a role trust policy's characters by default, whitespace not counted. */
const ROLE_TRUST_POLICY_QUOTA = 2048;

/** What a resource policy attached to each resource type may name: its services' actions and these resource types. */
const ATTACHED_TO: Record<
  Exclude<ValidateResourceType, 'AWS::IAM::AssumeRolePolicyDocument'>,
  { label: string; services: string[]; types: [service: string, type: string][] }
> = {
  'AWS::S3::Bucket': {
    label: 'S3 bucket',
    services: ['s3'],
    types: [
      ['s3', 'bucket'],
      ['s3', 'object'],
    ],
  },
  'AWS::S3::AccessPoint': {
    label: 'S3 access point',
    services: ['s3'],
    types: [
      ['s3', 'accesspoint'],
      ['s3', 'accesspointobject'],
    ],
  },
  'AWS::S3::MultiRegionAccessPoint': {
    label: 'S3 Multi-Region Access Point',
    services: ['s3'],
    types: [['s3', 'multiregionaccesspoint']],
  },
  'AWS::S3ObjectLambda::AccessPoint': {
    label: 'S3 Object Lambda access point',
    services: ['s3-object-lambda'],
    types: [['s3-object-lambda', 'objectlambdaaccesspoint']],
  },
  'AWS::DynamoDB::Table': {
    label: 'DynamoDB table',
    services: ['dynamodb'],
    types: [
      ['dynamodb', 'table'],
      ['dynamodb', 'index'],
    ],
  },
};

const TRUST = 'AWS::IAM::AssumeRolePolicyDocument';

/** The rules of the policy type for every statement, and the size quotas. */
export function checkPolicyType(ctx: ValidationContext): void {
  checkSize(ctx);
  for (const st of ctx.policy.statements) {
    checkPrincipalPresence(ctx, st);
    if (ctx.type === 'RESOURCE_CONTROL_POLICY') checkRcp(ctx, st);
    if (ctx.type !== 'RESOURCE_POLICY') continue;
    if (ctx.resourceType === TRUST) checkTrustPolicy(ctx, st);
    else if (ctx.resourceType) checkAttachedTo(ctx, st, ctx.resourceType);
    // A resource policy without a resource type may be a role trust policy: its assume actions are checked against its principals.
    if (!ctx.errorsOnly && (ctx.resourceType === undefined || ctx.resourceType === TRUST))
      checkAssumeActions(ctx, st);
  }
}

function root(ctx: ValidationContext): Place {
  return { span: { start: ctx.root.offset, end: ctx.root.offset + 1 }, path: [] };
}

/** Characters other than whitespace outside strings (IAM's count). */
function sizeWithoutWhitespace(text: string): number {
  let n = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      n++;
      if (ch === '\\') {
        n++;
        i++;
      } else if (ch === '"') inString = false;
    } else if (ch === '"') {
      inString = true;
      n++;
    } else if (!/\s/.test(ch)) n++;
  }
  return n;
}

function checkSize(ctx: ValidationContext): void {
  const { span, path } = root(ctx);
  const size = ctx.text.length;
  const org =
    ctx.type === 'SERVICE_CONTROL_POLICY'
      ? { code: 'POLICY_SIZE_EXCEEDS_SCP_QUOTA', what: 'service control policy (SCP)', short: 'SCPs' }
      : ctx.type === 'RESOURCE_CONTROL_POLICY'
        ? { code: 'POLICY_SIZE_EXCEEDS_RCP_QUOTA', what: 'resource control policy (RCP)', short: 'RCPs' }
        : undefined;
  if (org && size > ORGANIZATION_POLICY_QUOTA) {
    // AWS Organizations counts every character as saved: the API and CLI keep whitespace, the console removes it.
    const compact = sizeWithoutWhitespace(ctx.text);
    const fits = compact <= ORGANIZATION_POLICY_QUOTA;
    ctx.out.add(
      fits ? 'WARNING' : 'ERROR',
      org.code,
      fits
        ? `The ${size} characters in the ${org.what} exceed the ${ORGANIZATION_POLICY_QUOTA} character maximum for ${org.short} as written: saved through the API or CLI, whitespace counts. Without whitespace it has ${compact} (the console saves it so).`
        : `The ${size} characters in the ${org.what} (${compact} without whitespace) exceed the ${ORGANIZATION_POLICY_QUOTA} character maximum for ${org.short}. We recommend that you use multiple granular policies.`,
      span,
      path,
    );
  }
  if (ctx.errorsOnly) return;
  if (ctx.type === 'IDENTITY_POLICY') {
    const n = sizeWithoutWhitespace(ctx.text);
    if (n > IDENTITY_POLICY_QUOTA)
      ctx.out.add(
        'WARNING',
        'POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA',
        `The ${n} characters in the identity policy, excluding whitespace, exceed the ${IDENTITY_POLICY_QUOTA} character maximum for managed policies. We recommend that you use multiple granular policies.`,
        span,
        path,
      );
  } else if (ctx.type === 'RESOURCE_POLICY' && ctx.resourceType === TRUST) {
    const n = sizeWithoutWhitespace(ctx.text);
    if (n > ROLE_TRUST_POLICY_QUOTA)
      ctx.out.add(
        'WARNING',
        'POLICY_SIZE_EXCEEDS_ROLE_TRUST_POLICY_QUOTA',
        `The ${n} characters in the role trust policy, excluding whitespace, exceed the default maximum of ${ROLE_TRUST_POLICY_QUOTA}. Request a higher quota for role trust policies, or ignore this warning if your account has one.`,
        span,
        path,
      );
  }
}

/** Principal where the type has none, none where it needs one. */
function checkPrincipalPresence(ctx: ValidationContext, st: Statement): void {
  const p = st.principal;
  const element = p?.negated ? 'NotPrincipal' : 'Principal';
  switch (ctx.type) {
    case 'IDENTITY_POLICY':
      if (p)
        ctx.out.add(
          'ERROR',
          'UNSUPPORTED_PRINCIPAL',
          `The policy type IDENTITY_POLICY does not support the ${element} element: the caller is the identity the policy is attached to. Remove ${element}.`,
          p.span,
          p.path,
        );
      return;
    case 'SERVICE_CONTROL_POLICY':
      if (p)
        ctx.out.add(
          'ERROR',
          'SCP_SYNTAX_ERROR_PRINCIPAL',
          `SCPs do not support specifying principals: remove the ${element} element. An SCP applies to the principals of the accounts it is attached to; to exempt some, use a condition on aws:PrincipalArn.`,
          p.span,
          p.path,
        );
      return;
    case 'RESOURCE_POLICY':
    case 'RESOURCE_CONTROL_POLICY':
      if (!p)
        ctx.out.add(
          'ERROR',
          'MISSING_PRINCIPAL',
          `${capital(statementName(st))} has no Principal: every statement of a ${ctx.type === 'RESOURCE_POLICY' ? 'resource policy' : 'resource control policy ("Principal": "*")'} must name who it applies to.`,
          st.span,
          st.path,
        );
  }
}

/** Is the Principal the bare string `"*"`? (`{"AWS": "*"}` is not what an RCP takes.) */
function bareStar(ctx: ValidationContext, st: Statement): boolean {
  const p = st.principal;
  if (!p || p.negated) return false;
  const node = findNodeAtLocation(ctx.root, p.path);
  return node?.type === 'string' && node.value === '*';
}

/** Does an Action entry name only services in `allowed`? `*` does; a wildcard service part when every service it matches does. */
function entryServices(ctx: ValidationContext, raw: string): string[] | undefined {
  if (raw === '*') return undefined;
  const colon = raw.indexOf(':');
  if (colon <= 0) return [];
  const service = raw.slice(0, colon).toLowerCase();
  if (!hasWildcard(service)) return [service];
  return ctx.catalog.services().filter((s) => globMatches(service, s));
}

function checkRcp(ctx: ValidationContext, st: Statement): void {
  const { out } = ctx;
  const p = st.principal;
  if (p && (p.negated || !bareStar(ctx, st)))
    out.add(
      'ERROR',
      'RCP_SYNTAX_ERROR_PRINCIPAL',
      p.negated
        ? 'The NotPrincipal element is not supported for RCPs. RCPs only support "Principal": "*"; narrow the principals with conditions such as aws:PrincipalArn or aws:PrincipalOrgID.'
        : 'The Principal element contents are not valid: RCPs only support specifying all principals ("Principal": "*"); narrow them with conditions such as aws:PrincipalArn or aws:PrincipalOrgID.',
      p.span,
      p.path,
    );
  const a = st.action;
  if (a.negated)
    out.add(
      'ERROR',
      'RCP_SYNTAX_ERROR_NOTACTION',
      'RCPs do not support the NotAction element. Update to use the Action element.',
      a.span,
      a.path,
    );
  else {
    const supported = new Set(ctx.catalog.rcpServiceList());
    for (const entry of a.patterns) {
      const services = entryServices(ctx, entry.value);
      if (services === undefined || services.length === 0) continue;
      const outside = services.filter((s) => !supported.has(s));
      if (outside.length === 0) continue;
      out.add(
        'ERROR',
        'RCP_SYNTAX_ERROR_ACTION',
        `RCPs only support the actions of the services that support RCPs; ${JSON.stringify(entry.value)} names ${outside.length === 1 ? `the service ${outside[0]}, which is` : `services that are`} not among them (the catalog lists ${supported.size}: ${[...supported].slice(0, 6).join(', ')}, ...).`,
        entry.span,
        entry.path,
      );
    }
  }
  if (st.effect === 'Allow') {
    const r = st.resource;
    const allResources = !!r && !r.negated && r.patterns.length === 1 && r.patterns[0]!.value === '*';
    if (!bareStar(ctx, st) || !allResources || st.conditions.length > 0) {
      const place = effectPlace(ctx, st);
      out.add(
        'ERROR',
        'RCP_SYNTAX_ERROR_ALLOW',
        'RCPs only support specifying all principals ("*") in the Principal element, all resources ("*") in the Resource element, and no Condition element with an effect of Allow (the shape of RCPFullAWSAccess, which AWS attaches at every level). Use Deny to restrict access.',
        place.span,
        place.path,
      );
    }
  }
}

function effectPlace(ctx: ValidationContext, st: Statement): Place {
  const path = [...st.path, 'Effect'];
  const node = findNodeAtLocation(ctx.root, path);
  return node ? { span: spanOf(node), path } : { span: st.span, path: st.path };
}

/** Does the entry name (or, as a wildcard, match) at least one action for which `ok` holds? */
function entryCovers(ctx: ValidationContext, raw: string, ok: (a: CatalogAction) => boolean): boolean {
  if (raw === '*') return true;
  return ctx.catalog.matchingActions(raw).some(ok);
}

/** The actions a role trust policy takes: sts actions that act on a role. */
function actsOnRole(a: CatalogAction): boolean {
  return a.service === 'sts' && a.resourceTypes.some((t) => /:role\/\$\{/.test(t.arn));
}

function checkTrustPolicy(ctx: ValidationContext, st: Statement): void {
  const { out } = ctx;
  const r = st.resource;
  if (r)
    out.add(
      'ERROR',
      'ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE',
      `Role trust policies apply to the role that they are attached to. You cannot specify a resource: remove the ${r.negated ? 'NotResource' : 'Resource'} element.`,
      r.span,
      r.path,
    );
  const p = st.principal;
  if (p?.negated)
    out.add(
      'ERROR',
      'ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL',
      'Role trust policies do not support NotPrincipal. Update the policy to use a Principal element instead.',
      p.span,
      p.path,
    );
  else if (p && bareStar(ctx, st))
    out.add(
      'ERROR',
      'ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
      '"Principal": "*" is not supported in the principal element of a role trust policy. Replace the wildcard with a valid principal value.',
      p.span,
      p.path,
    );
  for (const { key, node, path } of principalValues(ctx, st)) {
    if (key !== 'Federated') continue;
    const v = node.value as string;
    if (!FEDERATED.test(v))
      out.add(
        'ERROR',
        'INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY',
        `The federated principal ${JSON.stringify(v)} does not match the expected format. Update the federated principal to a domain name (accounts.google.com, cognito-identity.amazonaws.com) or the ARN of a SAML or OIDC provider (arn:aws:iam::111122223333:saml-provider/Name).`,
        spanOf(node),
        path,
      );
  }
  if (!st.action.negated)
    for (const entry of st.action.patterns)
      if (!entryCovers(ctx, entry.value, actsOnRole) && entry.value.includes(':'))
        unsupportedAction(
          ctx,
          entry,
          'role trust policy (AWS::IAM::AssumeRolePolicyDocument)',
          'sts:AssumeRole, sts:AssumeRoleWithSAML, sts:AssumeRoleWithWebIdentity, sts:TagSession, sts:SetSourceIdentity or sts:SetContext',
        );
}

/** A SAML or OIDC provider ARN, or a provider's domain (with an optional path, as GitHub Enterprise's). */
const FEDERATED =
  /^(arn:aws[a-z-]*:iam::\d{12}:(saml-provider|oidc-provider)\/\S+|[a-z0-9-]+(\.[a-z0-9-]+)+(\/\S*)?)$/i;
const SAML_PROVIDER = /^arn:aws[a-z-]*:iam::\d{12}:saml-provider\//i;

function unsupportedAction(
  ctx: ValidationContext,
  entry: Located<string>,
  attachedTo: string,
  takes: string,
): void {
  ctx.out.add(
    'ERROR',
    'UNSUPPORTED_ACTION_IN_POLICY',
    `The action ${JSON.stringify(entry.value)} is not supported for the resource-based policy attached to the resource type ${attachedTo}: it takes ${takes}.`,
    entry.span,
    entry.path,
  );
}

/**
 * Assume-role actions against the principals of the statement (Access Analyzer's
 * MISMATCHED_ACTION_FOR_PRINCIPAL): AssumeRole is for AWS and service principals, AssumeRoleWithSAML
 * for a SAML provider, AssumeRoleWithWebIdentity for an OIDC provider. And IAM Roles Anywhere needs
 * three actions to assume a role.
 */
function checkAssumeActions(ctx: ValidationContext, st: Statement): void {
  const p = st.principal;
  if (!p || p.negated || st.action.negated) return;
  const values = principalValues(ctx, st).filter((v) => v.key !== undefined);
  if (values.length === 0) return;
  type Value = (typeof values)[number];
  const saml = (v: Value): boolean => v.key === 'Federated' && SAML_PROVIDER.test(String(v.node.value));
  const mismatched: Record<string, (v: Value) => boolean> = {
    'sts:assumerole': (v) => v.key === 'Federated',
    'sts:assumerolewithsaml': (v) => !saml(v),
    'sts:assumerolewithwebidentity': (v) => v.key !== 'Federated' || saml(v),
  };
  for (const entry of st.action.patterns) {
    const test = mismatched[entry.value.toLowerCase()];
    if (!test) continue;
    const wrong = values.filter(test);
    if (wrong.length === 0) continue;
    ctx.out.add(
      'ERROR',
      'MISMATCHED_ACTION_FOR_PRINCIPAL',
      `The ${entry.value} action is invalid with the following principal(s): ${wrong.map((v) => String(v.node.value)).join(', ')}. Use a SAML provider principal with the sts:AssumeRoleWithSAML action or use an OIDC provider principal with the sts:AssumeRoleWithWebIdentity action. Ensure the provider is Federated if you use either of the two options.`,
      entry.span,
      entry.path,
      ...wrong.map((v) => ({ span: spanOf(v.node), path: v.path })),
    );
  }
  const rolesAnywhere = values.find(
    (v) => v.key === 'Service' && String(v.node.value).toLowerCase() === 'rolesanywhere.amazonaws.com',
  );
  if (rolesAnywhere) {
    const needed = ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'];
    const missing = needed.filter(
      (n) => !st.action.patterns.some((e) => globMatches(e.value, n, { caseInsensitive: true })),
    );
    if (missing.length > 0)
      ctx.out.add(
        'ERROR',
        'MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY',
        `The rolesanywhere.amazonaws.com service principal requires the sts:AssumeRole, sts:SetSourceIdentity, and sts:TagSession permissions to assume a role; ${capital(statementName(st))} lacks ${missing.join(', ')}. Add the missing permissions to the policy.`,
        st.action.span,
        st.action.path,
      );
  }
}

/** A resource policy attached to an S3 bucket, access point, DynamoDB table...: only that resource's actions, ARNs and principals. */
function checkAttachedTo(
  ctx: ValidationContext,
  st: Statement,
  type: Exclude<ValidateResourceType, 'AWS::IAM::AssumeRolePolicyDocument'>,
): void {
  const rules = ATTACHED_TO[type];
  const attachedTo = `${type} (${rules.label})`;
  for (const { key, node, path } of principalValues(ctx, st))
    if (key === 'Federated')
      ctx.out.add(
        'ERROR',
        'FEDERATED_PRINCIPAL_NOT_SUPPORTED',
        `The policy type does not support a federated identity provider in the principal element: ${JSON.stringify(node.value)}. Federated principals belong in role trust policies; a policy attached to ${attachedTo} names AWS principals or services.`,
        spanOf(node),
        path,
      );
  if (!st.action.negated)
    for (const entry of st.action.patterns) {
      const services = entryServices(ctx, entry.value);
      if (services === undefined || services.length === 0) continue;
      if (!services.some((s) => rules.services.includes(s)))
        unsupportedAction(ctx, entry, attachedTo, `actions of ${rules.services.join(', ')}`);
    }
  const r = st.resource;
  if (!r || r.negated) return;
  const shapes = rules.types.flatMap(([service, name]) =>
    ctx.arns.ofService(service).filter((s) => s.type.name === name),
  );
  if (shapes.length === 0) return;
  for (const entry of r.patterns) {
    if (shapes.some((s) => ctx.arns.matches(entry.value, s))) continue;
    ctx.out.add(
      'ERROR',
      'UNSUPPORTED_RESOURCE_ARN_IN_POLICY',
      `The resource ARN ${JSON.stringify(entry.value)} is not supported for the resource-based policy attached to the resource type ${attachedTo}: it names ${shapes.map((s) => `${s.type.name} (${s.format})`).join(' or ')}.`,
      entry.span,
      entry.path,
    );
  }
}
