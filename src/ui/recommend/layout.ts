/**
 * Lays out the visible part of a trie, left to right, with d3-hierarchy's tidy tree. Each depth gets
 * a column as wide as its longest label, so labels never run into the next column. Pure: no React.
 */
import { hierarchy, tree } from 'd3-hierarchy';
import type { TrieNode } from '../../recommend/index.ts';
import { shortLabel, shownChildren } from './choose.ts';

export const ROW_HEIGHT = 24;
const CHAR_WIDTH = 7.2;
const SHAPE = 16;
const COLUMN_GAP = 34;
const MARGIN = { top: 16, left: 14, right: 24, bottom: 16 };

export interface LaidNode {
  id: string;
  node: TrieNode;
  parentId?: string;
  depth: number;
  /** centre of the shape */
  x: number;
  y: number;
  label: string;
  /** drawn children exist (expanded or not) */
  hasChildren: boolean;
  expanded: boolean;
  /** number of drawn descendants hidden by collapsing */
  hidden: number;
  /** 1-based position among its drawn siblings, and their number (for aria-posinset/setsize) */
  position: number;
  siblings: number;
}

export interface Layout {
  /** in pre-order (the order keyboard navigation walks) */
  nodes: LaidNode[];
  links: { from: LaidNode; to: LaidNode }[];
  width: number;
  height: number;
}

function countShown(n: TrieNode, chosen: ReadonlySet<string>): number {
  let k = 0;
  for (const c of shownChildren(n, chosen)) k += 1 + countShown(c, chosen);
  return k;
}

export function labelWidth(label: string, count: number): number {
  return (label.length + String(count).length + 2) * CHAR_WIDTH;
}

export function layoutTrie(
  root: TrieNode,
  chosen: ReadonlySet<string>,
  isExpanded: (id: string) => boolean,
): Layout {
  const h = hierarchy(root, (n) => (isExpanded(n.id) ? shownChildren(n, chosen) : null));
  tree<TrieNode>()
    .nodeSize([ROW_HEIGHT, 1])
    .separation((a, b) => (a.parent === b.parent ? 1 : 1.25))(h);

  const labels = new Map<string, string>();
  const colWidth: number[] = [];
  h.each((d) => {
    const label = shortLabel(d.data, d.depth === 0);
    labels.set(d.data.id, label);
    colWidth[d.depth] = Math.max(colWidth[d.depth] ?? 0, SHAPE + labelWidth(label, d.data.actions.length));
  });
  const colX: number[] = [];
  let acc = MARGIN.left + SHAPE / 2;
  for (let d = 0; d < colWidth.length; d++) {
    colX[d] = acc;
    acc += (colWidth[d] ?? 0) + COLUMN_GAP;
  }

  let minX = Infinity;
  let maxX = -Infinity;
  h.each((d) => {
    minX = Math.min(minX, d.x ?? 0);
    maxX = Math.max(maxX, d.x ?? 0);
  });

  const byId = new Map<string, LaidNode>();
  const nodes: LaidNode[] = [];
  h.eachBefore((d) => {
    const drawn = shownChildren(d.data, chosen);
    const expanded = drawn.length > 0 && isExpanded(d.data.id);
    const siblings = d.parent ? (d.parent.children ?? []) : [d];
    const laid: LaidNode = {
      id: d.data.id,
      node: d.data,
      depth: d.depth,
      x: colX[d.depth] ?? 0,
      y: (d.x ?? 0) - minX + MARGIN.top + ROW_HEIGHT / 2,
      label: labels.get(d.data.id) ?? '',
      hasChildren: drawn.length > 0,
      expanded,
      hidden: expanded ? 0 : countShown(d.data, chosen),
      position: siblings.indexOf(d) + 1,
      siblings: siblings.length,
    };
    if (d.parent) laid.parentId = d.parent.data.id;
    byId.set(laid.id, laid);
    nodes.push(laid);
  });
  const links = nodes
    .filter((n) => n.parentId !== undefined)
    .map((n) => ({ from: byId.get(n.parentId!)!, to: n }));
  const lastCol = colWidth.length - 1;
  return {
    nodes,
    links,
    width: (colX[lastCol] ?? 0) + (colWidth[lastCol] ?? 0) + MARGIN.right,
    height: maxX - minX + ROW_HEIGHT + MARGIN.top + MARGIN.bottom,
  };
}

/** The id keyboard navigation moves to, or undefined to stay. */
export function navigate(
  layout: Layout,
  from: string,
  key: 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'ParentOrCollapse' | 'ChildOrExpand',
): { move?: string; toggle?: boolean } {
  const i = layout.nodes.findIndex((n) => n.id === from);
  const n = layout.nodes[i];
  if (!n) return layout.nodes[0] ? { move: layout.nodes[0].id } : {};
  switch (key) {
    case 'ArrowUp':
      return i > 0 ? { move: layout.nodes[i - 1]!.id } : {};
    case 'ArrowDown':
      return i < layout.nodes.length - 1 ? { move: layout.nodes[i + 1]!.id } : {};
    case 'Home':
      return { move: layout.nodes[0]!.id };
    case 'End':
      return { move: layout.nodes[layout.nodes.length - 1]!.id };
    case 'ParentOrCollapse':
      if (n.expanded) return { toggle: true };
      return n.parentId !== undefined ? { move: n.parentId } : {};
    case 'ChildOrExpand':
      if (!n.hasChildren) return {};
      if (!n.expanded) return { toggle: true };
      return { move: layout.nodes[i + 1]!.id };
  }
}
