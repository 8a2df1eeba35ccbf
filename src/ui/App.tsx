// The workbench page: header, the experiment panel on the left, training controls and headline
// numbers, and five tabs: Dashboard (live charts), Routes (inspector), What-if (reward knobs),
// Evaluation (agent vs baselines on held-out questions), Runs (saved runs: compare, export, import, resume).
import { useState } from 'react';
import { useTrainingStore } from '../store/trainingStore';
import { useConfigStore } from '../store/configStore';
import { TrainingControls } from './controls/TrainingControls';
import { Headline } from './charts/Headline';
import { Dashboard } from './charts/Dashboard';
import { RouteInspector } from './inspector/RouteInspector';
import { WhatIfPanel } from './whatif/WhatIfPanel';
import { Tabs, type TabDef } from './Tabs';
import { ExperimentPanel } from './panel/ExperimentPanel';
import { PoolStatusPanel } from './cache/PoolStatusPanel';
import { RunsView } from './savedRuns/RunsView';
import { SavedRunBanner } from './savedRuns/SavedRunBanner';
import { EvaluationTab } from './evaluation/EvaluationTab';
import './workbench.css';

type TabKey = 'dashboard' | 'routes' | 'whatif' | 'evaluation' | 'runs';
const TABS: TabDef<TabKey>[] = [
  { key: 'dashboard', label: 'Dashboard' },
  { key: 'routes', label: 'Routes' },
  { key: 'whatif', label: 'What-if' },
  { key: 'evaluation', label: 'Evaluation' },
  { key: 'runs', label: 'Runs' },
];

export function App() {
  const sessionSimulated = useTrainingStore((s) => s.info?.simulated ?? null);
  const configSimulated = useConfigStore((s) => s.config.pool.kind === 'simulated');
  const simulated = sessionSimulated ?? configSimulated;
  const [tab, setTab] = useState<TabKey>('dashboard');
  return (
    <div className="app workbench">
      <header className="app-header">
        <div>
          <h1>DER Workbench</h1>
          <p className="tagline">Dynamic ensembling of LLM experts, trained with PPO in your browser.</p>
        </div>
        {simulated && (
          <p className="sim-banner" role="note">
            Simulated expert pool: the experts are a built-in simulation, not real LLMs. Results shown here are simulated.
          </p>
        )}
      </header>
      <div className="layout">
        <aside className="side-panel" aria-label="Experiment">
          <ExperimentPanel />
        </aside>
        <main className="main-column">
          <TrainingControls />
          <PoolStatusPanel />
          <SavedRunBanner />
          <Headline />
          <Tabs<TabKey> tabs={TABS} selected={tab} onSelect={setTab} label="Views" />
          <div className="tab-panel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'dashboard' && <Dashboard />}
            {tab === 'routes' && <RouteInspector />}
            {tab === 'whatif' && <WhatIfPanel />}
            {tab === 'evaluation' && <EvaluationTab />}
            {tab === 'runs' && <RunsView onShowRun={() => setTab('dashboard')} />}
          </div>
        </main>
      </div>
    </div>
  );
}
