/** [Name as AWS spells it, type or access level, description] */
export type CatalogEntry = [name: string, kind: string, description: string];

/**
 * An action: [name, access level, description, its resource types as indices into the service's
 * `resourceTypes` (required types first; absent when the action has none)].
 */
export type CatalogActionEntry = [name: string, kind: string, description: string, resourceTypes?: number[]];

/** A resource type: [name as the service's table spells it, ARN format with `${Placeholders}`]. */
export type CatalogResourceTypeEntry = [name: string, arnFormat: string];

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
    }
  >;
  globalConditionKeys: CatalogEntry[];
  /** the service prefixes resource control policies (RCPs) apply to */
  rcpServices?: string[];
}
