/** Least-privilege mode: unused actions in, the refined policy, its trie and its solver proof out. */
export function RecommendView() {
  return (
    <main className="main" data-testid="recommend-view">
      <p className="muted">Least-privilege recommendations are being built.</p>
    </main>
  );
}
