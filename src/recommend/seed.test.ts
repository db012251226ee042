import { describe, expect, it } from 'vitest';
import { Catalog, loadDefaultCatalog } from '../catalog/catalog.ts';
import seed from '../fixtures/examples/recommendation-seed.json';
import { recommend, type Recommendation, type UnusedPermissionsEntry } from './recommend.ts';
import { tokenize } from './tokenize.ts';
import { findNode, type TrieNode } from './trie.ts';

const policyText = JSON.stringify(seed.policyDocument, null, 2);
const unused: UnusedPermissionsEntry[] = seed.unusedPermissions;

export function seedEraCatalog(): Catalog {
  const list = new Set<string>(seed.catalogs.seedEra['s3:Get*'].map((a) => `s3:${a}`));
  for (const st of seed.policyDocument.Statement)
    for (const a of st.Action) if (!a.includes('*')) list.add(a);
  for (const e of seed.unusedPermissions) for (const a of e.actions) list.add(`${e.serviceNamespace}:${a}`);
  for (const a of ['InvokeFunction', 'InvokeAsync', 'InvokeFunctionUrl']) list.add(`lambda:${a}`);
  for (const a of [
    'ListBucket',
    'ListAllMyBuckets',
    'ListBucketVersions',
    'ListMultipartUploadParts',
    'ListJobs',
  ])
    list.add(`s3:${a}`);
  return Catalog.fromActions([...list], 'seedEra');
}

function normalised(doc: unknown): unknown {
  const d = structuredClone(doc) as { Statement: { Action: string[] }[] };
  for (const s of d.Statement) s.Action = [...s.Action].sort();
  return d;
}

function ok(r: ReturnType<typeof recommend>): Recommendation {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function getTrie(rec: Recommendation, key: string): TrieNode {
  const r = rec.refinements.find((x) => x.key === key);
  if (!r) throw new Error(`no refinement ${key}`);
  return r.trie;
}

describe('recommendation worked example', () => {
  it('tokenises like the fixture', () => {
    expect(tokenize(seed.trieTokens.example)).toEqual(seed.trieTokens.tokens);
  });

  it('gives exactly expected.seedEra with the seed-era catalog', () => {
    const rec = ok(recommend(policyText, unused, seedEraCatalog()));
    expect(rec.recommendedAction).toBe('CREATE_POLICY');
    expect(normalised(JSON.parse(rec.recommendedPolicy ?? ''))).toEqual(normalised(seed.expected.seedEra));
    expect(rec.recommendedPolicy).toBe(JSON.stringify(rec.recommendedDocument, null, 2));
  });

  it('gives exactly expected.today with the pinned catalog', async () => {
    const rec = ok(recommend(policyText, unused, await loadDefaultCatalog()));
    expect(normalised(JSON.parse(rec.recommendedPolicy ?? ''))).toEqual(normalised(seed.expected.today));
  });

  it('marks the trie nodes safe and unsafe as the fixture says', async () => {
    for (const catalog of [seedEraCatalog(), await loadDefaultCatalog()]) {
      const rec = ok(recommend(policyText, unused, catalog));
      const trie = getTrie(rec, '1|s3:Get*');
      expect(trie.prefix).toBe('Get');
      for (const p of seed.trieNodes.safe) expect(findNode(trie, `s3:${p}`)?.node.safe, p).toBe(true);
      for (const p of seed.trieNodes.unsafe) expect(findNode(trie, `s3:${p}`)?.node.safe, p).toBe(false);
      // the chosen nodes are exactly the safe children of unsafe nodes
      for (const p of seed.trieNodes.safe) expect(findNode(trie, `s3:${p}`)?.node.chosen, p).toBe(true);
      // lambda:Invoke* has no unused action under it: no refinement, kept as written
      expect(rec.refinements.some((r) => r.pattern === 'lambda:Invoke*')).toBe(false);
      expect(rec.futureProofing.filter((f) => f.origin === 'kept').map((f) => f.pattern)).toEqual([
        'lambda:Invoke*',
        's3:List*',
      ]);
    }
  });
});
