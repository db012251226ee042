/**
 * Findings from the Service Authorization Reference (the catalog knows every action's resource
 * types, their ARN formats and the condition keys of each action's rows):
 * - a resource ARN of the wrong shape for its service: INVALID_ARN_RESOURCE and Access Analyzer's
 *   finer codes (MISSING_ARN_REGION, ARN_REGION_NOT_ALLOWED, MISSING_ARN_ACCOUNT,
 *   ARN_ACCOUNT_NOT_ALLOWED, INVALID_ARN_ACCOUNT, INVALID_ARN_PREFIX, INVALID_PARTITION,
 *   INVALID_ARN_SERVICE_CASE);
 * - a condition key that actions of the statement do not support: UNSUPPORTED_ACTION_FOR_CONDITION_KEY
 *   (as Access Analyzer: the actions named without a wildcard that the key does not apply to; here
 *   also a wildcard none of whose actions supports it);
 * - an action no Resource entry of its statement can name (ACTION_WITHOUT_MATCHING_RESOURCE) and a
 *   Resource entry no action of its statement acts on (RESOURCE_WITHOUT_MATCHING_ACTION): Access
 *   Analyzer has no code for these; the names are this project's.
 * Global keys (`aws:`) apply to every action; `*` matches every resource; a policy variable may be any
 * text; statements with NotAction or NotResource are not judged by the last two (their actions or
 * resources are everything but a list). Every "no" here is certain for the catalog's reading:
 * validate-arn.ts errs towards "it can match".
 */
import type { CatalogAction } from '../../catalog/catalog.ts';
import type { Located, Statement } from '../model.ts';
import { emptyField, fieldFit, literalField, writtenAs, type ArnPattern, type ArnShape } from './arn.ts';
import { keyType } from './conditions.ts';
import { statementName, type ValidationContext } from './context.ts';
import { hasWildcard } from '../validate-glob.ts';

/** AWS's partitions (General Reference, "Amazon Resource Names"). */
const PARTITIONS = new Set([
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
]);
const ACCOUNT_ID = /^\d{12}$/;
/**
 * Service keys AWS adds to every request signed with certain role credentials, whatever the service
 * ("AWS global condition context keys", cross-service keys): global keys with a service prefix.
 */
const CROSS_SERVICE_KEYS = new Set(
  [
    'ec2:RoleDelivery',
    'ec2:SourceInstanceArn',
    'glue:CredentialIssuingService',
    'glue:RoleAssumedBy',
    'identitystore:UserId',
    'lambda:SourceFunctionArn',
    'ssm:SourceInstanceArn',
  ].map((k) => k.toLowerCase()),
);

export function checkReference(ctx: ValidationContext): void {
  for (const st of ctx.policy.statements) {
    const malformed = new Set<Located<string>>();
    for (const entry of st.resource?.patterns ?? []) if (checkArnShape(ctx, entry)) malformed.add(entry);
    if (st.action.negated) continue;
    checkConditionKeys(ctx, st);
    if (st.resource && !st.resource.negated) checkActionsAndResources(ctx, st, malformed);
  }
}

/** "bucket (arn:${Partition}:s3:::${BucketName}), object (...)", at most `max`, each format once. */
function describe(all: ArnShape[], max = 4): string {
  const seen = new Set<string>();
  const shapes = all.filter((s) => !seen.has(s.format) && seen.add(s.format));
  const shown = shapes.slice(0, max).map((s) => `${s.type.name} (${s.format})`);
  return shown.join(', ') + (shapes.length > max ? ` and ${shapes.length - max} more` : '');
}

/**
 * A Resource entry against the formats of its ARN's service, field by field (the shape it is written
 * in). True when it reported the entry. An entry of no format's shape that still matches one as the
 * engine reads it (a `*` ending a field expands past the colon: `arn:aws:logs:*:*:/aws-glue/*`
 * matches log groups named /aws-glue/...) is a WARNING: it works, by that expansion only.
 */
