/**
 * The scenario check's answer: PASS / FAIL / UNKNOWN (or a compare verdict, or the evaluated
 * decision) with the engine's message and reasons; each counterexample as its request and the column
 * of gates it passed (for the diff checks, the old scenario's too); for the compare check both exact
 * lists, what the new scenario opens and what it breaks.
 */
import type { CheckResponse, CompareResponse, Counterexample, NewAccess } from '../../checks/types.ts';
import { principalToString } from '../../evaluate/request.ts';
import type { ScenarioDraft, Side } from '../../state/scenario.ts';
import type { ScenarioRun, SlotNames } from '../../state/scenarioSlice.ts';
import { useStore } from '../../state/store.ts';
import type { ScenarioAnswer } from '../../worker/client.ts';
import { RequestRows } from '../panels/RequestRows.tsx';
import { KeepAsTest } from '../tests/KeepAsTest.tsx';
import { Gates, StatementLink } from './Gates.tsx';
import { WalkThrough } from './WalkThrough.tsx';

type Shown = 'final' | 'stale';

function Verdict({ result, stale }: { result: string; stale: boolean }) {
  const tone =
    result === 'PASS' || result === 'EQUIVALENT' || result === 'Allowed'
      ? 'pass'
      : result === 'UNKNOWN'
        ? 'unknown'
        : 'fail';
  return (
    <span
      className={`verdict verdict-${tone}`}
      data-testid={stale ? 'scenario-verdict-stale' : 'scenario-verdict'}
      data-result={result}
    >
      {result}
    </span>
  );
}

/** Which side's names the statements of a response refer to. */
interface Sides {
  /** the scenario whose stack the counterexamples' `stack` is */
  stack: Side;
  /** the other one (`existingStack`) */
  existing: Side;
}

function names(slots: SlotNames, side: Side): Record<string, string> {
  return (side === 'old' ? slots.old : slots.new) ?? {};
}

function RequestCard({
  cx,
  index,
  slots,
  sides,
}: {
  cx: Counterexample;
  index: number;
  slots: SlotNames;
  sides: Sides;
}) {
  const context = Object.entries(cx.request.context).sort(([a], [b]) => a.localeCompare(b));
  const setScenario = useStore((s) => s.setScenario);
  const keep = useStore((s) => s.keepAsTest);
  return (
    <article className="card scenario-cx" data-testid="scenario-counterexample">
      <header className="card-head">
        <span className="muted">Request {index + 1}</span>
        <button
          type="button"
          className="link small"
          data-testid="evaluate-this"
          title="Open this request in the request evaluator"
          onClick={() =>
            setScenario({
              check: 'EvaluateScenario',
              requestAction: cx.request.action,
              requestResource: cx.request.resource,
              requestPrincipal: cx.request.principal ? principalToString(cx.request.principal) : '',
              requestContext: context.length ? JSON.stringify(Object.fromEntries(context), null, 2) : '',
            })
          }
        >
          Evaluate this request
        </button>
        <KeepAsTest
          title="Keep this request as a scenario test that expects it denied (a request that breaks the check is one you did not want allowed; change the expectation in Tests)"
          onKeep={() => keep('scenario', cx.request, 'denied')}
        />
      </header>
      <dl className="kv">
        <RequestRows request={cx.request} />
      </dl>
      {cx.stack && (
        <Gates
          verdict={cx.stack}
          names={names(slots, sides.stack)}
          side={sides.stack}
          title={sides.stack === 'old' ? 'Old scenario' : cx.existingStack ? 'Scenario' : undefined}
        />
      )}
      {cx.existingStack && (
        <Gates
          verdict={cx.existingStack}
          names={names(slots, sides.existing)}
          side={sides.existing}
          title={sides.existing === 'old' ? 'Old scenario' : 'Scenario'}
        />
      )}
      {cx.stack && (
        <WalkThrough
          verdict={cx.stack}
          request={cx.request}
          side={sides.stack}
          names={names(slots, sides.stack)}
        />
      )}
      {!cx.stack && cx.whyNot?.kind === 'property' && <p className="small">{cx.whyNot.text}</p>}
    </article>
  );
}

