/**
 * The suite as the file format writes it, editable: _Apply_ replaces the list when the text reads as
 * a suite (checks/policy-tests.ts readTestSuite), else the problem is shown, naming where it is, and
 * the list stays as it was.
 */
import { useState } from 'react';
import type { PolicyTest } from '../../checks/policy-tests.ts';
import { importSuite, suiteJson } from '../../state/tests.ts';

export function SuiteJson({
  tests,
  onApply,
  onClose,
}: {
  tests: readonly PolicyTest[];
  onApply: (tests: PolicyTest[]) => void;
  onClose: () => void;
}) {
  const [text, setText] = useState(() => suiteJson(tests));
  const [error, setError] = useState<string>();
  return (
    <div className="tests-json">
      <textarea
        data-testid="tests-json"
        aria-label="The tests as JSON"
        aria-invalid={Boolean(error)}
        rows={14}
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setError(undefined);
        }}
      />
      {error && (
        <p className="error-box small" data-testid="tests-json-error" role="alert">
          {error}
        </p>
      )}
      <div className="field-row actions-row">
        <span className="grow muted small">
          The file format the CLI&apos;s <code>test</code> command reads: {'{"tests": [...]}'}
        </span>
        <button type="button" className="btn" data-testid="tests-json-close" onClick={onClose}>
          Close
        </button>
        <button
          type="button"
          className="btn btn-primary"
          data-testid="tests-json-apply"
          onClick={() => {
            const r = importSuite(text);
            if (!r.ok) setError(r.message);
            else onApply(r.tests);
          }}
        >
          Apply
        </button>
      </div>
    </div>
  );
}
