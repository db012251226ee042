/**
 * What clicking a trie node does to the cover, and which nodes the trie panel draws. Pure: works on
 * the engine's TrieNode (ids, `safe`, `chosen`, `actions`), no React.
 *
 * A cover is a set of safe nodes under which every target action lies. Choosing node N:
 * - N unsafe: refused (it would admit an unused action, or for NotAction exclude a used one);
 * - N already chosen: nothing changes;
 * - N under a chosen node A (more specific): A is replaced by N plus, on every level of the path from A
 *   down to N, the siblings of that path, so every action A covered stays covered;
 * - N above chosen nodes (more general, N is safe): those nodes are replaced by N.
 */
import type { TrieNode } from '../../recommend/index.ts';

type Element = 'Action' | 'NotAction';

export type ChooseResult = { ok: true; chosen: string[] } | { ok: false; reason: string };

/** The path root -> node (inclusive), or undefined when the id is not in the trie. */
export function pathTo(root: TrieNode, id: string): TrieNode[] | undefined {
  if (root.id === id) return [root];
  for (const c of root.children) {
    const p = pathTo(c, id);
    if (p) return [root, ...p];
  }
  return undefined;
}

function idsUnder(n: TrieNode, acc = new Set<string>()): Set<string> {
  acc.add(n.id);
  for (const c of n.children) idsUnder(c, acc);
  return acc;
}

export function chooseNode(
  root: TrieNode,
  chosen: readonly string[],
  id: string,
  element: Element = 'Action',
): ChooseResult {
  const path = pathTo(root, id);
  if (!path) return { ok: false, reason: `No trie node "${id}".` };
  const node = path[path.length - 1]!;
  if (!node.safe) return { ok: false, reason: `${label(node)} is not safe: ${unsafeWhy(node, element)}` };
  const current = new Set(chosen);
  if (current.has(id)) return { ok: true, chosen: [...chosen] };
  const aboveIndex = path.findIndex((n) => current.has(n.id));
  if (aboveIndex >= 0) {
    const out = chosen.filter((c) => c !== path[aboveIndex]!.id);
    for (let i = aboveIndex; i < path.length - 1; i++)
      for (const sibling of path[i]!.children) if (sibling.id !== path[i + 1]!.id) out.push(sibling.id);
    out.push(id);
    return { ok: true, chosen: inTrieOrder(root, out) };
  }
  const inside = idsUnder(node);
  return { ok: true, chosen: inTrieOrder(root, [...chosen.filter((c) => !inside.has(c)), id]) };
}

/** The node's children as the panel draws them: a one-action node stands for its whole chain. */
export function shownChildren(n: TrieNode, chosen: ReadonlySet<string>): TrieNode[] {
  if (n.actions.length === 1 && ![...idsUnder(n)].some((id) => id !== n.id && chosen.has(id))) return [];
  return n.children;
}

/** Ids of the nodes that are strict ancestors of a chosen node (the default expanded set). */
export function ancestorsOfChosen(root: TrieNode, chosen: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const walk = (n: TrieNode, above: TrieNode[]): void => {
    if (chosen.has(n.id)) for (const a of above) out.add(a.id);
    for (const c of n.children) walk(c, [...above, n]);
  };
  walk(root, []);
  return out;
}

function inTrieOrder(root: TrieNode, ids: string[]): string[] {
  const want = new Set(ids);
  const out: string[] = [];
  const walk = (n: TrieNode): void => {
    if (want.has(n.id)) out.push(n.id);
    for (const c of n.children) walk(c);
  };
  walk(root);
  return out;
}

/** What the panel writes for a node: the pattern it stands for. */
export function label(n: TrieNode): string {
  if (n.exact) return `${n.service ?? ''}:${n.prefix} (exact)`;
  if (n.service === undefined) return '(every action)';
  return `${n.service}:${n.prefix}${n.actions.length === 1 ? '' : '…'}`;
}

/** The short text drawn next to a node's shape: its own word of the action name. */
export function shortLabel(n: TrieNode, isRoot: boolean): string {
  if (isRoot) return n.service === undefined ? '*' : `${n.service}:${n.prefix}`;
  if (n.service === undefined) return '*';
  if (n.tokens.length === 0) return `${n.service}:`;
  const last = n.tokens[n.tokens.length - 1]!;
  return n.exact ? `${last} ∎` : last;
}

const some = (list: string[]): string => `${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''}`;

/**
 * Why a node cannot be chosen. For a wildcard in Action, it would admit unused actions; for NotAction
 * (where chosen nodes are added to the exclusions) it would exclude actions that are still used.
 */
export function unsafeWhy(n: TrieNode, element: Element = 'Action'): string {
  if (element === 'NotAction') {
    const unused = new Set(n.unusedCovered.map((a) => a.toLowerCase()));
    const used = n.actions.filter((a) => !unused.has(a.toLowerCase()));
    if (used.length > 0)
      return `adding it to NotAction would also take away ${used.length} used action${used.length === 1 ? '' : 's'} (${some(used)}).`;
    return 'adding it to NotAction would also exclude actions outside the catalog or of other services.';
  }
  const unused = n.unusedCovered.length;
  if (unused > 0)
    return `it would also allow ${unused} unused action${unused === 1 ? '' : 's'} (${some(n.unusedCovered)}).`;
  return 'what it stands for would also match an unused action.';
}
