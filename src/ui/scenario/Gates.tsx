/**
 * A scenario's word on one request as a column of gates: each layer (SCP and RCP levels, resource,
 * identity, boundary, session) allowed, denied, matched nothing or did not apply, with why; the layer
 * that decided, and its deciding statement one click from its editor. Statement references are the
 * engine's document names (`scp[1][0]`), read back to the app's slots through the run's name map.
 */
import type { StackVerdict, StatementRef } from '../../checks/types.ts';
import { findSlot, type ScenarioDraft, type Side } from '../../state/scenario.ts';
import { useStore } from '../../state/store.ts';

type Layer = StackVerdict['layers'][number];

const LAYER_NAMES: Record<Layer['layer'], string> = {
  scp: 'SCPs',
  rcp: 'RCPs',
  resource: 'Resource policy',
  identity: 'Identity policies',
  boundary: 'Permissions boundary',
  session: 'Session policies',
};

const layerTitle = (l: { layer: Layer['layer'] | 'none'; level?: number }): string =>
  l.layer === 'none'
    ? 'no layer'
    : `${LAYER_NAMES[l.layer]}${l.level !== undefined ? ` · level ${l.level}` : ''}`;

/** The gate's state in words: what the user reads first. */
function gateState(l: Layer): { key: string; text: string } {
  if (!l.applies) return { key: 'not-applied', text: 'did not apply' };
  if (l.decision === 'Deny') return { key: 'denied', text: 'denied' };
  if (l.decision === 'Allow') return { key: 'allowed', text: 'allowed' };
  return { key: 'no-match', text: 'no statement matched' };
}

const DECISION_TEXT: Record<StackVerdict['decision'], string> = {
  Allowed: 'Allowed',
  ExplicitlyDenied: 'Explicitly denied',
  ImplicitlyDenied: 'Implicitly denied',
};

/** A statement of the scenario as a button that opens its editor and highlights it. */
export function StatementLink({
  refd,
  names,
  side,
  draft,
  testId = 'statement-link',
}: {
  refd: StatementRef;
  names: Record<string, string>;
  side: Side;
  draft: ScenarioDraft;
  testId?: string;
}) {
  const show = useStore((s) => s.showStatement);
  const id = names[refd.document];
  const found = id ? findSlot(draft, id) : undefined;
  const label = `${found?.place.label ?? refd.document}${side === 'old' ? ' (old)' : ''} #${refd.statementIndex}${
    refd.statementId ? ` ${refd.statementId}` : ''
  }`;
  if (!found || !id) return <span className="chip">{label}</span>;
  return (
    <button
      type="button"
      className="chip chip-link"
      data-testid={testId}
      data-slot={id}
      data-place={found.place.key}
      data-side={side}
      data-statement={refd.statementIndex}
      title="Show this statement in its editor"
      onClick={() => show(id, side, refd.statementIndex)}
    >
      {label}
    </button>
  );
}

/** The statement that decided: the deciding layer's Deny, or for an Allow its granting statement. */
function decidingStatement(v: StackVerdict): StatementRef | undefined {
  const l = v.layers.find((x) => x.layer === v.decidedBy.layer && x.level === v.decidedBy.level && x.applies);
  if (!l) return undefined;
  if (v.decision === 'ExplicitlyDenied') return l.deniedBy[0];
  if (v.decision === 'Allowed') return l.allowedBy[0];
  return undefined;
}

export function Gates({
  verdict,
  names,
  side,
  title,
}: {
  verdict: StackVerdict;
  names: Record<string, string>;
  side: Side;
  title?: string;
}) {
  const draft = useStore((s) => s.scenario.draft);
  const deciding = decidingStatement(verdict);
  const tone = verdict.decision === 'Allowed' ? 'allow' : 'deny';
  return (
    <div className="gates-box" data-testid="gates" data-side={side} data-decision={verdict.decision}>
      <div className="gates-head">
        {title && <span className="subhead">{title}</span>}
        <span className={`decision decision-${tone}`} data-testid="stack-decision">
          {DECISION_TEXT[verdict.decision]}
        </span>
        <span className="muted small">by {layerTitle(verdict.decidedBy)}</span>
      </div>
      <p className="gates-why small">
        {verdict.decidedBy.why}
        {deciding && (
          <>
            {' '}
            <StatementLink
              refd={deciding}
              names={names}
              side={side}
              draft={draft}
              testId="deciding-statement"
            />
          </>
        )}
      </p>
      <ol className="gates">
        {verdict.layers.map((l, i) => {
          const st = gateState(l);
          const decided = l.layer === verdict.decidedBy.layer && l.level === verdict.decidedBy.level;
          const hits = l.decision === 'Deny' ? l.deniedBy : l.allowedBy;
          return (
            <li
              key={i}
              className={`gate gate-${st.key}${decided ? ' is-deciding' : ''}`}
              data-testid="gate"
              data-layer={l.layer}
              data-level={l.level}
              data-gate={st.key}
            >
              <div className="gate-line">
                <span className="gate-mark" aria-hidden="true" />
                <span className="gate-name">{layerTitle(l)}</span>
                <span className="gate-state">{st.text}</span>
                {decided && <span className="chip gate-decides">decided</span>}
              </div>
              <div className="gate-why muted small">{l.why}</div>
              {l.applies && hits.length > 0 && (
                <div className="gate-hits">
                  {hits.map((h) => (
                    <StatementLink
                      key={`${h.document}#${h.statementIndex}`}
                      refd={h}
                      names={names}
                      side={side}
                      draft={draft}
                      testId="gate-statement"
                    />
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
