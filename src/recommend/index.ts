export {
  recommend,
  normaliseUnused,
  type FutureWildcard,
  type Recommendation,
  type RecommendedAction,
  type RecommendError,
  type RecommendOptions,
  type RecommendResult,
  type Refinement,
  type UnusedPermissionsEntry,
  type UnusedPermissionsRecommendedStep,
} from './recommend.ts';
export {
  proofPartHolds,
  proofRequests,
  withUnusedGranted,
  GRANTS_NOTHING_POLICY,
  type ProofRequests,
} from './proof.ts';
export { tokenize } from './tokenize.ts';
export { globMatch, derivativeGlobs } from './glob.ts';
export { specialize, generalize, findNode, type TrieNode } from './trie.ts';
