/**
 * The app store: three slices (editor: documents and check settings; analysis: solver status and
 * the latest answer; ui: highlights and panels), combined once with the persist middleware, which
 * saves only the editor slice's snapshot (versioned, with a migrate step).
 */
import { create, type StateCreator } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { CheckOutcome } from '../checks/types.ts';
import type { Answer, SolverStatus } from '../worker/client.ts';
import {
  DEFAULT_SNAPSHOT,
  migrateSnapshot,
  pickSnapshot,
  readSnapshot,
  SNAPSHOT_VERSION,
  type DocId,
  type Snapshot,
} from './snapshot.ts';
import { scenarioSlice, type ScenarioSlice } from './scenarioSlice.ts';
import { safeStorage } from './storage.ts';
import { testsSlice, type TestsSlice } from './testsSlice.ts';

export interface EditorSlice extends Snapshot {
  /** bumped when documents are replaced from outside the editor (example, permalink), so editors resync */
  docsRevision: number;
  setDoc: (id: DocId, text: string) => void;
  setSettings: (patch: Partial<Omit<Snapshot, 'docs'>>) => void;
  loadSnapshot: (s: Snapshot) => void;
}

interface RunState {
  /** the request (as JSON) the shown answer belongs to */
  requestKey: string;
  state: 'running' | 'done';
  answer?: Answer;
  /** while running: CheckNoNewAccess's FAIL verdict, before its exact list is done */
  preliminary?: CheckOutcome;
  /** while running: the previous answer (for other text), shown dimmed instead of a blank panel */
  previous?: Answer;
  startedAt: number;
}

export interface AnalysisSlice {
  solver: SolverStatus;
  run?: RunState;
  setSolver: (s: SolverStatus) => void;
  startRun: (requestKey: string) => void;
  finishRun: (requestKey: string, answer: Answer) => void;
  preliminaryRun: (requestKey: string, outcome: CheckOutcome) => void;
}

interface Highlight {
  doc: DocId;
  statementIndex: number;
  /** changes on every request so clicking the same statement again still scrolls */
  nonce: number;
}

export interface UiSlice {
  highlight?: Highlight;
  selectedExample?: string;
  notice?: { text: string; tone: 'info' | 'error' };
  highlightStatement: (doc: DocId, statementIndex: number) => void;
  setSelectedExample: (name: string | undefined) => void;
  setNotice: (n: UiSlice['notice']) => void;
}

export type AppState = EditorSlice & AnalysisSlice & UiSlice & ScenarioSlice & TestsSlice;

const editorSlice: StateCreator<AppState, [], [], EditorSlice> = (set) => ({
  ...pickSnapshot(DEFAULT_SNAPSHOT),
  docsRevision: 0,
  setDoc: (id, text) => set((s) => (s.docs[id] === text ? s : { docs: { ...s.docs, [id]: text } })),
  setSettings: (patch) => set(patch),
  loadSnapshot: (snap) => set((s) => ({ ...pickSnapshot(snap), docsRevision: s.docsRevision + 1 })),
});

const analysisSlice: StateCreator<AppState, [], [], AnalysisSlice> = (set) => ({
  solver: { phase: 'loading' },
  setSolver: (solver) => set({ solver }),
  startRun: (requestKey) =>
    set((s) => {
      const previous = s.run?.answer ?? s.run?.previous;
      return {
        run: {
          requestKey,
          state: 'running',
          startedAt: performance.now(),
          ...(previous ? { previous } : {}),
        },
      };
    }),
  preliminaryRun: (requestKey, outcome) =>
    set((s) =>
      s.run?.requestKey === requestKey && s.run.state === 'running'
        ? { run: { ...s.run, preliminary: outcome } }
        : s,
    ),
  finishRun: (requestKey, answer) =>
    set((s) => {
      // A superseded answer never replaces the one the user is waiting for.
      if (answer.kind === 'superseded') return s;
      if (s.run && s.run.requestKey !== requestKey) return s;
      return { run: { requestKey, state: 'done', answer, startedAt: s.run?.startedAt ?? performance.now() } };
    }),
});

let nonce = 0;
const uiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  highlightStatement: (doc, statementIndex) => set({ highlight: { doc, statementIndex, nonce: ++nonce } }),
  setSelectedExample: (selectedExample) => set({ selectedExample }),
  setNotice: (notice) => set({ notice }),
});

export const STORAGE_KEY = 'iam-playground';

export const useStore = create<AppState>()(
  persist(
    (...a) => ({
      ...editorSlice(...a),
      ...analysisSlice(...a),
      ...uiSlice(...a),
      ...scenarioSlice(...a),
      ...testsSlice(...a),
    }),
    {
      name: STORAGE_KEY,
      version: SNAPSHOT_VERSION,
      storage: createJSONStorage(safeStorage),
      partialize: (s) => pickSnapshot(s),
      migrate: (persisted, version) => migrateSnapshot(persisted, version),
      merge: (persisted, current) => ({ ...current, ...readSnapshot(persisted, pickSnapshot(current)) }),
    },
  ),
);
