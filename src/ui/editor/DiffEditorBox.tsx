/**
 * Monaco's diff editor, made here rather than by @monaco-editor/react's DiffEditor: the component's
 * `setModel({ original, modified })` makes a diff view model (the diff Monaco computes and shows)
 * that Monaco never disposes, so it went on diffing the shared models on every edit after the view
 * was gone, one more on every visit. Here the editor lives as long as its box (made when the box is
 * attached, disposed when it is detached), and the view model over `originalPath` / `modifiedPath` is
 * made with `createViewModel` and disposed with the editor, after the editor lets go of it. The models
 * (found by path, made empty if missing, as the component did) are never disposed.
 *
 * Without paths the caller sets the view model itself in `onMount` (and disposes it in the cleanup
 * `onMount` returns, before the editor goes). The props are read once, when the editor is made: a view
 * that shows other models is remounted (a `key`).
 */
import { useCallback, useState } from 'react';
import { editorHostProps } from './host.ts';
import { registerIamAssist } from './iamAssist.ts';
import { monaco } from './monaco.ts';

// The box @monaco-editor/react puts the other views' editors in (its MonacoContainer).
const HOST_STYLE = {
  display: 'flex',
  position: 'relative',
  textAlign: 'initial',
  width: '100%',
  height: '100%',
} as const;

interface Props {
  testId: string;
  options: monaco.editor.IStandaloneDiffEditorConstructionOptions;
  originalPath?: string;
  modifiedPath?: string;
  /** The editor is made (its view model set, given the paths); returns what to undo before it goes. */
  onMount?: (editor: monaco.editor.IStandaloneDiffEditor) => (() => void) | void;
}

function modelAt(path: string): monaco.editor.ITextModel {
  const uri = monaco.Uri.parse(path);
  return monaco.editor.getModel(uri) ?? monaco.editor.createModel('', 'json', uri);
}

export function DiffEditorBox(props: Props) {
  const [init] = useState(props);
  const [mounted, setMounted] = useState(false);

  const host = useCallback(
    (el: HTMLDivElement | null) => {
      if (!el) return;
      registerIamAssist();
      const editor = monaco.editor.createDiffEditor(el, init.options);
      const view =
        init.originalPath !== undefined && init.modifiedPath !== undefined
          ? editor.createViewModel({
              original: modelAt(init.originalPath),
              modified: modelAt(init.modifiedPath),
            })
          : undefined;
      if (view) editor.setModel(view);
      const unmount = init.onMount?.(editor);
      setMounted(true);
      return () => {
        setMounted(false);
        unmount?.();
        editor.setModel(null);
        view?.dispose();
        editor.dispose();
      };
    },
    [init],
  );

  return (
    <section style={HOST_STYLE} {...editorHostProps(init.testId, mounted)}>
      <div ref={host} style={{ width: '100%' }} />
    </section>
  );
}
