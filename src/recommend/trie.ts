/**
 * The action trie behind one refined wildcard (or one Allow + NotAction statement).
 *
 * Levels: the root (every action), one node per service (`s3:`), then one node per word of the action
 * name (see tokenize.ts). Every node covers the actions below it. Each action is either a TARGET (must
 * stay covered by the chosen nodes) or FORBIDDEN (must not be admitted by them):
 * - for a wildcard in `Action`, targets are the used actions it matches and forbidden ones the unused
 *   actions it matches;
 * - for `NotAction`, targets are the unused actions the statement allows (they are added to NotAction)
 *   and forbidden ones the used actions it allows (they must stay allowed).
 *
 * A node EMITS one or more patterns when chosen: a node covering exactly one action emits that action's
 * name; otherwise it emits `prefix*` (for `Action`, intersected with the original wildcard: see
 * derivativeGlobs). A node is SAFE when what it emits admits no forbidden action. For `prefix*` that is
 * the rule of the issue: no forbidden action starts with the prefix (case-insensitive STRING prefix, not
 * trie descent: `GetObject*` also admits `GetObjects...`). For a one-action node it is "the action is
 * not forbidden": this generalises the rule so that a used action whose name is a prefix of an unused
 * one (used `GetObject`, unused `GetObjectAcl`) is still kept, as the exact name. An action that ends
 * where other actions continue (`GetObject` under `GetObject|Acl`, ...) gets an EXACT child node.
 *
 * The default cover is the least general one: the safe nodes whose parent is unsafe.
 */
import { anyWithPrefix, lowerBound, type IndexedAction } from './action-index.ts';
import { derivativeGlobs, globMatchLower } from './glob.ts';
import { tokenize } from './tokenize.ts';

export interface TrieNode {
  /** stable id: `s3:GetObject` (prefix with service), `s3:` (service), `` (root), `s3:GetObject$` (exact) */
  id: string;
  /** service prefix, absent on the root */
  service?: string;
  /** the action-name part of the prefix (`GetObject`; empty for the root and service nodes) */
  prefix: string;
  /** words of `prefix` */
  tokens: string[];
  /** stands for exactly one action whose name ends here while others continue */
  exact: boolean;
  /** actions covered (`service:Name`), catalog actions plus unused ones outside the catalog */
  actions: string[];
  /** the covered actions that are unused */
  unusedCovered: string[];
  /** what the node emits admits no forbidden action */
  safe: boolean;
  /** part of the current cover */
  chosen: boolean;
  /** the pattern(s) this node contributes when chosen */
  emits: string[];
  children: TrieNode[];
}

type TrieKind = 'Action' | 'NotAction';

export interface TrieInput {
  kind: TrieKind;
  /** the wildcard being refined (kind Action) */
  pattern?: string;
  /** every action of the trie (targets and forbidden ones), deduplicated */
  actions: IndexedAction[];
  /** lower-case keys of the unused actions */
  unused: ReadonlySet<string>;
  /**
   * Forbidden actions sorted by key, for the string-prefix test. For kind Action: every unused action
   * the pattern matches; for kind NotAction: every used action the statement allows.
   */
  forbiddenSorted: readonly { key: string }[];
  /** start the displayed trie at the longest common word prefix (kind Action) */
  collapseRoot: boolean;
  /**
   * Treat the root (every action of every service) as unsafe. For NotAction: the trie holds only the
   * services with unused actions, so `*` would also exclude the used actions of every other service
   * (and every action outside the catalog).
   */
  rootUnsafe?: boolean;
}

interface Raw {
  key: string;
  service?: string;
  tokens: string[];
  /** name part of the prefix */
  prefix: string;
  /** `service:prefix` ('' for the root) */
  full: string;
  ends?: IndexedAction;
  all: IndexedAction[];
  children: Map<string, Raw>;
}

export interface Trie {
  kind: TrieKind;
  root: TrieNode;
  /** lower-case keys of the actions that must stay covered */
  targets: Set<string>;
}

/** lower-case id -> node and parent */
function indexById(root: TrieNode): Map<string, { node: TrieNode; parent?: TrieNode }> {
  const byId = new Map<string, { node: TrieNode; parent?: TrieNode }>();
  const walk = (n: TrieNode, parent: TrieNode | undefined) => {
    byId.set(n.id.toLowerCase(), parent ? { node: n, parent } : { node: n });
    for (const c of n.children) walk(c, n);
  };
  walk(root, undefined);
  return byId;
}

