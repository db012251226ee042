import { useShallow } from 'zustand/react/shallow';
import { resourceTypeOptions } from '../../state/resourceTypes.ts';
import { CHECK_KINDS, isDiffCheck, type CheckKind } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { cancelRun, DEBOUNCE_MS, runNow } from '../../state/analysis.ts';

const CHECK_LABELS: Record<CheckKind, string> = {
  CheckNoNewAccess: 'No new access (diff)',
  CheckAccessNotGranted: 'Access not granted',
  CheckNoPublicAccess: 'No public access',
  NoAccessOutsideAccounts: 'No access outside trusted accounts',
  ComparePolicies: 'Compare policies (diff)',
};

export function ChecksPanel() {
  const s = useStore(
    useShallow((st) => ({
      check: st.check,
      policyType: st.policyType,
      resourceType: st.resourceType,
      criticalActions: st.criticalActions,
      criticalResources: st.criticalResources,
      trustedAccounts: st.trustedAccounts,
      timeoutMs: st.timeoutMs,
      setSettings: st.setSettings,
      running: st.run?.state === 'running',
    })),
  );
  const usesPolicyType = s.check !== 'CheckNoPublicAccess';
  return (
    <section className="panel checks-panel" aria-label="Check settings">
      <div className="field-row">
        <label className="field grow">
          <span>Check</span>
          <select
            data-testid="check-select"
            value={s.check}
            onChange={(e) => s.setSettings({ check: e.target.value as CheckKind })}
          >
            {CHECK_KINDS.map((k) => (
              <option key={k} value={k}>
                {CHECK_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {usesPolicyType && (
          <label className="field">
            <span>Policy type</span>
            <select
              data-testid="policy-type-select"
              value={s.policyType}
              onChange={(e) => s.setSettings({ policyType: e.target.value as typeof s.policyType })}
            >
              <option value="IDENTITY_POLICY">Identity</option>
              <option value="RESOURCE_POLICY">Resource</option>
            </select>
          </label>
        )}
      </div>
      {s.check === 'CheckAccessNotGranted' && (
        <div className="field-row">
          <label className="field grow">
            <span>Critical actions</span>
            <input
              data-testid="critical-actions"
              value={s.criticalActions}
              placeholder="s3:DeleteBucket, iam:PassRole"
              spellCheck={false}
              onChange={(e) => s.setSettings({ criticalActions: e.target.value })}
            />
          </label>
          <label className="field grow">
            <span>Critical resources</span>
            <input
              data-testid="critical-resources"
              value={s.criticalResources}
              placeholder="arn:aws:s3:::prod-*"
              spellCheck={false}
              onChange={(e) => s.setSettings({ criticalResources: e.target.value })}
            />
          </label>
        </div>
      )}
      {s.check === 'CheckNoPublicAccess' && (
        <label className="field">
          <span>Resource type</span>
          <select
            data-testid="resource-type-select"
            value={s.resourceType}
            onChange={(e) => s.setSettings({ resourceType: e.target.value })}
          >
            {resourceTypeOptions(s.resourceType).map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {s.check === 'NoAccessOutsideAccounts' && (
        <label className="field">
          <span>Trusted accounts</span>
          <input
            data-testid="trusted-accounts"
            value={s.trustedAccounts}
            placeholder="123456789012, 210987654321"
            spellCheck={false}
            onChange={(e) => s.setSettings({ trustedAccounts: e.target.value })}
          />
        </label>
      )}
      <div className="field-row actions-row">
        <label className="field inline">
          <span>Timeout</span>
          <select
            data-testid="timeout-select"
            value={s.timeoutMs}
            onChange={(e) => s.setSettings({ timeoutMs: Number(e.target.value) })}
          >
            {[2000, 5000, 10_000, 30_000].map((t) => (
              <option key={t} value={t}>
                {t / 1000} s
              </option>
            ))}
          </select>
        </label>
        <span className="grow muted small">
          {isDiffCheck(s.check)
            ? 'Left: existing · right: new.'
            : `Re-checks as you edit (while you type, ${DEBOUNCE_MS} ms after the last key).`}
        </span>
        {s.running ? (
          <button type="button" className="btn" data-testid="cancel-button" onClick={cancelRun}>
            Cancel
          </button>
        ) : (
          <button type="button" className="btn btn-primary" data-testid="run-button" onClick={runNow}>
            Run check
          </button>
        )}
      </div>
    </section>
  );
}
