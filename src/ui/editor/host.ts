/**
 * Props for the box @monaco-editor/react wraps an editor in (its `wrapperProps`, on a `<section>`):
 * our `.editor-host` layout and the test id. Until the component has created the editor (a few ticks
 * after the first render) the box keeps its size but is hidden, so it is never seen (nor found
 * visible by a test) empty.
 */
export function editorHostProps(testId: string, mounted: boolean): Record<string, string> {
  return { className: mounted ? 'editor-host' : 'editor-host is-mounting', 'data-testid': testId };
}
