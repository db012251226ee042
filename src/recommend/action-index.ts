/**
 * Per-service sorted action lists, so a pattern is expanded by a binary search on its literal prefix
 * instead of a scan of the whole catalog. Built once per catalog (cached) and once per unused set.
 */
import type { Catalog } from '../catalog/catalog.ts';
import { globMatchLower, literalPrefix, statesAfter } from './glob.ts';

export interface IndexedAction {
  service: string;
  name: string;
  /** `service:Name` */
  display: string;
  /** lower-case display */
  key: string;
}

interface ServiceList {
  service: string;
  /** sorted by `key` */
  actions: IndexedAction[];
}

export class ActionIndex {
  private readonly byService = new Map<string, ServiceList>();
  readonly size: number;

  constructor(actions: Iterable<IndexedAction>) {
    let n = 0;
    for (const a of actions) {
      let list = this.byService.get(a.service);
      if (!list) this.byService.set(a.service, (list = { service: a.service, actions: [] }));
      list.actions.push(a);
      n++;
    }
    for (const l of this.byService.values())
      l.actions.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    this.size = n;
  }

  services(): string[] {
    return [...this.byService.keys()];
  }

  serviceActions(service: string): readonly IndexedAction[] {
    return this.byService.get(service)?.actions ?? [];
  }

  /** Every indexed action the (lower-case) glob matches. */
  match(lowerPattern: string): IndexedAction[] {
    const out: IndexedAction[] = [];
    const colon = lowerPattern.indexOf(':');
    const servicePart = colon >= 0 ? lowerPattern.slice(0, colon) : undefined;
    if (servicePart !== undefined && !servicePart.includes('*') && !servicePart.includes('?')) {
      const list = this.byService.get(servicePart);
      if (list) this.scan(list.actions, lowerPattern, literalPrefix(lowerPattern), out);
      return out;
    }
    for (const [service, list] of this.byService) {
      const head = `${service}:`;
      if (statesAfter(lowerPattern, head).size === 0) continue;
      this.scan(list.actions, lowerPattern, head, out);
    }
    return out;
  }

  /** Actions whose key starts with `lowerPrefix`. */
  withPrefix(lowerPrefix: string): IndexedAction[] {
    const colon = lowerPrefix.indexOf(':');
    const out: IndexedAction[] = [];
    if (colon < 0) {
      for (const list of this.byService.values())
        for (const a of list.actions) if (a.key.startsWith(lowerPrefix)) out.push(a);
      return out;
    }
    const list = this.byService.get(lowerPrefix.slice(0, colon));
    if (!list) return out;
    for (let i = lowerBound(list.actions, lowerPrefix); i < list.actions.length; i++) {
      const a = list.actions[i]!;
      if (!a.key.startsWith(lowerPrefix)) break;
      out.push(a);
    }
    return out;
  }

  private scan(sorted: IndexedAction[], lowerPattern: string, lit: string, out: IndexedAction[]): void {
    for (let i = lowerBound(sorted, lit); i < sorted.length; i++) {
      const a = sorted[i]!;
      if (!a.key.startsWith(lit)) break;
      if (globMatchLower(lowerPattern, a.key)) out.push(a);
    }
  }
}

export function lowerBound(sorted: readonly { key: string }[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]!.key < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** True when some key of the sorted list starts with `prefix`. */
export function anyWithPrefix(sorted: readonly { key: string }[], prefix: string): boolean {
  const i = lowerBound(sorted, prefix);
  return i < sorted.length && sorted[i]!.key.startsWith(prefix);
}

const catalogIndexes = new WeakMap<Catalog, ActionIndex>();

export function catalogIndex(catalog: Catalog): ActionIndex {
  let idx = catalogIndexes.get(catalog);
  if (!idx) {
    idx = new ActionIndex(
      catalog.actions.map((a) => ({ service: a.service, name: a.name, display: a.display, key: a.key })),
    );
    catalogIndexes.set(catalog, idx);
  }
  return idx;
}
