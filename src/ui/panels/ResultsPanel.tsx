/**
 * The answer: PASS / FAIL / UNKNOWN with Access Analyzer's message and reasons, the newly granted
 * actions (diff checks), and one card per counterexample. Every statement reference is a button
 * that highlights the statement in the editor.
 */
import { ServiceAwareNote } from './ServiceAwareNote.tsx';
import { useMemo } from 'react';
import type { CheckResponse, CompareResponse, Counterexample, StatementRef } from '../../checks/types.ts';
import type { Finding } from '../../policy/model.ts';
import { parsePolicy } from '../../policy/parse.ts';
import { docIdOf, type CheckKind, type DocId } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { testDocumentFor } from '../../state/testsAnalysis.ts';
import { KeepAsTest } from '../tests/KeepAsTest.tsx';
import { RequestRows } from './RequestRows.tsx';

const DOC_LABEL: Record<DocId, string> = { policy: 'policy', existing: 'existing', new: 'new' };

export function StatementButton({ refd, check }: { refd: StatementRef; check: CheckKind }) {
  const highlight = useStore((s) => s.highlightStatement);
  const doc = docIdOf(refd.document, check);
  return (
    <button
      type="button"
      className="chip chip-link"
      data-testid="statement-link"
      data-doc={doc}
      data-statement={refd.statementIndex}
      onClick={() => highlight(doc, refd.statementIndex)}
      title="Show this statement in the editor"
    >
      {doc !== 'policy' ? `${DOC_LABEL[doc]} ` : ''}#{refd.statementIndex}
      {refd.statementId ? ` ${refd.statementId}` : ''}
    </button>
  );
}

/** `stale`: the answer for the text before the edit being checked (its own test id, never "verdict"). */
function Verdict({ result, stale }: { result: string; stale?: boolean }) {
  const tone =
    result === 'PASS' || result === 'EQUIVALENT' ? 'pass' : result === 'UNKNOWN' ? 'unknown' : 'fail';
  return (
    <span
      className={`verdict verdict-${tone}`}
      data-testid={stale ? 'verdict-stale' : 'verdict'}
      data-result={result}
    >
      {result}
    </span>
  );
}

/** Condition keys the policy mentions: shown as absent when a counterexample does not set them. */
function useConditionKeys(doc: DocId): string[] {
  const text = useStore((s) => s.docs[doc]);
  return useMemo(() => {
    const p = parsePolicy(text);
    if (!p.ok) return [];
    const keys = new Set<string>();
    for (const st of p.policy.statements) for (const c of st.conditions) keys.add(c.key);
    return [...keys].sort();
  }, [text]);
}

function CounterexampleCard({ cx, check, index }: { cx: Counterexample; check: CheckKind; index: number }) {
  const grantingDoc = cx.grantedBy[0] ? docIdOf(cx.grantedBy[0].document, check) : docIdOf('policy', check);
  const absent = useConditionKeys(grantingDoc);
  const keep = useStore((s) => s.keepAsTest);
  return (
    <article className="card" data-testid="counterexample">
      <header className="card-head">
        <span className="muted">Request {index + 1}</span>
        {cx.actionOutsideCatalog && <span className="chip chip-warn">action outside catalog</span>}
        {cx.impossible && (
          <span className="chip chip-muted" data-testid="impossible" title={cx.impossible}>
            AWS would never authorize it
          </span>
        )}
        <KeepAsTest
          title="Keep this request as a test that expects it denied (a counterexample is a request you did not want allowed; change the expectation in Tests)"
          onKeep={() => keep('policy', cx.request, 'denied', testDocumentFor(grantingDoc, check))}
        />
      </header>
      <dl className="kv">
        <RequestRows request={cx.request} absent={absent} />
        {cx.impossible && (
          <>
            <dt>In practice</dt>
            <dd className="small">AWS would never authorize this request: {cx.impossible}.</dd>
          </>
        )}
        <dt>Granted by</dt>
        <dd>
          {cx.grantedBy.length === 0 ? (
            <span className="muted">—</span>
          ) : (
            cx.grantedBy.map((r) => (
              <StatementButton key={`${r.document}${r.statementIndex}`} refd={r} check={check} />
            ))
          )}
        </dd>
        {cx.whyNot && (
          <>
            <dt>Why not before</dt>
            <dd>
              {cx.whyNot.kind === 'noMatchingAllow' &&
                'No Allow statement of the existing policy matches this request.'}
              {cx.whyNot.kind === 'property' && cx.whyNot.text}
              {cx.whyNot.kind === 'deniedBy' && (
                <>
                  Denied by{' '}
                  {cx.whyNot.statements.map((r) => (
                    <StatementButton key={`${r.document}${r.statementIndex}`} refd={r} check={check} />
                  ))}
                </>
              )}
            </dd>
          </>
        )}
      </dl>
    </article>
  );
}

