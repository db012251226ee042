/**
 * The service-aware reading next to Access Analyzer's verdict, when the two differ (checks/service-
 * aware.ts): "FAIL as Access Analyzer reads it; PASS as AWS authorizes requests", with the requests
 * AWS would never authorize and why, and the catalog date a service-aware PASS rests on.
 */
import type { CheckResponse } from '../../checks/types.ts';

export function ServiceAwareNote({ r }: { r: CheckResponse }) {
  const sa = r.serviceAware;
  if (!sa || sa.result === r.result) return null;
  // One line per reason, with the statements whose grant it rules out.
  const reasons = [
    ...new Set(
      sa.ruledOut.map((x) => {
        const where = [...new Set(x.statements.map((s) => `${s.document} statement ${s.statementIndex}`))];
        return where.length ? `${x.reason} (${where.join(', ')})` : x.reason;
      }),
    ),
  ];
  return (
    <div className="service-aware" data-testid="service-aware" role="note">
      <p>
        <strong>{r.result}</strong> as Access Analyzer reads it; <strong>{sa.result}</strong> as AWS
        authorizes requests (an action only on resources of its own types, with the keys it carries).
      </p>
      {reasons.length > 0 && (
        <>
          <p className="small">AWS would never authorize these requests:</p>
          <ul className="small" data-testid="service-aware-reasons">
            {reasons.slice(0, 5).map((x) => (
              <li key={x} className="mono">
                {x}
              </li>
            ))}
          </ul>
        </>
      )}
      {sa.result === 'PASS' && (
        <p className="muted small">
          This PASS rests on the service reference being complete and current: catalog{' '}
          {sa.catalog.date ?? sa.catalog.version}.
        </p>
      )}
      {sa.unknownReason && <p className="muted small">{sa.unknownReason}</p>}
    </div>
  );
}
