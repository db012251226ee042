import { beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultCatalog, type Catalog } from '../../catalog/catalog.ts';
import seed from '../../fixtures/examples/recommendation-seed.json';
import { globMatch, recommend, type Recommendation, type TrieNode } from '../../recommend/index.ts';
import { ancestorsOfChosen, chooseNode, pathTo, shownChildren, shortLabel } from './choose.ts';

const policyText = JSON.stringify(seed.policyDocument, null, 2);
const KEY = '1|s3:Get*';
let catalog: Catalog;

beforeAll(async () => {
  catalog = await loadDefaultCatalog();
});

function rec(choices?: Record<string, string[]>): Recommendation {
  const r = recommend(policyText, seed.unusedPermissions, catalog, choices ? { choices } : {});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
function refinement(r: Recommendation) {
  const x = r.refinements.find((f) => f.key === KEY);
  if (!x) throw new Error('no s3:Get* refinement');
  return x;
}
const unusedS3 = new Set(
  seed.unusedPermissions
    .find((e) => e.serviceNamespace === 's3')!
    .actions.map((a) => `s3:${a}`.toLowerCase()),
);

/** The replacement admits exactly the used catalog actions of s3:Get*. */
function assertExactCover(replacement: string[]): void {
  for (const a of catalog.serviceActions('s3').filter((x) => globMatch('s3:Get*', x.key))) {
    const admitted = replacement.some((p) => globMatch(p, a.key));
    expect(admitted, a.display).toBe(!unusedS3.has(a.key));
  }
}

describe('chooseNode on the worked example', () => {
  it('a child of a chosen node: the chosen node splits, every used action stays covered', () => {
    const first = refinement(rec());
    const res = chooseNode(first.trie, first.chosen, 's3:GetObjectVersion');
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.chosen).not.toContain('s3:GetObject');
    expect(res.chosen).toContain('s3:GetObjectVersion');
    expect(res.chosen).toContain('s3:GetObject$');
    const next = refinement(rec({ [KEY]: res.chosen }));
    expect(next.custom).toBe(true);
    expect(next.replacement).toContain('s3:GetObjectVersion*');
    expect(next.replacement).toContain('s3:GetObject');
    expect(next.replacement).not.toContain('s3:GetObject*');
    assertExactCover(next.replacement);
  });

  it('a deep descendant: siblings on every level of the path are added', () => {
    const first = refinement(rec());
    const res = chooseNode(first.trie, first.chosen, 's3:GetMultiRegionAccessPointPolicy');
    if (!res.ok) throw new Error(res.reason);
    const next = refinement(rec({ [KEY]: res.chosen }));
    assertExactCover(next.replacement);
    expect(next.replacement).toContain('s3:GetMultiRegionAccessPointPolicy*');
    expect(next.replacement).not.toContain('s3:GetMulti*');
  });

  it('back up to a safe ancestor: the nodes under it are replaced by it', () => {
    const first = refinement(rec());
    const down = chooseNode(first.trie, first.chosen, 's3:GetObjectVersion');
    if (!down.ok) throw new Error(down.reason);
    const mid = refinement(rec({ [KEY]: down.chosen }));
    const up = chooseNode(mid.trie, mid.chosen, 's3:GetObject');
    if (!up.ok) throw new Error(up.reason);
    expect([...up.chosen].sort()).toEqual([...first.chosen].sort());
  });

  it('refuses unsafe nodes and says which unused actions they would admit', () => {
    const first = refinement(rec());
    const res = chooseNode(first.trie, first.chosen, 's3:GetBucket');
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.reason).toMatch(/not safe: it would also allow 14 unused actions/);
    expect(chooseNode(first.trie, first.chosen, 's3:NoSuchNode').ok).toBe(false);
  });

  it('choosing an already chosen node changes nothing', () => {
    const first = refinement(rec());
    expect(chooseNode(first.trie, first.chosen, 's3:GetMulti')).toEqual({ ok: true, chosen: first.chosen });
  });
});

describe('what the panel draws', () => {
  it('one-action chains are drawn as one node unless something under it is chosen', () => {
    const first = refinement(rec());
    const chosen = new Set(first.chosen);
    const account = pathTo(first.trie, 's3:GetAccount')!.at(-1)!;
    expect(account.actions).toHaveLength(1);
    expect(account.children.length).toBeGreaterThan(0);
    expect(shownChildren(account, chosen)).toEqual([]);
    expect(shownChildren(account, new Set(['s3:GetAccountPublic']))).toBe(account.children);
    const object = pathTo(first.trie, 's3:GetObject')!.at(-1)!;
    expect(shownChildren(object, chosen)).toBe(object.children);
  });

  it('expands exactly the ancestors of chosen nodes by default', () => {
    const first = refinement(rec());
    const open = ancestorsOfChosen(first.trie, new Set(first.chosen));
    expect([...open].sort()).toEqual(['s3:Get', 's3:GetBucket']);
  });

  it('labels nodes by their own word', () => {
    const first = refinement(rec());
    const find = (id: string): TrieNode => pathTo(first.trie, id)!.at(-1)!;
    expect(shortLabel(first.trie, true)).toBe('s3:Get');
    expect(shortLabel(find('s3:GetMulti'), false)).toBe('Multi');
    expect(shortLabel(find('s3:GetObject$'), false)).toBe('Object ∎');
  });
});
