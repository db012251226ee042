/**
 * The open policy of the scenario: one editor, or for the checks that compare two scenarios
 * Monaco's side-by-side diff (the old scenario left, the scenario right, both editable;
 * DiffEditorBox, remade for each slot), over the slot's models (models.ts) passed by path and kept
 * when the editor goes. A statement asked for from the results (`scenarioHighlight`) is highlighted
 * and revealed once its editor shows it.
 */
import { Editor } from '@monaco-editor/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { parsePolicy } from '../../policy/parse.ts';
import { findSlot, isScenarioDiff, LAYER_HINTS, levelName, type Side } from '../../state/scenario.ts';
import { useStore } from '../../state/store.ts';
import { DiffEditorBox } from '../editor/DiffEditorBox.tsx';
import { editorHostProps } from '../editor/host.ts';
import { registerIamAssist } from '../editor/iamAssist.ts';
import { BASE_DIFF_OPTIONS, BASE_EDITOR_OPTIONS, monaco } from '../editor/monaco.ts';
import { slotModelPath } from './models.ts';

const EDITOR_OPTIONS = { ...BASE_EDITOR_OPTIONS, glyphMargin: true };
const DIFF_OPTIONS = { ...BASE_DIFF_OPTIONS, glyphMargin: true };

/** The editors showing a slot: its id, and the code editor of each side shown. */
interface Shown {
  slot: string;
  editors: Partial<Record<Side, monaco.editor.ICodeEditor>>;
}

const decorations = new WeakMap<monaco.editor.ICodeEditor, monaco.editor.IEditorDecorationsCollection>();

/** Highlights statement `index` of the editor's policy and scrolls to it; false if it has none. */
function reveal(editor: monaco.editor.ICodeEditor, index: number): boolean {
  const model = editor.getModel();
  if (!model) return false;
  const parsed = parsePolicy(model.getValue());
  if (!parsed.ok) return false;
  const st = parsed.policy.statements.find((x) => x.index === index);
  if (!st) return false;
  const range = monaco.Range.fromPositions(
    model.getPositionAt(st.span.start),
    model.getPositionAt(st.span.end),
  );
  decorations.get(editor)?.clear();
  decorations.set(
    editor,
    editor.createDecorationsCollection([
      {
        range,
        options: {
          isWholeLine: true,
          className: 'stmt-highlight',
          linesDecorationsClassName: 'stmt-highlight-gutter',
          overviewRuler: { color: '#d97706', position: monaco.editor.OverviewRulerLane.Full },
        },
      },
    ]),
  );
  editor.layout();
  editor.revealRangeInCenterIfOutsideViewport(range, monaco.editor.ScrollType.Immediate);
  editor.setSelection(monaco.Range.fromPositions(range.getStartPosition()));
  return true;
}

export function ScenarioEditor() {
  const s = useStore(
    useShallow((st) => ({
      draft: st.scenario.draft,
      selected: st.scenario.selected,
      diff: isScenarioDiff(st.scenario.check),
      highlight: st.scenarioHighlight,
    })),
  );
  const found = useMemo(() => findSlot(s.draft, s.selected), [s.draft, s.selected]);
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const applied = useRef(0);

  // A highlight for this slot, applied once its editor shows the slot's model (it may mount later).
  useEffect(() => {
    const h = s.highlight;
    if (!h || h.nonce === applied.current || !shown || shown.slot !== h.slot) return;
    const editor = shown.editors[h.side];
    if (!editor || editor.getModel()?.uri.toString() !== slotModelPath(h.slot, h.side)) return;
    if (reveal(editor, h.statementIndex)) applied.current = h.nonce;
  }, [s.highlight, shown]);

  if (!found)
    return (
      <section className="workspace scenario-center" data-testid="scenario-workspace">
        <p className="muted scenario-empty">No policy in this scenario yet: add one on the left.</p>
      </section>
    );
  const { slot, place } = found;
  const where =
    place.level !== undefined
      ? `level ${place.level} (${levelName(
          place.level,
          (place.layer === 'scp' ? s.draft.scps : s.draft.rcps)?.length ?? 1,
        )}) · ${LAYER_HINTS[place.layer]}`
      : LAYER_HINTS[place.layer];
  return (
    <section className="workspace scenario-center" data-testid="scenario-workspace">
      <div className="scenario-editor-head">
        <span className="scenario-editor-title" data-testid="scenario-editor-title">
          {place.label}
        </span>
        <span className="muted small">{where}</span>
      </div>
      {s.diff ? (
        <>
          <div className="diff-labels">
            <span>Old scenario{slot.old.trim() === '' ? ' (does not have it)' : ''}</span>
            <span>Scenario{slot.text.trim() === '' ? ' (does not have it)' : ''}</span>
          </div>
          <DiffEditorBox
            key={slot.id}
            testId="scenario-diff-editor"
            options={DIFF_OPTIONS}
            originalPath={slotModelPath(slot.id, 'old')}
            modifiedPath={slotModelPath(slot.id, 'new')}
            onMount={(d) => {
              const shownNow = {
                slot: slot.id,
                editors: { old: d.getOriginalEditor(), new: d.getModifiedEditor() },
              };
              setShown(shownNow);
              return () => setShown((x) => (x === shownNow ? undefined : x));
            }}
          />
        </>
      ) : (
        <Editor
          path={slotModelPath(slot.id, 'new')}
          defaultLanguage="json"
          keepCurrentModel
          theme="playground"
          options={EDITOR_OPTIONS}
          loading={null}
          wrapperProps={editorHostProps('scenario-editor', shown !== undefined)}
          beforeMount={registerIamAssist}
          onMount={(e) => {
            const shownNow = { slot: slot.id, editors: { new: e } };
            e.onDidDispose(() => setShown((x) => (x?.editors.new === e ? undefined : x)));
            // The same editor shows the next slot: follow its model.
            e.onDidChangeModel(() => {
              const id = /scenario\/([^./]+)\.json$/.exec(e.getModel()?.uri.toString() ?? '')?.[1];
              setShown(id ? { slot: id, editors: { new: e } } : undefined);
            });
            setShown(shownNow);
          }}
        />
      )}
    </section>
  );
}
