// A small saved run for the runs tests: hand-made episodes and iteration reports.
import { DEFAULT_CONFIG } from '../../src/der/presets';
import type { ExperimentConfig } from '../../src/der/config';

/** The fixtures' run: the default config with the threshold rule (one action per expert) and 30 iterations, as the tests below count them. */
const FIXTURE_CONFIG: ExperimentConfig = { ...DEFAULT_CONFIG, stopRule: 'threshold', iterations: 30 };
import type { RunHeader, EpisodeRecord, IterationRecord } from '../../src/der/runRecord';
import { summarizeEpisodes } from '../../src/der/metrics';
import type { PpoUpdateMetrics } from '../../src/agent/ppo';
import type { SavedRunMeta } from '../../src/runs/savedRun';
import { makeEpisode } from '../ui/episodeFactory';

export function header(config: ExperimentConfig = FIXTURE_CONFIG): RunHeader {
  return {
    type: 'run', config, seed: config.seed, created: '2025-01-02T03:04:05.000Z', versions: { workbench: '0.1.0' },
    experts: [{ name: 'a', sizeB: 7, kind: 'simulated' }, { name: 'b', sizeB: 13, kind: 'simulated' }], simulated: true, knowledgeTransfer: true,
  };
}

export function meta(overrides: Partial<SavedRunMeta> = {}, config: ExperimentConfig = FIXTURE_CONFIG): SavedRunMeta {
  return {
    id: 'run-1', name: 'test run', createdAt: '2025-01-02T03:04:05.000Z', updatedAt: '2025-01-02T03:04:05.000Z',
    header: header(config), status: 'paused', episodeCount: 0, iterationCount: 0, lastMeanReturn: null,
    optimizerSteps: 0, hasWeights: false, cache: null, source: 'trained', ...overrides,
  };
}

export function update(gradSteps: number, policyLoss: number): PpoUpdateMetrics {
  return {
    policyLoss, valueLoss: 0.5, entropy: 1.2, approxKl: 0.01, clipFraction: 0.1, explainedVariance: 0.3, gradNorm: 0.4,
    gradSteps, transitions: 40, episodes: 2, actorLr: 3e-4, criticLr: 1e-3, stoppedEarly: false, skipped: true, skipReason: 'test', ms: 12,
  };
}

export function report(iteration: number, meanReturn: number, upd: PpoUpdateMetrics | null): IterationRecord {
  const empty = summarizeEpisodes([], { expertCount: 2, tmax: 3, p0: 0.7 });
  return { iteration, episodes: 2, summary: { ...empty, episodes: 2, meanReturn, meanFinalScore: 0.7, successRate: Number.NaN }, update: upd };
}

/** Two iterations of two episodes each, plus one episode of the third (unfinished) iteration. */
export function smallRun(): { episodes: EpisodeRecord[]; iterations: IterationRecord[] } {
  const ep = (index: number, iteration: number) => makeEpisode(index, iteration, `question ${index}`, [{ expert: 'a', action: 0, score: 0.5 + index / 100 }]);
  return {
    episodes: [ep(0, 0), ep(1, 0), ep(2, 1), ep(3, 1), ep(4, 2)],
    iterations: [report(0, 0.25, update(4, -0.01)), report(1, 0.75, update(4, -0.02))],
  };
}
