/**
 * The stack's layers as a list of its policies: one click opens a policy's editor; each layer adds
 * and removes its policies, the SCP and RCP layers their levels (root, OUs, account) and whether the
 * account is in an organization at all. While two scenarios are compared, each policy says whether
 * the scenario adds, removes or changes it.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { parsePolicy } from '../../policy/parse.ts';
import {
  addLevel,
  addPolicy,
  isScenarioDiff,
  LAYER_HINTS,
  LAYER_TITLES,
  levelName,
  removeLevel,
  removeSlot,
  setOrganization,
  slotPlaces,
  type LayerKind,
  type OrgKind,
  type PolicySlot,
  type SlotPlace,
} from '../../state/scenario.ts';
import { useStore } from '../../state/store.ts';

/** What a policy is in the comparison: added, removed, changed, the same. */
function change(slot: PolicySlot): 'added' | 'removed' | 'changed' | undefined {
  const now = slot.text.trim() !== '';
  const before = slot.old.trim() !== '';
  if (now && !before) return 'added';
  if (!now && before) return 'removed';
  if (now && slot.text !== slot.old) return 'changed';
  return undefined;
}

function SlotItem({
  slot,
  place,
  selected,
  diff,
}: {
  slot: PolicySlot;
  place: SlotPlace;
  selected: boolean;
  diff: boolean;
}) {
  const select = useStore((s) => s.setScenario);
  const edit = useStore((s) => s.editDraft);
  const summary = useMemo(() => {
    if (slot.text.trim() === '') return { text: 'not in this scenario', bad: false };
    const p = parsePolicy(slot.text);
    if (!p.ok) return { text: 'does not parse', bad: true };
    const n = p.policy.statements.length;
    const sids = p.policy.statements
      .map((st) => st.sid)
      .filter(Boolean)
      .join(', ');
    return { text: sids || `${n} statement${n === 1 ? '' : 's'}`, bad: false };
  }, [slot.text]);
  const changed = diff ? change(slot) : undefined;
  return (
    <li className={`layer-item${selected ? ' is-selected' : ''}`}>
      <button
        type="button"
        className="layer-open"
        data-testid={`layer-${place.key}`}
        data-slot={slot.id}
        aria-pressed={selected}
        onClick={() => select({ selected: slot.id })}
      >
        <span className="layer-label">
          {place.level !== undefined ? `Policy ${place.index + 1}` : place.label}
        </span>
        <span className={`layer-summary${summary.bad ? ' is-bad' : ''}`}>{summary.text}</span>
        {changed && <span className={`tag tag-${changed}`}>{changed}</span>}
      </button>
      <button
        type="button"
        className="layer-remove"
        data-testid={`remove-${place.key}`}
        title="Remove this policy from the scenario (and the old one)"
        aria-label={`Remove ${place.label}`}
        onClick={() => edit((d) => removeSlot(d, slot.id))}
      >
        ×
      </button>
    </li>
  );
}

function AddButton({ layer, level, label }: { layer: LayerKind; level?: number; label: string }) {
  const s = useStore(
    useShallow((st) => ({ edit: st.editDraft, setScenario: st.setScenario, check: st.scenario.check })),
  );
  return (
    <button
      type="button"
      className="link small layer-add"
      data-testid={`add-${layer}${level !== undefined ? `-${level}` : ''}`}
      onClick={() => {
        // While comparing, a policy added is one the old scenario does not have.
        const r = addPolicy(useStore.getState().scenario.draft, layer, {
          ...(level !== undefined ? { level } : {}),
          newSideOnly: isScenarioDiff(s.check),
        });
        s.edit(() => r.draft);
        s.setScenario({ selected: r.id });
      }}
    >
      + {label}
    </button>
  );
}

