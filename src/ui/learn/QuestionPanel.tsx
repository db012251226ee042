/**
 * The question the selected check asks: the formula Z3 solves, what a solution (sat) and no solution
 * (unsat) mean, the verdict of the latest run with the answer it came from, and the counterexamples,
 * each one click away from the step-by-step evaluation.
 */
import { useMemo } from 'react';
import type { CheckResponse, CompareResponse, Counterexample } from '../../checks/types.ts';
import { principalToString } from '../../evaluate/request.ts';
import { useStore } from '../../state/store.ts';
import { describeQuestion } from '../../teach/question.ts';
import { ChecksPanel } from '../panels/ChecksPanel.tsx';
import { useCheckRequest, useLatestResponse } from './hooks.ts';

const isCompare = (r: CheckResponse | CompareResponse): r is CompareResponse => r.kind === 'compare';

export function counterexampleLabel(cx: Counterexample, i: number): string {
  return `Request ${i + 1}: ${cx.request.action} on ${cx.request.resource} by ${principalToString(cx.request.principal)}`;
}

function answerOf(result: string): 'sat' | 'unsat' | undefined {
  return result === 'FAIL' ? 'sat' : result === 'PASS' ? 'unsat' : undefined;
}

export function QuestionPanel({
  onStep,
}: {
  onStep: (cx: Counterexample, doc?: 'existing' | 'new') => void;
}) {
  const run = useStore((s) => s.run);
  const response = useLatestResponse();
  const { request, key } = useCheckRequest();
  const question = useMemo(() => describeQuestion(request), [request]);
  const responses: (CheckResponse | undefined)[] = !response
    ? []
    : isCompare(response)
      ? [response.aNotB, response.bNotA]
      : [response];
  const stale = run?.requestKey !== undefined && run.requestKey !== key;

  return (
    <div className="question-panel" data-testid="question-panel">
      <ChecksPanel />
      {!question.ok ? (
        <div className="error-box" data-testid="question-error">
          <span className="mono code">{question.error.code}</span> {question.error.message}
        </div>
      ) : (
        <>
          <p className="question-asks">{question.value.asks}</p>
          <p className="muted small">
            {question.value.policies
              .map((p) => `${p.name} is the Allowed formula of the ${p.label}`)
              .join('; ')}
            {' (see Formula). Z3 looks for a request that makes the question true.'}
          </p>
          {question.value.definitions.map((d) => (
            <div key={d.id} className="fn-line" data-testid="question-definition">
              {d.text}
            </div>
          ))}
          {question.value.formulas.map((f, i) => {
            const r = responses[i];
            const answer = r && !stale ? answerOf(r.result) : undefined;
            return (
              <section key={f.formula.id} className="question-block">
                <div className="fn-line fn-question" data-testid="question-formula">
                  {f.formula.text}
                </div>
                <ul className="sat-list">
                  <li className={answer === 'sat' ? 'is-answer' : ''} data-testid="question-sat">
                    <span className="mono">sat</span> — {f.sat}
                  </li>
                  <li className={answer === 'unsat' ? 'is-answer' : ''} data-testid="question-unsat">
                    <span className="mono">unsat</span> — {f.unsat}
                  </li>
                </ul>
              </section>
            );
          })}
          <p className="muted small">{question.value.verdictRule}</p>
        </>
      )}
      <section className="learn-verdict-box" aria-live="polite">
        {!run || stale || run.state === 'running' ? (
          <p className="muted" data-testid="learn-checking">
            {run?.state === 'running' || stale ? 'Z3 is working on the question…' : 'No answer yet.'}
          </p>
        ) : !response ? (
          <p className="muted">
            {run.answer?.kind === 'result' && !run.answer.outcome.ok
              ? `The check cannot run: ${run.answer.outcome.error.message}`
              : 'The check did not finish.'}
          </p>
        ) : (
          <>
            <div className="verdict-row">
              <span className="subhead">Verdict</span>
              <span
                className={`verdict verdict-${response.result === 'PASS' || response.result === 'EQUIVALENT' ? 'pass' : response.result === 'UNKNOWN' ? 'unknown' : 'fail'}`}
                data-testid="learn-verdict"
                data-result={response.result}
              >
                {response.result}
              </span>
              <span className="muted small">
                {responses.map((r) => (r ? (answerOf(r.result) ?? 'unknown') : '')).join(' / ')} from Z3
              </span>
            </div>
            <p className="message">{response.message}</p>
            {responses.map((r, i) =>
              r && r.counterexamples.length > 0 ? (
                <div key={i} className="learn-cx-list">
                  <div className="small muted">
                    {responses.length > 1 ? `Question ${i + 1}: ` : ''}counterexample
                    {r.counterexamples.length > 1 ? 's' : ''} (each re-checked by the concrete evaluator)
                  </div>
                  {r.counterexamples.map((cx, j) => (
                    <button
                      key={j}
                      type="button"
                      className="learn-cx"
                      data-testid="learn-cx"
                      onClick={() =>
                        onStep(
                          cx,
                          request.check === 'CheckNoNewAccess'
                            ? 'new'
                            : request.check === 'ComparePolicies'
                              ? i === 0
                                ? 'existing'
                                : 'new'
                              : undefined,
                        )
                      }
                    >
                      <span className="mono">{counterexampleLabel(cx, j)}</span>
                      <span className="chip chip-link">Step through</span>
                    </button>
                  ))}
                </div>
              ) : null,
            )}
          </>
        )}
      </section>
    </div>
  );
}
