import { useMemo } from 'react';
import { parsePolicy } from '../../policy/parse.ts';
import { EXAMPLES, withExample } from '../../state/examples.ts';
import { isDiffCheck, pickSnapshot, type DocId } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';

function summarize(patterns: { value: string }[], negated: boolean): string {
  const s = patterns.map((p) => p.value).join(', ');
  return (negated ? 'NOT ' : '') + (s.length > 48 ? `${s.slice(0, 46)}…` : s);
}

function Outline({ doc, label }: { doc: DocId; label?: string }) {
  const text = useStore((s) => s.docs[doc]);
  const highlight = useStore((s) => s.highlightStatement);
  const parsed = useMemo(() => parsePolicy(text), [text]);
  return (
    <div className="outline" data-testid={`outline-${doc}`}>
      {label && <div className="outline-label">{label}</div>}
      {!parsed.ok ? (
        <div className="muted small" data-testid="outline-error">
          Cannot outline:{' '}
          {parsed.findings.find((f) => f.findingType === 'ERROR')?.findingDetails ?? 'invalid policy'}
        </div>
      ) : (
        <ol>
          {parsed.policy.statements.map((st) => (
            <li key={st.index}>
              <button
                type="button"
                className="outline-item"
                data-testid="outline-item"
                onClick={() => highlight(doc, st.index)}
                title="Go to statement"
              >
                <span className={`effect effect-${st.effect.toLowerCase()}`}>{st.effect}</span>
                <span className="outline-sid">{st.sid ?? `#${st.index}`}</span>
                <span className="outline-actions mono">
                  {summarize(st.action.patterns, st.action.negated)}
                </span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function Sidebar() {
  const diff = useStore((s) => isDiffCheck(s.check));
  const selected = useStore((s) => s.selectedExample);
  const load = useStore((s) => s.loadSnapshot);
  const setSelected = useStore((s) => s.setSelectedExample);
  return (
    <aside className="sidebar">
      <section className="panel">
        <h2>Statements</h2>
        {diff ? (
          <>
            <Outline doc="existing" label="Existing" />
            <Outline doc="new" label="New" />
          </>
        ) : (
          <Outline doc="policy" />
        )}
      </section>
      <section className="panel examples" data-testid="examples">
        <h2>Examples</h2>
        <ul>
          {EXAMPLES.map((ex) => (
            <li key={ex.name}>
              <button
                type="button"
                className={`example${selected === ex.name ? ' is-selected' : ''}`}
                data-testid={`example-${ex.name}`}
                onClick={() => {
                  load(withExample(pickSnapshot(useStore.getState()), ex));
                  setSelected(ex.name);
                }}
              >
                <span className="example-title">
                  {ex.title}
                  <span className={`tag tag-${ex.expected.result.toLowerCase()}`}>{ex.expected.result}</span>
                </span>
                <span className="example-expl">{ex.explanation}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}
