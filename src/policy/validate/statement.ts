/**
 * The grammar of a statement's elements other than Action and Condition, for every policy type:
 * Sid, the values of Principal, the shape of Resource entries, policy variables under an old
 * Version, and the broad grants Access Analyzer warns about. What a policy type adds (a Principal
 * required or refused, an RCP's `"*"`) is validate-policy-types.ts's.
 */
import { findNodeAtLocation, type Node } from 'jsonc-parser';
import type { JsonPath, Located, Statement } from '../model.ts';
import { identityLike, organizationPolicy, statementName, type ValidationContext } from './context.ts';
import { spanOf, type Place } from './findings.ts';
import { hasWildcard } from '../validate-glob.ts';

const SID = /^[A-Za-z0-9]*$/;

export function hasVariable(s: string): boolean {
  return s.includes('${');
}

function show(patterns: Located<string>[], max = 3): string {
  const shown = patterns.slice(0, max).map((p) => JSON.stringify(p.value));
  return shown.join(', ') + (patterns.length > max ? ', ...' : '');
}

/** Sid characters and uniqueness. */
export function checkSids(ctx: ValidationContext): void {
  const seen = new Map<string, Place>();
  for (const st of ctx.policy.statements) {
    if (st.sid === undefined) continue;
    const path = [...st.path, 'Sid'];
    const node = findNodeAtLocation(ctx.root, path);
    const span = node ? spanOf(node) : st.span;
    if (!SID.test(st.sid)) {
      // IAM and AWS Organizations take letters and digits only; some services (SQS, SNS) take more in their own policies.
      if (ctx.type !== 'RESOURCE_POLICY')
        ctx.out.add(
          'ERROR',
          'INVALID_SID',
          `The Sid ${JSON.stringify(st.sid)} is not valid: use only letters A-Z, a-z and digits 0-9.`,
          span,
          path,
        );
      else
        ctx.out.add(
          'WARNING',
          'INVALID_SID',
          `The Sid ${JSON.stringify(st.sid)} has characters other than letters and digits. Some services (SQS, SNS) accept them in resource policies, IAM does not.`,
          span,
          path,
        );
    }
    if (st.sid === '') continue; // an empty Sid is the same as none
    const first = seen.get(st.sid);
    if (first)
      ctx.out.add(
        'ERROR',
        'UNIQUE_SIDS_REQUIRED',
        `Duplicate Sid ${JSON.stringify(st.sid)}: statement IDs must be unique within a policy.`,
        span,
        path,
        first,
      );
    else seen.set(st.sid, { span, path });
  }
}

/** Each string value of Principal / NotPrincipal with its path, read from the JSON (the model folds {"AWS": "*"} into "everyone"). */
export function principalValues(
  ctx: ValidationContext,
  st: Statement,
): { key?: string; node: Node; path: JsonPath }[] {
  const p = st.principal;
  if (!p) return [];
  const node = findNodeAtLocation(ctx.root, p.path);
  if (!node) return [];
  if (node.type === 'string') return [{ node, path: p.path }];
  const out: { key?: string; node: Node; path: JsonPath }[] = [];
  if (node.type !== 'object') return out;
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (!k || !v) continue;
    const key = String(k.value);
    const path = [...p.path, key];
    if (v.type === 'array')
      (v.children ?? []).forEach((c, i) => {
        if (c.type === 'string') out.push({ key, node: c, path: [...path, i] });
      });
    else if (v.type === 'string') out.push({ key, node: v, path });
  }
  return out;
}

/** Values of Principal: no policy variables, no wildcards but "*" alone; Allow with NotPrincipal. */
export function checkPrincipalValues(ctx: ValidationContext, st: Statement): void {
  const p = st.principal;
  // A policy type without Principal reports the element itself (validate-policy-types.ts).
  if (!p || identityLike(ctx.type)) return;
  const element = p.negated ? 'NotPrincipal' : 'Principal';
  if (p.negated && st.effect === 'Allow' && ctx.type === 'RESOURCE_POLICY')
    ctx.out.add(
      'SECURITY_WARNING',
      'ALLOW_WITH_NOT_PRINCIPAL',
      'Allow with NotPrincipal grants access to every principal not listed, anonymous callers included. Use Principal with the callers that need access instead.',
      p.span,
      p.path,
    );
  for (const { node, path } of principalValues(ctx, st)) {
    const v = node.value as string;
    if (hasVariable(v))
      ctx.out.add(
        'ERROR',
        'INVALID_VARIABLE_FOR_ELEMENT',
        `Policy variables are not allowed in ${element}: ${JSON.stringify(v)}.`,
        spanOf(node),
        path,
      );
    else if (v !== '*' && hasWildcard(v))
      ctx.out.add(
        'ERROR',
        'UNSUPPORTED_WILDCARD_IN_PRINCIPAL',
        `Wildcards are not allowed in ${element} values other than "*" alone: ${JSON.stringify(v)}. Use "*" with a condition such as ArnLike aws:PrincipalArn.`,
        spanOf(node),
        path,
      );
  }
}

