/**
 * The scenario's settings: the caller and the accounts, then the check and its inputs (an access
 * list, a resource type, trusted accounts, a request to evaluate, or the old scenario to compare
 * with), the timeout, and Run / Cancel.
 */
import { useShallow } from 'zustand/react/shallow';
import { resourceTypeOptions } from '../../state/resourceTypes.ts';
import {
  CALLER_KINDS,
  copyToOld,
  isScenarioDiff,
  SCENARIO_CHECKS,
  type CallerKind,
  type ScenarioCheckKind,
  type ScenarioDraft,
} from '../../state/scenario.ts';
import { cancelScenarioRun, runScenarioNow } from '../../state/scenarioAnalysis.ts';
import { useStore } from '../../state/store.ts';
import { DEBOUNCE_MS } from '../../state/analysis.ts';

const SCENARIO_CHECK_LABELS: Record<ScenarioCheckKind, string> = {
  ScenarioAccessNotGranted: 'Access not granted',
  ScenarioNoPublicAccess: 'No public access',
  ScenarioNoAccessOutside: 'No access outside trusted accounts',
  EvaluateScenario: 'Evaluate a request',
  CompareScenarios: 'Compare with the old scenario (diff)',
  ScenarioNoNewAccess: 'No new access since the old scenario (diff)',
};

const CALLER_LABELS: Record<CallerKind, string> = {
  any: 'Any caller the check allows',
  arn: 'A principal (ARN)',
  service: 'An AWS service',
  anonymous: 'Anonymous',
};

