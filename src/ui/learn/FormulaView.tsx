/**
 * The formula view: each policy as math, statement by statement, every part linked to the JSON it
 * came from. Hovering or focusing a part reports its spans (the editor highlights them); the parts the
 * editor's cursor selects arrive as `active` and are highlighted here.
 */
import { useEffect, useMemo, useRef, type FocusEvent, type MouseEvent } from 'react';
import type { Span } from '../../policy/model.ts';
import type { DocId } from '../../state/snapshot.ts';
import { legendFor } from '../../teach/legend.ts';
import { notationRoots, walk, type FNode, type PolicyNotation } from '../../teach/notation.ts';

export interface DocNotation {
  doc: DocId;
  /** the policy's name in the questions: P, Pold, Pnew, PA, PB */
  name: string;
  label: string;
  notation?: PolicyNotation;
  error?: string;
}

const FOCUSABLE = new Set<FNode['role']>([
  'definition',
  'atom',
  'group',
  'quantifier',
  'ref',
  'const',
  'error',
]);

function NodeView({ node, active }: { node: FNode; active: Set<string> }) {
  const children = node.parts.map((p, i) =>
    typeof p === 'string' ? p : <NodeView key={`${p.id}-${i}`} node={p} active={active} />,
  );
  if (node.spans.length === 0) return <>{children}</>;
  return (
    <span
      className={`fn fn-${node.role}${active.has(node.id) ? ' is-linked' : ''}`}
      data-fid={node.id}
      data-role={node.role}
      tabIndex={FOCUSABLE.has(node.role) ? 0 : undefined}
      title={node.note}
    >
      {children}
    </span>
  );
}

interface Props {
  docs: DocNotation[];
  active: { doc: DocId; ids: Set<string> } | undefined;
  onHover: (doc: DocId, spans: Span[] | undefined) => void;
}

export function FormulaView({ docs, active, onHover }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const byId = useMemo(() => {
    const m = new Map<string, { doc: DocId; node: FNode }>();
    for (const d of docs)
      if (d.notation)
        for (const r of notationRoots(d.notation))
          for (const n of walk(r)) m.set(n.id, { doc: d.doc, node: n });
    return m;
  }, [docs]);
  const legend = useMemo(
    () =>
      legendFor(
        docs.flatMap((d) => (d.notation ? notationRoots(d.notation).map((r) => r.text) : [])).join('\n'),
      ),
    [docs],
  );

  useEffect(() => {
    box.current?.querySelector('.is-linked')?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const pick = (e: MouseEvent | FocusEvent) => {
    const el = (e.target as HTMLElement).closest<HTMLElement>('[data-fid]');
    const hit = el ? byId.get(el.dataset.fid ?? '') : undefined;
    if (hit) onHover(hit.doc, hit.node.spans);
  };
  const clear = () => {
    for (const d of docs) onHover(d.doc, undefined);
  };

  return (
    <div
      className="formula-view"
      ref={box}
      data-testid="formula-view"
      onMouseOver={pick}
      onMouseLeave={clear}
      onFocus={pick}
      onBlur={clear}
    >
      <p className="muted small learn-hint">
        Hover or focus a part of a formula to see the JSON it came from; move the cursor in the JSON to see
        its part of the formula.
      </p>
      {docs.map((d) => (
        <section key={d.doc} className="fn-policy" data-testid={`formula-${d.doc}`}>
          {docs.length > 1 && (
            <h3>
              <span className="mono">{d.name}</span> · {d.label}
            </h3>
          )}
          {d.error && (
            <div className="error-box" data-testid="formula-error">
              {d.error}
            </div>
          )}
          {d.notation && (
            <>
              {d.notation.statements.map((s) => (
                <div
                  key={s.index}
                  className="fn-statement"
                  data-testid="formula-statement"
                  data-name={s.name}
                  data-doc={d.doc}
                >
                  <div className="fn-head small">
                    <span className={`effect effect-${s.effect.toLowerCase()}`}>{s.effect}</span> statement{' '}
                    {s.index}
                    {s.sid !== undefined && <span className="muted"> · Sid {s.sid}</span>}
                  </div>
                  <div className="fn-line">
                    <NodeView node={s.definition} active={active?.doc === d.doc ? active.ids : new Set()} />
                  </div>
                  {s.simplified.map((x, i) => (
                    <div key={i} className="fn-simplified small muted">
                      left out: {x.what}
                    </div>
                  ))}
                </div>
              ))}
              <div className="fn-line fn-allowed" data-testid="formula-allowed" data-doc={d.doc}>
                <NodeView node={d.notation.allowed} active={active?.doc === d.doc ? active.ids : new Set()} />
              </div>
              {docs.length > 1 && (
                <div className="muted small">
                  {d.name} is this policy&apos;s Allowed formula in the question.
                </div>
              )}
              {!d.notation.variablesActive && d.notation.statements.length > 0 && (
                <div className="muted small">
                  Version is not 2012-10-17: policy variables like {'${aws:username}'} are plain text here.
                </div>
              )}
              {d.notation.issues.map((i, k) => (
                <div key={k} className="error-box small" data-testid="formula-issue">
                  <span className="mono code">{i.code}</span> {i.message}
                </div>
              ))}
            </>
          )}
        </section>
      ))}
      {legend.length > 0 && (
        <details className="fn-legend" open>
          <summary>Notation</summary>
          <dl>
            {legend.map((e) => (
              <div key={e.symbol} className="fn-legend-row">
                <dt className="mono">{e.symbol}</dt>
                <dd>{e.meaning}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </div>
  );
}
