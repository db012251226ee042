/**
 * The unused actions: pasted in Access Analyzer's findings shape, or picked from a searchable checklist
 * of the catalog actions the policy's Allow statements name. The text in the store is the truth; the
 * checklist rewrites it, and never while it does not parse (so nothing typed is lost).
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { Catalog } from '../../catalog/catalog.ts';
import seed from '../../fixtures/examples/recommendation-seed.json';
import { pickSnapshot } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import {
  allowedCatalogActions,
  formatUnused,
  toggleUnused,
  unusedKeys,
  type UnusedParse,
} from './unusedInput.ts';

const MAX_SHOWN = 250;

function loadWorkedExample(): void {
  const s = useStore.getState();
  s.loadSnapshot({
    ...pickSnapshot(s),
    mode: 'recommend',
    docs: { ...s.docs, policy: JSON.stringify(seed.policyDocument, null, 2) },
    unusedText: formatUnused(seed.unusedPermissions),
    recommendChoices: {},
  });
  s.setNotice({
    tone: 'info',
    text: 'Loaded the worked example (Ctrl+Z in the editor brings back your policy).',
  });
}

function Checklist({ parse, catalog }: { parse: UnusedParse; catalog: Catalog | undefined }) {
  const policy = useDeferredValue(useStore((s) => s.docs.policy));
  const setSettings = useStore((s) => s.setSettings);
  const [query, setQuery] = useState('');
  const allowed = useMemo(
    () => (catalog ? allowedCatalogActions(policy, catalog) : undefined),
    [policy, catalog],
  );
  if (!catalog) return <p className="muted small">Loading the action catalog…</p>;
  if (!allowed)
    return (
      <p className="muted small" data-testid="pick-unavailable">
        The policy does not parse, so its actions cannot be listed. Fix it in the editor.
      </p>
    );
  if (!parse.ok)
    return (
      <p className="muted small" data-testid="pick-unavailable">
        The unused list does not parse: fix it under <em>Paste</em> first (the checklist never overwrites it).
      </p>
    );
  const checked = unusedKeys(parse.entries);
  const q = query.trim().toLowerCase();
  const matching = q ? allowed.filter((a) => a.key.includes(q)) : allowed;
  const shown = matching.slice(0, MAX_SHOWN);
  const outside = [...checked].filter((k) => !allowed.some((a) => a.key === k)).length;
  const write = (actions: string[], on: boolean): void => {
    let entries = parse.entries;
    for (const a of actions) entries = toggleUnused(entries, a, on);
    setSettings({ unusedText: formatUnused(entries) });
  };
  return (
    <div className="pick" data-testid="pick">
      <input
        type="search"
        className="pick-search"
        placeholder="Search actions, e.g. s3:GetBucket"
        aria-label="Search the actions the policy allows"
        data-testid="pick-search"
        value={query}
        spellCheck={false}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="pick-bar small muted">
        <span data-testid="pick-count">
          {matching.length} of {allowed.length} allowed action{allowed.length === 1 ? '' : 's'}
        </span>
        <span className="grow" />
        <button
          type="button"
          className="link"
          data-testid="pick-all"
          onClick={() =>
            write(
              shown.map((a) => a.display),
              true,
            )
          }
        >
          mark shown unused
        </button>
        <button
          type="button"
          className="link"
          data-testid="pick-none"
          onClick={() =>
            write(
              shown.map((a) => a.display),
              false,
            )
          }
        >
          unmark shown
        </button>
      </div>
      <ul className="pick-list" aria-label="Actions the policy allows">
        {shown.map((a) => (
          <li key={a.key}>
            <label>
              <input
                type="checkbox"
                data-testid="pick-item"
                data-action={a.display}
                checked={checked.has(a.key)}
                onChange={(e) => write([a.display], e.target.checked)}
              />
              <span className="mono">{a.display}</span>
              <span className="muted small">{a.accessLevel}</span>
            </label>
          </li>
        ))}
      </ul>
      {matching.length > shown.length && (
        <p className="muted small">{matching.length - shown.length} more: narrow the search to see them.</p>
      )}
      {outside > 0 && (
        <p className="muted small">
          {outside} listed unused action{outside === 1 ? ' is' : 's are'} not named by the policy (kept in the
          list).
        </p>
      )}
    </div>
  );
}

export function UnusedPanel({ parse, catalog }: { parse: UnusedParse; catalog: Catalog | undefined }) {
  const text = useStore((s) => s.unusedText);
  const setSettings = useStore((s) => s.setSettings);
  const [tab, setTab] = useState<'paste' | 'pick'>('paste');
  const count = parse.ok ? unusedKeys(parse.entries).size : 0;
  return (
    <section className="panel rec-input" aria-label="Unused actions">
      <h2>
        Unused actions
        <span className="grow" />
        <button type="button" className="btn btn-small" data-testid="rec-example" onClick={loadWorkedExample}>
          Example
        </button>
      </h2>
      <div className="rec-tabs" role="tablist" aria-label="How to give the unused actions">
        {(['paste', 'pick'] as const).map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            className={`rec-tab${tab === t ? ' active' : ''}`}
            data-testid={`unused-tab-${t}`}
            onClick={() => setTab(t)}
          >
            {t === 'paste' ? 'Paste finding' : 'Pick from policy'}
          </button>
        ))}
      </div>
      {tab === 'paste' ? (
        <textarea
          className="rec-unused-text mono"
          wrap="off"
          data-testid="unused-input"
          aria-label="Unused actions, Access Analyzer findings JSON"
          aria-invalid={!parse.ok}
          spellCheck={false}
          value={text}
          placeholder={'[\n  {"serviceNamespace": "s3", "actions": ["GetBucketPolicy"]}\n]'}
          onChange={(e) => setSettings({ unusedText: e.target.value })}
        />
      ) : (
        <Checklist parse={parse} catalog={catalog} />
      )}
      {!parse.ok ? (
        <div className="error-box small" data-testid="unused-error" role="alert">
          {parse.message}
        </div>
      ) : (
        <p className="muted small" data-testid="unused-count">
          {parse.empty
            ? 'Paste the unusedPermissionDetails of a finding, pick actions, or load the example.'
            : `${count} unused action${count === 1 ? '' : 's'} in ${parse.entries.length} entr${parse.entries.length === 1 ? 'y' : 'ies'}.`}
        </p>
      )}
    </section>
  );
}