function AccessList({
  na,
  title,
  testId,
  slots,
  side,
  draft,
}: {
  na: NewAccess | undefined;
  title: string;
  testId: string;
  slots: SlotNames;
  side: Side;
  draft: ScenarioDraft;
}) {
  return (
    <section className="result-section" data-testid={testId}>
      <h3>
        {title} <span className="count">{na ? na.count : '…'}</span>
        {na?.outsideCatalog && <span className="chip chip-warn">+ actions outside the catalog</span>}
      </h3>
      {na?.note && <p className="muted small">{na.note}</p>}
      {na && na.services.length === 0 && <p className="muted small">None.</p>}
      {na?.services.map((svc) => (
        <div key={svc.service} className="svc-group">
          <div className="svc-name">{svc.service}</div>
          <ul className="action-list">
            {svc.actions.map((a) => (
              <li key={a.action} data-testid="scenario-action" data-action={a.action}>
                <span className="mono">{a.action}</span>
                {a.statements.map((st) => (
                  <StatementLink
                    key={`${st.document}#${st.statementIndex}`}
                    refd={st}
                    names={names(slots, side)}
                    side={side}
                    draft={draft}
                  />
                ))}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

function CheckView({
  r,
  slots,
  sides,
  draft,
  shown,
  title,
}: {
  r: CheckResponse;
  slots: SlotNames;
  sides: Sides;
  draft: ScenarioDraft;
  shown: Shown;
  title?: string;
}) {
  return (
    <div className={`response${shown === 'stale' ? ' is-stale' : ''}`}>
      <div className="verdict-row">
        {title && <span className="subhead">{title}</span>}
        <Verdict result={r.result} stale={shown === 'stale'} />
        <span className="muted small">
          {Math.round(r.stats.elapsedMs)} ms · {r.stats.solverCalls} solver call
          {r.stats.solverCalls === 1 ? '' : 's'}
        </span>
      </div>
      <p className="message" data-testid="scenario-message">
        {r.message}
      </p>
      {r.unknownReason && <p className="unknown-reason">{r.unknownReason}</p>}
      {r.reasons.length > 0 && (
        <ul className="reasons" data-testid="scenario-reasons">
          {r.reasons.map((x, i) => (
            <li key={i}>
              {x.description}{' '}
              {x.statementIndex !== undefined && x.document && (
                <StatementLink
                  refd={{
                    document: x.document,
                    statementIndex: x.statementIndex,
                    statementId: x.statementId,
                  }}
                  names={names(slots, sides.stack)}
                  side={sides.stack}
                  draft={draft}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {r.counterexamples.length > 0 && (
        <section className="result-section">
          <h3>
            {r.result === 'FAIL' ? 'Requests that break it' : 'Requests'}{' '}
            <span className="count">{r.counterexamples.length}</span>
          </h3>
          {r.counterexamples.map((cx, i) => (
            <RequestCard key={i} cx={cx} index={i} slots={slots} sides={sides} />
          ))}
        </section>
      )}
    </div>
  );
}

function CompareView({
  r,
  slots,
  draft,
  shown,
}: {
  r: CompareResponse;
  slots: SlotNames;
  draft: ScenarioDraft;
  shown: Shown;
}) {
  // CompareScenarios: A is the old scenario, B the scenario. bNotA is what B opens, aNotB what it breaks.
  return (
    <div className={`response${shown === 'stale' ? ' is-stale' : ''}`}>
      <div className="verdict-row">
        <Verdict result={r.result} stale={shown === 'stale'} />
        <span className="muted small">
          {Math.round(r.stats.elapsedMs)} ms · {r.stats.solverCalls} solver calls
        </span>
      </div>
      <p className="message" data-testid="scenario-message">
        {r.message
          .replace(/\bScenario A\b/g, 'The old scenario')
          .replace(/\bscenario A\b/g, 'the old scenario')
          .replace(/\bScenario B\b/g, 'The scenario')
          .replace(/\bscenario B\b/g, 'the scenario')}
      </p>
      <AccessList
        na={r.bNotA.newAccess}
        title="Opens: the scenario allows, the old one does not"
        testId="scenario-opens"
        slots={slots}
        side="new"
        draft={draft}
      />
      <AccessList
        na={r.aNotB.newAccess}
        title="Breaks: the old scenario allows, the scenario does not"
        testId="scenario-breaks"
        slots={slots}
        side="old"
        draft={draft}
      />
      <CheckView
        r={r.bNotA}
        slots={slots}
        sides={{ stack: 'new', existing: 'old' }}
        draft={draft}
        shown={shown}
        title="Opens"
      />
      <CheckView
        r={r.aNotB}
        slots={slots}
        sides={{ stack: 'old', existing: 'new' }}
        draft={draft}
        shown={shown}
        title="Breaks"
      />
    </div>
  );
}

/**
 * The policy an engine error names (`scenarioA: identity[0]: …` when it could not read a scenario,
 * `scp[1][0]: …` when it could not encode a policy), and which scenario it is in when it says.
 */
function policyOf(message: string): { document: string; side?: Side } | undefined {
  const m =
    /^(?:(scenario|scenarioA|scenarioB|existingScenario|newScenario): )?((?:identity|session)\[\d+\]|(?:scp|rcp)\[\d+\]\[\d+\]|boundary|resource):/.exec(
      message,
    );
  if (!m) return undefined;
  const side: Side | undefined =
    m[1] === undefined ? undefined : m[1] === 'scenarioA' || m[1] === 'existingScenario' ? 'old' : 'new';
  return side ? { document: m[2]!, side } : { document: m[2]! };
}

function OpenPolicy({ id }: { id: string }) {
  const setScenario = useStore((s) => s.setScenario);
  return (
    <>
      {' '}
      <button
        type="button"
        className="link"
        data-testid="scenario-error-open"
        onClick={() => setScenario({ selected: id })}
      >
        Open that policy
      </button>
    </>
  );
}

function AnswerView({
  answer,
  run,
  draft,
  shown,
}: {
  answer: ScenarioAnswer;
  run: Pick<ScenarioRun, 'check' | 'slots'>;
  draft: ScenarioDraft;
  shown: Shown;
}) {
  if (answer.kind === 'cancelled')
    return (
      <p className="muted" data-testid="scenario-cancelled">
        Cancelled.
      </p>
    );
  if (answer.kind === 'superseded') return null;
  if (answer.kind === 'failure')
    return (
      <div className="error-box" data-testid="scenario-run-error">
        <strong>The check did not finish.</strong> {answer.message}
      </div>
    );
  if (!answer.outcome.ok) {
    const { code, message } = answer.outcome.error;
    const at = policyOf(message);
    const id = at
      ? at.side
        ? names(run.slots, at.side)[at.document]
        : (run.slots.new[at.document] ?? run.slots.old?.[at.document])
      : undefined;
    return (
      <div className="error-box" data-testid="scenario-input-error" data-code={code}>
        <span className="mono code">{code}</span> {message}
        {id && <OpenPolicy id={id} />}
      </div>
    );
  }
  const r = answer.outcome.response;
  if (r.kind === 'evaluate')
    return (
      <div className={`response${shown === 'stale' ? ' is-stale' : ''}`}>
        <div className="verdict-row">
          <Verdict result={r.verdict.decision} stale={shown === 'stale'} />
        </div>
        <Gates verdict={r.verdict} names={run.slots.new} side="new" />
        {shown === 'final' && <WalkThrough verdict={r.verdict} side="new" names={run.slots.new} />}
      </div>
    );
  if (r.kind === 'compare') return <CompareView r={r} slots={run.slots} draft={draft} shown={shown} />;
  const sides: Sides = { stack: 'new', existing: 'old' };
  return <CheckView r={r} slots={run.slots} sides={sides} draft={draft} shown={shown} />;
}

export function ScenarioResults() {
  const run = useStore((s) => s.scenarioRun);
  const invalid = useStore((s) => s.scenarioInvalid);
  const draft = useStore((s) => s.scenario.draft);
  const solver = useStore((s) => s.solver);
  let body: React.ReactNode;
  if (invalid)
    body = (
      <p className="error-box" data-testid="scenario-invalid">
        {invalid}
      </p>
    );
  else if (!run)
    body = (
      <p className="muted">{solver.phase === 'loading' ? 'Starting the solver…' : 'No check has run yet.'}</p>
    );
  else if (run.answer) body = <AnswerView answer={run.answer} run={run} draft={draft} shown="final" />;
  else if (run.previous)
    body = <AnswerView answer={run.previous.answer} run={run.previous} draft={draft} shown="stale" />;
  else body = <p className="muted">Checking…</p>;
  return (
    <section
      className={`panel results-panel scenario-results${run?.state === 'running' && !invalid ? ' is-running' : ''}`}
      data-testid="scenario-results"
      aria-live="polite"
    >
      <h2>
        Result
        {run?.state === 'running' && !invalid && (
          <span className="spinner" data-testid="scenario-checking" aria-label="checking" />
        )}
      </h2>
      {body}
    </section>
  );
}