function OrgLayer({
  kind,
  levels,
}: {
  kind: OrgKind;
  levels: { slot: PolicySlot; place: SlotPlace }[][] | null;
}) {
  const edit = useStore((s) => s.editDraft);
  const selected = useStore((s) => s.scenario.selected);
  const diff = useStore((s) => isScenarioDiff(s.scenario.check));
  const on = levels !== null;
  return (
    <section className="layer-group" data-testid={`layer-group-${kind}`}>
      <h3 title={LAYER_HINTS[kind]}>{LAYER_TITLES[kind]}</h3>
      <label className="check-inline small">
        <input
          type="checkbox"
          data-testid={`org-${kind}`}
          checked={on}
          onChange={(e) => edit((d) => setOrganization(d, kind, e.target.checked))}
        />
        {kind === 'scp'
          ? 'The caller account is in an organization'
          : 'The resource account is in an organization'}
      </label>
      {levels?.map((level, l) => (
        <div key={l} className="org-level" data-testid={`${kind}-level-${l}`}>
          <div className="org-level-head">
            <span>
              Level {l} · {levelName(l, levels.length)}
            </span>
            <button
              type="button"
              className="link small"
              data-testid={`remove-${kind}-level-${l}`}
              title="Remove this level"
              onClick={() => edit((d) => removeLevel(d, kind, l))}
            >
              remove level
            </button>
          </div>
          <ul className="layer-items">
            {level.map(({ slot, place }) => (
              <SlotItem key={slot.id} slot={slot} place={place} selected={slot.id === selected} diff={diff} />
            ))}
          </ul>
          {level.length === 0 && (
            <p className="muted small">
              {kind === 'scp'
                ? 'No SCP: this level allows nothing (AWS attaches FullAWSAccess by default).'
                : 'No RCP beyond RCPFullAWSAccess: this level denies nothing.'}
            </p>
          )}
          <AddButton layer={kind} level={l} label={kind === 'scp' ? 'SCP' : 'RCP'} />
        </div>
      ))}
      {on && (
        <button
          type="button"
          className="link small layer-add"
          data-testid={`add-${kind}-level`}
          onClick={() => edit((d) => addLevel(d, kind))}
        >
          + level below
        </button>
      )}
    </section>
  );
}

export function LayerList() {
  const s = useStore(
    useShallow((st) => ({
      draft: st.scenario.draft,
      selected: st.scenario.selected,
      diff: isScenarioDiff(st.scenario.check),
    })),
  );
  const places = useMemo(() => slotPlaces(s.draft), [s.draft]);
  const of = (layer: LayerKind) => places.filter((x) => x.place.layer === layer);
  const levels = (kind: OrgKind) => {
    const ls = kind === 'scp' ? s.draft.scps : s.draft.rcps;
    return ls ? ls.map((_, l) => of(kind).filter((x) => x.place.level === l)) : null;
  };
  const group = (layer: Exclude<LayerKind, OrgKind>, single: boolean) => {
    const items = of(layer);
    return (
      <section className="layer-group" data-testid={`layer-group-${layer}`}>
        <h3 title={LAYER_HINTS[layer]}>{LAYER_TITLES[layer]}</h3>
        <ul className="layer-items">
          {items.map(({ slot, place }) => (
            <SlotItem
              key={slot.id}
              slot={slot}
              place={place}
              selected={slot.id === s.selected}
              diff={s.diff}
            />
          ))}
        </ul>
        {(!single || items.length === 0) && (
          <AddButton
            layer={layer}
            label={
              layer === 'boundary'
                ? 'permissions boundary'
                : layer === 'resource'
                  ? 'resource policy'
                  : layer === 'session'
                    ? 'session policy'
                    : 'identity policy'
            }
          />
        )}
      </section>
    );
  };
  return (
    <section className="panel scenario-layers" data-testid="scenario-layers" aria-label="Layers">
      <h2>Layers</h2>
      {group('identity', false)}
      {group('boundary', true)}
      {group('session', false)}
      {group('resource', true)}
      <OrgLayer kind="scp" levels={levels('scp')} />
      <OrgLayer kind="rcp" levels={levels('rcp')} />
    </section>
  );
}