function checkArnShape(ctx: ValidationContext, entry: Located<string>): boolean {
  const v = entry.value;
  if (v === '*') return false;
  const p = ctx.arns.pattern(v);
  if (!p.fields) return false; // fewer than six fields: MISSING_ARN_FIELD
  let shapes: ArnShape[] = [];
  const report = (code: string, details: string, ofShape = true): true => {
    const expands = ofShape && shapes.some((s) => ctx.arns.matches(v, s));
    ctx.out.add(
      expands ? 'WARNING' : 'ERROR',
      code,
      expands
        ? `${details} As the engine reads it, a * that ends a field expands past the colon, so it still matches some ARNs of the service: write the ARN in the format of its type.`
        : details,
      entry.span,
      entry.path,
    );
    return true;
  };
  const prefix = literalField(p, 0);
  if (prefix !== undefined && prefix !== 'arn')
    return report(
      'INVALID_ARN_PREFIX',
      `${JSON.stringify(v)}: add the required prefix (arn) to the resource ARN.`,
    );
  const partition = literalField(p, 1);
  if (partition !== undefined && !PARTITIONS.has(partition))
    return report(
      'INVALID_PARTITION',
      `The resource ARN ${JSON.stringify(v)} names the partition ${JSON.stringify(partition)}; use one of ${[...PARTITIONS].join(', ')}.`,
      false,
    );
  const service = literalField(p, 2);
  if (service === undefined) return false;
  shapes = ctx.arns.withArnService(service);
  if (shapes.length === 0) {
    if (service !== service.toLowerCase() && ctx.arns.withArnService(service.toLowerCase()).length > 0)
      return report(
        'INVALID_ARN_SERVICE_CASE',
        `Update the service name ${service} in the resource ARN ${JSON.stringify(v)} to use all lowercase letters (${service.toLowerCase()}).`,
        false,
      );
    return false; // a service the catalog does not know: nothing to compare with
  }
  const account = literalField(p, 4);
  // `aws` owns AWS's own resources: managed policies, SageMaker's public hub, CloudFormation's transforms.
  if (
    account !== undefined &&
    account !== '' &&
    account !== 'aws' &&
    !ACCOUNT_ID.test(account) &&
    !shapes.some((s) => literalField(s, 4) === account)
  )
    return report(
      'INVALID_ARN_ACCOUNT',
      `The resource ARN account ID ${JSON.stringify(account)} in ${JSON.stringify(v)} is not valid. Provide a 12-digit account ID.`,
      false,
    );
  if (shapes.some((s) => writtenAs(p, s))) return false;
  const own = closestFirst(
    p,
    shapes.filter((s) => s.arnService !== undefined),
  );
  const near = shapes.filter((s) => {
    const fit = fieldFit(p, s)!;
    return fit.partition && fit.resource;
  });
  const label = `${service} (${own.length === 1 ? 'its resource type is' : 'its resource types are'} ${describe(own)})`;
  if (near.length === 0)
    return report(
      'INVALID_ARN_RESOURCE',
      `Resource ARN ${JSON.stringify(v)} does not match the expected ARN format of any resource type of ${label}. Update the resource portion of the ARN.`,
    );
  const fieldCanBeEmpty = (i: number): boolean => p.fields![i]!.every((t) => t.kind === 'star');
  const fieldIsEmpty = (i: number): boolean => p.fields![i]!.length === 0;
  const what = `${near.length === 1 ? 'its resource type' : 'the resource types it fits'}: ${describe(near)}`;
  if (fieldIsEmpty(3) && near.every((s) => !emptyField(s, 3)))
    return report(
      'MISSING_ARN_REGION',
      `Add a Region to the ${service} resource ARN ${JSON.stringify(v)} (${what}).`,
    );
  if (!fieldCanBeEmpty(3) && near.every((s) => emptyField(s, 3)))
    return report(
      'ARN_REGION_NOT_ALLOWED',
      `The service ${service} does not support specifying a Region in the resource ARN ${JSON.stringify(v)} (${what}).`,
    );
  // AWS-owned Systems Manager documents and public parameters have no account (arn:aws:ssm:*::document/AWS-RunShellScript).
  if (service === 'ssm' && fieldIsEmpty(4) && near.some((s) => fieldFit(p, s)!.region)) return false;
  if (fieldIsEmpty(4) && near.every((s) => !emptyField(s, 4)))
    return report(
      'MISSING_ARN_ACCOUNT',
      `The resource ${JSON.stringify(v)} in the ARN is missing an account id (${what}). Provide a 12-digit account id.`,
    );
  if (!fieldCanBeEmpty(4) && near.every((s) => emptyField(s, 4)))
    return report(
      'ARN_ACCOUNT_NOT_ALLOWED',
      `The service ${service} does not support specifying an account ID in the resource ARN ${JSON.stringify(v)} (${what}).`,
    );
  return report(
    'INVALID_ARN_RESOURCE',
    `Resource ARN ${JSON.stringify(v)} does not match the expected ARN format of any resource type of ${label}. Update the ARN.`,
  );
}

