/**
 * The scenario's policies as Monaco models, two per slot (the scenario's text and the old scenario's),
 * named after the slot's id and kept in step with the store for the life of the page, as documents.ts
 * does for the Check view's documents: an edit in an editor goes to the store; a text replaced from
 * outside (an example, a link, a test) goes to the model as one undoable edit; a removed slot's
 * models are disposed once no editor shows them. Markers follow each model's text.
 */
import { slotPlaces, type LayerKind, type ScenarioDraft, type Side } from '../../state/scenario.ts';
import { useStore } from '../../state/store.ts';
import { updateMarkers, whenCatalogLoads, type ValidateAs } from '../editor/iamAssist.ts';
import { monaco, replaceText } from '../editor/monaco.ts';

const MARKERS_DELAY_MS = 250;

export function slotModelPath(id: string, side: Side): string {
  return `inmemory://playground/scenario/${id}${side === 'old' ? '.old' : ''}.json`;
}

/** Each layer validated as Access Analyzer's policy type for it (a boundary or session policy reads as an identity policy). */
const validateAsOf = (layer: LayerKind): ValidateAs => ({
  policyType:
    layer === 'resource'
      ? 'RESOURCE_POLICY'
      : layer === 'scp'
        ? 'SERVICE_CONTROL_POLICY'
        : layer === 'rcp'
          ? 'RESOURCE_CONTROL_POLICY'
          : 'IDENTITY_POLICY',
});

interface Entry {
  slot: string;
  model: monaco.editor.ITextModel;
  layer: LayerKind;
  timer?: ReturnType<typeof setTimeout>;
}

const entries = new Map<string, Entry>();
let started = false;

function mark(e: Entry): void {
  clearTimeout(e.timer);
  e.timer = setTimeout(() => {
    if (!e.model.isDisposed()) updateMarkers(e.model, validateAsOf(e.layer));
  }, MARKERS_DELAY_MS);
}

function sync(draft: ScenarioDraft): void {
  for (const { slot, place } of slotPlaces(draft))
    for (const side of ['new', 'old'] as const) {
      const path = slotModelPath(slot.id, side);
      const text = side === 'new' ? slot.text : slot.old;
      const known = entries.get(path);
      if (known) {
        known.layer = place.layer;
        replaceText(known.model, text);
        continue;
      }
      const uri = monaco.Uri.parse(path);
      const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'json', uri);
      replaceText(model, text);
      const entry: Entry = { slot: slot.id, model, layer: place.layer };
      entries.set(path, entry);
      model.onDidChangeContent(() => {
        useStore.getState().setSlotText(slot.id, side, model.getValue());
        mark(entry);
      });
      mark(entry);
    }
  // After React has switched the editor to another slot: a model is never disposed under an editor.
  setTimeout(() => {
    const now = new Set(slotPlaces(useStore.getState().scenario.draft).map((x) => x.slot.id));
    for (const [path, e] of entries) {
      if (now.has(e.slot)) continue;
      clearTimeout(e.timer);
      e.model.dispose();
      entries.delete(path);
    }
  }, 0);
}

/** Starts the sync (once; later calls do nothing). */
export function syncScenarioModels(): void {
  if (started) return;
  started = true;
  sync(useStore.getState().scenario.draft);
  useStore.subscribe((s, prev) => {
    if (s.scenario.draft !== prev.scenario.draft) sync(s.scenario.draft);
  });
  whenCatalogLoads(() => entries.forEach(mark));
}

/** A slot's model (the test hook sets texts through it, as typing would). */
export function slotModel(id: string, side: Side): monaco.editor.ITextModel | undefined {
  syncScenarioModels();
  return entries.get(slotModelPath(id, side))?.model;
}
