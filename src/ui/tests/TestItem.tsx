/**
 * One policy test in the list: its status in words and a mark (not colour alone), its name and
 * expectation, what "every request" ranges over, the result's message, and for a failing test the
 * request that breaks it with who decided: statement links into the editor (Check mode) or the
 * scenario's gates with the deciding layer (Scenario mode).
 */
import type { PolicyTest, TestResult } from '../../checks/policy-tests.ts';
import { isRangeTest } from '../../checks/policy-tests.ts';
import type { StatementRef } from '../../checks/types.ts';
import type { TestShown } from '../../state/testsSlice.ts';
import { useStore } from '../../state/store.ts';
import { RequestRows } from '../panels/RequestRows.tsx';
import { StatementButton } from '../panels/ResultsPanel.tsx';
import { Gates } from '../scenario/Gates.tsx';
import { EXPECTATION_LABELS } from './TestForm.tsx';

/** Each status as a mark and a word: never colour alone. */
export const STATUS: Record<TestShown['status'], { mark: string; text: string }> = {
  pass: { mark: '✓', text: 'pass' },
  fail: { mark: '✗', text: 'fail' },
  unknown: { mark: '?', text: 'unknown' },
  error: { mark: '!', text: 'error' },
  running: { mark: '…', text: 'running' },
  'not-run': { mark: '–', text: 'not run' },
};

/** The scope sentence's lead: what the test says about the requests it describes. */
const SCOPE_LEAD: Record<string, string> = {
  'never-allowed': 'No request allowed among',
  'sometimes-allowed': 'Some request allowed among',
  'always-allowed': 'Every request allowed among',
};

function Statements({ refs }: { refs: StatementRef[] }) {
  const check = useStore((s) => s.check);
  return (
    <>
      {refs.map((r) => (
        <StatementButton key={`${r.document}#${r.statementIndex}`} refd={r} check={check} />
      ))}
    </>
  );
}

/** Who decided a policy's request: the granting statements, the denying ones, or no Allow. */
function DecidedBy({ result }: { result: TestResult }) {
  const ex = result.example;
  if (!ex) return null;
  if (result.decision === 'Allowed')
    return ex.grantedBy.length ? (
      <>
        allowed by <Statements refs={ex.grantedBy} />
      </>
    ) : (
      <>allowed</>
    );
  if (ex.whyNot?.kind === 'deniedBy')
    return (
      <>
        explicitly denied by <Statements refs={ex.whyNot.statements} />
      </>
    );
  return <>implicitly denied: no statement allows it</>;
}

function Example({ result, slots }: { result: TestResult; slots?: Record<string, string> }) {
  const ex = result.example;
  if (!ex) return null;
  const stack = ex.stack ?? result.stack;
  return (
    <div className="card test-example" data-testid="test-example">
      <dl className="kv">
        <RequestRows request={ex.request} />
        {!stack && (
          <>
            <dt>Decided by</dt>
            <dd data-testid="test-decided-by" data-decision={result.decision}>
              <DecidedBy result={result} />
            </dd>
          </>
        )}
      </dl>
      {stack && <Gates verdict={stack} names={slots ?? {}} side="new" />}
    </div>
  );
}

function expectation(t: PolicyTest): string {
  const on = t.document ? ` · on ${t.document}` : '';
  if (isRangeTest(t)) return `${EXPECTATION_LABELS[t.expect]}${on}`;
  return `expects ${EXPECTATION_LABELS[t.expect]}: ${t.request.action} on ${t.request.resource}${on}`;
}

export function TestItem({
  test,
  shown,
  slots,
  onEdit,
  onDuplicate,
  onDelete,
}: {
  test: PolicyTest;
  shown: TestShown;
  slots?: Record<string, string>;
  onEdit: () => void;
  onDuplicate: () => void;
  onDelete: () => void;
}) {
  const { status, result, stale } = shown;
  const st = STATUS[status];
  return (
    <li
      className={`test-item test-${status}${stale ? ' is-stale' : ''}`}
      data-testid="test-item"
      data-name={test.name}
      data-status={status}
    >
      <div className="test-line">
        <span className={`test-status test-status-${status}`} data-testid="test-status">
          <span aria-hidden="true">{st.mark}</span> {st.text}
          {status === 'running' && <span className="spinner" aria-hidden="true" />}
        </span>
        <span className="test-name" data-testid="test-name">
          {test.name}
        </span>
        <span className="test-actions">
          <button
            type="button"
            className="link small"
            data-testid="test-edit"
            aria-label={`Edit ${test.name}`}
            onClick={onEdit}
          >
            Edit
          </button>
          <button
            type="button"
            className="link small"
            data-testid="test-duplicate"
            aria-label={`Duplicate ${test.name}`}
            onClick={onDuplicate}
          >
            Duplicate
          </button>
          <button
            type="button"
            className="link small"
            data-testid="test-delete"
            aria-label={`Delete ${test.name}`}
            onClick={onDelete}
          >
            Delete
          </button>
        </span>
      </div>
      <div className="test-expect muted small">{expectation(test)}</div>
      {result?.scope && (
        <p
          className="test-scope small"
          data-testid="test-scope"
          title="What “every request” ranges over for this test"
        >
          <span className="muted">{SCOPE_LEAD[test.expect] ?? 'Among'}: </span>
          {result.scope}
        </p>
      )}
      {result && (
        <p className="test-message small" data-testid="test-message">
          {stale && <span className="muted">(before the edit) </span>}
          {result.message}
        </p>
      )}
      {result && !stale && status === 'fail' && <Example result={result} {...(slots ? { slots } : {})} />}
    </li>
  );
}
