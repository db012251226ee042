/**
 * The Tests panel, beside the checks: the mode's policy tests (the Check mode's on its policy or pair,
 * the Scenario mode's on the scenario) with each one's status as the worker reports it, re-run as
 * the documents or the tests change; add, edit, duplicate and delete; the suite as JSON; export and
 * import as a JSON file in the format the CLI's `test` command reads (checks/policy-tests.ts).
 */
import { useRef, useState } from 'react';
import type { PolicyTest } from '../../checks/policy-tests.ts';
import { isDiffCheck } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { draftFromTest, EMPTY_DRAFT } from '../../state/testDraft.ts';
import { suiteJson, TESTS_FIELD, type TestsTarget } from '../../state/tests.ts';
import { cancelTestsRun, runTestsNow, testDocuments } from '../../state/testsAnalysis.ts';
import { testShown, type TestShown } from '../../state/testsSlice.ts';
import { download } from '../download.ts';
import { TestForm } from './TestForm.tsx';
import { STATUS, TestItem } from './TestItem.tsx';
import { SuiteJson } from './SuiteJson.tsx';

function Summary({ shown }: { shown: TestShown[] }) {
  const order: TestShown['status'][] = ['fail', 'error', 'unknown', 'running', 'pass', 'not-run'];
  const parts = order
    .map((st) => ({ st, n: shown.filter((x) => x.status === st).length }))
    .filter((x) => x.n > 0);
  if (!parts.length) return null;
  return (
    <span className="tests-summary" data-testid="tests-summary" aria-live="polite">
      {parts.map((p) => `${p.n} ${STATUS[p.st].text}`).join(' · ')}
    </span>
  );
}

function Toolbar({
  target,
  tests,
  onAdd,
  json,
  onJson,
}: {
  target: TestsTarget;
  tests: PolicyTest[];
  onAdd: () => void;
  json: boolean;
  onJson: () => void;
}) {
  const importTests = useStore((s) => s.importTests);
  const setNotice = useStore((s) => s.setNotice);
  const running = useStore((s) => s.testsRun?.state === 'running');
  const file = useRef<HTMLInputElement>(null);
  const [importError, setImportError] = useState<string>();
  const onFile = async (f: File | undefined) => {
    if (!f) return;
    const r = importTests(target, await f.text());
    if (r.ok) {
      setImportError(undefined);
      setNotice({
        tone: 'info',
        text: `Imported ${r.count} test${r.count === 1 ? '' : 's'} from ${f.name}.`,
      });
    } else setImportError(`${f.name} was not imported, nothing changed. ${r.message}`);
  };
  return (
    <>
      <div className="tests-toolbar">
        <button type="button" className="btn btn-small" data-testid="tests-add" onClick={onAdd}>
          + Add a test
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="tests-json-toggle"
          aria-pressed={json}
          onClick={onJson}
        >
          JSON
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="tests-export"
          title="Save the tests as a JSON file (the format the CLI's test command reads)"
          disabled={tests.length === 0}
          onClick={() =>
            download(
              target === 'scenario' ? 'scenario-tests.json' : 'policy-tests.json',
              suiteJson(tests),
              'application/json',
            )
          }
        >
          Export
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="tests-import"
          title="Replace the tests with a JSON file's (checked first: a bad file changes nothing)"
          onClick={() => file.current?.click()}
        >
          Import…
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="tests-import-file"
          onChange={(e) => {
            void onFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        <span className="grow" />
        {running ? (
          <button type="button" className="btn btn-small" data-testid="tests-cancel" onClick={cancelTestsRun}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small"
            data-testid="tests-run"
            disabled={tests.length === 0}
            onClick={runTestsNow}
          >
            Run tests
          </button>
        )}
      </div>
      {importError && (
        <p className="error-box small" data-testid="tests-import-error" role="alert">
          {importError}{' '}
          <button type="button" className="link small" onClick={() => setImportError(undefined)}>
            Dismiss
          </button>
        </p>
      )}
    </>
  );
}

export function TestsPanel({ target }: { target: TestsTarget }) {
  const tests = useStore((s) => s[TESTS_FIELD[target]]);
  const run = useStore((s) => s.testsRun);
  const check = useStore((s) => s.check);
  const s = useStore.getState;
  const [editing, setEditing] = useState<number | 'new'>();
  const [json, setJson] = useState(false);
  const documents = target === 'scenario' ? [] : testDocuments(check);
  const names = tests.map((t) => t.name);
  const others = (i?: number) => names.filter((_, j) => j !== i);
  const shown = tests.map((t) => testShown(run, target, t.name));
  const current = run?.target === target ? run : undefined;
  const on =
    target === 'scenario'
      ? 'On the scenario: its caller, its accounts and every layer.'
      : isDiffCheck(check)
        ? 'On the new policy; a test may name the existing one ("document": "existing").'
        : 'On the policy in the editor.';
  return (
    <section
      className="panel tests-panel"
      data-testid="tests-panel"
      aria-labelledby={`tests-title-${target}`}
    >
      <h2 id={`tests-title-${target}`}>
        Tests <span className="count">{tests.length}</span>
        <Summary shown={shown} />
        {current?.state === 'running' && (
          <span className="spinner" data-testid="tests-running" aria-label="running" />
        )}
      </h2>
      <p className="muted small tests-on">{on}</p>
      <Toolbar
        target={target}
        tests={tests}
        onAdd={() => setEditing('new')}
        json={json}
        onJson={() => setJson(!json)}
      />
      {json && (
        <SuiteJson
          tests={tests}
          onApply={(t) => {
            s().setTests(target, t);
            setJson(false);
          }}
          onClose={() => setJson(false)}
        />
      )}
      {current?.error && (
        <div className="error-box small" data-testid="tests-error" data-code={current.error.code}>
          <strong>The tests cannot run.</strong> <span className="mono code">{current.error.code}</span>{' '}
          {current.error.message}
          {current.error.document && <span className="muted"> ({current.error.document})</span>}
        </div>
      )}
      {current?.stopped && (
        <p className="muted small" data-testid="tests-stopped">
          The tests did not finish: {current.stopped}
        </p>
      )}
      {editing === 'new' && (
        <TestForm
          initial={{ ...EMPTY_DRAFT, name: '' }}
          otherNames={names}
          documents={documents}
          onSave={(t) => {
            s().putTest(target, t);
            setEditing(undefined);
          }}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {tests.length === 0 && editing !== 'new' && (
        <p className="muted small" data-testid="tests-empty">
          No tests yet. Add one, or press “Keep as a test” on a counterexample: a test states what must (and
          must not) be allowed, for every request, and runs again at each edit.
        </p>
      )}
      <ul className="test-list" aria-label="Tests">
        {tests.map((t, i) =>
          editing === i ? (
            <li key={`${t.name}#edit`} className="test-item">
              <TestForm
                initial={draftFromTest(t)}
                otherNames={others(i)}
                documents={documents}
                onSave={(next) => {
                  s().putTest(target, next, i);
                  setEditing(undefined);
                }}
                onCancel={() => setEditing(undefined)}
              />
            </li>
          ) : (
            <TestItem
              key={t.name}
              test={t}
              shown={shown[i]!}
              {...(current?.slots ? { slots: current.slots } : {})}
              onEdit={() => setEditing(i)}
              onDuplicate={() => {
                s().duplicateTest(target, i);
                if (typeof editing === 'number' && editing > i) setEditing(editing + 1);
              }}
              onDelete={() => {
                s().deleteTest(target, i);
                setEditing(undefined);
              }}
            />
          ),
        )}
      </ul>
    </section>
  );
}
