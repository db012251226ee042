/**
 * Scenario mode: the whole authorization stack of one request. The layers and the examples (left),
 * the open policy's editor (centre; side by side with the old scenario for the diff checks), the
 * caller, the accounts and the check (right) above its answer, each counterexample with its gates.
 */
import { SCENARIO_EXAMPLES } from '../../state/scenarioExamples.ts';
import { useStore } from '../../state/store.ts';
import { LayerList } from './LayerList.tsx';
import { ScenarioEditor } from './ScenarioEditor.tsx';
import { ScenarioResults } from './ScenarioResults.tsx';
import { ScenarioSettings } from './ScenarioSettings.tsx';
import { TestsPanel } from '../tests/TestsPanel.tsx';

function ScenarioExamples() {
  const selected = useStore((s) => s.selectedExample);
  const load = useStore((s) => s.loadScenario);
  const setSelected = useStore((s) => s.setSelectedExample);
  return (
    <section className="panel examples" data-testid="scenario-examples">
      <h2>Examples</h2>
      <ul>
        {SCENARIO_EXAMPLES.map((ex) => (
          <li key={ex.name}>
            <button
              type="button"
              className={`example${selected === `scenario:${ex.name}` ? ' is-selected' : ''}`}
              data-testid={`scenario-example-${ex.name}`}
              onClick={() => {
                load(ex.state);
                setSelected(`scenario:${ex.name}`);
              }}
            >
              <span className="example-title">
                {ex.title}
                <span
                  className={`tag tag-${ex.expected === 'PASS' ? 'pass' : ex.expected === 'FAIL' ? 'fail' : 'info'}`}
                >
                  {ex.expected}
                </span>
              </span>
              <span className="example-expl">{ex.explanation}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ScenarioView() {
  return (
    <main className="main scenario-main" data-testid="scenario-view">
      <aside className="sidebar scenario-left">
        <LayerList />
        <ScenarioExamples />
      </aside>
      <ScenarioEditor />
      <div className="right scenario-right">
        <ScenarioSettings />
        <ScenarioResults />
        <TestsPanel target="scenario" />
      </div>
    </main>
  );
}
