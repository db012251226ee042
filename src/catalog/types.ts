/** [Name as AWS spells it, type or access level, description] */
export type CatalogEntry = [name: string, kind: string, description: string];

export interface CatalogData {
  source: string;
  version: string;
  services: Record<string, { name: string; actions: CatalogEntry[]; conditionKeys: CatalogEntry[] }>;
  globalConditionKeys: CatalogEntry[];
}
