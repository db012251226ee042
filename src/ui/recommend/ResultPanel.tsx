/**
 * The recommendation as Access Analyzer states it (UnusedPermissionsRecommendedStep), its solver proof
 * part by part, the wildcards that would also admit future actions, and the apply button.
 */
import type { Counterexample } from '../../checks/types.ts';
import type { Recommendation } from '../../recommend/index.ts';
import type { ProofRun } from './hooks.ts';
import type { IgnoredChoice } from './compute.ts';
import {
  OVERALL_LABEL,
  overallOf,
  PART_TITLES,
  PROOF_PARTS,
  type Overall,
  type PartState,
} from './proofStatus.ts';

const ICON: Record<PartState['status'], string> = {
  pending: '…',
  skipped: '–',
  proved: '✓',
  failed: '✗',
  unknown: '?',
};

export function ProofBadge({
  proof,
  testId = 'rec-proof',
}: {
  proof: ProofRun | undefined;
  testId?: string;
}) {
  const overall: Overall = overallOf(proof?.parts);
  return (
    <span
      className={`proof-badge proof-${overall}`}
      data-testid={testId}
      data-status={overall}
      data-elapsed={proof?.elapsedMs}
      role="status"
    >
      <span aria-hidden="true">
        {overall === 'proved' ? '✓' : overall === 'proving' ? '' : overall === 'idle' ? '·' : '!'}
      </span>
      {overall === 'proving' && <span className="spinner" aria-hidden="true" />}
      {OVERALL_LABEL[overall]}
      {overall === 'proved' && proof?.elapsedMs !== undefined && (
        <span className="muted"> in {(proof.elapsedMs / 1000).toFixed(1)} s</span>
      )}
    </span>
  );
}

