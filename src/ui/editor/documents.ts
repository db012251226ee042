/**
 * The three documents as Monaco models, kept in step with the store for the life of the page (the
 * models outlive every view that shows them): an edit in any editor goes to the store; documents
 * replaced from outside the editors (an example, a lesson, a permalink: `docsRevision`) go to the
 * models; each model's validation markers follow its text, what it is validated as (state/validation.ts)
 * and the catalog's arrival.
 */
import { DOC_IDS, type DocId } from '../../state/snapshot.ts';
import { selectValidation } from '../../state/validation.ts';
import { useStore } from '../../state/store.ts';
import { updateMarkers, whenCatalogLoads } from './iamAssist.ts';
import { modelFor, replaceText } from './monaco.ts';

/** Markers wait for a pause in typing: validation of a large policy takes tens of ms. */
const MARKERS_DELAY_MS = 250;

let started = false;

/** Starts the sync (once; later calls do nothing). */
export function syncDocuments(): void {
  if (started) return;
  started = true;
  const timers = new Map<DocId, ReturnType<typeof setTimeout>>();
  const mark = (id: DocId): void => {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(
        () => updateMarkers(modelFor(id, ''), selectValidation(useStore.getState())),
        MARKERS_DELAY_MS,
      ),
    );
  };
  for (const id of DOC_IDS) {
    const model = modelFor(id, useStore.getState().docs[id]);
    replaceText(model, useStore.getState().docs[id]);
    model.onDidChangeContent(() => {
      useStore.getState().setDoc(id, model.getValue());
      mark(id);
    });
    mark(id);
  }
  whenCatalogLoads(() => DOC_IDS.forEach(mark));
  useStore.subscribe((s, prev) => {
    if (s.docsRevision !== prev.docsRevision)
      for (const id of DOC_IDS) replaceText(modelFor(id, ''), s.docs[id]);
    const now = selectValidation(s);
    const before = selectValidation(prev);
    if (now.policyType !== before.policyType || now.resourceType !== before.resourceType)
      DOC_IDS.forEach(mark);
  });
}
