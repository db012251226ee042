/**
 * The editors: one policy editor, or Monaco's side-by-side diff editor (existing left, new right,
 * both editable) for checks that compare two documents. Text flows editor -> store on every change;
 * store -> editor only when documents are replaced from outside (example, permalink, tests).
 */
import { useEffect, useRef } from 'react';
import { parsePolicy } from '../../policy/parse.ts';
import { isDiffCheck, type DocId } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { registerIamAssist, updateMarkers, whenCatalogLoads } from './iamAssist.ts';
import { modelFor, monaco, replaceText } from './monaco.ts';

const EDITOR_OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
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
  glyphMargin: true,
  quickSuggestions: { strings: true, other: true, comments: false },
};

type EditorsByDoc = Partial<Record<DocId, monaco.editor.ICodeEditor>>;

/** Live editors, for highlight/reveal from the results panel. */
const live: { editors: EditorsByDoc } = { editors: {} };

export function revealStatement(doc: DocId, statementIndex: number): boolean {
  const editor = live.editors[doc];
  const model = editor?.getModel();
  if (!editor || !model) return false;
  const parsed = parsePolicy(model.getValue());
  if (!parsed.ok) return false;
  const st = parsed.policy.statements[statementIndex];
  if (!st) return false;
  const range = monaco.Range.fromPositions(
    model.getPositionAt(st.span.start),
    model.getPositionAt(st.span.end),
  );
  highlights.get(editor)?.clear();
  const coll = editor.createDecorationsCollection([
    {
      range,
      options: {
        isWholeLine: true,
        className: 'stmt-highlight',
        linesDecorationsClassName: 'stmt-highlight-gutter',
        overviewRuler: { color: '#d97706', position: monaco.editor.OverviewRulerLane.Full },
      },
    },
  ]);
  highlights.set(editor, coll);
  editor.revealRangeInCenterIfOutsideViewport(range, monaco.editor.ScrollType.Smooth);
  editor.setSelection(monaco.Range.fromPositions(range.getStartPosition()));
  return true;
}

const highlights = new WeakMap<monaco.editor.ICodeEditor, monaco.editor.IEditorDecorationsCollection>();

/** Creates the three models and keeps store <-> model in sync for the life of the page. */
function useModels(): void {
  useEffect(() => {
    const state = useStore.getState();
    const subs: monaco.IDisposable[] = [];
    const timers = new Map<DocId, ReturnType<typeof setTimeout>>();
    const mark = (id: DocId): void => {
      clearTimeout(timers.get(id));
      timers.set(
        id,
        setTimeout(() => updateMarkers(modelFor(id, ''), useStore.getState().policyType), 250),
      );
    };
    for (const id of ['policy', 'existing', 'new'] as const) {
      const model = modelFor(id, state.docs[id]);
      replaceText(model, useStore.getState().docs[id]);
      subs.push(
        model.onDidChangeContent(() => {
          useStore.getState().setDoc(id, model.getValue());
          mark(id);
        }),
      );
      mark(id);
    }
    const unsubCatalog = whenCatalogLoads(() => {
      for (const id of ['policy', 'existing', 'new'] as const) mark(id);
    });
    const unsubStore = useStore.subscribe((s, prev) => {
      if (s.docsRevision !== prev.docsRevision)
        for (const id of ['policy', 'existing', 'new'] as const) replaceText(modelFor(id, ''), s.docs[id]);
      if (s.policyType !== prev.policyType) for (const id of ['policy', 'existing', 'new'] as const) mark(id);
    });
    return () => {
      for (const d of subs) d.dispose();
      for (const t of timers.values()) clearTimeout(t);
      unsubCatalog();
      unsubStore();
    };
  }, []);
}

export function Workspace() {
  const diff = useStore((s) => isDiffCheck(s.check));
  const host = useRef<HTMLDivElement>(null);
  useModels();

  useEffect(() => {
    registerIamAssist();
    const el = host.current;
    if (!el) return;
    const docs = useStore.getState().docs;
    if (diff) {
      const d = monaco.editor.createDiffEditor(el, {
        ...EDITOR_OPTIONS,
        originalEditable: true,
        renderSideBySide: true,
        useInlineViewWhenSpaceIsLimited: false,
        ignoreTrimWhitespace: false,
        renderOverviewRuler: true,
      });
      d.setModel({ original: modelFor('existing', docs.existing), modified: modelFor('new', docs.new) });
      live.editors = { existing: d.getOriginalEditor(), new: d.getModifiedEditor() };
      return () => {
        live.editors = {};
        d.dispose();
      };
    }
    const e = monaco.editor.create(el, { ...EDITOR_OPTIONS, model: modelFor('policy', docs.policy) });
    live.editors = { policy: e };
    return () => {
      live.editors = {};
      e.dispose();
    };
  }, [diff]);

  // Highlight requests from the results panel and the outline.
  useEffect(
    () =>
      useStore.subscribe((s, prev) => {
        if (s.highlight && s.highlight !== prev.highlight)
          revealStatement(s.highlight.doc, s.highlight.statementIndex);
      }),
    [],
  );

  return (
    <div className="workspace">
      {diff && (
        <div className="diff-labels">
          <span>Existing policy</span>
          <span>New policy</span>
        </div>
      )}
      <div className="editor-host" ref={host} data-testid={diff ? 'diff-editor' : 'policy-editor'} />
    </div>
  );
}
