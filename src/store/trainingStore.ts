// Live training state: the bridge between the UI and the worker. The UI reads this store and calls
// its actions; it never talks to the worker directly.
import { create } from 'zustand';
import type { ExperimentConfig } from '../der/config';
import type { EpisodeRecord } from '../der/runRecord';
import { DEFAULT_CONFIG } from '../der/presets';
import type { IterationReport } from '../worker/trainer';
import type { BackendChoice, SessionInfo, TrainingState, WorkerEvent } from '../worker/protocol';
import { createTrainingWorker, proxy, type WorkerHandle } from './workerClient';

export interface TrainingStore {
  config: ExperimentConfig;
  backendChoice: BackendChoice;
  state: TrainingState;
  message: string | null;
  progress: string | null;
  info: SessionInfo | null;
  episodes: EpisodeRecord[];
  iterations: IterationReport[];
  startTraining(): Promise<void>;
  pause(): void;
  stop(): void;
}

let handle: WorkerHandle | null = null;

function backendFromUrl(): BackendChoice {
  const b = new URLSearchParams(location.search).get('backend');
  return b === 'webgpu' || b === 'webgl' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

export const useTrainingStore = create<TrainingStore>((set, get) => {
  const onEvent = (event: WorkerEvent) => {
    switch (event.type) {
      case 'progress':
        set({ progress: `${event.stage}${event.detail ? `: ${event.detail}` : ''}` });
        break;
      case 'ready':
        set({ info: event.info, progress: null });
        break;
      case 'episode':
        set((s) => ({ episodes: [...s.episodes, event.episode] }));
        break;
      case 'iteration':
        set((s) => ({ iterations: [...s.iterations, event.report] }));
        break;
      case 'state':
        set({ state: event.state, message: event.message ?? null });
        break;
      case 'error':
        set({ message: event.message });
        break;
    }
  };

  return {
    config: DEFAULT_CONFIG,
    backendChoice: backendFromUrl(),
    state: 'idle',
    message: null,
    progress: null,
    info: null,
    episodes: [],
    iterations: [],

    async startTraining() {
      const { config, backendChoice } = get();
      handle?.terminate();
      handle = createTrainingWorker((message) => set({ state: 'error', message }));
      set({ state: 'loading', message: null, episodes: [], iterations: [], info: null });
      try {
        await handle.api.init(config, { backend: backendChoice, baseUrl: document.baseURI }, proxy(onEvent));
        await handle.api.start();
      } catch (err) {
        set({ state: 'error', message: (err as Error).message });
      }
    },
    pause() {
      void handle?.api.pause();
    },
    stop() {
      void handle?.api.stop();
    },
  };
});
