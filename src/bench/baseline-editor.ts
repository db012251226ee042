/**
 * The web benchmark's editor baseline (src/bench/baseline-editor.html, built only by `npm run
 * bench:web`): Monaco's editor core with the JSON language and its workers, as the app bundles them,
 * and none of the app (no React, no features, no store, no solver), showing the app's default
 * document (handed in by the bench as `window.__benchDocument`). The bench times it with the app's
 * own probe: the editor is interactive when its input element and its first line of text are in the DOM.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';

self.MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

const host = document.querySelector<HTMLElement>('[data-testid="baseline-editor"]');
if (!host) throw new Error('baseline-editor: no host element');
monaco.editor.create(host, {
  value: (window as { __benchDocument?: string }).__benchDocument ?? '{}',
  language: 'json',
  automaticLayout: true,
  minimap: { enabled: false },
});
