// API keys for the custom pool's experts, by expert name. They live in memory only, unless the user
// ticks "remember keys on this device" (then in localStorage, on this device only). They are never
// part of the config, so they never reach the URL, a pool file, a run record or an export.
import { create } from 'zustand';

const STORAGE_KEY = 'der-workbench.apiKeys';
const REMEMBER_KEY = 'der-workbench.rememberApiKeys';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage blocked (privacy mode): keys stay in memory
  }
}

function loadRemembered(): { remember: boolean; keys: Record<string, string> } {
  const store = storage();
  if (!store || store.getItem(REMEMBER_KEY) !== 'true') return { remember: false, keys: {} };
  try {
    const parsed = JSON.parse(store.getItem(STORAGE_KEY) ?? '{}') as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { remember: true, keys: {} };
    const keys = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    return { remember: true, keys };
  } catch {
    return { remember: true, keys: {} };
  }
}

function persist(remember: boolean, keys: Record<string, string>): void {
  const store = storage();
  if (!store) return;
  if (remember) {
    store.setItem(REMEMBER_KEY, 'true');
    store.setItem(STORAGE_KEY, JSON.stringify(keys));
  } else {
    store.removeItem(REMEMBER_KEY);
    store.removeItem(STORAGE_KEY);
  }
}

export interface ApiKeyStore {
  keys: Record<string, string>;
  remember: boolean;
  setKey(expertName: string, key: string): void;
  /** Keep a key with its expert when the expert is renamed. */
  renameKey(from: string, to: string): void;
  setRemember(remember: boolean): void;
}

export const useApiKeyStore = create<ApiKeyStore>((set, get) => ({
  ...loadRemembered(),
  setKey(expertName, key) {
    const keys = { ...get().keys };
    if (key) keys[expertName] = key;
    else delete keys[expertName];
    set({ keys });
    persist(get().remember, keys);
  },
  renameKey(from, to) {
    const keys = { ...get().keys };
    if (!(from in keys) || from === to) return;
    keys[to] = keys[from];
    delete keys[from];
    set({ keys });
    persist(get().remember, keys);
  },
  setRemember(remember) {
    set({ remember });
    persist(remember, get().keys);
  },
}));

/** The keys for a run (handed to the worker at init, never stored with the run). */
export function apiKeysForRun(): Record<string, string> {
  return { ...useApiKeyStore.getState().keys };
}