/** Resource / NotResource: required where the policy type requires it; each entry an ARN pattern of six fields. */
export function checkResources(ctx: ValidationContext, st: Statement): void {
  const r = st.resource;
  if (!r) {
    // Resource policies without a resource type may be role trust policies, which have no Resource.
    const required =
      ctx.type !== 'RESOURCE_POLICY' ||
      (ctx.resourceType ?? 'AWS::IAM::AssumeRolePolicyDocument') !== 'AWS::IAM::AssumeRolePolicyDocument';
    if (required)
      ctx.out.add(
        'ERROR',
        'MISSING_RESOURCE',
        `${capital(statementName(st))} has neither Resource nor NotResource; add "Resource" (for example "*").`,
        st.span,
        st.path,
      );
    return;
  }
  const element = r.negated ? 'NotResource' : 'Resource';
  for (const p of r.patterns) {
    checkLiteralVariable(ctx, p, element);
    if (p.value === '*') continue;
    const parts = p.value.replace(/\$\{[^}]*\}/g, 'x').split(':').length;
    if (parts < 6)
      ctx.out.add(
        'WARNING',
        'MISSING_ARN_FIELD',
        `${element} ${JSON.stringify(p.value)} is not an ARN pattern: it has ${parts} colon-separated part${parts === 1 ? '' : 's'} where an ARN has at least six (arn:partition:service:region:account:resource). It is matched as a plain glob over the whole resource ARN, so it only matches ARNs whose full text fits it; use "*" or a complete ARN such as arn:aws:s3:::bucket/*.`,
        p.span,
        p.path,
      );
  }
}

export function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A policy variable under an old or missing Version is literal text. */
export function checkLiteralVariable(ctx: ValidationContext, p: Located<string>, where: string): void {
  if (ctx.policy.variablesActive || !hasVariable(p.value)) return;
  ctx.out.add(
    'WARNING',
    'POLICY_VARIABLE_WITHOUT_VERSION',
    `${where} ${JSON.stringify(p.value)} contains a policy variable, but policy variables work only with "Version": "2012-10-17"; here it is literal text.`,
    p.span,
    p.path,
  );
}

/**
 * Allow statements that grant more than they list: NotAction, NotResource, `*` on `*`. Not for SCPs
 * and RCPs, whose Allow grants nothing (it only lets other policies' grants through).
 */
export function checkBroadGrants(ctx: ValidationContext, st: Statement): void {
  if (st.effect !== 'Allow' || organizationPolicy(ctx.type)) return;
  const a = st.action;
  const r = st.resource;
  const allResources = !r || (!r.negated && r.patterns.some((p) => p.value === '*'));
  const cond = st.conditions.length > 0 ? ' (narrowed only by its Condition)' : '';
  if (a.negated) {
    ctx.out.add(
      'SECURITY_WARNING',
      'ALLOW_WITH_NOT_ACTION',
      allResources
        ? `Allow with NotAction on Resource "*" grants every action of every service except ${show(a.patterns)}, on every resource${cond}, including actions AWS adds later. List the allowed actions with Action instead.`
        : `Allow with NotAction grants every action of every service except ${show(a.patterns)}${cond}, including actions AWS adds later. List the allowed actions with Action instead.`,
      a.span,
      a.path,
    );
  }
  if (r?.negated) {
    ctx.out.add(
      'SECURITY_WARNING',
      'ALLOW_WITH_NOT_RESOURCE',
      `Allow with NotResource grants access to every resource except ${show(r.patterns)}${cond}, including resources created later. List the allowed resources with Resource instead.`,
      r.span,
      r.path,
    );
  }
  const star = a.negated ? undefined : a.patterns.find((p) => p.value === '*');
  if (star && allResources) {
    ctx.out.add(
      'SECURITY_WARNING',
      'ALLOW_ALL_ACTIONS_ON_ALL_RESOURCES',
      `${capital(statementName(st))} allows every action ("*") on every resource${cond}: full administrative access. Grant only the actions and resources that are needed.`,
      star.span,
      star.path,
    );
  }
}
