// Resume bit-identical for a whole run (issue "house-keeping", item 4): a browser-style run on the
// simulated pool with the glove-mean encoder, trained 2 iterations, paused mid-iteration, saved the
// way the worker saves it (RunRecorder with the training state, Float32 weight packing, a structured
// clone as IndexedDB makes), rebuilt from a fresh session and resumed for 2 more, ends with exactly
// the weights and the episodes of a run trained 4 iterations straight. The agent side alone is
// tests/agent/resume.test.ts; this one adds the trainer's question order and the saved-run format.
import { describe, expect, it } from 'vitest';
import { createNodeSession } from '../../src/cli/nodeSession';
import { presetConfig } from '../../src/der/presets';
import type { ExperimentConfig } from '../../src/der/config';
import type { EpisodeRecord, IterationRecord } from '../../src/der/runRecord';
import { Trainer } from '../../src/session/trainer';
import { captureTrainingState, restoreTraining } from '../../src/session/resumeTraining';
import { RunRecorder } from '../../src/runs/runRecorder';
import { storageErrorMessage, type RunWrite } from '../../src/runs/runsDb';
import { packWeights, unpackWeights, type StoredWeights } from '../../src/runs/savedRun';
import { meta } from './runFixtures';

const ITERATIONS = 4;
const EPISODES = 8;

function config(): ExperimentConfig {
  const base = presetConfig('tuned');
  expect(base.encoder).toBe('glove-mean');
  expect(base.pool.kind).toBe('simulated');
  return { ...base, iterations: ITERATIONS, ppo: { ...base.ppo, episodesPerIteration: EPISODES, hiddenSizes: [16, 16] } };
}

const flat = (weights: { data: ArrayLike<number> }[]) => weights.flatMap((w) => Array.from(w.data));

/** A fresh session (questions, simulated pool, scorer, encoder, agent) and a trainer that records its episodes. */
async function open(cfg: ExperimentConfig, onIteration?: (trainer: Trainer, report: IterationRecord) => void) {
  const session = await createNodeSession(cfg);
  const episodes: EpisodeRecord[] = [];
  const trainer: Trainer = new Trainer(cfg, session.train, session, { onEpisode: (e) => episodes.push(e), onIteration: (r) => onIteration?.(trainer, r) });
  return { session, trainer, episodes };
}

/** Train 2 iterations, collect half of the third (paused there), and return what the run saved last. */
async function trainAndSave(cfg: ExperimentConfig) {
  const writes: RunWrite[] = [];
  const recorder = new RunRecorder(meta({}, cfg), { write: async (b) => void writes.push(structuredClone(b)), describeError: storageErrorMessage, onError: () => {}, batchMs: 10 });
  let session: Awaited<ReturnType<typeof createNodeSession>> | null = null;
  const run = await open(cfg, (trainer, report) => {
    // As the worker's onIteration: the weights and the training state, taken right after the update.
    void recorder.iteration(report, packWeights(session!.agent.getWeights()), {}, captureTrainingState(trainer, session!.agent));
  });
  session = run.session;
  for (let i = 0; i < 2; i++) await run.trainer.runIteration();
  await run.trainer.collect(EPISODES / 2); // paused mid-iteration: these are asked again on resume
  await recorder.flush();
  const saved = writes.filter((w) => w.weights).at(-1)!.weights as StoredWeights;
  run.session.agent.dispose();
  return { saved, episodes: run.episodes };
}

describe('resume a saved run', () => {
  it('paused after 2 of 4 iterations, saved, rebuilt from the saved state and resumed: exactly the weights and episodes of a run that never stopped', async () => {
    const cfg = config();

    const straight = await open(cfg);
    for (let i = 0; i < ITERATIONS; i++) await straight.trainer.runIteration();
    const straightWeights = flat(straight.session.agent.getWeights());
    straight.session.agent.dispose();

    const { saved, episodes: before } = await trainAndSave(cfg);
    expect(saved.iterations).toBe(2);
    expect(saved.training).toBeDefined();
    // The random-stream states are kept as exact uint32 numbers, not packed into float32.
    expect(Number.isInteger(saved.training!.agent.rng.act)).toBe(true);

    const resumed = await open(cfg);
    restoreTraining(resumed.trainer, resumed.session.agent, { weights: unpackWeights(saved.entries), training: saved.training ?? null, iterations: 2, episodesDone: 2 * EPISODES });
    while (!resumed.trainer.finished) await resumed.trainer.runIteration();

    expect(flat(resumed.session.agent.getWeights())).toEqual(straightWeights);
    expect([...before.slice(0, 2 * EPISODES), ...resumed.episodes]).toEqual(straight.episodes);
    resumed.session.agent.dispose();

    // Control: a run saved without the training state (as before it was kept) still resumes, from
    // the same weights and questions, but with fresh Adam moments and random streams, so it differs.
    const old = await open(cfg);
    restoreTraining(old.trainer, old.session.agent, { weights: unpackWeights(saved.entries), training: null, iterations: 2, episodesDone: 2 * EPISODES });
    while (!old.trainer.finished) await old.trainer.runIteration();
    expect(old.episodes.map((e) => e.question_id)).toEqual(straight.episodes.slice(2 * EPISODES).map((e) => e.question_id));
    expect(flat(old.session.agent.getWeights())).not.toEqual(straightWeights);
    old.session.agent.dispose();
  }, 180_000);
});
