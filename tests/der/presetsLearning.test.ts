// What the presets promise in the README: `reference` is the paper (paper reward, threshold stop,
// text-only state, 10 epochs over the training split), `tuned` carries the departures that make
// the agent learn within minutes (final-quality reward, learned STOP, route context, glove-mean).
import { describe, expect, it } from 'vitest';
import { iterationsForEpochs, presetConfig, SAMPLE_TRAIN_QUESTIONS } from '../../src/der/presets';
import { parseConfig } from '../../src/der/config';
import { splitDataset } from '../../src/data/split';
import { loadSampleQuestions } from '../../src/data/sampleNode';

describe('presets and training length', () => {
  it('reference keeps the paper and counts 10 epochs of 32 questions over the sample training split', async () => {
    const ref = presetConfig('reference');
    expect(ref.reward.form).toBe('paper');
    expect(ref.stopRule).toBe('threshold');
    expect(ref.state.routeContext).toBe(false);
    expect(ref.ppo.discount).toBe(0.95);
    const questions = (await loadSampleQuestions()).filter((q) => q.output !== undefined && q.output.trim() !== '');
    const { train } = splitDataset(questions, ref.dataset.testFraction, ref.dataset.splitSeed);
    expect(train.length).toBe(SAMPLE_TRAIN_QUESTIONS);
    expect(ref.iterations).toBe(10 * Math.ceil(train.length / ref.ppo.episodesPerIteration));
  });

  it('iterationsForEpochs rounds a partial batch up to one more iteration per epoch', () => {
    expect(iterationsForEpochs(10, 154, 32)).toBe(50);
    expect(iterationsForEpochs(3, 64, 32)).toBe(6);
    expect(iterationsForEpochs(1, 65, 32)).toBe(3);
  });

  it('tuned trains with the final-quality reward, the learned STOP, route context and glove-mean', () => {
    const tuned = presetConfig('tuned');
    expect(tuned.reward.form).toBe('final');
    expect(tuned.stopRule).toBe('learned');
    expect(tuned.state.routeContext).toBe(true);
    expect(tuned.encoder).toBe('glove-mean');
    expect(tuned.ppo.discount).toBe(1);
  });

  it('a config saved before the options existed reads as the paper: paper reward, no route context', () => {
    const { state: _s, ...old } = presetConfig('reference');
    const { form: _f, ...oldReward } = old.reward;
    const parsed = parseConfig({ ...old, reward: oldReward });
    expect(parsed.reward.form).toBe('paper');
    expect(parsed.state.routeContext).toBe(false);
  });
});
