/**
 * A request as rows of a card's `<dl className="kv">`: principal, action, resource and context (the
 * keys it has, then the ones the caller names that it lacks). One rendering for the check's
 * counterexamples, the scenario's requests and the policy tests' examples.
 */
import type { Request } from '../../evaluate/request.ts';
import { principalToString } from '../../evaluate/request.ts';

export function RequestRows({ request, absent = [] }: { request: Request; absent?: string[] }) {
  const present = Object.entries(request.context).sort(([a], [b]) => a.localeCompare(b));
  const presentKeys = new Set(present.map(([k]) => k.toLowerCase()));
  const missing = absent.filter((k) => !presentKeys.has(k.toLowerCase()));
  return (
    <>
      <dt>Principal</dt>
      <dd className="mono" data-testid="cx-principal">
        {principalToString(request.principal)}
        {request.principal?.type === 'AWS' && request.principal.path ? (
          <span className="muted"> (path {request.principal.path})</span>
        ) : null}
      </dd>
      <dt>Action</dt>
      <dd className="mono" data-testid="cx-action">
        {request.action}
      </dd>
      <dt>Resource</dt>
      <dd className="mono" data-testid="cx-resource">
        {request.resource}
      </dd>
      <dt>Context</dt>
      <dd>
        {present.length === 0 && missing.length === 0 && <span className="muted">no keys</span>}
        {present.map(([k, v]) => (
          <div key={k} className="mono ctx-present">
            {k} = {Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v)}
          </div>
        ))}
        {missing.map((k) => (
          <div key={k} className="mono ctx-absent" title="Absent from the request">
            {k} <span className="muted">absent</span>
          </div>
        ))}
      </dd>
    </>
  );
}
