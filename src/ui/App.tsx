// The workbench page (minimal for now): start training on the simulated pool and watch the reward.
import { useTrainingStore } from '../store/trainingStore';

export function App() {
  const { state, message, progress, info, iterations, episodes, startTraining, pause } = useTrainingStore();
  const last = iterations.at(-1);
  const running = state === 'running' || state === 'loading';
  return (
    <main className="app">
      <header>
        <h1>DER Workbench</h1>
        <p className="tagline">Dynamic ensembling of LLM experts, trained with PPO in your browser.</p>
      </header>
      {(info?.simulated ?? true) && (
        <p className="sim-banner" role="note">
          Simulated expert pool: the experts are a built-in simulation, not real LLMs. Results shown here are simulated.
        </p>
      )}
      <section className="controls">
        <button type="button" onClick={() => void startTraining()} disabled={running}>
          Start training
        </button>
        <button type="button" onClick={pause} disabled={state !== 'running'}>
          Pause
        </button>
      </section>
      <p className="status" aria-live="polite" data-testid="status">
        {state}
        {progress ? ` · ${progress}` : ''}
        {info ? ` · backend ${info.backend} · ${info.experts.length} experts · scorer ${info.scorer}` : ''}
        {` · iteration ${iterations.length} · episodes ${episodes.length}`}
      </p>
      {message && <p className="error" role="alert">{message}</p>}
      <section className="live">
        <h2>Reward</h2>
        <p>
          Mean return (last iteration):{' '}
          <output data-testid="mean-return">{last ? last.summary.meanReturn.toFixed(3) : '—'}</output>
        </p>
        <p>
          Mean final score:{' '}
          <output data-testid="mean-score">{last ? last.summary.meanFinalScore.toFixed(3) : '—'}</output>
        </p>
      </section>
    </main>
  );
}
