/**
 * The editors: one policy editor, or Monaco's side-by-side diff editor (existing left, new right,
 * both editable) for checks that compare two documents, over the shared models of monaco.ts (passed
 * by path, never disposed by the views): the single editor is @monaco-editor/react's Editor, the diff
 * DiffEditorBox (which disposes the diff's view model with the view). Both are uncontrolled (no
 * `value`): text flows editor -> store on every change; store -> editor only when documents are
 * replaced from outside (example, permalink, tests), both through the models (documents.ts).
 */
import { Editor } from '@monaco-editor/react';
import { useEffect, useState } from 'react';
import { parsePolicy } from '../../policy/parse.ts';
import { isDiffCheck, type DocId } from '../../state/snapshot.ts';
import { useStore } from '../../state/store.ts';
import { DiffEditorBox } from './DiffEditorBox.tsx';
import { editorHostProps } from './host.ts';
import { registerIamAssist } from './iamAssist.ts';
import { BASE_DIFF_OPTIONS, BASE_EDITOR_OPTIONS, modelPath, monaco } from './monaco.ts';
import { ValidationBar } from './ValidationBar.tsx';

const EDITOR_OPTIONS = { ...BASE_EDITOR_OPTIONS, glyphMargin: true };
const DIFF_OPTIONS = { ...BASE_DIFF_OPTIONS, glyphMargin: true };

type EditorsByDoc = Partial<Record<DocId, monaco.editor.ICodeEditor>>;

/** Live editors, for highlight/reveal from the results panel. */
const live: { editors: EditorsByDoc } = { editors: {} };

/**
 * A highlight asked for a document the view shows but whose editor is not mounted yet: the component
 * creates Monaco a few ticks after it renders (e.g. right after switching to a two-policy check).
 * Applied when that editor mounts; dropped when another one mounts instead.
 */
let pendingHighlight: { doc: DocId; statementIndex: number } | undefined;

/** Publishes a mounted editor's code editors, until the editor is disposed. */
function goLive(
  editors: EditorsByDoc,
  owner: { onDidDispose(listener: () => void): monaco.IDisposable; layout(): void },
): void {
  live.editors = editors;
  owner.onDidDispose(() => {
    if (live.editors === editors) live.editors = {};
  });
  const p = pendingHighlight;
  pendingHighlight = undefined;
  if (!p || !editors[p.doc]) return;
  owner.layout(); // created in a hidden box: measure it now, so the reveal scrolls the real viewport
  revealStatement(p.doc, p.statementIndex);
}

function revealStatement(doc: DocId, statementIndex: number): boolean {
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

function SingleEditor() {
  const [mounted, setMounted] = useState(false);
  return (
    <Editor
      path={modelPath('policy')}
      defaultLanguage="json"
      keepCurrentModel
      saveViewState={false}
      theme="playground"
      options={EDITOR_OPTIONS}
      loading={null}
      wrapperProps={editorHostProps('policy-editor', mounted)}
      beforeMount={registerIamAssist}
      onMount={(e) => {
        goLive({ policy: e }, e);
        setMounted(true);
      }}
    />
  );
}

function DiffEditors() {
  return (
    <DiffEditorBox
      testId="diff-editor"
      options={DIFF_OPTIONS}
      originalPath={modelPath('existing')}
      modifiedPath={modelPath('new')}
      onMount={(d) => goLive({ existing: d.getOriginalEditor(), new: d.getModifiedEditor() }, d)}
    />
  );
}

export function Workspace() {
  const diff = useStore((s) => isDiffCheck(s.check));

  // Highlight requests from the results panel and the outline.
  useEffect(() => {
    const unsub = useStore.subscribe((s, prev) => {
      if (!s.highlight || s.highlight === prev.highlight) return;
      const { doc, statementIndex } = s.highlight;
      if (revealStatement(doc, statementIndex) || live.editors[doc]) return;
      if (isDiffCheck(s.check) ? doc !== 'policy' : doc === 'policy')
        pendingHighlight = { doc, statementIndex };
    });
    return () => {
      unsub();
      pendingHighlight = undefined;
    };
  }, []);

  return (
    <div className="workspace">
      <ValidationBar />
      {diff && (
        <div className="diff-labels">
          <span>Existing policy</span>
          <span>New policy</span>
        </div>
      )}
      {diff ? <DiffEditors /> : <SingleEditor />}
    </div>
  );
}
