/**
 * Action / NotAction entries: their shape (`*` or `service:Name`), services and actions the catalog
 * knows, wildcards that match nothing, and entries another entry already covers.
 */
import type { Located, PatternPart } from '../model.ts';
import { globMatches } from '../glob.ts';
import type { ValidationContext } from './context.ts';
import { globIncludes, hasWildcard } from '../validate-glob.ts';
import { hasVariable } from './statement.ts';

/** `service:Name`: one colon, neither side empty (either may hold wildcards). */
const ACTION_SHAPE = /^[^:]+:[^:]+$/;
const SERVICE = /^[a-z0-9-]+$/;

export function checkActions(ctx: ValidationContext, part: PatternPart): void {
  const { catalog, out } = ctx;
  const element = part.negated ? 'NotAction' : 'Action';
  for (const p of part.patterns) {
    const raw = p.value;
    if (hasVariable(raw)) {
      out.add(
        'ERROR',
        'INVALID_VARIABLE_FOR_ELEMENT',
        `Policy variables are not allowed in ${element}: ${JSON.stringify(raw)}.`,
        p.span,
        p.path,
      );
      continue;
    }
    if (raw === '*') continue;
    if (!ACTION_SHAPE.test(raw)) {
      const none = hasWildcard(raw)
        ? ''
        : ' As written it matches no request, so the statement silently does nothing for it.';
      out.add(
        'ERROR',
        'INVALID_ACTION',
        `${JSON.stringify(raw)} is not an action: an ${element} entry is "*" or service:ActionName with one colon (for example s3:GetObject or iam:*).${none}`,
        p.span,
        p.path,
      );
      continue;
    }
    const colon = raw.indexOf(':');
    const service = raw.slice(0, colon).toLowerCase();
    const name = raw.slice(colon + 1);
    if (hasWildcard(service)) {
      out.add(
        'WARNING',
        'WILDCARD_IN_SERVICE_NAME',
        `The service prefix of ${JSON.stringify(raw)} contains a wildcard, so it matches actions of several services (and of services added later). Name the services explicitly.`,
        p.span,
        p.path,
      );
      if (!ctx.errorsOnly && catalog.matchingActions(raw).length === 0)
        noMatch(ctx, p, element, `no action of any service in the catalog matches it`);
      continue;
    }
    if (!SERVICE.test(service) || !catalog.hasService(service)) {
      const f = out.add(
        'ERROR',
        'INVALID_SERVICE',
        `The service prefix "${raw.slice(0, colon)}" in ${JSON.stringify(raw)} is not a known AWS service.`,
        p.span,
        p.path,
      );
      if (SERVICE.test(service)) out.catalogOnly.add(f);
      continue;
    }
    if (hasWildcard(name)) {
      if (!ctx.errorsOnly && catalog.matchingActions(raw).length === 0)
        noMatch(ctx, p, element, `no ${service} action in the catalog matches it`);
      continue;
    }
    if (!catalog.action(raw)) {
      const f = out.add(
        'ERROR',
        'INVALID_ACTION',
        `The action ${JSON.stringify(raw)} does not exist in service ${service} (${catalog.serviceName(service) ?? service}).`,
        p.span,
        p.path,
      );
      out.catalogOnly.add(f);
    }
  }
}

function noMatch(ctx: ValidationContext, p: Located<string>, element: string, why: string): void {
  ctx.out.add(
    'WARNING',
    'NO_MATCHING_ACTION',
    `The ${element} pattern ${JSON.stringify(p.value)} matches nothing: ${why} (catalog ${ctx.catalog.version}).`,
    p.span,
    p.path,
  );
}

/** An entry already covered by another entry of the same element (duplicate or narrower pattern). */
export function checkRedundantActions(ctx: ValidationContext, part: PatternPart): void {
  const element = part.negated ? 'NotAction' : 'Action';
  const usable = part.patterns.filter(
    (p) => !hasVariable(p.value) && (p.value === '*' || p.value.includes(':')),
  );
  const firstByText = new Map<string, Located<string>>();
  const unique: Located<string>[] = [];
  for (const p of usable) {
    const lower = p.value.toLowerCase();
    const first = firstByText.get(lower);
    if (first)
      ctx.out.add(
        'SUGGESTION',
        'REDUNDANT_ACTION',
        `${JSON.stringify(p.value)} is listed twice in ${element}; remove the duplicate.`,
        p.span,
        p.path,
        first,
      );
    else {
      firstByText.set(lower, p);
      unique.push(p);
    }
  }
  // Wildcard entries grouped by service; entries with a wildcard service part go to "global".
  const byService = new Map<string, Located<string>[]>();
  const global: Located<string>[] = [];
  const serviceOf = (v: string): string | undefined => {
    if (v === '*') return undefined;
    const s = v.slice(0, v.indexOf(':')).toLowerCase();
    return hasWildcard(s) ? undefined : s;
  };
  for (const p of unique) {
    if (!hasWildcard(p.value)) continue;
    const s = serviceOf(p.value);
    if (s === undefined) global.push(p);
    else {
      const list = byService.get(s) ?? [];
      list.push(p);
      byService.set(s, list);
    }
  }
  if (global.length === 0 && byService.size === 0) return;
  for (const a of unique) {
    const s = serviceOf(a.value);
    const candidates = s === undefined ? global : [...(byService.get(s) ?? []), ...global];
    const aWild = hasWildcard(a.value);
    for (const b of candidates) {
      if (b === a) continue;
      const covered = aWild
        ? globIncludes(a.value, b.value)
        : globMatches(b.value, a.value, { caseInsensitive: true });
      if (!covered) continue;
      // Two equivalent patterns: report only the later one.
      if (aWild && a.span.start < b.span.start && globIncludes(b.value, a.value)) continue;
      ctx.out.add(
        'SUGGESTION',
        'REDUNDANT_ACTION',
        `${JSON.stringify(a.value)} is redundant: ${JSON.stringify(b.value)} in the same ${element} already covers it.`,
        a.span,
        a.path,
        { span: b.span, path: b.path },
      );
      break;
    }
  }
}
