/** [Name as AWS spells it, type or access level, description] */
export type CatalogEntry = [name: string, kind: string, description: string];

/**
 * An action: [name, access level, description, its resource types as indices into the service's
 * `resourceTypes` (required types first; empty when the action has none), the condition keys its row
 * of the Service Authorization Reference lists (for the action and per resource type) as indices into
 * the service's `keyNames` (absent when none)].
 */
export type CatalogActionEntry = [
  name: string,
  kind: string,
  description: string,
  resourceTypes?: number[],
  conditionKeys?: number[],
  /** 1 when the action has resource types and none is required: it may also be requested on `*` */
  optionalTypes?: 1,
];

/**
 * A resource type: [name as the service's table spells it, ARN format with `${Placeholders}`, the
 * condition keys of its row (indices into the service's `keyNames`, absent when none)].
 */
export type CatalogResourceTypeEntry = [name: string, arnFormat: string, conditionKeys?: number[]];

export interface CatalogData {
  source: string;
  version: string;
  services: Record<
    string,
    {
      name: string;
      actions: CatalogActionEntry[];
      conditionKeys: CatalogEntry[];
      resourceTypes?: CatalogResourceTypeEntry[];
      /**
       * The condition key names the actions and resource types refer to, as written (service keys,
       * global `aws:` keys, identity-provider keys such as `accounts.google.com:aud`)
       */
      keyNames?: string[];
    }
  >;
  globalConditionKeys: CatalogEntry[];
  /** the service prefixes resource control policies (RCPs) apply to */
  rcpServices?: string[];
}
