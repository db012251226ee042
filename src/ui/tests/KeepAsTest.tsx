/** "Keep as a test": the button on every counterexample card and on the Learn view's request. */
export function KeepAsTest({ title, onKeep }: { title: string; onKeep: () => void }) {
  return (
    <button
      type="button"
      className="link small keep-test"
      data-testid="keep-as-test"
      title={title}
      onClick={onKeep}
    >
      Keep as a test
    </button>
  );
}
