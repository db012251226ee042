/**
 * The Scenario mode's slice of the store: edits to the scenario (its document lives in the editor
 * slice's snapshot, `scenario`, so it persists and travels in links with the rest), the latest
 * scenario check's answer, and which statement to show.
 */
import type { StateCreator } from 'zustand';
import type { ScenarioAnswer } from '../worker/client.ts';
import {
  findSlot,
  setSlotText,
  slotPlaces,
  type ScenarioCheckKind,
  type ScenarioDraft,
  type ScenarioState,
  type Side,
} from './scenario.ts';
import type { AppState } from './store.ts';

/** Per side, the engine's name of each policy (`identity[0]`) -> the slot id of its editor. */
export interface SlotNames {
  new: Record<string, string>;
  old?: Record<string, string>;
}

export interface ScenarioRun {
  /** the request (as JSON) the shown answer belongs to */
  requestKey: string;
  state: 'running' | 'done';
  check: ScenarioCheckKind;
  slots: SlotNames;
  answer?: ScenarioAnswer;
  /** while running: the previous answer, shown dimmed */
  previous?: { answer: ScenarioAnswer; check: ScenarioCheckKind; slots: SlotNames };
}

interface ScenarioHighlight {
  slot: string;
  side: Side;
  statementIndex: number;
  /** changes on every request so clicking the same statement again still scrolls */
  nonce: number;
}

export interface ScenarioSlice {
  scenarioRun?: ScenarioRun;
  /** the settings do not make a request (an empty access list, context that is not JSON) */
  scenarioInvalid?: string;
  scenarioHighlight?: ScenarioHighlight;
  setScenario: (patch: Partial<Omit<ScenarioState, 'draft'>>) => void;
  /** replaces the whole scenario (an example) */
  loadScenario: (s: ScenarioState) => void;
  /** a change to the stack's structure or settings (add, remove, caller, accounts) */
  editDraft: (edit: (d: ScenarioDraft) => ScenarioDraft) => void;
  setSlotText: (id: string, side: Side, text: string) => void;
  /** opens the slot's editor and highlights the statement there */
  showStatement: (slot: string, side: Side, statementIndex: number) => void;
  startScenarioRun: (requestKey: string, check: ScenarioCheckKind, slots: SlotNames) => void;
  finishScenarioRun: (requestKey: string, answer: ScenarioAnswer) => void;
  setScenarioInvalid: (error: string | undefined) => void;
}

let nonce = 0;

export const scenarioSlice: StateCreator<AppState, [], [], ScenarioSlice> = (set) => ({
  setScenario: (patch) => set((s) => ({ scenario: { ...s.scenario, ...patch } })),
  loadScenario: (scenario) => set({ scenario, scenarioHighlight: undefined }),
  editDraft: (edit) =>
    set((s) => {
      const draft = edit(s.scenario.draft);
      if (draft === s.scenario.draft) return s;
      // The open editor stays open if its slot is still there, else the first one opens.
      const selected = findSlot(draft, s.scenario.selected)
        ? s.scenario.selected
        : (slotPlaces(draft)[0]?.slot.id ?? '');
      return { scenario: { ...s.scenario, draft, selected } };
    }),
  setSlotText: (id, side, text) =>
    set((s) => {
      const draft = setSlotText(s.scenario.draft, id, side, text);
      return draft === s.scenario.draft ? s : { scenario: { ...s.scenario, draft } };
    }),
  showStatement: (slot, side, statementIndex) =>
    set((s) => ({
      scenario: s.scenario.selected === slot ? s.scenario : { ...s.scenario, selected: slot },
      scenarioHighlight: { slot, side, statementIndex, nonce: ++nonce },
    })),
  startScenarioRun: (requestKey, check, slots) =>
    set((s) => {
      const r = s.scenarioRun;
      const previous = r?.answer ? { answer: r.answer, check: r.check, slots: r.slots } : r?.previous;
      return {
        scenarioInvalid: undefined,
        scenarioRun: { requestKey, state: 'running', check, slots, ...(previous ? { previous } : {}) },
      };
    }),
  finishScenarioRun: (requestKey, answer) =>
    set((s) => {
      // A superseded answer never replaces the one the user is waiting for.
      if (answer.kind === 'superseded') return s;
      if (!s.scenarioRun || s.scenarioRun.requestKey !== requestKey) return s;
      return {
        scenarioRun: {
          requestKey,
          state: 'done',
          check: s.scenarioRun.check,
          slots: s.scenarioRun.slots,
          answer,
        },
      };
    }),
  setScenarioInvalid: (scenarioInvalid) => set({ scenarioInvalid }),
});
