/**
 * Above the Check view's editors: what their markers validate the documents as. Access Analyzer's
 * four policy types (the checks take identity and resource policies; SCPs and RCPs are validated
 * here and checked in the Scenario mode), or Auto: as the check reads them. For a resource policy,
 * the resource it is attached to (ValidatePolicy's resource types), which brings that resource's rules.
 */
import { useShallow } from 'zustand/react/shallow';
import { VALIDATE_POLICY_TYPES, VALIDATE_RESOURCE_TYPES, type PolicyType } from '../../policy/validate.ts';
import { useStore } from '../../state/store.ts';
import { selectValidation, type ValidateAs, type ValidateAttachedTo } from '../../state/validation.ts';

const TYPE_LABELS: Record<PolicyType, string> = {
  IDENTITY_POLICY: 'Identity policy',
  RESOURCE_POLICY: 'Resource policy',
  SERVICE_CONTROL_POLICY: 'Service control policy (SCP)',
  RESOURCE_CONTROL_POLICY: 'Resource control policy (RCP)',
};

export function ValidationBar() {
  const s = useStore(
    useShallow((st) => ({
      check: st.check,
      policyType: st.policyType,
      resourceType: st.resourceType,
      validateAs: st.validateAs,
      validateResourceType: st.validateResourceType,
      setSettings: st.setSettings,
    })),
  );
  const auto = selectValidation({ ...s, validateAs: 'AUTO', validateResourceType: '' });
  const effective = selectValidation(s);
  return (
    <div className="validation-bar" aria-label="Validation">
      <label className="field inline">
        <span>Validate as</span>
        <select
          data-testid="validate-as-select"
          value={s.validateAs}
          onChange={(e) => s.setSettings({ validateAs: e.target.value as ValidateAs })}
        >
          <option value="AUTO">Auto: {TYPE_LABELS[auto.policyType]}</option>
          {VALIDATE_POLICY_TYPES.map((t) => (
            <option key={t} value={t}>
              {TYPE_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      {effective.policyType === 'RESOURCE_POLICY' && (
        <label className="field inline">
          <span>attached to</span>
          <select
            data-testid="validate-resource-type-select"
            value={s.validateResourceType}
            onChange={(e) => s.setSettings({ validateResourceType: e.target.value as ValidateAttachedTo })}
          >
            <option value="">
              {s.validateAs === 'AUTO' && auto.resourceType ? `Auto: ${auto.resourceType}` : 'any resource'}
            </option>
            {VALIDATE_RESOURCE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}
