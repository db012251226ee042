/**
 * The trie tokeniser: an action name is split into its words.
 *
 * - CamelCase words: an optional capital followed by lower-case letters (`Get`, `Multi`, `uploadFiles`
 *   -> `upload|Files`).
 * - Acronyms: a run of capitals ends before a capital that starts a CamelCase word, so `GetBucketCORS`
 *   -> `Get|Bucket|CORS`, `ListDBInstances` -> `List|DB|Instances`, `ICD10CMInference` -> `ICD10|CM|Inference`.
 *   (`ACLs` becomes `AC|Ls`: the tokeniser cannot tell a plural `s` from a new word; this only changes
 *   how fine the trie is, never what is safe, because safety is tested on the string prefix.)
 * - Digits stay with the word they follow (`Route53`, `Oauth2`, `V2`, `EC2`, `S3`); leading digits form
 *   their own word.
 * - Any other character (`-`, `_`, `.`) is a word of its own.
 * Joining the tokens gives back the name exactly.
 */

const WORD = /[A-Z]+(?![a-z])\d*|[A-Z]?[a-z]+\d*|\d+|[^A-Za-z\d]/g;

const cache = new Map<string, string[]>();

export function tokenize(name: string): string[] {
  const hit = cache.get(name);
  if (hit) return hit;
  const out = name.match(WORD) ?? [];
  if (out.join('') !== name) throw new Error(`tokenize lost characters of ${name}`);
  if (cache.size > 100_000) cache.clear();
  cache.set(name, out);
  return out;
}