function NewAccessList({ r, check }: { r: CheckResponse; check: CheckKind }) {
  const na = r.newAccess;
  if (!na) return null;
  const highlight = useStore.getState().highlightStatement;
  return (
    <section className="result-section" data-testid="new-access">
      <h3>
        Newly granted actions <span className="count">{na.count}</span>
        {na.outsideCatalog && <span className="chip chip-warn">+ actions outside the catalog</span>}
      </h3>
      {na.note && <p className="muted small">{na.note}</p>}
      {na.services.map((svc) => (
        <div key={svc.service} className="svc-group">
          <div className="svc-name">{svc.service}</div>
          <ul className="action-list">
            {svc.actions.map((a) => (
              <li key={a.action}>
                <button
                  type="button"
                  className="link mono"
                  data-testid="new-action"
                  data-action={a.action}
                  onClick={() => {
                    const first = a.statements[0];
                    if (first) highlight(docIdOf(first.document, check), first.statementIndex);
                  }}
                >
                  {a.action}
                </button>
                {a.statements.map((s) => (
                  <StatementButton key={`${s.document}${s.statementIndex}`} refd={s} check={check} />
                ))}
                {a.impossible && (
                  <span className="chip chip-muted" data-testid="impossible" title={a.impossible}>
                    never authorized in practice
                  </span>
                )}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

type Shown = 'final' | 'preliminary' | 'stale';

function CheckResponseView({
  r,
  check,
  title,
  shown = 'final',
}: {
  r: CheckResponse;
  check: CheckKind;
  title?: string;
  shown?: Shown;
}) {
  return (
    <div className={`response${shown === 'final' ? '' : ` is-${shown}`}`}>
      <div className="verdict-row">
        {title && <span className="subhead">{title}</span>}
        <Verdict result={r.result} stale={shown === 'stale'} />
        <span className="muted small">
          {shown === 'preliminary' ? 'first counterexample after ' : ''}
          {Math.round(r.stats.elapsedMs)} ms · {r.stats.solverCalls} solver call
          {r.stats.solverCalls === 1 ? '' : 's'}
        </span>
      </div>
      <p className="message" data-testid="result-message">
        {r.message}
      </p>
      {shown === 'final' && <ServiceAwareNote r={r} />}
      {r.unknownReason && (
        <p className="unknown-reason" data-testid="unknown-reason">
          {r.unknownReason}
        </p>
      )}
      {r.reasons.length > 0 && (
        <ul className="reasons" data-testid="reasons">
          {r.reasons.map((x, i) => (
            <li key={i}>
              {x.description}
              {x.statementIndex !== undefined && (
                <StatementButton
                  refd={{
                    document: x.document ?? 'policy',
                    statementIndex: x.statementIndex,
                    statementId: x.statementId,
                  }}
                  check={check}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {shown === 'preliminary' ? (
        <p className="muted small" data-testid="new-access-pending">
          {r.stats.solverCalls === 0
            ? 'Found without the solver and confirmed by the evaluator. '
            : 'Confirmed by the evaluator. '}
          {check === 'CheckNoNewAccess'
            ? 'Listing every newly granted action…'
            : 'The solver’s full answer follows…'}
        </p>
      ) : (
        <NewAccessList r={r} check={check} />
      )}
      {r.counterexamples.length > 0 && (
        <section className="result-section">
          <h3>
            Counterexamples <span className="count">{r.counterexamples.length}</span>
          </h3>
          {r.counterexamples.map((cx, i) => (
            <CounterexampleCard key={i} cx={cx} check={check} index={i} />
          ))}
        </section>
      )}
    </div>
  );
}

function FindingsList({ findings }: { findings: Finding[] }) {
  return (
    <ul className="findings">
      {findings.map((f, i) => (
        <li key={i} className={`finding finding-${f.findingType.toLowerCase()}`}>
          <span className="mono code">{f.issueCode}</span> {f.findingDetails}
          {f.locations[0] && (
            <span className="muted">
              {' '}
              (line {f.locations[0].start.line + 1}, column {f.locations[0].start.column + 1})
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

const isCompare = (r: CheckResponse | CompareResponse): r is CompareResponse => r.kind === 'compare';

function AnswerView({
  r,
  check,
  shown,
}: {
  r: CheckResponse | CompareResponse;
  check: CheckKind;
  shown: Shown;
}) {
  if (!isCompare(r)) return <CheckResponseView r={r} check={check} shown={shown} />;
  return (
    <div className={`response${shown === 'final' ? '' : ` is-${shown}`}`}>
      <div className="verdict-row">
        <Verdict result={r.result} stale={shown === 'stale'} />
      </div>
      <p className="message" data-testid="result-message">
        {r.message}
      </p>
      <CheckResponseView r={r.aNotB} check={check} title="Existing allows, new does not" shown={shown} />
      <CheckResponseView r={r.bNotA} check={check} title="New allows, existing does not" shown={shown} />
    </div>
  );
}

export function ResultsPanel() {
  const run = useStore((s) => s.run);
  const check = useStore((s) => s.check);
  const solver = useStore((s) => s.solver);
  let body: React.ReactNode;
  if (!run)
    body = (
      <p className="muted">{solver.phase === 'loading' ? 'Starting the solver…' : 'No check has run yet.'}</p>
    );
  else if (!run.answer) {
    // While running: the early FAIL for this text, else the last answer (dimmed), else a placeholder.
    const previous =
      run.previous?.kind === 'result' && run.previous.outcome.ok ? run.previous.outcome : undefined;
    body = run.preliminary?.ok ? (
      <AnswerView r={run.preliminary.response} check={check} shown="preliminary" />
    ) : previous ? (
      <AnswerView r={previous.response} check={check} shown="stale" />
    ) : (
      <p className="muted">Checking…</p>
    );
  } else {
    const a = run.answer;
    if (a.kind === 'cancelled')
      body = (
        <p className="muted" data-testid="run-cancelled">
          Cancelled.
        </p>
      );
    else if (a.kind === 'superseded') body = null;
    else if (a.kind === 'failure')
      body = (
        <div className="error-box" data-testid="run-error">
          <strong>The check did not finish.</strong> {a.message}
        </div>
      );
    else if (!a.outcome.ok) {
      const e = a.outcome.error;
      body = (
        <div className="error-box" data-testid="input-error" data-code={e.code}>
          <div>
            <span className="mono code">{e.code}</span> {e.message}
            {e.document && <span className="muted"> ({e.document} policy)</span>}
          </div>
          {e.findings && e.findings.length > 0 && <FindingsList findings={e.findings} />}
        </div>
      );
    } else body = <AnswerView r={a.outcome.response} check={check} shown="final" />;
  }
  return (
    <section
      className={`panel results-panel${run?.state === 'running' ? ' is-running' : ''}`}
      data-testid="results"
      aria-live="polite"
    >
      <h2>
        Result
        {run?.state === 'running' && (
          <span className="spinner" data-testid="checking" aria-label="checking" />
        )}
      </h2>
      {body}
    </section>
  );
}
