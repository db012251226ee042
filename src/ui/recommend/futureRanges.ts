/**
 * Where the future-proofing flags of a recommendation sit in the recommended policy text, so the
 * read-only editor can mark each wildcard that would also admit actions AWS adds later. Pure.
 */
import { parsePolicy } from '../../policy/parse.ts';
import type { FutureWildcard } from '../../recommend/index.ts';

export interface FlagRange {
  start: number;
  end: number;
  flag: FutureWildcard;
}

export function futureRanges(recommendedText: string, flags: readonly FutureWildcard[]): FlagRange[] {
  if (flags.length === 0) return [];
  const parsed = parsePolicy(recommendedText);
  if (!parsed.ok) return [];
  const out: FlagRange[] = [];
  for (const flag of flags) {
    const st = parsed.policy.statements[flag.outputStatementIndex];
    if (!st) continue;
    if (flag.origin === 'notAction') {
      out.push({ start: st.action.span.start, end: st.action.span.end, flag });
      continue;
    }
    for (const p of st.action.patterns)
      if (!st.action.negated && p.value === flag.pattern)
        out.push({ start: p.span.start, end: p.span.end, flag });
  }
  return out.sort((a, b) => a.start - b.start);
}
