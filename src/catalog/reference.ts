/**
 * The Service Authorization Reference read as AWS authorizes requests ("service-aware", issue 13):
 * an action is requested on a resource of one of its own resource types — an ARN of one of the
 * type's formats (arn-formats.ts) — or on `*` when it has none or when all its types are optional,
 * and carries only the condition keys its rows list (and the keys every request may carry).
 * docs/semantics-decisions.md, "Service-aware reading", has the rules; smt's side
 * (checks/service-aware.ts) builds its regexes from the same formats, and this module's matcher is
 * the referee's independent reading of them.
 */
import { typeFormats, type ArnFormat } from './arn-formats.ts';
import type { Catalog, CatalogAction } from './catalog.ts';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matcher(f: ArnFormat): RegExp {
  const body = f.pieces
    .map((p) => {
      if (p.kind === 'lit') return escape(p.text);
      if (p.kind === 'any') return '.*';
      const not = `${p.noColon ? ':' : ''}${p.noSlash ? '/' : ''}`;
      const one = not ? `[^${not}]` : '.';
      return p.nonEmpty ? `${one}+` : `${one}*`;
    })
    .join('');
  return new RegExp(`^${body}$`, 's');
}

/**
 * Keys S3 documents for every request it authenticates (S3 API Reference, "Amazon S3 Signature
 * Version 4 Authentication Specific Policy Keys"; the S3 User Guide's TLS examples), though the
 * reference lists them for only some actions: never ruled out.
 */
const REQUEST_WIDE_KEYS = new Set([
  's3:authtype',
  's3:signatureage',
  's3:signatureversion',
  's3:tlsversion',
  's3:x-amz-content-sha256',
]);

/** Why the reference rules a request out, in words a person can check against the reference. */
export interface RuledOut {
  action: string;
  reason: string;
}

export class ServiceReference {
  private readonly matchers = new WeakMap<ArnFormat, RegExp>();
  private readonly restricted = new Map<string, boolean>();

  constructor(readonly catalog: Catalog) {}

  /** The formats of the resources `action` can be requested on (with `*` when `action.anyResource`). */
  formats(action: CatalogAction): ArnFormat[] {
    return action.resourceTypes.flatMap((t) => typeFormats(this.catalog, action.service, t));
  }

  /** Can `action` be requested on `resource`? Undefined when it can; else why not. */
  resourceProblem(action: CatalogAction, resource: string): string | undefined {
    if (resource === '*' && action.anyResource) return undefined;
    const formats = this.formats(action);
    for (const f of formats) {
      let re = this.matchers.get(f);
      if (!re) this.matchers.set(f, (re = matcher(f)));
      if (re.test(resource)) return undefined;
    }
    if (formats.length === 0)
      return `${action.display} acts on no resource type (its requests name "*"), not ${resource}`;
    return `${action.display} acts on ${describeTypes(formats)}; ${resource} is none of them`;
  }

  /**
   * Can a request for `action` carry the condition key `key`? Undefined when it can; else why not.
   * Only keys the reference lists per action are restricted: a key of the action's own service, or
   * an `aws:` key, that some action of the service lists (`s3:prefix`, `aws:RequestTag/${TagKey}`).
   * Every other key may be on any request: global keys such as aws:SourceIp and the cross-service
   * ones (ssm:SourceInstanceArn, "available across other services"), the caller's keys, another
   * service's keys (ec2:SourceInstanceARN, on every request made with an instance's credentials),
   * and the keys S3 documents for every request it authenticates (REQUEST_WIDE_KEYS).
   */
  keyProblem(action: CatalogAction, key: string): string | undefined {
    const lower = key.toLowerCase();
    const prefix = lower.slice(0, lower.indexOf(':'));
    if (prefix !== 'aws' && prefix !== action.service) return undefined;
    if (REQUEST_WIDE_KEYS.has(lower) || (prefix !== 'aws' && this.catalog.isGlobalKey(lower)))
      return undefined;
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

/** "bucket (arn:${Partition}:s3:::${BucketName})", several joined with "or". */
export function describeTypes(formats: ArnFormat[]): string {
  return formats.map((f) => `${f.type.name} (${f.format})`).join(' or ');
}

/** The catalog's release date, from its version (`…@0.21.202609261` → 2026-09-26), when it has one. */
export function catalogDate(catalog: Catalog): string | undefined {
  const m = /(\d{4})(\d{2})(\d{2})\d*$/.exec(catalog.version);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}
