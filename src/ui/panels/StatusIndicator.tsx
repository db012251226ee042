import { getClient, runNow } from '../../state/analysis.ts';
import { useStore } from '../../state/store.ts';

const LABEL = {
  'not-isolated': 'Solver unavailable',
  loading: 'Loading solver…',
  ready: 'Idle',
  checking: 'Checking…',
  failed: 'Solver error',
} as const;

export function StatusIndicator() {
  const solver = useStore((s) => s.solver);
  const title =
    solver.phase === 'ready'
      ? `Z3 ready${solver.bootMs !== undefined ? ` in ${solver.bootMs} ms` : ''}${solver.z3Version ? ` (Z3 ${solver.z3Version})` : ''}`
      : solver.phase === 'failed'
        ? solver.message
        : LABEL[solver.phase];
  return (
    <span
      className={`status status-${solver.phase}`}
      data-testid="solver-status"
      data-phase={solver.phase}
      title={title}
    >
      <span className="status-dot" aria-hidden="true" />
      {LABEL[solver.phase]}
      {solver.phase === 'ready' && solver.bootMs !== undefined && (
        <span className="muted"> · Z3 {solver.bootMs} ms</span>
      )}
    </span>
  );
}

/** A fresh worker (its start-up depends on no document), and the current check run again on it. */
function restartSolver(): void {
  getClient().restart();
  if (useStore.getState().mode !== 'recommend') runNow();
}

export function IsolationBanner() {
  const solver = useStore((s) => s.solver);
  if (solver.phase === 'not-isolated')
    return (
      <div className="banner banner-error" data-testid="isolation-banner" role="alert">
        <strong>This page is not cross-origin isolated, so the Z3 solver cannot start.</strong> Z3 needs
        SharedArrayBuffer. Serve the site with the headers{' '}
        <code>Cross-Origin-Opener-Policy: same-origin</code> and{' '}
        <code>Cross-Origin-Embedder-Policy: require-corp</code> (see README, “Hosting”), or allow the bundled
        coi-serviceworker.js to register and reload once. Editing, validation and sharing still work.
      </div>
    );
  if (solver.phase === 'failed')
    return (
      <div className="banner banner-error" data-testid="solver-error" role="alert">
        <strong>The solver stopped:</strong> {solver.message}{' '}
        <button type="button" className="btn" data-testid="restart-solver" onClick={restartSolver}>
          Restart the solver
        </button>
      </div>
    );
  return null;
}
