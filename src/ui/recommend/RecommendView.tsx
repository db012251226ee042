/**
 * Least-privilege mode: the unused actions in (left), the original and recommended policies side by side
 * (centre), the trie of each refined wildcard (right). The recommendation is derived on every change
 * (the engine's recommend() with the stored choices); its proof runs in the solver worker.
 */
import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { proofRequests } from '../../recommend/index.ts';
import { useStore } from '../../state/store.ts';
import { modelFor, replaceText } from '../editor/monaco.ts';
import { chooseNode } from './choose.ts';
import { computeRecommendation, nextChoices, recommendedSide } from './compute.ts';
import { futureRanges } from './futureRanges.ts';
import { useCatalog } from '../useCatalog.ts';
import { useProof, useSettled } from './hooks.ts';
import { RecommendDiff } from './RecommendDiff.tsx';
import { ProofBadge, ResultPanel } from './ResultPanel.tsx';
import { TriePanel } from './TriePanel.tsx';
import { parseUnusedText } from './unusedInput.ts';
import { UnusedPanel } from './UnusedPanel.tsx';

/** A pause in typing this long recomputes the recommendation (ReadOnlyAccess: ~0.4 s each). */
const POLICY_SETTLE_MS = 250;

const NO_FLAGS: never[] = [];

export function RecommendView() {
  const s = useStore(
    useShallow((st) => ({
      policy: st.docs.policy,
      unusedText: st.unusedText,
      choices: st.recommendChoices,
      timeoutMs: st.timeoutMs,
      setSettings: st.setSettings,
    })),
  );
  // Typing in the policy recomputes the recommendation after a pause, not on every key.
  const policy = useDeferredValue(useSettled(s.policy, POLICY_SETTLE_MS));
  const { catalog, error: catalogError } = useCatalog();
  // The input panel reads the text as typed; the recommendation may lag behind a burst of typing.
  const parseNow = useMemo(() => parseUnusedText(s.unusedText), [s.unusedText]);
  const parse = useDeferredValue(parseNow);

  const computed = useMemo(() => {
    if (!catalog || !parse.ok || parse.empty) return undefined;
    return computeRecommendation(policy, parse.entries, catalog, s.choices);
  }, [catalog, parse, policy, s.choices]);
  const value = computed?.ok ? computed.value : undefined;
  const rec = value?.rec;

  const requests = useMemo(
    () => (rec && parse.ok ? proofRequests(policy, rec.recommendedPolicy, parse.entries) : undefined),
    [rec, parse, policy],
  );
  const [attempt, setAttempt] = useState(0);
  const proof = useProof(requests, s.timeoutMs, attempt);
  // Without a recommendation the right side is the policy as typed (the left side's text), so the
  // diff shows no change rather than the whole policy deleted.
  const recommendedText = recommendedSide(s.policy, rec);
  const flags = useMemo(
    () => (rec ? futureRanges(recommendedText, rec.futureProofing) : NO_FLAGS),
    [rec, recommendedText],
  );

  const { setSettings } = s;
  const onChoose = useCallback(
    (key: string, id: string): string | undefined => {
      if (!value) return 'There is no recommendation to refine.';
      const r = value.rec.refinements.find((x) => x.key === key);
      if (!r) return `No refinement ${key}.`;
      const res = chooseNode(r.trie, r.chosen, id, r.element);
      if (!res.ok) return res.reason;
      setSettings({ recommendChoices: nextChoices(value, key, res.chosen) });
      return undefined;
    },
    [value, setSettings],
  );
  const onReset = useCallback(
    (key: string) => {
      if (!value) return;
      const next = { ...value.applied };
      delete next[key];
      setSettings({ recommendChoices: next });
    },
    [value, setSettings],
  );
  const onApply = useCallback(() => {
    const text = rec?.recommendedPolicy;
    if (text === undefined) return;
    const st = useStore.getState();
    replaceText(modelFor('policy', st.docs.policy), text);
    st.setDoc('policy', text);
    st.setSettings({ recommendChoices: {} });
    st.setNotice({
      tone: 'info',
      text: 'Applied the recommendation to the policy (Ctrl+Z in the editor undoes it).',
    });
  }, [rec]);

  let status: React.ReactNode = null;
  if (catalogError)
    status = (
      <div className="error-box" role="alert">
        The action catalog did not load: {catalogError}
      </div>
    );
  else if (!catalog) status = <p className="muted">Loading the action catalog…</p>;
  else if (parse.ok && parse.empty)
    status = (
      <p className="muted small" data-testid="rec-empty">
        Nothing to remove yet: give the unused actions (on the left) and the recommendation removes them.
        Until then it is the policy itself.
      </p>
    );
  else if (!parse.ok)
    status = (
      <p className="muted small" data-testid="rec-blocked">
        No recommendation while the unused actions do not parse (see the error on the left).
      </p>
    );
  else if (computed && !computed.ok)
    status = (
      <div className="error-box" data-testid="rec-error" data-code={computed.error.code} role="alert">
        <span className="mono code">{computed.error.code}</span> {computed.error.message}
      </div>
    );

  return (
    <main className="main rec-main" data-testid="recommend-view">
      <aside className="rec-left">
        <UnusedPanel parse={parseNow} catalog={catalog} />
        {rec ? (
          <ResultPanel
            rec={rec}
            proof={proof}
            ignored={value.ignored}
            onApply={onApply}
            onResetAll={() => setSettings({ recommendChoices: {} })}
            hasChoices={Object.keys(value.applied).length > 0}
            onProveAgain={() => setAttempt((a) => a + 1)}
          />
        ) : (
          <section className="panel rec-result">
            <h2>Recommendation</h2>
            {status}
          </section>
        )}
      </aside>
      <section className="workspace rec-center">
        <div className="diff-labels">
          <span>Original (editable)</span>
          <span className="rec-right-label">
            {rec?.recommendedAction === 'DETACH_POLICY' ? (
              <strong data-testid="rec-detach">DETACH_POLICY: nothing left</strong>
            ) : rec ? (
              'Recommended (read-only)'
            ) : (
              <span data-testid="rec-unchanged">Recommended (read-only): the policy itself</span>
            )}
            {rec && <ProofBadge proof={proof} testId="rec-proof-header" />}
          </span>
        </div>
        <RecommendDiff recommended={recommendedText} flags={flags} />
      </section>
      <aside className="rec-side">
        {rec ? (
          <TriePanel
            refinements={rec.refinements}
            onChoose={onChoose}
            onReset={onReset}
            customKeys={new Set(Object.keys(value.applied))}
          />
        ) : (
          <section className="panel rec-trie" data-testid="trie-panel">
            <h2>Prefix trie</h2>
            <p className="muted small">The trie of each narrowed wildcard appears with the recommendation.</p>
          </section>
        )}
      </aside>
    </main>
  );
}
