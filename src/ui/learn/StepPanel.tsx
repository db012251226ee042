/**
 * Step-by-step evaluation: a request (typed, picked from the policy, or a counterexample) walked
 * through the concrete evaluator's trace: each statement, each element and condition, matched or
 * not and why, then the decision rule. Next / previous with the buttons or the arrow keys; the JSON
 * of the current step is highlighted in the editor.
 */
import { useEffect, useMemo } from 'react';
import type { Catalog } from '../../catalog/catalog.ts';
import type { CheckResponse } from '../../checks/types.ts';
import { evaluatePolicy, EvaluationError, type Evaluation } from '../../evaluate/evaluate.ts';
import type { Request } from '../../evaluate/request.ts';
import type { Policy, Span } from '../../policy/model.ts';
import { parsePolicy } from '../../policy/parse.ts';
import type { DocId } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { interpretPolicy } from '../../teach/interpret.ts';
import { policyNotation } from '../../teach/notation.ts';
import {
  formFromJson,
  formFromRequest,
  formToJson,
  readRequestForm,
  type RequestForm,
} from '../../teach/request-form.ts';
import { requestForStatement } from '../../evaluate/statement-request.ts';
import { evaluationSteps, type Step } from '../../teach/steps.ts';
import { testDocumentFor } from '../../state/testsAnalysis.ts';
import { KeepAsTest } from '../tests/KeepAsTest.tsx';
import { useLatestResponse } from './hooks.ts';
import { counterexampleLabel } from './QuestionPanel.tsx';
import { StepNav, useStepper } from './Stepper.tsx';

const DOC_LABEL: Record<DocId, string> = {
  policy: 'the policy',
  existing: 'existing policy',
  new: 'new policy',
};

const DECISION_TEXT: Record<Evaluation['decision'], string> = {
  Allowed: 'Allowed',
  ExplicitlyDenied: 'Explicitly denied',
  ImplicitlyDenied: 'Implicitly denied',
};

type Outcome =
  | { kind: 'none'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'done'; policy: Policy; evaluation: Evaluation; steps: Step[]; formulaAgrees: boolean };

function evaluateDoc(text: string, request: Request | undefined, catalog: Catalog | undefined): Outcome {
  const parsed = parsePolicy(text);
  if (!parsed.ok)
    return {
      kind: 'error',
      message: `The policy does not parse: ${parsed.findings.find((f) => f.findingType === 'ERROR')?.findingDetails ?? 'invalid'}`,
    };
  if (!request) return { kind: 'none', message: 'Enter or pick a request.' };
  const isMultiValued = (k: string) => (catalog?.conditionKey(k) ? catalog.isMultiValued(k) : undefined);
  try {
    const evaluation = evaluatePolicy(parsed.policy, request, catalog ? { catalog } : {});
    const notation = policyNotation(parsed.policy, { isMultiValued });
    const steps = evaluationSteps(parsed.policy, evaluation, notation.allowed.text);
    const formulaAgrees =
      interpretPolicy(parsed.policy, request, { isMultiValued }).allowed ===
      (evaluation.decision === 'Allowed');
    return { kind: 'done', policy: parsed.policy, evaluation, steps, formulaAgrees };
  } catch (e) {
    if (e instanceof EvaluationError) return { kind: 'error', message: `${e.code}: ${e.message}` };
    throw e;
  }
}

interface Props {
  docs: DocId[];
  doc: DocId;
  setDoc: (d: DocId) => void;
  catalog: Catalog | undefined;
  onStepSpan: (doc: DocId, span: Span | undefined) => void;
}

