/**
 * Resource patterns of a policy against the resource types of the Service Authorization Reference:
 * can some ARN be both matched by the pattern and of the type's format? The validator's findings
 * from the reference (validate-reference.ts) are built on this one question.
 *
 * The formats are read once for the whole engine (catalog/arn-formats.ts: what a placeholder can
 * hold, a type with several formats, the Multi-Region access points the reference omits), as the
 * service-aware reading reads them.
 * The policy's `*` and `?` are read as the engine reads them (docs/semantics-decisions.md,
 * "Resource / NotResource"): within the five fields before the resource they stay in their field,
 * except a `*` that ends its field; a policy variable may stand for any text. Every choice errs
 * towards "it can match": a finding built on a "no" names a pattern no request of that type can have.
 */
import { serviceFormats, type ArnFormat } from '../../catalog/arn-formats.ts';
import type { Catalog, CatalogResourceType } from '../../catalog/catalog.ts';

/** One position of a pattern: a literal character, one character, or any run of characters. */
type Token =
  | { kind: 'lit'; c: string }
  | { kind: 'one'; noSlash: boolean; noColon: boolean }
  | { kind: 'star'; noSlash: boolean; noColon: boolean };

const ANY_ONE: Token = { kind: 'one', noSlash: false, noColon: false };
const ANY_RUN: Token = { kind: 'star', noSlash: false, noColon: false };

/** A resource type's format, cut into its six ARN fields (the last one is the resource part). */
export interface ArnShape {
  /** the service whose table defines the type (`s3`) */
  service: string;
  type: CatalogResourceType;
  /** the format (one of the type's when it has several) */
  format: string;
  /** the ARN's own service field (`s3`; `execute-api` for some apigateway types), lower case; undefined when it is a placeholder */
  arnService: string | undefined;
  fields: Token[][];
  whole: Token[];
}

/** A policy's resource pattern, cut like a shape; `undefined` fields when it has fewer than six. */
export interface ArnPattern {
  text: string;
  /** the six fields (arn, partition, service, region, account, resource), or undefined; for telling which one is wrong */
  fields: Token[][] | undefined;
  /** the whole pattern as the engine matches it */
  whole: Token[];
}

/** Splits at the first five occurrences of `:` (a token list of literal `:`). */
function splitFields(tokens: Token[]): Token[][] | undefined {
  const fields: Token[][] = [[]];
  for (const t of tokens) {
    if (fields.length < 6 && t.kind === 'lit' && t.c === ':') fields.push([]);
    else fields[fields.length - 1]!.push(t);
  }
  return fields.length === 6 ? fields : undefined;
}

/** A policy's resource pattern as tokens: `*`, `?`, `${variable}` (any text) and literals. */
function parseArnPattern(text: string): ArnPattern {
  const tokens: Token[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end > 0) {
        const name = text.slice(i + 2, end);
        // ${*}, ${?} and ${$} are the characters themselves (IAM's escapes).
        if (name === '*' || name === '?' || name === '$') tokens.push({ kind: 'lit', c: name });
        else tokens.push(ANY_RUN);
        i = end;
        continue;
      }
    }
    if (c === '*') tokens.push(ANY_RUN);
    else if (c === '?') tokens.push(ANY_ONE);
    else tokens.push({ kind: 'lit', c });
  }
  const fields = splitFields(tokens);
  if (!fields) return { text, fields, whole: tokens }; // fewer than six fields: one plain glob
  // Within the five fields before the resource a wildcard stays in its field, except a `*` that ends it.
  const whole: Token[] = [];
  let colons = 0;
  tokens.forEach((t, i) => {
    const next = tokens[i + 1];
    const endsField = next?.kind === 'lit' && next.c === ':';
    if (t.kind === 'lit') {
      if (t.c === ':') colons++;
      whole.push(t);
    } else whole.push(colons < 5 && !(t.kind === 'star' && endsField) ? { ...t, noColon: true } : t);
  });
  const confined = fields.map((f, i) =>
    i < 5 ? f.map((t): Token => (t.kind === 'lit' ? t : { ...t, noColon: true })) : f,
  );
  return { text, fields: confined, whole };
}

/** A format's pieces (catalog/arn-formats.ts, the engine's one reading of them) as tokens. */
function shapeOf(f: ArnFormat): ArnShape {
  const tokens: Token[] = f.pieces.flatMap((p): Token[] => {
    if (p.kind === 'lit') return [...p.text].map((c): Token => ({ kind: 'lit', c }));
    if (p.kind === 'any') return [ANY_RUN];
    const star: Token = { kind: 'star', noSlash: p.noSlash, noColon: p.noColon };
    return p.nonEmpty ? [{ kind: 'one', noSlash: p.noSlash, noColon: p.noColon }, star] : [star];
  });
  const fields = splitFields(tokens) ?? [[], [], [], [], [], tokens];
  const svc = fields[2]!;
  const arnService = svc.every((t) => t.kind === 'lit')
    ? svc.map((t) => (t.kind === 'lit' ? t.c : '')).join('')
    : undefined;
  return { service: f.service, type: f.type, format: f.format, arnService, fields, whole: tokens };
}

/** Can one character satisfy both positions? */
function compatible(a: Token, b: Token): boolean {
  if (a.kind === 'lit' && b.kind === 'lit') return a.c === b.c;
  if (a.kind === 'lit') return allows(b, a.c);
  if (b.kind === 'lit') return allows(a, b.c);
  return true;
}

