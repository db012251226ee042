/**
 * SMT-LIB export of the selected check's question: a standalone script for any Z3 (copy or download),
 * with its size and, when a part had to be over-approximated, what that means for the verdict. When
 * the engine returns the transcript of its own solver calls, that is offered as a second download.
 */
import { useMemo, useState } from 'react';
import type { Catalog } from '../../catalog/catalog.ts';
import { exportSmtLib } from '../../checks/export.ts';
import { download } from '../download.ts';
import { useCheckRequest, useLatestResponse } from './hooks.ts';

const SHOWN_CHARS = 60_000;

/** The engine's record of its Z3 calls, when the response carries one (`record: true`). */
function transcriptOf(r: unknown): string | undefined {
  const t = (r as { transcript?: unknown } | undefined)?.transcript;
  if (typeof t === 'string') return t;
  if (Array.isArray(t) && t.every((x) => typeof x === 'string')) return t.join('\n');
  return undefined;
}

export function SmtPanel({ catalog, catalogError }: { catalog: Catalog | undefined; catalogError?: string }) {
  const { request } = useCheckRequest();
  const exported = useMemo(() => (catalog ? exportSmtLib(request, catalog) : undefined), [catalog, request]);
  const response = useLatestResponse();
  const transcript = transcriptOf(response);
  const [copied, setCopied] = useState<string>();
  const file = `${request.check}.smt2`;

  if (catalogError) return <div className="error-box">{catalogError}</div>;
  if (!exported) return <p className="muted">Loading the action catalog…</p>;
  if (!exported.ok)
    return (
      <div className="error-box" data-testid="smt-error">
        <span className="mono code">{exported.error.code}</span> {exported.error.message}
      </div>
    );
  const { script, size, approximate, notes, questions } = exported.value;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(script);
      setCopied('Copied.');
    } catch {
      setCopied('The browser did not allow copying: select the text below instead.');
    }
  };
  return (
    <div className="smt-panel" data-testid="smt-panel">
      <p>
        The question {questions.map((q) => q.formula).join(' and ')} as a standalone SMT-LIB2 script: run it
        with any Z3 (<span className="mono">z3 {file}</span>). <span className="mono">sat</span> means FAIL (a
        request breaks the property), <span className="mono">unsat</span> means PASS.
      </p>
      <p className="muted small" data-testid="smt-size">
        {size.dimensions} string dimension(s), {size.atoms} atom(s), {Math.ceil(size.chars / 1024)} KB.
        {size.large
          ? ' This policy is large: the script puts every string test into one query, and Z3 may need minutes for it.'
          : ' Z3 answers most scripts this size in seconds; its string solver is slow on a few.'}{' '}
        The app asks the same question in many small queries instead.
      </p>
      {approximate && (
        <div className="error-box small" data-testid="smt-approximate">
          Over-approximation: unsat still proves PASS, but sat may be a request the policy does not allow.
          <ul>
            {notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="field-row">
        <button type="button" className="btn" data-testid="smt-copy" onClick={() => void copy()}>
          Copy script
        </button>
        <button
          type="button"
          className="btn"
          data-testid="smt-download"
          onClick={() => download(file, script)}
        >
          Download {file}
        </button>
        {transcript !== undefined && (
          <button
            type="button"
            className="btn"
            data-testid="smt-transcript"
            onClick={() => download(`${request.check}.transcript.smt2`, transcript)}
            title="The exact calls the app's lazy solver made for the latest check"
          >
            What the solver actually ran
          </button>
        )}
        <span className="small muted" role="status">
          {copied}
        </span>
      </div>
      <pre className="smt-script" data-testid="smt-script" tabIndex={0} aria-label="SMT-LIB2 script">
        {script.length > SHOWN_CHARS
          ? `${script.slice(0, SHOWN_CHARS)}\n; … (download for the whole script)`
          : script}
      </pre>
    </div>
  );
}
