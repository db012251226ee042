/**
 * Monaco's side-by-side diff: the `policy` document on the left (the same shared model the Check view
 * edits, so text and undo history carry over), the recommended policy on the right, read-only, with
 * every wildcard that would also admit future AWS actions marked.
 *
 * The `policy` model follows the store through documents.ts. Rendered with @monaco-editor/react's
 * DiffEditor over the two models by path (kept when it unmounts); uncontrolled: the recommended text
 * is set on its model here, not through the component's `modified` prop.
 */
import { DiffEditor } from '@monaco-editor/react';
import { useEffect, useState } from 'react';
import { editorHostProps } from '../editor/host.ts';
import { registerIamAssist } from '../editor/iamAssist.ts';
import { BASE_DIFF_OPTIONS, modelPath, monaco } from '../editor/monaco.ts';
import type { FlagRange } from './futureRanges.ts';

const OPTIONS = {
  ...BASE_DIFF_OPTIONS,
  // a point smaller than the Check view: two policies and two side panels share the width
  fontSize: 12,
  lineHeight: 18,
  glyphMargin: true,
  readOnly: true,
};

const RECOMMENDED_PATH = 'inmemory://playground/recommended.json';

let recommendedModel: monaco.editor.ITextModel | undefined;
function recommendedModelFor(text: string): monaco.editor.ITextModel {
  recommendedModel ??= monaco.editor.createModel(text, 'json', monaco.Uri.parse(RECOMMENDED_PATH));
  return recommendedModel;
}

export function RecommendDiff({ recommended, flags }: { recommended: string; flags: FlagRange[] }) {
  // the right-hand (recommended) editor, once the component has created the diff editor
  const [right, setRight] = useState<monaco.editor.ICodeEditor | undefined>(undefined);

  useEffect(() => {
    const model = recommendedModelFor(recommended);
    if (model.getValue() !== recommended) model.setValue(recommended);
    if (!right) return;
    const decorations = right.createDecorationsCollection(
      flags.map((f) => ({
        range: monaco.Range.fromPositions(model.getPositionAt(f.start), model.getPositionAt(f.end)),
        options: {
          inlineClassName: 'rec-future-inline',
          glyphMarginClassName: 'rec-future-glyph',
          glyphMarginHoverMessage: { value: `Future actions: ${f.flag.note}` },
          hoverMessage: { value: `**Also admits actions AWS adds later.** ${f.flag.note}` },
          overviewRuler: { color: '#d97706', position: monaco.editor.OverviewRulerLane.Right },
        },
      })),
    );
    return () => decorations.clear();
  }, [right, recommended, flags]);

  return (
    <DiffEditor
      originalModelPath={modelPath('policy')}
      modifiedModelPath={RECOMMENDED_PATH}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      language="json"
      theme="playground"
      options={OPTIONS}
      loading={null}
      wrapperProps={editorHostProps('recommend-diff', right !== undefined)}
      beforeMount={() => {
        registerIamAssist();
        recommendedModelFor('');
      }}
      onMount={(d) => {
        const modified = d.getModifiedEditor();
        d.onDidDispose(() => setRight((r) => (r === modified ? undefined : r)));
        setRight(modified);
      }}
    />
  );
}
