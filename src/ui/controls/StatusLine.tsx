// The status line: state, iteration, episodes, expert calls, tokens, cost, cache hits, backend;
// progress of long work (model downloads, dataset loading) and errors in words.
import { useMemo } from 'react';
import { useRunConfig, useTrainingStore } from '../../store/trainingStore';
import { LoadProgressLine } from './LoadProgressLine';
import { useThrottledTraining } from '../hooks/useThrottledTraining';
import { SimulatedBadge } from '../charts/SimulatedBadge';
import { compactCount, runTotals } from './runTotals';
import { BackendStatus } from './BackendStatus';

const STATE_WORDS: Record<string, string> = {
  idle: 'idle',
  loading: 'loading',
  ready: 'ready',
  running: 'training',
  paused: 'paused',
  finished: 'finished',
  stopped: 'stopped',
  error: 'error',
};

/** The failure policy's pause (session/failurePolicy.ts): its message starts so. */
const OUTAGE = /^Run paused: /;

export function StatusLine() {
  const state = useTrainingStore((s) => s.state);
  const progress = useTrainingStore((s) => s.progress);
  const message = useTrainingStore((s) => s.message);
  const info = useTrainingStore((s) => s.info);
  // A left-out episode (NaN/Inf) or a skipped PPO update, said in words next to the status.
  const warning = useTrainingStore((s) => s.iterations[s.iterations.length - 1]?.warning ?? null);
  const totalIterations = useRunConfig().iterations;
  const { episodes, iterations } = useThrottledTraining((s) => ({ episodes: s.episodes, iterations: s.iterations }), 300);
  const totals = useMemo(() => runTotals(episodes), [episodes]);
  return (
    <div className="status-block">
      <p className="status" aria-live="polite" data-testid="status">
        <span className={`state state-${state}`}>{STATE_WORDS[state] ?? state}</span>{' '}
        <span>
          iteration <b data-testid="status-iteration">{iterations.length}</b>/{totalIterations}
        </span>{' '}
        <span>
          episodes <b data-testid="status-episodes">{episodes.length}</b>
        </span>{' '}
        <span title="Expert calls (cached answers included)">
          calls <b data-testid="status-calls">{totals.calls}</b>
        </span>{' '}
        <span title="Prompt + completion tokens reported by the experts">
          tokens <b data-testid="status-tokens">{compactCount(totals.tokens)}</b>
        </span>{' '}
        <span title="Money spent on priced experts">
          cost <b data-testid="status-cost">${totals.costUSD.toFixed(totals.costUSD < 1 ? 4 : 2)}</b>
        </span>{' '}
        <span title="Calls answered from the response cache">
          cache hits <b data-testid="status-cache">{totals.cacheHits}</b>
        </span>{' '}
        <span title="Expert parameters called, in billions, summed over routes (the paper's C)">
          params called <b>{Math.round(totals.paramsB).toLocaleString('en-US')} B</b>
        </span>{' '}
        <BackendStatus /> <SimulatedBadge simulated={info?.simulated ?? false} />
      </p>
      {progress && <LoadProgressLine progress={progress} />}
      {warning && (
        <p className="storage-warning" role="status" data-testid="training-warning">
          {warning}
        </p>
      )}
      {message && state === 'paused' && OUTAGE.test(message) ? (
        <div className="outage-banner" role="alert" data-testid="outage-banner">
          <strong>Paused: the experts are failing.</strong> {message.replace(OUTAGE, '')}
          <br />
          Everything recorded so far is kept (and saved). Check the endpoints (the pool panel shows them); press Resume once they answer — every expert is tried
          again.
        </div>
      ) : (
        message && (
          <p className="error" role="alert">
            {message}
          </p>
        )
      )}
    </div>
  );
}