function CounterexampleLine({ cx }: { cx: Counterexample }) {
  return (
    <div className="small rec-cx" data-testid="proof-counterexample">
      Counterexample: <span className="mono">{cx.request.action}</span> on{' '}
      <span className="mono">{cx.request.resource}</span>
      {cx.grantedBy.length > 0 && (
        <span className="muted">
          {' '}
          (allowed by {cx.grantedBy[0]!.document} statement #{cx.grantedBy[0]!.statementIndex})
        </span>
      )}
    </div>
  );
}

function ProofParts({ proof }: { proof: ProofRun }) {
  return (
    <ul className="proof-parts" data-testid="proof-parts">
      {PROOF_PARTS.map((p) => {
        const s = proof.parts[p];
        return (
          <li
            key={p}
            className={`proof-part proof-part-${s.status}`}
            data-testid={`proof-${p}`}
            data-status={s.status}
            data-elapsed={'elapsedMs' in s ? s.elapsedMs : undefined}
            title={
              'elapsedMs' in s && s.elapsedMs !== undefined
                ? `${s.elapsedMs} ms in the solver worker`
                : undefined
            }
          >
            <span className="proof-icon" aria-hidden="true">
              {s.status === 'pending' ? <span className="spinner" /> : ICON[s.status]}
            </span>
            <span className="proof-title">{PART_TITLES[p]}</span>
            <span className="proof-state small">
              {s.status === 'pending' && 'proving…'}
              {s.status === 'skipped' && 'nothing to prove'}
              {s.status === 'proved' && 'proved'}
              {s.status === 'failed' && 'FAILS'}
              {s.status === 'unknown' && 'not proved'}
            </span>
            {s.status === 'proved' && s.note && <div className="small muted proof-note">{s.note}</div>}
            {s.status === 'unknown' && <div className="small proof-note rec-warn-text">{s.summary}</div>}
            {s.status === 'failed' && (
              <div className="proof-note">
                <div className="small">{s.summary}</div>
                {s.actions && s.actions.length > 0 && (
                  <div className="small mono">
                    {s.actions.slice(0, 12).join(', ')}
                    {s.actions.length > 12 ? ', …' : ''}
                  </div>
                )}
                {s.counterexample && <CounterexampleLine cx={s.counterexample} />}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export interface ResultPanelProps {
  rec: Recommendation;
  proof: ProofRun | undefined;
  ignored: IgnoredChoice[];
  onApply: () => void;
  onResetAll: () => void;
  hasChoices: boolean;
  onProveAgain: () => void;
}

export function ResultPanel({
  rec,
  proof,
  ignored,
  onApply,
  onResetAll,
  hasChoices,
  onProveAgain,
}: ResultPanelProps) {
  const overall = overallOf(proof?.parts);
  const step = {
    recommendedAction: rec.recommendedAction,
    ...(rec.recommendedPolicy !== undefined ? { recommendedPolicy: rec.recommendedPolicy } : {}),
  };
  const detach = rec.recommendedAction === 'DETACH_POLICY';
  const refined = rec.refinements.filter((r) => r.element === 'Action');
  return (
    <section className="panel rec-result" data-testid="rec-result" aria-label="Recommendation">
      <h2>Recommendation</h2>
      <div className="rec-step-row">
        <span
          className={`chip rec-action rec-action-${detach ? 'detach' : 'create'}`}
          data-testid="rec-action"
        >
          {rec.recommendedAction}
        </span>
        <ProofBadge proof={proof} />
      </div>
      <p className="small rec-summary" data-testid="rec-summary">
        {!rec.changed
          ? 'Nothing to change: the policy grants none of the unused actions.'
          : detach
            ? 'Every action the policy allows is unused: detach the policy.'
            : [
                rec.removedActions.length > 0 &&
                  `removes ${rec.removedActions.length} listed action${rec.removedActions.length === 1 ? '' : 's'}`,
                refined.length > 0 && `narrows ${refined.length} wildcard${refined.length === 1 ? '' : 's'}`,
                rec.refinements.some((r) => r.element === 'NotAction') && 'extends NotAction',
                rec.removedStatements.length > 0 &&
                  `removes ${rec.removedStatements.length} empty statement${rec.removedStatements.length === 1 ? '' : 's'}`,
              ]
                .filter(Boolean)
                .join(', ')
                .replace(/^./, (c) => c.toUpperCase()) + '.'}
      </p>
      <div className="rec-buttons">
        <button
          type="button"
          className="btn btn-primary"
          data-testid="rec-apply"
          disabled={!rec.changed || detach}
          title={
            detach
              ? 'Nothing is left to apply: detach the policy in IAM.'
              : 'Replace the policy in the editor (undo with Ctrl+Z)'
          }
          onClick={onApply}
        >
          Apply to editor
        </button>
        {hasChoices && (
          <button type="button" className="btn" data-testid="rec-reset" onClick={onResetAll}>
            Reset choices
          </button>
        )}
      </div>
      {proof && <ProofParts proof={proof} />}
      {(overall === 'not-proved' || overall === 'failed') && (
        <button type="button" className="btn btn-small" data-testid="rec-prove-again" onClick={onProveAgain}>
          Prove again
        </button>
      )}
      {rec.futureProofing.length > 0 && (
        <div className="rec-future" data-testid="future-flags">
          <h3>Also admits future actions</h3>
          <ul>
            {rec.futureProofing.map((f) => (
              <li
                key={`${f.outputStatementIndex}|${f.pattern}`}
                data-testid="future-flag"
                data-pattern={f.pattern}
                data-origin={f.origin}
              >
                <span className="rec-future-mark" aria-hidden="true">
                  ⚠
                </span>{' '}
                <span className="mono">{f.pattern}</span>{' '}
                <span className="muted small">
                  #{f.outputStatementIndex}
                  {f.sid ? ` ${f.sid}` : ''} ·{' '}
                  {f.origin === 'refined' ? 'narrowed' : f.origin === 'kept' ? 'as written' : 'NotAction'}
                </span>
              </li>
            ))}
          </ul>
          <p className="muted small">
            A wildcard also grants actions AWS adds later under its prefix; list the actions instead if that
            matters.
          </p>
        </div>
      )}
      {(rec.outsideCatalog.length > 0 || rec.notes.length > 0 || ignored.length > 0) && (
        <div className="rec-notes" data-testid="rec-notes">
          <h3>Notes</h3>
          <ul className="small">
            {rec.outsideCatalog.map((o) => (
              <li key={`o${o.statementIndex}${o.action}`}>
                <span className="mono">{o.action}</span> (statement #{o.statementIndex}) names nothing in the
                catalog: kept as written.
              </li>
            ))}
            {rec.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
            {ignored.map((i) => (
              <li key={i.key} data-testid="ignored-choice">
                Your choice for <span className="mono">{i.key}</span> no longer fits and is not applied:{' '}
                {i.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      <details className="rec-step-json">
        <summary>UnusedPermissionsRecommendedStep (JSON)</summary>
        <pre className="mono" data-testid="rec-step-json">
          {JSON.stringify(step, null, 2)}
        </pre>
      </details>
    </section>
  );
}
