// Training controls: Start / Pause / Resume / Stop, and the teaching steps "Step one episode" and
// "Step one PPO update". Each button is enabled only when its action makes sense in the current
// state, so a keyboard user tabbing through never reaches a button that does nothing.
import { useState } from 'react';
import { useTrainingStore } from '../../store/trainingStore';
import { StatusLine } from './StatusLine';

export function TrainingControls() {
  const state = useTrainingStore((s) => s.state);
  const startTraining = useTrainingStore((s) => s.startTraining);
  const resume = useTrainingStore((s) => s.resume);
  const pause = useTrainingStore((s) => s.pause);
  const stop = useTrainingStore((s) => s.stop);
  const stepEpisode = useTrainingStore((s) => s.stepEpisode);
  const stepUpdate = useTrainingStore((s) => s.stepUpdate);
  const hasRun = useTrainingStore((s) => s.info !== null);
  const [stepping, setStepping] = useState(false);

  const busy = state === 'loading' || state === 'running' || stepping;
  const canResume = state === 'paused' || state === 'ready';
  const step = (action: () => Promise<void>) => async () => {
    setStepping(true);
    try {
      await action();
    } finally {
      setStepping(false);
    }
  };

  return (
    <section className="controls" aria-label="Training controls">
      <div className="control-buttons">
        <button
          type="button"
          className="primary"
          onClick={() => void startTraining()}
          disabled={busy}
          title="Start a new run with the current experiment settings"
        >
          Start training
        </button>
        <button type="button" onClick={pause} disabled={state !== 'running'} title="Pause after the current batch of episodes">
          Pause
        </button>
        <button type="button" onClick={() => void resume()} disabled={busy || !canResume || !hasRun} title="Continue the paused run">
          Resume
        </button>
        <button type="button" onClick={stop} disabled={!(state === 'running' || state === 'paused' || state === 'ready')} title="End the run">
          Stop
        </button>
        <span className="control-sep" aria-hidden="true" />
        <button
          type="button"
          onClick={step(stepEpisode)}
          disabled={busy}
          title="Collect one episode with the current policy (it joins the next update's batch)"
        >
          Step one episode
        </button>
        <button type="button" onClick={step(stepUpdate)} disabled={busy || !hasRun} title="Run one PPO update on the episodes collected so far">
          Step one PPO update
        </button>
      </div>
      <StatusLine />
    </section>
  );
}
