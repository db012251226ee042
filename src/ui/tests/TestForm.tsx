/**
 * Adds or edits one policy test: a small form per expectation kind (a description of requests for
 * never / sometimes / always allowed; one request and its decision otherwise), validated by the file
 * format's schema with each problem next to its field (state/testDraft.ts).
 */
import { useId, useState, type ReactNode } from 'react';
import type { PolicyTest } from '../../checks/policy-tests.ts';
import {
  EXPECTATIONS,
  isRangeExpectation,
  testFromDraft,
  type ContextRow,
  type DraftErrors,
  type Expectation,
  type TestDraft,
} from '../../state/testDraft.ts';

export const EXPECTATION_LABELS: Record<Expectation, string> = {
  'never-allowed': 'never allowed',
  'sometimes-allowed': 'sometimes allowed',
  'always-allowed': 'always allowed',
  Allowed: 'Allowed',
  ExplicitlyDenied: 'ExplicitlyDenied',
  ImplicitlyDenied: 'ImplicitlyDenied',
  denied: 'denied (either denial)',
};

/** A field with its label and, under it, its problem (announced, and tied to the input). */
function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  children: (a: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="field">
      <label htmlFor={id}>
        <span>{label}</span>
        {hint && <span className="muted small"> · {hint}</span>}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), ...(error ? { 'aria-describedby': errorId } : {}) })}
      {error && (
        <span className="field-error" id={errorId} data-testid="test-field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

function ContextRows({
  rows,
  range,
  errors,
  onChange,
}: {
  rows: ContextRow[];
  range: boolean;
  errors: DraftErrors;
  onChange: (rows: ContextRow[]) => void;
}) {
  const set = (i: number, patch: Partial<ContextRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="test-context">
      <legend>
        Context keys{' '}
        <span className="muted small">
          {range
            ? '· fix a value (["a", "b"] for a list) or the key’s absence; every other key is open'
            : '· a key not listed is absent'}
        </span>
      </legend>
      {rows.map((r, i) => (
        <div key={i} className="test-context-row" data-testid="test-context-row">
          <input
            aria-label={`Context key ${i + 1}`}
            data-testid="test-context-key"
            value={r.key}
            placeholder="aws:SourceIp"
            spellCheck={false}
            onChange={(e) => set(i, { key: e.target.value })}
          />
          <input
            aria-label={`Value of context key ${i + 1}`}
            data-testid="test-context-value"
            value={range && r.absent ? '' : r.value}
            disabled={range && r.absent}
            placeholder={range && r.absent ? '(absent)' : '203.0.113.10'}
            spellCheck={false}
            onChange={(e) => set(i, { value: e.target.value })}
          />
          {range && (
            <label className="check-inline small">
              <input
                type="checkbox"
                data-testid="test-context-absent"
                checked={r.absent}
                onChange={(e) => set(i, { absent: e.target.checked })}
              />
              absent
            </label>
          )}
          <button
            type="button"
            className="link small"
            aria-label={`Remove context key ${i + 1}`}
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
          >
            Remove
          </button>
          {errors[`context.${i}`] && (
            <span className="field-error" data-testid="test-field-error" role="alert">
              {errors[`context.${i}`]}
            </span>
          )}
        </div>
      ))}
      <button
        type="button"
        className="link small"
        data-testid="test-context-add"
        onClick={() => onChange([...rows, { key: '', value: '', absent: false }])}
      >
        + Add a context key
      </button>
    </fieldset>
  );
}

export function TestForm({
  initial,
  otherNames,
  documents,
  onSave,
  onCancel,
}: {
  initial: TestDraft;
  otherNames: readonly string[];
  /** the documents a test may name (the first is the default); none for a scenario */
  documents: readonly string[];
  onSave: (t: PolicyTest) => void;
  onCancel: () => void;
}) {
  const [d, setDraft] = useState(initial);
  const [errors, setErrors] = useState<DraftErrors | undefined>();
  const range = isRangeExpectation(d.expect);
  // Once the user has tried to save, problems update as they type.
  const set = (patch: Partial<TestDraft>) => {
    const next = { ...d, ...patch };
    setDraft(next);
    if (errors) {
      const r = testFromDraft(next, otherNames);
      setErrors(r.ok ? {} : r.errors);
    }
  };
  const e = errors ?? {};
  const save = () => {
    const r = testFromDraft(d, otherNames);
    if (r.ok) onSave(r.test);
    else setErrors(r.errors);
  };
  const text = (
    key: 'name' | 'principal' | 'action' | 'resource',
    label: string,
    placeholder: string,
    hint?: string,
  ) => (
    <Field label={label} error={e[key]} {...(hint ? { hint } : {})}>
      {(a) => (
        <input
          {...a}
          data-testid={`test-${key}`}
          value={d[key]}
          placeholder={placeholder}
          spellCheck={false}
          onChange={(ev) => set({ [key]: ev.target.value })}
        />
      )}
    </Field>
  );
  const list = (
    key: 'actions' | 'resources' | 'principals',
    label: string,
    placeholder: string,
    hint: string,
  ) => (
    <Field label={label} error={e[key]} hint={hint}>
      {(a) => (
        <textarea
          {...a}
          data-testid={`test-${key}`}
          rows={2}
          value={d[key]}
          placeholder={placeholder}
          spellCheck={false}
          onChange={(ev) => set({ [key]: ev.target.value })}
        />
      )}
    </Field>
  );
  const docs = d.document && !documents.includes(d.document) ? [...documents, d.document] : documents;
  return (
    <form
      className="test-form"
      data-testid="test-form"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        save();
      }}
    >
      {text('name', 'Name', 'no prod deletes')}
      <div className="field-row">
        <Field label="Expect" error={e.expect}>
          {(a) => (
            <select
              {...a}
              data-testid="test-expect"
              value={d.expect}
              onChange={(ev) => set({ expect: ev.target.value as Expectation })}
            >
              <optgroup label="Every request of a description">
                {EXPECTATIONS.filter(isRangeExpectation).map((x) => (
                  <option key={x} value={x}>
                    {EXPECTATION_LABELS[x]}
                  </option>
                ))}
              </optgroup>
              <optgroup label="One request: its decision">
                {EXPECTATIONS.filter((x) => !isRangeExpectation(x)).map((x) => (
                  <option key={x} value={x}>
                    {EXPECTATION_LABELS[x]}
                  </option>
                ))}
              </optgroup>
            </select>
          )}
        </Field>
        {docs.length > 1 && (
          <Field label="Document" error={e.document}>
            {(a) => (
              <select
                {...a}
                data-testid="test-document"
                value={d.document}
                onChange={(ev) => set({ document: ev.target.value })}
              >
                {docs.map((x, i) => (
                  <option key={x} value={i === 0 ? '' : x}>
                    {x}
                    {i === 0 ? ' (default)' : ''}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      {range ? (
        <>
          {list('actions', 'Actions', 's3:Delete*', 'patterns; every action when empty')}
          {list('resources', 'Resources', 'arn:aws:s3:::prod-*', 'patterns; every resource when empty')}
          {list('principals', 'Principals', 'arn:aws:iam::111122223333:role/Deploy', 'any caller when empty')}
        </>
      ) : (
        <>
          {text(
            'principal',
            'Principal',
            'arn:…, 123456789012, anonymous, Service:ec2.amazonaws.com',
            'implicit caller when empty',
          )}
          {text('action', 'Action', 's3:DeleteObject')}
          {text('resource', 'Resource', 'arn:aws:s3:::prod-1/x')}
        </>
      )}
      <ContextRows rows={d.context} range={range} errors={e} onChange={(context) => set({ context })} />
      {e.form && (
        <p className="field-error" role="alert">
          {e.form}
        </p>
      )}
      <div className="field-row actions-row">
        <span className="grow" />
        <button type="button" className="btn" data-testid="test-cancel" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" data-testid="test-save">
          Save
        </button>
      </div>
    </form>
  );
}