/** Shapes whose resource part starts most like the pattern's (`function:` for `function/my-fn`) first. */
function closestFirst(p: ArnPattern, shapes: ArnShape[]): ArnShape[] {
  const head = (tokens: ArnPattern['whole']): string => {
    let out = '';
    for (const t of tokens) {
      if (t.kind !== 'lit' || /[^A-Za-z0-9-]/.test(t.c)) break;
      out += t.c;
    }
    return out;
  };
  const mine = head(p.fields![5]!);
  const common = (s: ArnShape): number => {
    const theirs = head(s.fields[5]!);
    let i = 0;
    while (i < mine.length && i < theirs.length && mine[i] === theirs[i]) i++;
    return i;
  };
  return [...shapes].sort((a, b) => common(b) - common(a));
}

/** The catalog's actions an Action entry names: itself, or those its wildcard matches (empty: none known). */
function entryActions(ctx: ValidationContext, raw: string): CatalogAction[] {
  if (!hasWildcard(raw)) {
    const a = ctx.catalog.action(raw);
    return a ? [a] : [];
  }
  return ctx.catalog.matchingActions(raw);
}

const listedKeys = new WeakMap<ValidationContext['catalog'], Map<string, boolean>>();

/** Does any action of the catalog list the key (on its rows or its resource types')? */
function listedByAnAction(ctx: ValidationContext, key: string): boolean {
  let m = listedKeys.get(ctx.catalog);
  if (!m) listedKeys.set(ctx.catalog, (m = new Map()));
  const k = key.toLowerCase();
  let r = m.get(k);
  if (r === undefined) {
    const colon = k.indexOf(':');
    const own = colon > 0 ? ctx.catalog.serviceActions(k.slice(0, colon)) : [];
    // The key's own service first (where its rows are), then every service.
    r =
      own.some((a) => ctx.catalog.supportsConditionKey(a, key)) ||
      ctx.catalog.actions.some((a) => ctx.catalog.supportsConditionKey(a, key));
    m.set(k, r);
  }
  return r;
}

