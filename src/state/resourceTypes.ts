/**
 * The resource types the page offers for CheckNoPublicAccess (Access Analyzer's 26, by its names:
 * checks/public-types.ts), and how a stored or shared one is read. Stored state and links are
 * untrusted and may be older than the list: a name the engine once took and AWS does not is migrated
 * where AWS has a name for it (`AWS::Glacier::Vault` is `AWS::S3::Glacier`), and otherwise kept, so
 * the check answers with its input error (INVALID_RESOURCE_TYPE, listing the accepted names) instead
 * of the page silently checking another type.
 */
import { z } from 'zod';
import { meantPublicType, PUBLIC_RESOURCE_TYPES, RETIRED_PUBLIC_TYPES } from '../checks/public-types.ts';

/** A stored resource type, migrated; anything else is not read (the field keeps its default). */
export const StoredResourceType = z
  .string()
  .max(200)
  .transform((v, ctx) => {
    if (PUBLIC_RESOURCE_TYPES.includes(v)) return v;
    const meant = meantPublicType(v);
    if (meant !== undefined) return meant;
    if (Object.hasOwn(RETIRED_PUBLIC_TYPES, v)) return v;
    ctx.addIssue({ code: 'custom', message: `not a resource type: ${v}` });
    return z.NEVER;
  });

/** The select's options: the accepted names, and the current one when AWS does not accept it. */
export function resourceTypeOptions(current: string): { value: string; label: string }[] {
  const options = PUBLIC_RESOURCE_TYPES.map((value) => ({ value, label: value }));
  return PUBLIC_RESOURCE_TYPES.includes(current)
    ? options
    : [{ value: current, label: `${current} (not accepted by Access Analyzer)` }, ...options];
}
