/**
 * The policy editor of the Learn view: the same Monaco models as the Check view (documents.ts), with two
 * kinds of highlight (the JSON a hovered formula part came from; the JSON the current evaluation step
 * is about) and the cursor / mouse position reported back, so the formula part for it lights up.
 * Rendered with @monaco-editor/react's Editor over the shared model by path (kept when it unmounts),
 * uncontrolled: documents.ts keeps model and store in step.
 */
import { Editor } from '@monaco-editor/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Span } from '../../policy/model.ts';
import type { DocId } from '../../state/snapshot.ts';
import { editorHostProps } from '../editor/host.ts';
import { registerIamAssist } from '../editor/iamAssist.ts';
import { BASE_EDITOR_OPTIONS, modelPath, monaco } from '../editor/monaco.ts';

const OPTIONS = { ...BASE_EDITOR_OPTIONS, glyphMargin: false, lineNumbersMinChars: 3 };

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
  return (
    <div className="learn-editor">
      <div className="learn-editor-label">{label}</div>
      {/* one Monaco editor per document: a new doc is a new editor, as the listeners are per doc */}
      <LearnMonaco
        key={doc}
        doc={doc}
        label={label}
        linkSpans={linkSpans}
        stepSpan={stepSpan}
        onOffset={onOffset}
      />
    </div>
  );
}

interface Mounted {
  editor: monaco.editor.IStandaloneCodeEditor;
  linkDeco: monaco.editor.IEditorDecorationsCollection;
  stepDeco: monaco.editor.IEditorDecorationsCollection;
}

function LearnMonaco({ doc, label, linkSpans, stepSpan, onOffset }: Props) {
  const [mounted, setMounted] = useState<Mounted | undefined>(undefined);
  const report = useRef(onOffset);
  useEffect(() => {
    report.current = onOffset;
  }, [onOffset]);
  // a new label is applied to the live editor (updateOptions), not by creating another one
  const options = useMemo(() => ({ ...OPTIONS, ariaLabel: `${label} (JSON)` }), [label]);

  const onMount = (editor: monaco.editor.IStandaloneCodeEditor): void => {
    const model = editor.getModel();
    const offsetOf = (p: monaco.IPosition | null | undefined) =>
      p && model ? model.getOffsetAt(p) : undefined;
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
    editor.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      setMounted(undefined);
    });
    setMounted({
      editor,
      linkDeco: editor.createDecorationsCollection(),
      stepDeco: editor.createDecorationsCollection(),
    });
  };

  useEffect(() => {
    const model = mounted?.editor.getModel();
    if (!mounted || !model) return;
    const { editor, linkDeco } = mounted;
    const spans = (linkSpans ?? []).filter((s) => s.end <= model.getValueLength());
    linkDeco.set(
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
  }, [mounted, linkSpans]);

  useEffect(() => {
    const model = mounted?.editor.getModel();
    if (!mounted || !model) return;
    const { editor, stepDeco } = mounted;
    if (!stepSpan || stepSpan.end > model.getValueLength()) {
      stepDeco.clear();
      return;
    }
    const range = toRange(model, stepSpan);
    stepDeco.set([
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
  }, [mounted, stepSpan]);

  return (
    <Editor
      path={modelPath(doc)}
      defaultLanguage="json"
      keepCurrentModel
      saveViewState={false}
      theme="playground"
      options={options}
      loading={null}
      wrapperProps={editorHostProps(`learn-editor-${doc}`, mounted !== undefined)}
      beforeMount={registerIamAssist}
      onMount={onMount}
    />
  );
}