export function buildTrie(input: TrieInput): Trie {
  const root: Raw = { key: '', tokens: [], prefix: '', full: '', all: [], children: new Map() };
  for (const a of input.actions) {
    root.all.push(a);
    let node: Raw | undefined = root.children.get(a.service);
    if (!node) {
      node = {
        key: a.service,
        service: a.service,
        tokens: [],
        prefix: '',
        full: `${a.service}:`,
        all: [],
        children: new Map(),
      };
      root.children.set(a.service, node);
    }
    node.all.push(a);
    for (const t of tokenize(a.name)) {
      const k = t.toLowerCase();
      let next: Raw | undefined = node.children.get(k);
      if (!next) {
        next = {
          key: k,
          service: a.service,
          tokens: [...node.tokens, t],
          prefix: node.prefix + t,
          full: node.full + t,
          all: [],
          children: new Map(),
        };
        node.children.set(k, next);
      }
      next.all.push(a);
      node = next;
    }
    node.ends = a;
  }
  let top = root;
  if (input.collapseRoot) {
    while (top.children.size === 1 && !top.ends) top = top.children.values().next().value as Raw;
  }
  const isForbidden =
    input.kind === 'Action' ? (k: string) => input.unused.has(k) : (k: string) => !input.unused.has(k);
  const targets = new Set<string>();
  for (const a of input.actions) if (!isForbidden(a.key)) targets.add(a.key);

  const make = (r: Raw, actions: IndexedAction[], exact: boolean): TrieNode => {
    const full = r.full;
    let safe: boolean;
    let emits: string[];
    if (actions.length === 1) {
      const only = actions[0]!;
      safe = !isForbidden(only.key);
      emits = [only.display];
    } else if (r === root && input.rootUnsafe) {
      safe = false;
      emits = ['*'];
    } else {
      safe = !anyWithPrefix(input.forbiddenSorted, full.toLowerCase());
      emits =
        input.kind === 'Action' && input.pattern !== undefined
          ? derivativeGlobs(input.pattern, full)
          : [`${full}*`];
      // An exact derivative can have branches no known action takes (`Get*Tagging` by `GetObject` also
      // gives the literal `GetObjectagging`); drop them: every covered action keeps its branch.
      // Forbidden actions under the prefix keep their branch too, so `safe` is exactly "emits admit no
      // forbidden action".
      if (emits.length > 1) {
        const lowerActions = actions.map((a) => a.key);
        const lowerFull = full.toLowerCase();
        for (let i = lowerBound(input.forbiddenSorted, lowerFull); i < input.forbiddenSorted.length; i++) {
          const k = input.forbiddenSorted[i]!.key;
          if (!k.startsWith(lowerFull)) break;
          lowerActions.push(k);
        }
        emits = emits.filter((e) => {
          const le = e.toLowerCase();
          return lowerActions.some((k) => globMatchLower(le, k));
        });
      }
    }
    const node: TrieNode = {
      id: exact ? `${full}$` : full,
      prefix: r.prefix,
      tokens: r.tokens,
      exact,
      actions: actions.map((a) => a.display),
      unusedCovered: actions.filter((a) => input.unused.has(a.key)).map((a) => a.display),
      safe,
      chosen: false,
      emits,
      children: [],
    };
    if (r.service !== undefined) node.service = r.service;
    if (!exact) {
      if (r.ends && r.children.size > 0) node.children.push(make(r, [r.ends], true));
      const kids = [...r.children.values()].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      for (const k of kids) node.children.push(make(k, k.all, false));
    }
    return node;
  };
  const trie: Trie = { kind: input.kind, root: make(top, top.all, false), targets };
  applyCover(trie, defaultCover(trie));
  return trie;
}

/** The least general cover: safe nodes whose parent is unsafe (or the root, when it is safe). */
function defaultCover(trie: Trie): string[] {
  const out: string[] = [];
  const walk = (n: TrieNode, parentSafe: boolean) => {
    if (n.safe && !parentSafe) {
      out.push(n.id);
      return;
    }
    for (const c of n.children) walk(c, n.safe);
  };
  walk(trie.root, false);
  return out;
}

