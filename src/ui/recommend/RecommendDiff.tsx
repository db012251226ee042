/**
 * Monaco's side-by-side diff: the `policy` document on the left (the same shared model the Check view
 * edits, so text and undo history carry over), the recommended policy on the right, read-only, with
 * every wildcard that would also admit future AWS actions marked.
 *
 * The `policy` model follows the store through documents.ts; the recommended text is set on its model
 * here. The diff editor is made here rather than by @monaco-editor/react's DiffEditor because the view
 * has to own what Monaco calls the diff's view model (the diff it computes and shows):
 *
 * - Monaco computes a diff in the editor worker ~200 ms after the last edit of either side, and lays a
 *   result whose models changed while it was computed on the new text without rebasing it (its rebasing
 *   is a stub in 0.57). When a side got shorter meanwhile, the old line ranges run past its end and the
 *   diff editor throws ("startLineNumber 31 cannot be after endLineNumberExclusive 29"). The
 *   recommendation changes in steps a few hundred ms apart (Apply, an example, a pause in typing: the
 *   recommendation follows the policy once it has settled), so a diff was now and then in flight when
 *   the next step landed. So the recommended side is written only when no diff is being computed
 *   (`waitForDiff`), and an edit that shortens the policy (an example, Apply, a link, a deleted block)
 *   gets a fresh view model, which drops the computation in flight (the shortened side is the one
 *   that throws; a longer one keeps the old ranges inside the text until the next diff).
 * - `setModel({ original, modified })`, which the component calls, makes a view model Monaco never
 *   disposes: it went on diffing the shared policy model, with the same race, after the view was gone
 *   (one more on every visit). The editor is DiffEditorBox's (made and disposed with its box); the
 *   view models are made here with `createViewModel` and disposed before the editor, after it lets go
 *   of them; the models are never disposed.
 */
import { useEffect, useState } from 'react';
import { DiffEditorBox } from '../editor/DiffEditorBox.tsx';
import { BASE_DIFF_OPTIONS, modelFor, monaco } from '../editor/monaco.ts';
import type { FlagRange } from './futureRanges.ts';

const OPTIONS: monaco.editor.IStandaloneDiffEditorConstructionOptions = {
  ...BASE_DIFF_OPTIONS,
  // a point smaller than the Check view: two policies and two side panels share the width
  fontSize: 12,
  lineHeight: 18,
  glyphMargin: true,
  readOnly: true,
};

const RECOMMENDED_PATH = 'inmemory://playground/recommended.json';

/**
 * The longest a recommendation waits for the diff being computed (Monaco's own limit for one diff is
 * 5 s): past it the text is shown anyway, so a diff that never settles cannot freeze the right side.
 */
const DIFF_WAIT_MS = 10_000;

let recommendedModel: monaco.editor.ITextModel | undefined;
function recommendedModelFor(text: string): monaco.editor.ITextModel {
  recommendedModel ??= monaco.editor.createModel(text, 'json', monaco.Uri.parse(RECOMMENDED_PATH));
  return recommendedModel;
}

function flagDecorations(
  model: monaco.editor.ITextModel,
  flags: readonly FlagRange[],
): monaco.editor.IModelDeltaDecoration[] {
  return flags.map((f) => ({
    range: monaco.Range.fromPositions(model.getPositionAt(f.start), model.getPositionAt(f.end)),
    options: {
      inlineClassName: 'rec-future-inline',
      glyphMarginClassName: 'rec-future-glyph',
      glyphMarginHoverMessage: { value: `Future actions: ${f.flag.note}` },
      hoverMessage: { value: `**Also admits actions AWS adds later.** ${f.flag.note}` },
      overviewRuler: { color: '#d97706', position: monaco.editor.OverviewRulerLane.Right },
    },
  }));
}

/** The view model the diff editor shows over the policy and the recommended models. */
class PolicyDiff {
  private readonly original = modelFor('policy', '');
  private readonly modified: monaco.editor.ITextModel;
  private readonly flags: monaco.editor.IEditorDecorationsCollection;
  private readonly subscription: monaco.IDisposable;
  /** undefined until the first recommended text is in place */
  private view: monaco.editor.IDiffEditorViewModel | undefined;
  /** the latest recommended text and its flags, waiting for the diff in flight */
  private next: { text: string; flags: readonly FlagRange[] } | undefined;
  private disposed = false;

  constructor(private readonly editor: monaco.editor.IStandaloneDiffEditor) {
    this.modified = recommendedModelFor('');
    this.flags = this.editor.getModifiedEditor().createDecorationsCollection();
    let lines = this.original.getLineCount();
    this.subscription = this.original.onDidChangeContent(() => {
      const before = lines;
      lines = this.original.getLineCount();
      if (lines < before && this.view) this.renew();
    });
  }

  /** Shows this recommended text (and its flags) once no diff is being computed. */
  show(text: string, flags: readonly FlagRange[]): void {
    this.next = { text, flags };
    // The first text goes in before there is a view model, hence a diff.
    if (!this.view) {
      this.write();
      this.view = this.attach();
      return;
    }
    void this.writeWhenIdle();
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
    this.flags.clear();
    this.editor.setModel(null);
    this.view?.dispose();
  }

  private attach(): monaco.editor.IDiffEditorViewModel {
    const view = this.editor.createViewModel({ original: this.original, modified: this.modified });
    this.editor.setModel(view);
    return view;
  }

  /** A fresh view model (computing at once), the old one disposed with the diff it was computing. */
  private renew(): void {
    const old = this.view;
    this.view = this.attach();
    old?.dispose();
  }

  private async writeWhenIdle(): Promise<void> {
    for (;;) {
      const view = this.view;
      if (!view) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        view.waitForDiff(),
        new Promise((resolve) => (timer = setTimeout(resolve, DIFF_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (this.disposed || !this.next) return;
      // A view model replaced while this one was computing: wait for the new one's diff.
      if (view === this.view) break;
    }
    // Up to date, and no diff starts before the next task (Monaco starts one from a timer): write now.
    this.write();
  }

  private write(): void {
    const next = this.next;
    if (!next) return;
    this.next = undefined;
    if (this.modified.getValue() !== next.text) this.modified.setValue(next.text);
    this.flags.set(flagDecorations(this.modified, next.flags));
  }
}

export function RecommendDiff({ recommended, flags }: { recommended: string; flags: FlagRange[] }) {
  const [diff, setDiff] = useState<PolicyDiff | undefined>(undefined);

  useEffect(() => {
    diff?.show(recommended, flags);
  }, [diff, recommended, flags]);

  return (
    <DiffEditorBox
      testId="recommend-diff"
      options={OPTIONS}
      onMount={(editor) => {
        const d = new PolicyDiff(editor);
        setDiff(d);
        return () => {
          setDiff((x) => (x === d ? undefined : x));
          d.dispose();
        };
      }}
    />
  );
}