function CallerSettings() {
  const s = useStore(useShallow((st) => ({ d: st.scenario.draft, edit: st.editDraft })));
  const set = (patch: Partial<ScenarioDraft>) => s.edit((d) => ({ ...d, ...patch }));
  return (
    <>
      <div className="field-row">
        <label className="field grow">
          <span>Caller account</span>
          <input
            data-testid="scenario-caller-account"
            value={s.d.callerAccount}
            placeholder="111122223333"
            spellCheck={false}
            onChange={(e) => set({ callerAccount: e.target.value })}
          />
        </label>
        <label className="field grow">
          <span>Resource account</span>
          <input
            data-testid="scenario-resource-account"
            value={s.d.resourceAccount}
            placeholder="the caller's"
            spellCheck={false}
            onChange={(e) => set({ resourceAccount: e.target.value })}
          />
        </label>
      </div>
      <label className="check-inline small">
        <input
          type="checkbox"
          data-testid="scenario-management"
          checked={s.d.isManagementAccount}
          onChange={(e) => set({ isManagementAccount: e.target.checked })}
        />
        The caller account is the organization&apos;s management account (SCPs do not apply)
      </label>
      <div className="field-row">
        <label className="field">
          <span>Caller</span>
          <select
            data-testid="scenario-caller-kind"
            value={s.d.callerKind}
            onChange={(e) => set({ callerKind: e.target.value as CallerKind })}
          >
            {CALLER_KINDS.map((k) => (
              <option key={k} value={k}>
                {CALLER_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {s.d.callerKind === 'arn' && (
          <label className="field grow">
            <span>Caller ARN</span>
            <input
              data-testid="scenario-caller-arn"
              value={s.d.callerArn}
              placeholder="arn:aws:iam::111122223333:role/Developer"
              spellCheck={false}
              onChange={(e) => set({ callerArn: e.target.value })}
            />
          </label>
        )}
        {s.d.callerKind === 'service' && (
          <label className="field grow">
            <span>Service principal</span>
            <input
              data-testid="scenario-caller-service"
              value={s.d.callerService}
              placeholder="lambda.amazonaws.com"
              spellCheck={false}
              onChange={(e) => set({ callerService: e.target.value })}
            />
          </label>
        )}
      </div>
    </>
  );
}

function CheckInputs() {
  const s = useStore(
    useShallow((st) => ({
      sc: st.scenario,
      setScenario: st.setScenario,
      edit: st.editDraft,
    })),
  );
  const { sc, setScenario } = s;
  switch (sc.check) {
    case 'ScenarioAccessNotGranted':
      return (
        <div className="field-row">
          <label className="field grow">
            <span>Actions it must not allow</span>
            <input
              data-testid="scenario-access-actions"
              value={sc.accessActions}
              placeholder="iam:CreateUser, s3:DeleteBucket"
              spellCheck={false}
              onChange={(e) => setScenario({ accessActions: e.target.value })}
            />
          </label>
          <label className="field grow">
            <span>on resources</span>
            <input
              data-testid="scenario-access-resources"
              value={sc.accessResources}
              placeholder="any"
              spellCheck={false}
              onChange={(e) => setScenario({ accessResources: e.target.value })}
            />
          </label>
        </div>
      );
    case 'ScenarioNoPublicAccess':
      return (
        <label className="field">
          <span>Resource type</span>
          <select
            data-testid="scenario-resource-type"
            value={sc.resourceType}
            onChange={(e) => setScenario({ resourceType: e.target.value })}
          >
            {resourceTypeOptions(sc.resourceType).map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      );
    case 'ScenarioNoAccessOutside':
      return (
        <label className="field">
          <span>Trusted accounts</span>
          <input
            data-testid="scenario-trusted-accounts"
            value={sc.trustedAccounts}
            placeholder="111122223333, 444455556666"
            spellCheck={false}
            onChange={(e) => setScenario({ trustedAccounts: e.target.value })}
          />
        </label>
      );
    case 'EvaluateScenario':
      return (
        <div className="scenario-request-form">
          <div className="field-row">
            <label className="field grow">
              <span>Action</span>
              <input
                data-testid="scenario-request-action"
                value={sc.requestAction}
                placeholder="s3:GetObject"
                spellCheck={false}
                onChange={(e) => setScenario({ requestAction: e.target.value })}
              />
            </label>
            <label className="field grow">
              <span>Principal</span>
              <input
                data-testid="scenario-request-principal"
                value={sc.requestPrincipal}
                placeholder="the scenario's caller"
                spellCheck={false}
                onChange={(e) => setScenario({ requestPrincipal: e.target.value })}
              />
            </label>
          </div>
          <label className="field">
            <span>Resource</span>
            <input
              data-testid="scenario-request-resource"
              value={sc.requestResource}
              placeholder="arn:aws:s3:::amzn-s3-demo-bucket/key"
              spellCheck={false}
              onChange={(e) => setScenario({ requestResource: e.target.value })}
            />
          </label>
          <label className="field">
            <span>Context (JSON)</span>
            <textarea
              data-testid="scenario-request-context"
              className="mono"
              rows={3}
              value={sc.requestContext}
              placeholder='{"aws:RequestedRegion": "eu-west-1"}'
              spellCheck={false}
              onChange={(e) => setScenario({ requestContext: e.target.value })}
            />
          </label>
        </div>
      );
    case 'CompareScenarios':
    case 'ScenarioNoNewAccess':
      return (
        <div className="field-row">
          <span className="grow muted small">
            Each policy opens side by side: the old scenario left, the scenario right. An empty side is a
            policy that scenario does not have.
          </span>
          <button
            type="button"
            className="btn btn-small"
            data-testid="scenario-copy-to-old"
            title="The old scenario becomes a copy of the scenario"
            onClick={() => s.edit(copyToOld)}
          >
            Old = current
          </button>
        </div>
      );
  }
}

export function ScenarioSettings() {
  const s = useStore(
    useShallow((st) => ({
      check: st.scenario.check,
      timeoutMs: st.timeoutMs,
      setScenario: st.setScenario,
      setSettings: st.setSettings,
      running: st.scenarioRun?.state === 'running',
    })),
  );
  return (
    <section className="panel checks-panel scenario-settings" aria-label="Scenario settings">
      <h2>Caller and accounts</h2>
      <CallerSettings />
      <h2 className="scenario-check-head">Check</h2>
      <label className="field">
        <select
          data-testid="scenario-check-select"
          value={s.check}
          aria-label="Check"
          onChange={(e) => {
            const check = e.target.value as ScenarioCheckKind;
            const st = useStore.getState();
            // The first comparison starts from a copy: the old scenario is the current one.
            const oldEmpty =
              st.scenario.draft.identity.every((x) => x.old.trim() === '') &&
              !st.scenario.draft.boundary?.old.trim() &&
              !st.scenario.draft.resource?.old.trim() &&
              !(st.scenario.draft.scps ?? []).flat().some((x) => x.old.trim()) &&
              !(st.scenario.draft.rcps ?? []).flat().some((x) => x.old.trim()) &&
              st.scenario.draft.session.every((x) => x.old.trim() === '');
            if (isScenarioDiff(check) && oldEmpty) st.editDraft(copyToOld);
            s.setScenario({ check });
          }}
        >
          {SCENARIO_CHECKS.map((k) => (
            <option key={k} value={k}>
              {SCENARIO_CHECK_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <CheckInputs />
      <div className="field-row actions-row">
        <label className="field inline">
          <span>Timeout</span>
          <select
            data-testid="scenario-timeout-select"
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
        <span className="grow muted small">Re-checks as you edit ({DEBOUNCE_MS} ms after the last key).</span>
        {s.running ? (
          <button type="button" className="btn" data-testid="scenario-cancel" onClick={cancelScenarioRun}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-primary"
            data-testid="scenario-run"
            onClick={runScenarioNow}
          >
            Run check
          </button>
        )}
      </div>
    </section>
  );
}
