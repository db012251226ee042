export {
  recommend,
  type FutureWildcard,
  type Recommendation,
  type RecommendError,
  type Refinement,
  type UnusedPermissionsEntry,
} from './recommend.ts';
export { proofPartHolds, proofRequests, type ProofRequests } from './proof.ts';
export {} from './tokenize.ts';
export { globMatch } from './glob.ts';
export { type TrieNode } from './trie.ts';