export function StepPanel({ docs, doc, setDoc, catalog, onStepSpan }: Props) {
  const texts = useStore((s) => s.docs);
  const stored = useStore((s) => s.learnRequest);
  const setSettings = useStore((s) => s.setSettings);
  const check = useStore((s) => s.check);
  const keep = useStore((s) => s.keepAsTest);
  const form = useMemo(() => formFromJson(stored), [stored]);
  const setForm = (f: RequestForm) => setSettings({ learnRequest: formToJson(f) });
  const read = useMemo(() => readRequestForm(form), [form]);
  const request = read.ok ? read.request : undefined;

  const outcome = useMemo(() => evaluateDoc(texts[doc], request, catalog), [texts, doc, request, catalog]);
  const others = useMemo(
    () => docs.filter((d) => d !== doc).map((d) => ({ d, o: evaluateDoc(texts[d], request, catalog) })),
    [docs, doc, texts, request, catalog],
  );

  const steps = outcome.kind === 'done' ? outcome.steps : [];
  const key = JSON.stringify([doc, texts[doc], stored]);
  const stepper = useStepper(key, steps.length);
  const { i, go, onKey } = stepper;
  const current = steps[i];

  useEffect(() => {
    onStepSpan(doc, current?.span);
  }, [doc, current, onStepSpan]);
  useEffect(() => () => onStepSpan(doc, undefined), [doc, onStepSpan]);

  const response = useLatestResponse();
  const counterexamples = useMemo(() => {
    if (!response) return [];
    const rs: CheckResponse[] = response.kind === 'compare' ? [response.aNotB, response.bNotA] : [response];
    return rs.flatMap((r) => r.counterexamples);
  }, [response]);
  const fromPolicy = useMemo(() => {
    const p = parsePolicy(texts[doc]);
    return p.ok
      ? p.policy.statements.map((st) => ({
          index: st.index,
          // With the catalog (once loaded) the request looks like AWS's: the action's own resource type.
          request: requestForStatement(st, catalog ? { catalog } : {}),
        }))
      : [];
  }, [texts, doc, catalog]);

  const field = (name: keyof RequestForm, label: string, placeholder: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        data-testid={`req-${name}`}
        value={form[name]}
        placeholder={placeholder}
        spellCheck={false}
        onChange={(e) => setForm({ ...form, [name]: e.target.value })}
      />
    </label>
  );

  return (
    <div className="step-panel" data-testid="step-panel">
      <div className="field-row">
        <label className="field grow">
          <span>Pick a request</span>
          <select
            data-testid="req-pick"
            value=""
            onChange={(e) => {
              const [kind, n] = e.target.value.split(':');
              const r =
                kind === 'cx'
                  ? counterexamples[Number(n)]?.request
                  : fromPolicy.find((x) => x.index === Number(n))?.request;
              if (r) setForm(formFromRequest(r));
            }}
          >
            <option value="">Choose…</option>
            {counterexamples.length > 0 && (
              <optgroup label="Counterexamples of the latest check">
                {counterexamples.map((cx, j) => (
                  <option key={j} value={`cx:${j}`}>
                    {counterexampleLabel(cx, j)}
                  </option>
                ))}
              </optgroup>
            )}
            <optgroup label="Built from a statement">
              {fromPolicy.map((x) => (
                <option key={x.index} value={`st:${x.index}`}>
                  Statement {x.index}: {x.request.action} on {x.request.resource}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        {docs.length > 1 && (
          <label className="field">
            <span>Evaluate against</span>
            <select data-testid="step-doc" value={doc} onChange={(e) => setDoc(e.target.value as DocId)}>
              {docs.map((d) => (
                <option key={d} value={d}>
                  {DOC_LABEL[d]}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <div className="field-row">
        {field('principal', 'Principal', 'anonymous, 123456789012, arn:…, Service:…')}
        {field('action', 'Action', 's3:GetObject')}
      </div>
      {field('resource', 'Resource', 'arn:aws:s3:::bucket/key')}
      <label className="field">
        <span>Context keys (one per line: key = value, or key = ["a", "b"])</span>
        <textarea
          data-testid="req-context"
          rows={2}
          value={form.context}
          spellCheck={false}
          placeholder="aws:SourceIp = 203.0.113.10"
          onChange={(e) => setForm({ ...form, context: e.target.value })}
        />
      </label>
      {!read.ok && form.action !== '' && (
        <ul className="error-box small" data-testid="req-errors">
          {read.errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      )}

      {outcome.kind !== 'done' ? (
        <p className={outcome.kind === 'error' ? 'error-box' : 'muted'} data-testid="step-message">
          {outcome.message}
        </p>
      ) : (
        <>
          <div className="verdict-row">
            <span className="subhead">Decision on {DOC_LABEL[doc]}</span>
            <span
              className={`verdict decision-${outcome.evaluation.decision === 'Allowed' ? 'allow' : 'deny'}`}
              data-testid="step-decision"
              data-decision={outcome.evaluation.decision}
            >
              {DECISION_TEXT[outcome.evaluation.decision]}
            </span>
            {others.map(({ d, o }) =>
              o.kind === 'done' ? (
                <span
                  key={d}
                  className="muted small"
                  data-testid="step-other-decision"
                  data-decision={o.evaluation.decision}
                >
                  {DOC_LABEL[d]}: {DECISION_TEXT[o.evaluation.decision]}
                </span>
              ) : null,
            )}
            {request && (
              <KeepAsTest
                title={`Keep this request as a test of ${DOC_LABEL[doc]} that expects it ${DECISION_TEXT[outcome.evaluation.decision].toLowerCase()} (its decision now)`}
                onKeep={() =>
                  keep('policy', request, outcome.evaluation.decision, testDocumentFor(doc, check))
                }
              />
            )}
          </div>
          {!outcome.formulaAgrees && (
            <div className="error-box" data-testid="formula-disagrees">
              The formula and the concrete evaluator disagree on this request. This is a bug: please report
              the policy and the request.
            </div>
          )}
          <StepNav stepper={stepper} count={steps.length} testId="step" ends />
          {current && (
            <div
              className={`step-current step-${current.kind}${current.matched === undefined ? '' : current.matched ? ' is-match' : ' is-miss'}`}
              data-testid="step-current"
              aria-live="polite"
            >
              <div className="step-title">
                {current.matched !== undefined && (
                  <span className="step-mark">{current.matched ? '✓' : '✗'}</span>
                )}
                {current.title}
              </div>
              <div className="step-detail">{current.detail}</div>
            </div>
          )}
          <ol
            className="step-list"
            tabIndex={0}
            role="group"
            aria-label="Evaluation steps: arrow keys move between steps"
            data-testid="step-list"
            onKeyDown={onKey}
          >
            {steps.map((s, j) => (
              <li
                key={s.id}
                className={`step-item step-${s.kind}${j === i ? ' is-current' : ''}`}
                data-testid="step"
                data-kind={s.kind}
                data-matched={s.matched === undefined ? '' : String(s.matched)}
                aria-current={j === i ? 'step' : undefined}
                onClick={() => go(j)}
              >
                {s.matched !== undefined && (
                  <span className={`step-mark ${s.matched ? 'is-match' : 'is-miss'}`}>
                    {s.matched ? '✓' : '✗'}
                  </span>
                )}
                {s.title}
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  );
}