export type CoverCheck = { ok: true; ids: string[] } | { ok: false; message: string };

/**
 * Checks a set of node ids is a valid cover: every id names a safe node and every target action lies
 * under some chosen node. Ids are matched case-insensitively; a node under another chosen node is
 * redundant and dropped. Returns the normalised ids in trie order.
 */
export function checkCover(trie: Trie, ids: readonly string[]): CoverCheck {
  const byId = indexById(trie.root);
  const want = new Set<string>();
  for (const id of ids) {
    const hit = byId.get(id.toLowerCase());
    if (!hit) return { ok: false, message: `No trie node "${id}".` };
    if (!hit.node.safe)
      return {
        ok: false,
        message: `Node "${id}" is not safe: ${trie.kind === 'Action' ? 'it would admit unused actions' : 'it would exclude used actions'}.`,
      };
    want.add(hit.node.id);
  }
  const chosen: string[] = [];
  const covered = new Set<string>();
  const walk = (n: TrieNode) => {
    if (want.has(n.id)) {
      chosen.push(n.id);
      for (const a of n.actions) covered.add(a.toLowerCase());
      return;
    }
    for (const c of n.children) walk(c);
  };
  walk(trie.root);
  const missing = [...trie.targets].filter((t) => !covered.has(t));
  if (missing.length > 0)
    return {
      ok: false,
      message: `The chosen nodes leave ${missing.length} action(s) uncovered, e.g. ${missing.slice(0, 3).join(', ')}.`,
    };
  return { ok: true, ids: chosen };
}

/** Marks the chosen nodes and returns what they emit, in trie order, deduplicated. */
export function applyCover(trie: Trie, ids: readonly string[]): string[] {
  const want = new Set(ids);
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (n: TrieNode) => {
    n.chosen = want.has(n.id);
    if (n.chosen)
      for (const e of n.emits) {
        if (seen.has(e.toLowerCase())) continue;
        seen.add(e.toLowerCase());
        out.push(e);
      }
    for (const c of n.children) walk(c);
  };
  walk(trie.root);
  return out;
}

/** Ids of the chosen nodes, in trie order. */
export function chosenIds(root: TrieNode): string[] {
  const out: string[] = [];
  const walk = (n: TrieNode) => {
    if (n.chosen) out.push(n.id);
    for (const c of n.children) walk(c);
  };
  walk(root);
  return out;
}

export function findNode(root: TrieNode, id: string): { node: TrieNode; parent?: TrieNode } | undefined {
  const lower = id.toLowerCase();
  const walk = (n: TrieNode, parent?: TrieNode): { node: TrieNode; parent?: TrieNode } | undefined => {
    if (n.id.toLowerCase() === lower) return parent ? { node: n, parent } : { node: n };
    for (const c of n.children) {
      const hit = walk(c, n);
      if (hit) return hit;
    }
    return undefined;
  };
  return walk(root);
}

function under(n: TrieNode, acc: Set<string>): Set<string> {
  acc.add(n.id);
  for (const c of n.children) under(c, acc);
  return acc;
}

/**
 * UI helper: make a chosen node more specific by choosing its children instead (every child of a safe
 * node is safe). Returns the new id list, or undefined when the node is not chosen or has no children.
 */
export function specialize(root: TrieNode, chosen: readonly string[], id: string): string[] | undefined {
  const hit = findNode(root, id);
  if (
    !hit ||
    !chosen.some((c) => c.toLowerCase() === hit.node.id.toLowerCase()) ||
    hit.node.children.length === 0
  )
    return undefined;
  return [
    ...chosen.filter((c) => c.toLowerCase() !== hit.node.id.toLowerCase()),
    ...hit.node.children.map((c) => c.id),
  ];
}

/**
 * UI helper: replace a chosen node (and every chosen node under the same parent) by the parent, when
 * the parent is safe. Returns the new id list, or undefined when that would admit a forbidden action.
 */
export function generalize(root: TrieNode, chosen: readonly string[], id: string): string[] | undefined {
  const hit = findNode(root, id);
  if (!hit?.parent?.safe) return undefined;
  const inside = new Set([...under(hit.parent, new Set())].map((s) => s.toLowerCase()));
  return [...chosen.filter((c) => !inside.has(c.toLowerCase())), hit.parent.id];
}
