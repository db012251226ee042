import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, loadDefaultCatalog } from '../../catalog/catalog.ts';
import seed from '../../fixtures/examples/recommendation-seed.json';
import { recommend, type Refinement } from '../../recommend/index.ts';
import { ancestorsOfChosen, chooseNode } from './choose.ts';
import { labelWidth, layoutTrie, navigate, ROW_HEIGHT, type Layout } from './layout.ts';

let refinement: Refinement;

beforeAll(async () => {
  const r = recommend(
    JSON.stringify(seed.policyDocument),
    seed.unusedPermissions,
    await loadDefaultCatalog(),
  );
  if (!r.ok) throw new Error(r.error.message);
  refinement = r.value.refinements[0]!;
});

function assertReadable(l: Layout): void {
  const byDepth = new Map<number, number[]>();
  for (const n of l.nodes) byDepth.set(n.depth, [...(byDepth.get(n.depth) ?? []), n.y]);
  for (const ys of byDepth.values()) {
    const sorted = [...ys].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(ROW_HEIGHT);
  }
  for (const { from, to } of l.links) {
    // the parent's label ends before the child's column starts
    expect(to.x - from.x).toBeGreaterThan(labelWidth(from.label, from.node.actions.length));
  }
  for (const n of l.nodes) {
    expect(n.y).toBeGreaterThan(0);
    expect(n.y).toBeLessThan(l.height);
    expect(n.x).toBeLessThan(l.width);
  }
}

describe('layoutTrie', () => {
  it('default view: the unsafe path open, chosen nodes and their siblings visible', () => {
    const chosen = new Set(refinement.chosen);
    const open = ancestorsOfChosen(refinement.trie, chosen);
    const l = layoutTrie(refinement.trie, chosen, (id) => open.has(id));
    const ids = l.nodes.map((n) => n.id);
    for (const p of [...seed.trieNodes.safe, ...seed.trieNodes.unsafe]) expect(ids).toContain(`s3:${p}`);
    expect(ids).not.toContain('s3:GetObjectVersion'); // GetObject is chosen, so collapsed
    const object = l.nodes.find((n) => n.id === 's3:GetObject')!;
    expect(object.hasChildren && !object.expanded).toBe(true);
    expect(object.hidden).toBeGreaterThan(8);
    assertReadable(l);
  });

  it('fully expanded (60+ nodes) stays readable', () => {
    const chosen = new Set(refinement.chosen);
    const l = layoutTrie(refinement.trie, chosen, () => true);
    expect(l.nodes.length).toBeGreaterThanOrEqual(60);
    expect(new Set(l.nodes.map((n) => n.id)).size).toBe(l.nodes.length);
    assertReadable(l);
  });

  it('keyboard navigation walks the drawn nodes in order', () => {
    const chosen = new Set(refinement.chosen);
    const open = ancestorsOfChosen(refinement.trie, chosen);
    const l = layoutTrie(refinement.trie, chosen, (id) => open.has(id));
    expect(navigate(l, 's3:Get', 'ArrowDown')).toEqual({ move: l.nodes[1]!.id });
    expect(navigate(l, l.nodes[1]!.id, 'ArrowUp')).toEqual({ move: 's3:Get' });
    expect(navigate(l, 's3:GetObject', 'ChildOrExpand')).toEqual({ toggle: true });
    expect(navigate(l, 's3:GetObject', 'ParentOrCollapse')).toEqual({ move: 's3:Get' });
    expect(navigate(l, 's3:GetBucket', 'ParentOrCollapse')).toEqual({ toggle: true });
    expect(navigate(l, 's3:GetBucket', 'ChildOrExpand')).toEqual({ move: 's3:GetBucketAbac' });
    expect(navigate(l, 's3:Get', 'End')).toEqual({ move: l.nodes.at(-1)!.id });
    const sizes = l.nodes.filter((n) => n.parentId === 's3:Get');
    expect(sizes.map((n) => n.position)).toEqual(sizes.map((_, i) => i + 1));
  });
});

describe('an Allow + NotAction trie (root "*", service nodes)', () => {
  it('lays out, labels the root and services, and refuses the unsafe root', () => {
    const catalog = Catalog.fromActions(['iam:GetRole', 'iam:PassRole', 'iam:PutRolePolicy', 's3:GetObject']);
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }],
    });
    const r = recommend(
      policy,
      [{ serviceNamespace: 'iam', actions: ['PassRole', 'PutRolePolicy'] }],
      catalog,
    );
    if (!r.ok) throw new Error(r.error.message);
    const ref = r.value.refinements[0]!;
    expect(ref.element).toBe('NotAction');
    const chosen = new Set(ref.chosen);
    const open = ancestorsOfChosen(ref.trie, chosen);
    const l = layoutTrie(ref.trie, chosen, (id) => open.has(id));
    expect(l.nodes[0]!.label).toBe('*');
    expect(l.nodes.find((n) => n.id === 'iam:')?.label).toBe('iam:');
    assertReadable(l);
    const refused = chooseNode(ref.trie, ref.chosen, ref.trie.id, 'NotAction');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.reason).toMatch(/take away 1 used action \(iam:GetRole\)/);
  });
});
