import { useEffect } from 'react';
import { encodePermalink } from '../state/permalink.ts';
import { pickSnapshot } from '../state/snapshot.ts';
import { useStore } from '../state/store.ts';
import { startAutoAnalysis } from '../state/analysis.ts';
import { startScenarioAnalysis } from '../state/scenarioAnalysis.ts';
import { startTestsAnalysis } from '../state/testsAnalysis.ts';
import { Workspace } from './editor/Workspace.tsx';
import { loadCatalog } from './editor/iamAssist.ts';
import { ChecksPanel } from './panels/ChecksPanel.tsx';
import { ResultsPanel } from './panels/ResultsPanel.tsx';
import { Sidebar } from './panels/Sidebar.tsx';
import { IsolationBanner, StatusIndicator } from './panels/StatusIndicator.tsx';
import { LearnView } from './learn/LearnView.tsx';
import { RecommendView } from './recommend/RecommendView.tsx';
import { ScenarioView } from './scenario/ScenarioView.tsx';
import { TestsPanel } from './tests/TestsPanel.tsx';
import { publishLink } from './shareLink.ts';
import { MODES, type Mode } from '../state/snapshot.ts';

const MODE_LABELS: Record<Mode, string> = {
  check: 'Check',
  scenario: 'Scenario',
  recommend: 'Least privilege',
  learn: 'Learn',
};

function ModeSwitch() {
  const mode = useStore((s) => s.mode);
  const setSettings = useStore((s) => s.setSettings);
  return (
    <nav className="mode-switch" role="tablist" aria-label="Mode">
      {MODES.map((m) => (
        <button
          key={m}
          type="button"
          role="tab"
          aria-selected={mode === m}
          className={`mode-tab${mode === m ? ' active' : ''}`}
          data-testid={`mode-${m}`}
          onClick={() => setSettings({ mode: m })}
        >
          {MODE_LABELS[m]}
        </button>
      ))}
    </nav>
  );
}

function CheckView() {
  return (
    <main className="main">
      <Sidebar />
      <Workspace />
      <div className="right">
        <ChecksPanel />
        <ResultsPanel />
        <TestsPanel target="policy" />
      </div>
    </main>
  );
}

function share(): Promise<void> {
  return publishLink(encodePermalink(pickSnapshot(useStore.getState())), {
    copied: 'Link copied: it holds the whole playground state.',
    inAddressBar: 'The address bar now holds a link to this state.',
  });
}

function Notice() {
  const notice = useStore((s) => s.notice);
  const setNotice = useStore((s) => s.setNotice);
  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(undefined), 4000);
    return () => clearTimeout(t);
  }, [notice, setNotice]);
  if (!notice) return null;
  return (
    <div className={`notice notice-${notice.tone}`} data-testid="notice" role="status">
      {notice.text}
    </div>
  );
}

export function App() {
  const mode = useStore((s) => s.mode);
  useEffect(() => startAutoAnalysis(), []);
  useEffect(() => startScenarioAnalysis(), []);
  useEffect(() => startTestsAnalysis(), []);
  useEffect(() => {
    // The catalog (2.7 MB) feeds completion, hover and validation: fetch it once the page has painted.
    const id = requestIdleCallback(() => void loadCatalog(), { timeout: 1500 });
    return () => cancelIdleCallback(id);
  }, []);
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          IAM Policy Playground <span className="muted">· checks proved by Z3, in your browser</span>
        </span>
        <ModeSwitch />
        <span className="grow" />
        <StatusIndicator />
        <button type="button" className="btn" data-testid="share-button" onClick={() => void share()}>
          Share
        </button>
      </header>
      <IsolationBanner />
      <Notice />
      {mode === 'check' && <CheckView />}
      {mode === 'scenario' && <ScenarioView />}
      {mode === 'recommend' && <RecommendView />}
      {mode === 'learn' && <LearnView />}
    </div>
  );
}
