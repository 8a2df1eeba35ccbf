// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { presetConfig } from '../../src/der/presets';
import { encodeHash } from '../../src/der/urlState';

async function freshStores(hash: string) {
  vi.resetModules();
  history.replaceState(null, '', `/${hash}`);
  const configModule = await import('../../src/store/configStore');
  return configModule;
}

describe('config store', () => {
  beforeEach(() => history.replaceState(null, '', '/'));

  it('opens with the config and hide list of the link', async () => {
    const linked = { ...presetConfig('reference'), seed: 77, reward: { ...presetConfig('reference').reward, alpha: 0.007, tmax: 9 } };
    const { useConfigStore } = await freshStores(`#${encodeHash({ ...linked, preset: 'custom' }, ['beta', 'pool'])}`);
    const state = useConfigStore.getState();
    expect(state.config.reward.alpha).toBe(0.007);
    expect(state.config.reward.tmax).toBe(9);
    expect(state.config.seed).toBe(77);
    expect(state.hidden).toEqual(['beta', 'pool']);
  });

  it('opens with the default and the reasons when the link is broken', async () => {
    const { useConfigStore } = await freshStores('#tmax=0');
    expect(useConfigStore.getState().config.reward.tmax).toBe(presetConfig('tuned').reward.tmax);
    expect(useConfigStore.getState().linkErrors?.join(' ')).toContain('Tmax');
  });

  it('keeps invalid values out of the config (what the next run uses) and shows them as errors', async () => {
    const { useConfigStore } = await freshStores('');
    const before = useConfigStore.getState().config;
    expect(useConfigStore.getState().edit(['reward', 'beta'], -2)).toBe(false);
    expect(useConfigStore.getState().errors['reward.beta']).toBe('β (beta) must be ≥ 0');
    expect(useConfigStore.getState().config).toBe(before);
    expect(useConfigStore.getState().edit(['reward', 'beta'], 3)).toBe(true);
    expect(useConfigStore.getState().errors['reward.beta']).toBeUndefined();
    expect(useConfigStore.getState().config.reward.beta).toBe(3);
    expect(useConfigStore.getState().config.preset).toBe('custom');
  });

  it('mirrors edits into the hash and follows a pasted link', async () => {
    const { useConfigStore, bindUrlSync } = await freshStores('');
    bindUrlSync();
    useConfigStore.getState().edit(['reward', 'alpha'], 0.0125);
    useConfigStore.getState().toggleHidden('gamma');
    const { decodeHash } = await import('../../src/der/urlState');
    const decoded = decodeHash(location.hash, presetConfig('tuned'));
    expect(decoded.kind === 'ok' && decoded.config.reward.alpha).toBe(0.0125);
    expect(decoded.hidden).toEqual(['gamma']);

    const pasted = { ...presetConfig('reference'), seed: 5 };
    location.hash = encodeHash(pasted, []);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(useConfigStore.getState().config).toEqual(pasted);
    expect(useConfigStore.getState().hidden).toEqual([]);
  });

  it('replaceConfig refuses an invalid whole config', async () => {
    const { useConfigStore } = await freshStores('');
    const bad = { ...presetConfig('tuned'), reward: { ...presetConfig('tuned').reward, p0: 2 } };
    expect(useConfigStore.getState().replaceConfig(bad)).toBe(false);
    expect(useConfigStore.getState().config.reward.p0).toBe(presetConfig('tuned').reward.p0);
    const whatIf = { ...presetConfig('tuned'), reward: { ...presetConfig('tuned').reward, alpha: 0.02 } };
    expect(useConfigStore.getState().replaceConfig(whatIf)).toBe(true);
    expect(useConfigStore.getState().config.preset).toBe('custom');
    expect(useConfigStore.getState().replaceConfig(presetConfig('reference'))).toBe(true);
    expect(useConfigStore.getState().config.preset).toBe('reference');
  });
});
