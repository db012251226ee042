/**
 * The ARN formats of the Service Authorization Reference, read once for the whole engine: the
 * service-aware reading (reference.ts, and the checks' regexes built from it) and the validator's
 * findings from the reference (policy/validate/arn.ts) take their shapes from here, so the two agree
 * on what an ARN of a resource type can be (docs/semantics-decisions.md, "Service-aware reading").
 *
 * A format's `${Placeholder}` stands for any text, except:
 *   - no `:` unless it ends the format (the colon separates ARN fields);
 *   - no `/` when the service writes `/` right after that placeholder in one of its formats
 *     (`${BucketName}/${ObjectName}`: a bucket name has no slash), except names AWS documents with
 *     slashes (EventBridge's partner event buses and sources, `aws.partner/example.com/123/orders`);
 *   - a placeholder in the partition, service, Region or account field is never empty (a type whose
 *     ARNs have no Region writes the field empty, with no placeholder).
 * A `*` written in a format (`phone-number/*`) is any run of characters. A type the reference gives
 * several formats (`…/apis/${ApiId}/stages, …/restapis/${RestApiId}/stages`) has one for each, and S3's
 * access point types also have the Multi-Region form without a Region, which the reference omits.
 */
import type { Catalog, CatalogResourceType } from './catalog.ts';

type FormatPiece =
  | { kind: 'lit'; text: string }
  /** a `*` written in the format */
  | { kind: 'any' }
  | { kind: 'ph'; name: string; noSlash: boolean; noColon: boolean; nonEmpty: boolean };

export interface ArnFormat {
  /** the service whose table defines the type */
  service: string;
  type: CatalogResourceType;
  /** one format of the type, as the reference writes it */
  format: string;
  pieces: FormatPiece[];
}

/** Placeholders whose values may hold `/` though the service writes `/` after them elsewhere. */
const SLASHED_NAMES: Record<string, readonly string[]> = {
  // EventBridge API reference, CreatePartnerEventSource: "partner_name/event_namespace/event_name",
  // and the partner event bus has the source's name.
  events: ['EventBusName', 'EventSourceName'],
};

const cache = new WeakMap<Catalog, Map<string, ArnFormat[]>>();

/** The formats of a service's resource types (each of a type with several), read as above. */
export function serviceFormats(catalog: Catalog, service: string): ArnFormat[] {
  let byService = cache.get(catalog);
  if (!byService) cache.set(catalog, (byService = new Map()));
  let list = byService.get(service);
  if (list) return list;
  const written = catalog
    .serviceResourceTypes(service)
    .flatMap((type) =>
      type.arn
        .split(/,\s*(?=arn:)/)
        .flatMap((format) => [{ type, format }, ...multiRegion(service, type, format)]),
    );
  const slashAfter = new Set<string>();
  for (const { format } of written)
    for (const m of format.matchAll(/\$\{([^}]*)\}\//g)) slashAfter.add(m[1]!);
  for (const name of SLASHED_NAMES[service] ?? []) slashAfter.delete(name);
  list = written.map(({ type, format }) => ({ service, type, format, pieces: piecesOf(format, slashAfter) }));
  byService.set(service, list);
  return list;
}

/** The formats of one resource type of a service. */
export function typeFormats(catalog: Catalog, service: string, type: CatalogResourceType): ArnFormat[] {
  return serviceFormats(catalog, service).filter((f) => f.type === type);
}

/**
 * A gap of the reference filled by hand: S3 actions on access points also act on Multi-Region Access
 * Points, whose ARNs have no Region (`arn:aws:s3::111122223333:accesspoint/abc.mrap/object/key`, S3
 * User Guide, "Multi-Region Access Points"); the reference writes only the Regional format.
 */
function multiRegion(
  service: string,
  type: CatalogResourceType,
  format: string,
): { type: CatalogResourceType; format: string }[] {
  if (service !== 's3' || !/^accesspoint(object)?$/.test(type.name)) return [];
  return [{ type, format: format.replace(':s3:${Region}:', ':s3::') }];
}

function piecesOf(format: string, slashAfter: Set<string>): FormatPiece[] {
  const out: FormatPiece[] = [];
  const literal = (s: string): void => {
    s.split('*').forEach((text, i) => {
      if (i > 0) out.push({ kind: 'any' });
      if (text) out.push({ kind: 'lit', text });
    });
  };
  const placeholders = [...format.matchAll(/\$\{([^}]*)\}/g)];
  let last = 0;
  for (const [i, m] of placeholders.entries()) {
    literal(format.slice(last, m.index));
    const end = m.index + m[0].length;
    out.push({
      kind: 'ph',
      name: m[1]!,
      noSlash: slashAfter.has(m[1]!),
      noColon: !(i === placeholders.length - 1 && end === format.length),
      nonEmpty: (format.slice(0, m.index).match(/:/g) ?? []).length < 5,
    });
    last = end;
  }
  literal(format.slice(last));
  return out;
}
