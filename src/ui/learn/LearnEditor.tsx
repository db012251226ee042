/**
 * The policy editor of the Learn view: the same Monaco models as the Check view (modelFor), with two
 * kinds of highlight (the JSON a hovered formula part came from; the JSON the current evaluation step
 * is about) and the cursor / mouse position reported back, so the formula part for it lights up.
 */
import { useEffect, useRef } from 'react';
import type { Span } from '../../policy/model.ts';
import type { DocId } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { registerIamAssist, updateMarkers, whenCatalogLoads } from '../editor/iamAssist.ts';
import { modelFor, monaco, replaceText } from '../editor/monaco.ts';

const OPTIONS: monaco.editor.IStandaloneEditorConstructionOptions = {
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
  glyphMargin: false,
  lineNumbersMinChars: 3,
  quickSuggestions: { strings: true, other: true, comments: false },
};

const DOCS: DocId[] = ['policy', 'existing', 'new'];

/**
 * Keeps the store and the three Monaco models in sync while the Learn view is open (the Check view's
 * workspace does the same while it is open): edits flow to the store, replaced documents (a lesson,
 * a permalink) flow to the models.
 */
export function useLearnModels(): void {
  useEffect(() => {
    registerIamAssist();
    const subs: monaco.IDisposable[] = [];
    const timers = new Map<DocId, ReturnType<typeof setTimeout>>();
    const mark = (id: DocId): void => {
      clearTimeout(timers.get(id));
      timers.set(
        id,
        setTimeout(() => updateMarkers(modelFor(id, ''), useStore.getState().policyType), 250),
      );
    };
    for (const id of DOCS) {
      const model = modelFor(id, useStore.getState().docs[id]);
      replaceText(model, useStore.getState().docs[id]);
      subs.push(
        model.onDidChangeContent(() => {
          useStore.getState().setDoc(id, model.getValue());
          mark(id);
        }),
      );
      mark(id);
    }
    const unsubCatalog = whenCatalogLoads(() => DOCS.forEach(mark));
    const unsubStore = useStore.subscribe((s, prev) => {
      if (s.docsRevision !== prev.docsRevision)
        for (const id of DOCS) replaceText(modelFor(id, ''), s.docs[id]);
    });
    return () => {
      subs.forEach((d) => d.dispose());
      timers.forEach((t) => clearTimeout(t));
      unsubCatalog();
      unsubStore();
    };
  }, []);
}

interface Props {
  doc: DocId;
  label: string;
  /** the JSON of the formula part under the mouse (or focused) */
  linkSpans: Span[] | undefined;
  /** the JSON the current evaluation step is about */
  stepSpan: Span | undefined;
  onOffset: (doc: DocId, offset: number | undefined) => void;
}

function toRange(model: monaco.editor.ITextModel, s: Span): monaco.Range {
  return monaco.Range.fromPositions(model.getPositionAt(s.start), model.getPositionAt(s.end));
}

export function LearnEditor({ doc, label, linkSpans, stepSpan, onOffset }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const linkDeco = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const stepDeco = useRef<monaco.editor.IEditorDecorationsCollection | null>(null);
  const report = useRef(onOffset);
  useEffect(() => {
    report.current = onOffset;
  }, [onOffset]);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const model = modelFor(doc, useStore.getState().docs[doc]);
    const editor = monaco.editor.create(el, { ...OPTIONS, model, ariaLabel: `${label} (JSON)` });
    editorRef.current = editor;
    linkDeco.current = editor.createDecorationsCollection();
    stepDeco.current = editor.createDecorationsCollection();
    const offsetOf = (p: monaco.IPosition | null | undefined) => (p ? model.getOffsetAt(p) : undefined);
    const subs = [
      editor.onDidChangeCursorPosition((e) => report.current(doc, offsetOf(e.position))),
      editor.onMouseMove((e) => {
        if (e.target.position) report.current(doc, offsetOf(e.target.position));
      }),
      editor.onMouseLeave(() =>
        report.current(doc, editor.hasTextFocus() ? offsetOf(editor.getPosition()) : undefined),
      ),
      editor.onDidBlurEditorText(() => report.current(doc, undefined)),
    ];
    return () => {
      subs.forEach((d) => d.dispose());
      editor.dispose();
      editorRef.current = null;
    };
  }, [doc, label]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || !linkDeco.current) return;
    const spans = (linkSpans ?? []).filter((s) => s.end <= model.getValueLength());
    linkDeco.current.set(
      spans.map((s) => ({
        range: toRange(model, s),
        options: {
          className: 'learn-link',
          inlineClassName: 'learn-link-inline',
          overviewRuler: { color: '#1f5fbf', position: monaco.editor.OverviewRulerLane.Full },
        },
      })),
    );
    const first = spans[0];
    if (first)
      editor.revealRangeInCenterIfOutsideViewport(toRange(model, first), monaco.editor.ScrollType.Smooth);
  }, [linkSpans]);

  useEffect(() => {
    const editor = editorRef.current;
    const model = editor?.getModel();
    if (!editor || !model || !stepDeco.current) return;
    if (!stepSpan || stepSpan.end > model.getValueLength()) {
      stepDeco.current.clear();
      return;
    }
    const range = toRange(model, stepSpan);
    stepDeco.current.set([
      {
        range,
        options: {
          className: 'learn-step',
          inlineClassName: 'learn-step-inline',
          linesDecorationsClassName: 'learn-step-gutter',
          overviewRuler: { color: '#d97706', position: monaco.editor.OverviewRulerLane.Full },
        },
      },
    ]);
    editor.revealRangeInCenterIfOutsideViewport(range, monaco.editor.ScrollType.Smooth);
  }, [stepSpan]);

  return (
    <div className="learn-editor">
      <div className="learn-editor-label">{label}</div>
      <div className="editor-host" ref={host} data-testid={`learn-editor-${doc}`} />
    </div>
  );
}
