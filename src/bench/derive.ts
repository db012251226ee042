/** Deriving benchmark inputs from fixture policies (pure). */

export type Statement = Record<string, unknown>;
export type Doc = { Statement?: Statement | Statement[] } & Record<string, unknown>;

export function statementsOf(doc: Doc): Statement[] {
  const s = doc.Statement;
  return Array.isArray(s) ? s : s ? [s] : [];
}

/** The document with one Allow statement taken out (see the header comment), and what was taken. */
export function withoutOneStatement(doc: Doc): { doc: Doc; removed: string } {
  const stmts = statementsOf(doc);
  const actionCount = (s: Statement) =>
    Array.isArray(s.Action) ? s.Action.length : s.Action === undefined ? 0 : 1;
  if (stmts.length === 1) {
    const only = stmts[0] ?? {};
    const actions = Array.isArray(only.Action) ? only.Action : [];
    if (actions.length < 2)
      throw new Error('single statement with fewer than two actions: nothing to remove');
    return {
      doc: { ...doc, Statement: [{ ...only, Action: actions.slice(0, -1) }] },
      removed: `action ${JSON.stringify(actions[actions.length - 1])} of statement 0`,
    };
  }
  let best = -1;
  stmts.forEach((s, i) => {
    if (s.Effect === 'Allow' && (best < 0 || actionCount(s) > actionCount(stmts[best] ?? {}))) best = i;
  });
  if (best < 0) throw new Error('no Allow statement to remove');
  const sid = stmts[best]?.Sid;
  return {
    doc: { ...doc, Statement: stmts.filter((_s, i) => i !== best) },
    removed: `statement ${best}${typeof sid === 'string' ? ` (${sid})` : ''}, ${actionCount(stmts[best] ?? {})} actions`,
  };
}
