/** The notation explained for a student: the entries a given formula text uses. */

export interface LegendEntry {
  symbol: string;
  meaning: string;
  /** shown when the formula text contains one of these */
  triggers: (string | RegExp)[];
}

const LEGEND: LegendEntry[] = [
  { symbol: 'X := …', meaning: 'defines the name X', triggers: [':='] },
  { symbol: '∧  ∨  ¬', meaning: 'and, or, not', triggers: ['∧', '∨', '¬'] },
  { symbol: 'a → b', meaning: 'if a then b (true whenever a is false)', triggers: ['→'] },
  { symbol: '⊤  ⊥', meaning: 'true, false (a part that always or never holds)', triggers: ['⊤', '⊥'] },
  {
    symbol: 'S0, D1',
    meaning:
      'the statement with that index: S for an Allow statement, D for a Deny statement (the index is the one Access Analyzer reports)',
    triggers: [':= '],
  },
  {
    symbol: 'Allowed := (S0 ∨ …) ∧ ¬(D1 ∨ …)',
    meaning: 'a request is allowed when some Allow statement matches and no Deny statement does',
    triggers: ['Allowed'],
  },
  {
    symbol: 'Action = "s3:PutObject"',
    meaning: 'the request is for exactly this action (action names ignore case)',
    triggers: ['Action ='],
  },
  { symbol: '{"a", "b"}', meaning: 'a set of exact values', triggers: ['{"'] },
  {
    symbol: '⟦s3:Get*⟧',
    meaning:
      'the set of strings the pattern matches: * is any run of characters, ? exactly one. In Resource and Arn patterns a * in the first five colon-separated fields stays inside its field. Only actions ignore case.',
    triggers: ['⟦'],
  },
  { symbol: '∪  ∈  ∉', meaning: 'union of sets; is in; is not in', triggers: ['∪', '∈', '∉'] },
  {
    symbol: 'Account(Principal) = "1234…"',
    meaning: 'the caller is any principal (user, role, root) of that AWS account',
    triggers: ['Account(Principal)'],
  },
  {
    symbol: 'Principal = Service("…")',
    meaning: 'the caller is that AWS service (Federated, CanonicalUser likewise)',
    triggers: ['Service(', 'Federated(', 'CanonicalUser('],
  },
  {
    symbol: 'Anonymous ∪ AWS',
    meaning: 'the anonymous caller or any AWS principal, of any account',
    triggers: ['Anonymous ∪ AWS'],
  },
  { symbol: 'present(k)', meaning: 'the request carries the condition key k', triggers: ['present('] },
  {
    symbol: 'k = "x",  k ∈ …,  k < 5',
    meaning:
      'a test of condition key k; false when the request does not carry k. So ¬(k = "x") is true without k: that is how StringNotEquals and the other negated operators treat a missing key.',
    triggers: [/[(\s][a-z0-9-]+:[^\s()]+ [=∈<>≤≥≈]/, 'present('],
  },
  {
    symbol: 'present(k) → …',
    meaning: '…IfExists: when the request does not carry k, the test holds',
    triggers: [') →'],
  },
  {
    symbol: 'k ≈ "x"',
    meaning: 'equal ignoring case (StringEqualsIgnoreCase)',
    triggers: ['≈'],
  },
  {
    symbol: '∃v ∈ k: …   ∀v ∈ k: …',
    meaning:
      'some value / every value v of a multi-valued key k (ForAnyValue / ForAllValues). ∃ is false and ∀ is true when the request does not carry k.',
    triggers: ['∃', '∀'],
  },
  {
    symbol: '${aws:username}',
    meaning:
      "a policy variable: the request's value of that key; a pattern with a variable whose key is missing matches nothing",
    triggers: ['${'],
  },
];

/** The legend entries a text uses (in legend order). */
export function legendFor(text: string): LegendEntry[] {
  return LEGEND.filter((e) =>
    e.triggers.some((t) => (typeof t === 'string' ? text.includes(t) : t.test(text))),
  );
}
