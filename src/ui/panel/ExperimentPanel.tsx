// The experiment panel: collapsible sections holding the whole config, rendered inside the page's
// left sidebar (<aside aria-label="Experiment"> in App.tsx). It edits the config store (mirrored
// into the URL); a running run keeps the config it started with.
import { useEffect } from 'react';
import { bindUrlSync, useConfigStore } from '../../store/configStore';
import { useDatasetStore } from '../../store/datasetStore';
import { useTrainingStore } from '../../store/trainingStore';
import { REWARD_CONTROLS } from './controlCatalog';
import { ConfigControls } from './ConfigControl';
import { BackendPicker } from './BackendPicker';
import { CopyLinkButton } from './CopyLinkButton';
import { DatasetPicker } from './DatasetPicker';
import { KtpSection } from './KtpSection';
import { LessonModeEditor } from './LessonModeEditor';
import { PanelSection } from './PanelSection';
import { PoolEditor } from './PoolEditor';
import { PpoSection } from './PpoSection';
import { PresetSection } from './PresetSection';
import { ScorerEncoderPicker } from './ScorerEncoderPicker';
import './panel.css';

function RunNote() {
  const state = useTrainingStore((s) => s.state);
  if (state !== 'running' && state !== 'paused' && state !== 'loading') return null;
  return (
    <p className="panel-note" aria-live="polite">
      A run is in progress: changes here apply to the next run.
    </p>
  );
}

function PendingErrors() {
  const count = useConfigStore((s) => Object.keys(s.errors).length);
  if (count === 0) return null;
  return (
    <p className="field-error" role="status">
      {count === 1 ? '1 value was' : `${count} values were`} not applied (see the message under the control); the last valid value is used.
    </p>
  );
}

function LinkErrors() {
  const errors = useConfigStore((s) => s.linkErrors);
  const dismiss = useConfigStore((s) => s.dismissLinkErrors);
  if (!errors) return null;
  return (
    <div className="field-error" role="alert">
      <p>The link’s experiment could not be used, so the default opened instead:</p>
      <ul>
        {errors.map((e) => (
          <li key={e}>{e}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

export function ExperimentPanel() {
  useEffect(() => {
    bindUrlSync();
    void useDatasetStore.getState().restore();
  }, []);
  return (
    <div className="experiment-panel">
      <div className="panel-head">
        <h2>Experiment</h2>
        <CopyLinkButton label="Copy link" />
      </div>
      <RunNote />
      <LinkErrors />
      <PendingErrors />
      <PanelSection id="preset" title="Preset and seed" open>
        <PresetSection />
      </PanelSection>
      <PanelSection id="reward" title="Reward knobs" open>
        <ConfigControls specs={REWARD_CONTROLS} />
      </PanelSection>
      <PanelSection id="ppo" title="PPO">
        <PpoSection />
      </PanelSection>
      <PanelSection id="ktp" title="Knowledge-transfer prompt">
        <KtpSection />
      </PanelSection>
      <PanelSection id="pool" title="Expert pool">
        <PoolEditor />
      </PanelSection>
      <PanelSection id="dataset" title="Dataset">
        <DatasetPicker />
      </PanelSection>
      <PanelSection id="scorer" title="Scorer and encoder">
        <ScorerEncoderPicker />
      </PanelSection>
      <PanelSection id="backend" title="Compute backend">
        <BackendPicker />
      </PanelSection>
      <LessonModeEditor />
    </div>
  );
}
