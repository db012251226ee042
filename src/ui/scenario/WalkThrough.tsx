/**
 * "Walk through": a request the scenario check answered (the request evaluator's, or a
 * counterexample) walked through the flow chart step by step (learn/StackWalk.tsx). The scenario is
 * the one the run checked — read back from the run's request — so the walk explains the verdict
 * shown even while the policies are being edited; its statements open in their editors.
 */
import { useMemo, useState } from 'react';
import type { StackVerdict, Request as JsonRequest } from '../../checks/types.ts';
import type { Request } from '../../evaluate/request.ts';
import { scenarioRequest } from '../../checks/scenario-request.ts';
import { parseScenario, type Scenario } from '../../evaluate/scenario.ts';
import { findSlot, type Side } from '../../state/scenario.ts';
import { useStore } from '../../state/store.ts';
import { stackSteps } from '../../teach/stack-steps.ts';
import { StackWalk } from '../learn/StackWalk.tsx';

/** The scenario input of a run's request, for a side: `{ r: request, t: timeout }` as JSON. */
function scenarioOf(requestKey: string, side: Side): unknown {
  try {
    const { r } = JSON.parse(requestKey) as { r: Record<string, unknown> };
    if (r.check === 'CompareScenarios') return side === 'old' ? r.scenarioA : r.scenarioB;
    if (r.check === 'ScenarioNoNewAccess') return side === 'old' ? r.existingScenario : r.newScenario;
    return r.scenario;
  } catch {
    return undefined;
  }
}

/** The evaluator's request of a run (EvaluateScenario), as the engine reads it. */
function evaluatedRequest(requestKey: string): Request | undefined {
  try {
    const { r } = JSON.parse(requestKey) as {
      r: {
        check: string;
        request?: { action: string; resource: string; principal?: unknown; context?: Request['context'] };
      };
    };
    if (r.check !== 'EvaluateScenario' || !r.request) return undefined;
    return scenarioRequest(r.request);
  } catch {
    return undefined;
  }
}

export function WalkThrough({
  verdict,
  request,
  side,
  names,
}: {
  verdict: StackVerdict;
  /** the counterexample's request; absent: the request evaluator's */
  request?: JsonRequest;
  side: Side;
  /** engine document name -> slot id */
  names: Record<string, string>;
}) {
  const [open, setOpen] = useState(false);
  const requestKey = useStore((s) => (s.scenarioRun?.answer ? s.scenarioRun.requestKey : undefined));
  const draft = useStore((s) => s.scenario.draft);
  const show = useStore((s) => s.showStatement);
  const walk = useMemo(() => {
    if (!open || !requestKey) return undefined;
    let s: Scenario;
    try {
      s = parseScenario(scenarioOf(requestKey, side));
    } catch {
      return undefined;
    }
    const req = request ?? evaluatedRequest(requestKey);
    return req ? stackSteps(s, req, verdict) : undefined;
  }, [open, requestKey, side, request, verdict]);
  if (!requestKey) return null;
  return (
    <div className="walk-through">
      <button
        type="button"
        className="link small"
        data-testid="walk-through"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        {open ? 'Hide the walk through the flow chart' : 'Walk through the flow chart'}
      </button>
      {open &&
        (walk ? (
          <StackWalk
            walk={walk}
            canReveal={(h) => names[h.document] !== undefined}
            refLabel={(h) => {
              const id = names[h.document];
              const label = (id && findSlot(draft, id)?.place.label) ?? h.document;
              return `${label}${side === 'old' ? ' (old)' : ''} #${h.statementIndex}${h.statementId ? ` ${h.statementId}` : ''}`;
            }}
            onReveal={(document, statementIndex) => {
              const id = names[document];
              if (id) show(id, side, statementIndex);
            }}
          />
        ) : (
          <p className="muted small">
            This answer cannot be walked through: the scenario it checked does not read.
          </p>
        ))}
    </div>
  );
}
