import { describe, expect, it } from 'vitest';
import { ExperimentConfigSchema } from '../../src/der/config';
import { presetConfig } from '../../src/der/presets';
import { applyPreset, getAt, matchingPreset, parseNumberInput, setAt, tryEdit } from '../../src/store/configEdit';

const tuned = presetConfig('tuned');

function errorOf(path: (string | number)[], value: unknown): string {
  const result = tryEdit(tuned, path, value);
  if (result.ok) throw new Error(`expected ${path.join('.')}=${String(value)} to be refused`);
  return result.error;
}

describe('config edits', () => {
  it('refuses invalid values with a message naming the control', () => {
    expect(errorOf(['reward', 'alpha'], -0.1)).toBe('α (alpha) must be ≥ 0');
    expect(errorOf(['reward', 'alpha'], parseNumberInput('abc'))).toBe('α (alpha) must be a number');
    expect(errorOf(['reward', 'p0'], 1.5)).toBe('p0 must be ≤ 1');
    expect(errorOf(['reward', 'tmax'], 2.5)).toBe('Tmax must be a whole number');
    expect(errorOf(['reward', 'tmax'], 21)).toBe('Tmax must be ≤ 20');
    expect(errorOf(['ppo', 'clipRange'], 0)).toBe('clip range must be > 0');
    expect(errorOf(['ppo', 'discount'], parseNumberInput(''))).toBe('discount must be a number');
    expect(errorOf(['seed'], 1.5)).toBe('seed must be a whole number');
    const customKtp = tryEdit(tuned, ['ktp', 'template'], 'custom');
    if (!customKtp.ok) throw new Error('the preset custom template should be valid');
    const refused = tryEdit(customKtp.config, ['ktp', 'custom'], 'no placeholders');
    expect(refused.ok ? '' : refused.error).toBe('a custom KTP template must contain both {question} and {previous}');
  });

  it('does not change the config it was given, valid or not', () => {
    const before = JSON.stringify(tuned);
    tryEdit(tuned, ['reward', 'alpha'], -1);
    tryEdit(tuned, ['reward', 'alpha'], 0.004);
    expect(JSON.stringify(tuned)).toBe(before);
  });

  it('keeps a valid edit, and editing a knob makes the preset custom until it matches one again', () => {
    const edited = tryEdit(tuned, ['reward', 'alpha'], 0.004);
    expect(edited.ok).toBe(true);
    if (!edited.ok) return;
    expect(edited.config.reward.alpha).toBe(0.004);
    expect(edited.config.preset).toBe('custom');
    expect(ExperimentConfigSchema.safeParse(edited.config).success).toBe(true);
    const back = tryEdit(edited.config, ['reward', 'alpha'], tuned.reward.alpha);
    expect(back.ok && back.config.preset).toBe('tuned');
  });

  it('a seed or dataset change keeps the preset (they are not knobs)', () => {
    const result = tryEdit(tuned, ['seed'], 7);
    expect(result.ok && result.config.preset).toBe('tuned');
  });

  it('switching preset replaces the knobs and keeps seed, pool and dataset', () => {
    const config = tryEdit(tuned, ['seed'], 99);
    if (!config.ok) throw new Error('seed edit failed');
    const custom = tryEdit(config.config, ['ppo', 'entropyCoef'], 0.05);
    if (!custom.ok) throw new Error('entropy edit failed');
    const switched = applyPreset({ ...custom.config, dataset: { ...custom.config.dataset, testFraction: 0.5 } }, 'reference');
    expect(switched.preset).toBe('reference');
    expect(switched.ppo).toEqual(presetConfig('reference').ppo);
    expect(switched.seed).toBe(99);
    expect(switched.dataset.testFraction).toBe(0.5);
    expect(matchingPreset(switched)).toBe('reference');
  });

  it('setAt copies only along the path', () => {
    const next = setAt(tuned, ['ppo', 'hiddenSizes', 1], 64);
    expect(getAt(next, ['ppo', 'hiddenSizes'])).toEqual([256, 64]);
    expect(tuned.ppo.hiddenSizes).toEqual([256, 256]);
    expect(next.reward).toBe(tuned.reward);
  });
});
