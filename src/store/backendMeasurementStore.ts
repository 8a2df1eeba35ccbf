// This browser's backend measurement for the page (the picker and the status line): read from the
// cache at start-up, replaced by the one a session reports, deleted by "measure again" (the next
// Start with `auto` then measures). The measurement itself runs in the worker (worker/backendChoice.ts).
import { create } from 'zustand';
import type { BackendMeasurement } from '../agent/backendTiming';

// The measurement's words and types for ui/ (which reaches adapters only through store/).
export { describeTiming, type BackendMeasurement, type BackendTiming } from '../agent/backendTiming';
import { clearCachedMeasurement, readCachedMeasurement } from '../agent/backendCache';
import { useTrainingStore } from './trainingStore';

export interface BackendMeasurementStore {
  measurement: BackendMeasurement | null;
  /** Set by "measure again" until the next measurement arrives. */
  cleared: boolean;
  measureAgain(): Promise<void>;
}

export const useBackendMeasurement = create<BackendMeasurementStore>((set) => ({
  measurement: null,
  cleared: false,
  async measureAgain() {
    await clearCachedMeasurement();
    set({ measurement: null, cleared: true });
  },
}));

if (typeof window !== 'undefined') {
  void readCachedMeasurement().then((m) => {
    if (m && !useBackendMeasurement.getState().measurement) useBackendMeasurement.setState({ measurement: m });
  });
  // A session that measured (or used the cache) brings the measurement it used.
  useTrainingStore.subscribe((s, prev) => {
    const m = s.info?.backendMeasurement;
    if (m && m !== prev.info?.backendMeasurement && (s.info?.backendMeasuredNow || !useBackendMeasurement.getState().cleared)) {
      useBackendMeasurement.setState({ measurement: m, cleared: false });
    }
  });
}
