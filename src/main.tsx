import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { decodePermalink } from './state/permalink.ts';
import { applyExerciseHash, trackExerciseAnswers } from './state/exercises.ts';
import { useStore } from './state/store.ts';
import { App } from './ui/App.tsx';
import { getClient } from './state/analysis.ts';
import { syncDocuments } from './ui/editor/documents.ts';
import { slotModel, syncScenarioModels } from './ui/scenario/models.ts';
import { modelFor, monaco, replaceText } from './ui/editor/monaco.ts';
import type { DocId } from './state/snapshot.ts';
import './ui/styles.css';

function applyHash(): void {
  // An exercise link (`#x=`) opens its exercise in the Learn view, or says there why it cannot.
  if (!applyExerciseHash(window.location.hash)) {
    const r = decodePermalink(window.location.hash);
    if (r.ok === 'none') return;
    if (r.ok === true) useStore.getState().loadSnapshot(r.snapshot);
    else useStore.getState().setNotice({ tone: 'error', text: r.error });
  }
  // The link has done its job: from here on the state lives in local storage, so a reload keeps the
  // user's later edits instead of re-applying the link.
  history.replaceState(null, '', window.location.pathname + window.location.search);
}
applyHash();
window.addEventListener('hashchange', applyHash);
// The documents' Monaco models, in step with the store for the life of the page (every view shows them).
syncDocuments();
// The same for the Scenario mode's policies (two models per policy: the scenario's, the old one's).
syncScenarioModels();
// The open exercise's answer follows the policy document (state/exercises.ts).
trackExerciseAnswers();
// Start the analysis worker now: Z3 compiles and boots (seconds) while React and Monaco start.
getClient();

/** Test and debugging hook: set documents through their Monaco models, read state. */
const playground = {
  setText: (doc: DocId, text: string) => replaceText(modelFor(doc, ''), text),
  /** A small edit at a character offset, as typing or pasting one line makes it. */
  editText: (doc: DocId, offset: number, deleteCount: number, insert: string) => {
    const model = modelFor(doc, '');
    const start = model.getPositionAt(offset);
    const end = model.getPositionAt(offset + deleteCount);
    const range = new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column);
    model.pushEditOperations([], [{ range, text: insert }], () => null);
  },
  getText: (doc: DocId) => modelFor(doc, '').getValue(),
  /** Scenario mode: set or read a policy's text (by slot id; side `old` for the old scenario) through its model. */
  setSlotText: (slot: string, side: 'new' | 'old', text: string) => {
    const model = slotModel(slot, side);
    if (!model) throw new Error(`No scenario policy ${slot}`);
    replaceText(model, text);
  },
  getSlotText: (slot: string, side: 'new' | 'old') => slotModel(slot, side)?.getValue(),
  getState: () => useStore.getState(),
  getMarkers: (doc: DocId) =>
    monaco.editor.getModelMarkers({ resource: modelFor(doc, '').uri }).map((m) => ({
      owner: m.owner,
      code: typeof m.code === 'string' ? m.code : m.code?.value,
      message: m.message,
    })),
  restartSolver: () => getClient().restart(),
};
declare global {
  interface Window {
    __playground?: typeof playground;
  }
}
window.__playground = playground;

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
