// The editable experiment config (the panel's state), mirrored into the URL hash: the one source of
// the config (the training store reads it when a run starts). Only valid configs are kept: a bad
// value leaves an error next to its control and the last valid config in force. Edits during a run apply to the next run (the worker got a copy).
import { create } from 'zustand';
import type { ExperimentConfig } from '../der/config';
import { DEFAULT_CONFIG, type PresetName } from '../der/presets';
import { applyPreset, pathKey, tryEdit, type ConfigPath } from './configEdit';
import { decodeHash, encodeHash } from '../der/urlState';

export interface ConfigStore {
  /** The last valid config: what the next run uses. */
  config: ExperimentConfig;
  /** Messages by control path ("reward.alpha"), for values that were NOT applied. */
  errors: Record<string, string>;
  /** Lesson mode: control ids hidden from the panel. */
  hidden: string[];
  /** Why the link's config could not be used (the page then opened with the default). */
  linkErrors: string[] | null;
  /** Set one value; returns false (and records the message) when it is invalid. */
  edit(path: ConfigPath, value: unknown): boolean;
  /** Record a message for a control whose text could not even be turned into a value. */
  setError(path: ConfigPath, message: string): void;
  clearError(path: ConfigPath): void;
  choosePreset(name: PresetName): void;
  /** Replace the whole config (e.g. from the what-if panel); returns false and keeps the old one when invalid. */
  replaceConfig(config: unknown): boolean;
  setHidden(ids: string[]): void;
  toggleHidden(id: string): void;
  dismissLinkErrors(): void;
}

function initialState(): Pick<ConfigStore, 'config' | 'hidden' | 'linkErrors'> {
  if (typeof location === 'undefined') return { config: DEFAULT_CONFIG, hidden: [], linkErrors: null };
  const decoded = decodeHash(location.hash, DEFAULT_CONFIG);
  if (decoded.kind === 'ok') return { config: decoded.config, hidden: decoded.hidden, linkErrors: null };
  if (decoded.kind === 'invalid') return { config: DEFAULT_CONFIG, hidden: decoded.hidden, linkErrors: decoded.errors };
  return { config: DEFAULT_CONFIG, hidden: decoded.hidden, linkErrors: null };
}

function withoutKey(errors: Record<string, string>, key: string): Record<string, string> {
  if (!(key in errors)) return errors;
  const next = { ...errors };
  delete next[key];
  return next;
}

export const useConfigStore = create<ConfigStore>((set, get) => ({
  ...initialState(),
  errors: {},

  edit(path, value) {
    const result = tryEdit(get().config, path, value);
    const key = pathKey(path);
    if (!result.ok) {
      set((s) => ({ errors: { ...s.errors, [key]: result.error } }));
      return false;
    }
    set((s) => ({ config: result.config, errors: withoutKey(s.errors, key) }));
    return true;
  },
  setError(path, message) {
    set((s) => ({ errors: { ...s.errors, [pathKey(path)]: message } }));
  },
  clearError(path) {
    set((s) => ({ errors: withoutKey(s.errors, pathKey(path)) }));
  },
  choosePreset(name) {
    set({ config: applyPreset(get().config, name), errors: {} });
  },
  replaceConfig(value) {
    const result = tryEdit(get().config, [], value);
    if (!result.ok) return false;
    set({ config: result.config, errors: {} });
    return true;
  },
  setHidden(ids) {
    set({ hidden: [...new Set(ids)] });
  },
  toggleHidden(id) {
    const hidden = get().hidden;
    set({ hidden: hidden.includes(id) ? hidden.filter((h) => h !== id) : [...hidden, id] });
  },
  dismissLinkErrors() {
    set({ linkErrors: null });
  },
}));

/** The hash this page would carry for the current state. */
export function currentHash(): string {
  const { config, hidden } = useConfigStore.getState();
  return encodeHash(config, hidden);
}

let urlSyncBound = false;

/** Mirror the state into the URL hash, and follow hash edits (a pasted link). Call once, in the browser. */
export function bindUrlSync(): void {
  if (urlSyncBound || typeof window === 'undefined') return;
  urlSyncBound = true;
  let written = currentHash();
  const write = () => {
    const hash = currentHash();
    if (hash === written && location.hash === `#${hash}`) return;
    written = hash;
    history.replaceState(history.state, '', `${location.pathname}${location.search}#${hash}`);
  };
  write();
  useConfigStore.subscribe((s, prev) => {
    if (s.config !== prev.config || s.hidden !== prev.hidden) write();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash === `#${written}`) return;
    const decoded = decodeHash(location.hash, useConfigStore.getState().config);
    if (decoded.kind === 'ok') useConfigStore.setState({ config: decoded.config, hidden: decoded.hidden, errors: {}, linkErrors: null });
    else if (decoded.kind === 'invalid') useConfigStore.setState({ linkErrors: decoded.errors });
    else useConfigStore.setState({ hidden: decoded.hidden });
  });
}
