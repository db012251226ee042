/**
 * Monaco, bundled (no CDN): the editor core, its editor features, the JSON language, and both
 * workers built by Vite. Models live here, one per document, and outlive the editors that show
 * them, so switching between the single and the diff view keeps text, undo history and markers.
 *
 * The views render @monaco-editor/react's `Editor` / `DiffEditor`; its loader is handed this bundled
 * namespace below, so it never injects a loader script or fetches Monaco from a CDN.
 */
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor';
// The editor features a policy editor uses, not `features/register.all` (which adds inline
// completions, sticky scroll, the GPU renderer, color pickers and ~40 more to the page's main bundle).
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/diffEditor/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/suggest/register';
// The suggest widget itself: `features/suggest/register` only adds inline suggestions, and
// register.all gets the controller through inline completions, which this list leaves out.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/features/quickOutline/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/lineSelection/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/smartSelect/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/readOnlyMessage/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import type { DocId } from '../../state/snapshot.ts';
import { POLICY_SCHEMA } from './policySchema.ts';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

// Before any <Editor>/<DiffEditor> mounts: with a `monaco` instance configured, `loader.init()`
// resolves with it and never reads its `paths.vs` (a jsdelivr URL by default).
loader.config({ monaco });

self.MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  enableSchemaRequest: false,
  schemaValidation: 'warning',
  schemas: [{ uri: 'inmemory://schemas/iam-policy.json', fileMatch: ['*'], schema: POLICY_SCHEMA }],
});

monaco.editor.defineTheme('playground', {
  base: 'vs',
  inherit: true,
  rules: [
    { token: 'string.key.json', foreground: '1f4e8c' },
    { token: 'string.value.json', foreground: '8a3a00' },
  ],
  colors: {
    'editor.background': '#ffffff',
    'editorLineNumber.foreground': '#9aa4b2',
    'editor.lineHighlightBackground': '#f4f7fb',
  },
});

/** What every editor of the app shares (each view adds its own few options). */
export const BASE_EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
  theme: 'playground',
  automaticLayout: true,
  minimap: { enabled: false },
  fontSize: 13,
  lineHeight: 19,
  fontFamily: "'JetBrains Mono', 'SFMono-Regular', Menlo, Consolas, monospace",
  scrollBeyondLastLine: false,
  tabSize: 2,
  renderLineHighlight: 'line',
  fixedOverflowWidgets: true,
  quickSuggestions: { strings: true, other: true, comments: false },
};

/** The side-by-side diff, both sides editable unless a view says otherwise. */
export const BASE_DIFF_OPTIONS: monaco.editor.IStandaloneDiffEditorConstructionOptions = {
  ...BASE_EDITOR_OPTIONS,
  originalEditable: true,
  renderSideBySide: true,
  useInlineViewWhenSpaceIsLimited: false,
  ignoreTrimWhitespace: false,
  renderOverviewRuler: true,
};

const models = new Map<DocId, monaco.editor.ITextModel>();

/**
 * The model's URI as a string: what the views pass to @monaco-editor/react as `path` /
 * `originalModelPath` / `modifiedModelPath`, so the component finds this model instead of making one.
 */
export function modelPath(id: DocId): string {
  return `inmemory://playground/${id}.json`;
}

export function modelFor(id: DocId, initial: string): monaco.editor.ITextModel {
  let m = models.get(id);
  if (!m) {
    const uri = monaco.Uri.parse(modelPath(id));
    m = monaco.editor.getModel(uri) ?? monaco.editor.createModel(initial, 'json', uri);
    models.set(id, m);
  }
  return m;
}

/** Replaces a model's text as one undoable edit (so Ctrl+Z brings back what an example replaced). */
export function replaceText(model: monaco.editor.ITextModel, text: string): void {
  if (model.getValue() === text) return;
  model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
}

export { monaco };
