// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest';

async function freshKeyStore() {
  vi.resetModules();
  return import('../../src/store/apiKeyStore');
}

describe('API key store', () => {
  beforeEach(() => localStorage.clear());

  it('keeps keys in memory only unless "remember" is ticked', async () => {
    const { useApiKeyStore, apiKeysForRun } = await freshKeyStore();
    useApiKeyStore.getState().setKey('gpt', 'sk-memory-only');
    expect(apiKeysForRun()).toEqual({ gpt: 'sk-memory-only' });
    expect(JSON.stringify({ ...localStorage })).not.toContain('sk-memory-only');
    const reloaded = await freshKeyStore();
    expect(reloaded.apiKeysForRun()).toEqual({});
  });

  it('remembers keys on this device when asked, and forgets them when unticked', async () => {
    const { useApiKeyStore } = await freshKeyStore();
    useApiKeyStore.getState().setRemember(true);
    useApiKeyStore.getState().setKey('gpt', 'sk-kept');
    useApiKeyStore.getState().renameKey('gpt', 'gpt-4o');
    const reloaded = await freshKeyStore();
    expect(reloaded.useApiKeyStore.getState().remember).toBe(true);
    expect(reloaded.apiKeysForRun()).toEqual({ 'gpt-4o': 'sk-kept' });
    reloaded.useApiKeyStore.getState().setRemember(false);
    expect(JSON.stringify({ ...localStorage })).not.toContain('sk-kept');
    expect(reloaded.apiKeysForRun()).toEqual({ 'gpt-4o': 'sk-kept' });
  });
});