/** Condition keys against the actions of the statement (global `aws:` keys apply to all). */
function checkConditionKeys(ctx: ValidationContext, st: Statement): void {
  if (st.conditions.length === 0 || st.action.patterns.some((p) => p.value === '*')) return;
  const seen = new Set<string>();
  for (const c of st.conditions) {
    const key = c.key.toLowerCase();
    if (seen.has(key) || key.startsWith('aws:') || CROSS_SERVICE_KEYS.has(key)) continue;
    seen.add(key);
    // Unknown keys are UNKNOWN_CONDITION_KEY's; identity providers the catalog does not know, nobody's;
    // a key no action's row lists (95 of the reference's, such as codebuild:buildArn) has no rows to judge by.
    if (keyType(ctx.catalog, c.key)?.type === undefined || !listedByAnAction(ctx, c.key)) continue;
    const unsupported: Located<string>[] = [];
    for (const entry of st.action.patterns) {
      const acts = entryActions(ctx, entry.value);
      if (acts.length > 0 && acts.every((a) => !ctx.catalog.supportsConditionKey(a, c.key)))
        unsupported.push(entry);
    }
    if (unsupported.length === 0) continue;
    const all = unsupported.length === st.action.patterns.length;
    ctx.out.add(
      'ERROR',
      'UNSUPPORTED_ACTION_FOR_CONDITION_KEY',
      `The following actions: ${unsupported.map((e) => e.value).join(', ')} are not supported by the condition key ${c.key}. The condition will not be evaluated for these actions${all ? ` (no action of ${statementName(st)} supports it)` : ''}. We recommend that you move these actions to a different statement without this condition key.`,
      unsupported[0]!.span,
      unsupported[0]!.path,
      { span: c.keySpan, path: c.path },
    );
  }
}

/** Actions no Resource entry can name, and Resource entries no action acts on. */
function checkActionsAndResources(
  ctx: ValidationContext,
  st: Statement,
  malformed: Set<Located<string>>,
): void {
  const resources = st.resource!.patterns;
  if (resources.some((r) => r.value === '*') || st.action.patterns.some((a) => a.value === '*')) return;
  const usable = resources.filter((r) => !malformed.has(r));
  const shapesOf = (a: CatalogAction): ArnShape[] =>
    a.resourceTypes.flatMap((t) => ctx.arns.shapes(a.service, t));
  // The statement's actions, per entry; an entry the catalog does not know leaves the statement unjudged for (4).
  let everyActionKnown = true;
  const allShapes = new Set<ArnShape>();
  for (const entry of st.action.patterns) {
    const acts = entryActions(ctx, entry.value);
    if (acts.length === 0 || acts.some((a) => a.resourceTypes.length === 0)) everyActionKnown = false;
    for (const a of acts) for (const s of shapesOf(a)) allShapes.add(s);
    if (acts.length === 0 || usable.length === 0) continue;
    // An action without resource types is requested on "*", which the reference leaves open: it may apply.
    const applies = (a: CatalogAction): boolean =>
      a.resourceTypes.length === 0 ||
      shapesOf(a).some((s) => usable.some((r) => ctx.arns.matches(r.value, s)));
    if (acts.some(applies)) continue;
    const shapes = [...new Set(acts.flatMap(shapesOf))];
    const what = hasWildcard(entry.value)
      ? `None of the ${acts.length} actions ${JSON.stringify(entry.value)} matches acts on a resource that ${statementName(st)} names: they act on ${describe(shapes)}`
      : `The action ${acts[0]!.display} acts on ${describe(shapes)}; no Resource entry of ${statementName(st)} can be one`;
    ctx.out.add(
      'ERROR',
      'ACTION_WITHOUT_MATCHING_RESOURCE',
      `${what}, so the statement never applies to ${hasWildcard(entry.value) ? 'them' : 'it'} (Service Authorization Reference, catalog ${ctx.catalog.version}). Name a resource of ${hasWildcard(entry.value) ? 'their' : 'its'} type, or move the action to a statement that does.`,
      entry.span,
      entry.path,
      { span: st.resource!.span, path: st.resource!.path },
    );
  }
  if (!everyActionKnown) return;
  const shapes = [...allShapes];
  for (const r of usable) {
    if (shapes.some((s) => ctx.arns.matches(r.value, s))) continue;
    ctx.out.add(
      'WARNING',
      'RESOURCE_WITHOUT_MATCHING_ACTION',
      `The Resource entry ${JSON.stringify(r.value)} matches no resource type of the actions of ${statementName(st)} (they act on ${describe(shapes)}), so no request the statement governs is on it. Remove it, or add the actions meant for it.`,
      r.span,
      r.path,
    );
  }
}
