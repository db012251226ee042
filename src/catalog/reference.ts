/**
 * The Service Authorization Reference read as AWS authorizes requests ("service-aware", issue 13):
 * an action is requested on a resource of one of its own resource types — an ARN of the type's
 * format — or on `*` when it has none, and carries only the condition keys its rows list (and the
 * global keys every request may carry). docs/semantics-decisions.md, "Service-aware reading", has the
 * placeholder rules; smt's side (checks/service-aware.ts) builds its regexes from the same shapes,
 * and this module's matcher is the referee's independent reading of them.
 */
import type { Catalog, CatalogAction } from './catalog.ts';

/** One piece of an ARN format: literal text, or a `${Placeholder}` and what its value may contain. */
type ArnPiece = { lit: string } | { ph: string; slash: boolean; colon: boolean };

export interface ArnShape {
  /** the resource type's name as the service's table spells it (`bucket`, `object`) */
  type: string;
  /** the format as the reference writes it (`arn:${Partition}:s3:::${BucketName}`) */
  format: string;
  pieces: ArnPiece[];
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/**
 * The pieces of a format. A placeholder's value has no `:` unless it ends the format (the colon
 * separates ARN fields), and no `/` when the service writes `/` right after it in some format (the
 * slash separates it from what follows: a bucket from its objects). Otherwise any text, so a shape is
 * never narrower than AWS's own resource names.
 */
function pieces(format: string, slashAfter: Set<string>): ArnPiece[] {
  const out: ArnPiece[] = [];
  let last = 0;
  const matches = [...format.matchAll(PLACEHOLDER)];
  for (const [i, m] of matches.entries()) {
    if (m.index > last) out.push({ lit: format.slice(last, m.index) });
    const end = m.index + m[0].length;
    const ph = m[1]!;
    out.push({ ph, slash: !slashAfter.has(ph), colon: i === matches.length - 1 && end === format.length });
    last = end;
  }
  if (last < format.length) out.push({ lit: format.slice(last) });
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matcher(shape: ArnShape): RegExp {
  const body = shape.pieces
    .map((p) => {
      if ('lit' in p) return escape(p.lit);
      const not = `${p.colon ? '' : ':'}${p.slash ? '' : '/'}`;
      return not ? `[^${not}\\n]*` : '.*';
    })
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/** Why the reference rules a request out, in words a person can check against the reference. */
export interface RuledOut {
  action: string;
  reason: string;
}

export class ServiceReference {
  private readonly shapesByService = new Map<string, Map<string, ArnShape>>();
  private readonly matchers = new WeakMap<ArnShape, RegExp>();

  constructor(readonly catalog: Catalog) {}

  /** The shapes of the resources `action` can be requested on (empty: only `*`). */
  shapes(action: CatalogAction): ArnShape[] {
    const byFormat = this.serviceShapes(action.service);
    return action.resourceTypes.map((t) => byFormat.get(t.arn)!);
  }

  private serviceShapes(service: string): Map<string, ArnShape> {
    let m = this.shapesByService.get(service);
    if (m) return m;
    const formats = new Map<string, string>();
    for (const a of this.catalog.serviceActions(service))
      for (const t of a.resourceTypes) if (!formats.has(t.arn)) formats.set(t.arn, t.name);
    const slashAfter = new Set<string>();
    for (const f of formats.keys()) for (const x of f.matchAll(/\$\{([^}]*)\}\//g)) slashAfter.add(x[1]!);
    m = new Map(
      [...formats].map(([format, type]) => [format, { type, format, pieces: pieces(format, slashAfter) }]),
    );
    this.shapesByService.set(service, m);
    return m;
  }

  /** Can `action` be requested on `resource`? Undefined when it can; else why not. */
  resourceProblem(action: CatalogAction, resource: string): string | undefined {
    const shapes = this.shapes(action);
    if (shapes.length === 0)
      return resource === '*'
        ? undefined
        : `${action.display} acts on no resource type (its requests name "*"), not ${resource}`;
    for (const s of shapes) {
      let re = this.matchers.get(s);
      if (!re) this.matchers.set(s, (re = matcher(s)));
      if (re.test(resource)) return undefined;
    }
    return `${action.display} acts on ${describeTypes(shapes)}; ${resource} is none of them`;
  }

  private readonly restricted = new Map<string, boolean>();

  /**
   * Can a request for `action` carry the condition key `key`? Undefined when it can; else why not.
   * Only keys the reference lists per action are restricted: a key of the action's own service, or
   * an `aws:` key, that some action of the service lists (`s3:prefix`, `aws:RequestTag/${TagKey}`).
   * Every other key (global keys such as aws:SourceIp, the caller's keys, another service's keys
   * such as ec2:SourceInstanceARN, which AWS adds to requests made with instance credentials) may be
   * on any request.
   */
  keyProblem(action: CatalogAction, key: string): string | undefined {
    const lower = key.toLowerCase();
    const prefix = lower.slice(0, lower.indexOf(':'));
    if (prefix !== 'aws' && prefix !== action.service) return undefined;
    const id = `${action.service}|${lower}`;
    let r = this.restricted.get(id);
    if (r === undefined) {
      r = this.catalog.serviceActions(action.service).some((a) => this.catalog.supportsConditionKey(a, key));
      this.restricted.set(id, r);
    }
    if (!r || this.catalog.supportsConditionKey(action, key)) return undefined;
    return `${action.display} requests carry no ${key} (the reference lists it for other ${action.service} actions)`;
  }

  /**
   * Is `request` one AWS could authorize? Undefined when it is (or the catalog does not know the
   * action: then nothing rules it out); else why not.
   */
  ruledOut(request: {
    action: string;
    resource: string;
    context?: Record<string, unknown>;
  }): RuledOut | undefined {
    const action = this.catalog.action(request.action);
    if (!action) return undefined;
    const reason =
      this.resourceProblem(action, request.resource) ??
      Object.keys(request.context ?? {})
        .map((k) => this.keyProblem(action, k))
        .find((x) => x !== undefined);
    return reason === undefined ? undefined : { action: action.display, reason };
  }
}

/** "buckets (arn:${Partition}:s3:::${BucketName})", several joined with "or". */
export function describeTypes(shapes: ArnShape[]): string {
  return shapes.map((s) => `${s.type} (${s.format})`).join(' or ');
}

/** The catalog's release date, from its version (`…@0.21.202609261` → 2026-09-26), when it has one. */
export function catalogDate(catalog: Catalog): string | undefined {
  const m = /(\d{4})(\d{2})(\d{2})\d*$/.exec(catalog.version);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