function allows(t: Token, c: string): boolean {
  return !((c === '/' && t.kind !== 'lit' && t.noSlash) || (c === ':' && t.kind !== 'lit' && t.noColon));
}

/**
 * Is some string matched by both token lists? A walk over pairs of positions: a `star` may match
 * nothing (skip it) or one more character (stay); every other token consumes one character.
 */
function intersects(a: Token[], b: Token[]): boolean {
  const seen = new Set<number>();
  const width = b.length + 1;
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [i, j] = stack.pop()!;
    const id = i * width + j;
    if (seen.has(id)) continue;
    seen.add(id);
    if (i === a.length && j === b.length) return true;
    const ta = a[i];
    const tb = b[j];
    if (ta?.kind === 'star') stack.push([i + 1, j]);
    if (tb?.kind === 'star') stack.push([i, j + 1]);
    if (ta && tb && compatible(ta, tb))
      stack.push([ta.kind === 'star' ? i : i + 1, tb.kind === 'star' ? j : j + 1]);
  }
  return false;
}

/** Which fields of the pattern fit the shape: the five first ones each, and the resource part. */
export interface FieldFit {
  partition: boolean;
  service: boolean;
  region: boolean;
  account: boolean;
  resource: boolean;
}

export function fieldFit(p: ArnPattern, shape: ArnShape): FieldFit | undefined {
  if (!p.fields) return undefined;
  const f = p.fields;
  const s = shape.fields;
  return {
    partition: intersects(f[0]!, s[0]!) && intersects(f[1]!, s[1]!),
    service: intersects(f[2]!, s[2]!),
    region: intersects(f[3]!, s[3]!),
    account: intersects(f[4]!, s[4]!),
    resource: intersects(f[5]!, s[5]!),
  };
}

/** Is the pattern, read field by field (each wildcard in its own field), of the shape's format? */
export function writtenAs(p: ArnPattern, shape: ArnShape): boolean {
  const fit = fieldFit(p, shape);
  return !!fit && fit.partition && fit.service && fit.region && fit.account && fit.resource;
}

/** Can some ARN of the shape's type be matched by the pattern, as the engine matches it? */
function patternMatchesShape(p: ArnPattern, shape: ArnShape): boolean {
  return p.text === '*' || intersects(p.whole, shape.whole);
}

/** Is a field of a pattern or shape a literal (no wildcard, no variable)? Its text when it is. */
export function literalField(p: { fields: Token[][] | undefined }, index: number): string | undefined {
  const f = p.fields?.[index];
  if (!f || !f.every((t) => t.kind === 'lit')) return undefined;
  return f.map((t) => (t.kind === 'lit' ? t.c : '')).join('');
}

/** Is a shape's field empty (the type's ARNs have no region, or no account)? */
export function emptyField(shape: ArnShape, index: number): boolean {
  return shape.fields[index]!.length === 0;
}

/** The shapes of the catalog's resource types, by service and by the ARN's service field; built once per catalog. */
export class ArnShapes {
  private readonly byService = new Map<string, ArnShape[]>();
  private byArnService: Map<string, ArnShape[]> | undefined;
  private readonly byType = new Map<CatalogResourceType, ArnShape[]>();
  private readonly patterns = new Map<string, ArnPattern>();
  private readonly fits = new Map<ArnShape, Map<string, boolean>>();

  constructor(private readonly catalog: Catalog) {}

  /** The shapes of one service's resource types. */
  ofService(service: string): ArnShape[] {
    let list = this.byService.get(service);
    if (!list) {
      list = serviceFormats(this.catalog, service).map(shapeOf);
      this.byService.set(service, list);
      for (const s of list) this.byType.set(s.type, [...(this.byType.get(s.type) ?? []), s]);
    }
    return list;
  }

  /** The shapes of one resource type of a service (one per format). */
  shapes(service: string, type: CatalogResourceType): ArnShape[] {
    this.ofService(service);
    return this.byType.get(type) ?? [];
  }

  /**
   * Every shape whose ARNs carry this service field (`s3`, `execute-api`), across the catalog's
   * services; a type whose service field is a placeholder (AWS Backup's recovery points:
   * `arn:${Partition}:${Vendor}:…`) counts as its own service's. Empty when no type has that field.
   */
  withArnService(arnService: string): ArnShape[] {
    if (!this.byArnService) {
      this.byArnService = new Map();
      const anyService: ArnShape[] = [];
      for (const service of this.catalog.services())
        for (const s of this.ofService(service)) {
          if (s.arnService === undefined) {
            anyService.push(s);
            continue;
          }
          const list = this.byArnService.get(s.arnService) ?? [];
          list.push(s);
          this.byArnService.set(s.arnService, list);
        }
      // A type whose ARN's service is a placeholder (AWS Backup's recovery points) is its own service's.
      for (const s of anyService) {
        const list = this.byArnService.get(s.service) ?? [];
        list.push(s);
        this.byArnService.set(s.service, list);
      }
    }
    return this.byArnService.get(arnService) ?? [];
  }

  pattern(text: string): ArnPattern {
    let p = this.patterns.get(text);
    if (!p) {
      p = parseArnPattern(text);
      this.patterns.set(text, p);
    }
    return p;
  }

  /** `patternMatchesShape`, remembered. */
  matches(text: string, shape: ArnShape): boolean {
    let m = this.fits.get(shape);
    if (!m) this.fits.set(shape, (m = new Map()));
    let r = m.get(text);
    if (r === undefined) {
      r = patternMatchesShape(this.pattern(text), shape);
      m.set(text, r);
    }
    return r;
  }
}
