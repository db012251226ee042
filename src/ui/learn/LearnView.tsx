/** Learn mode: the formula, the question a check asks, SMT-LIB export and step-by-step evaluation. */
export function LearnView() {
  return (
    <main className="main" data-testid="learn-view">
      <p className="muted">The teaching view is being built.</p>
    </main>
  );
}
