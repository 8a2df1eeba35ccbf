// Live training state: the bridge between the UI and the worker. The UI reads this store and calls
// its actions; it never talks to the worker directly.
import { create } from 'zustand';
import type { ExperimentConfig } from '../der/config';
import type { EpisodeRecord } from '../der/runRecord';
import { DEFAULT_CONFIG } from '../der/presets';
import type { IterationReport } from '../worker/trainer';
import type { BackendChoice, SessionInfo, TrainingState, WorkerEvent } from '../worker/protocol';
import { createTrainingWorker, proxy, type WorkerHandle } from './workerClient';
import { apiKeysForRun } from './apiKeyStore';

export interface TrainingStore {
  config: ExperimentConfig;
  backendChoice: BackendChoice;
  state: TrainingState;
  message: string | null;
  progress: string | null;
  info: SessionInfo | null;
  episodes: EpisodeRecord[];
  iterations: IterationReport[];
  /** The user's dataset as canonical JSONL (set by the dataset picker); used when config.dataset.source is not "sample". */
  datasetText: string | null;
  startTraining(): Promise<void>;
  /** Continue a paused run. */
  resume(): Promise<void>;
  pause(): void;
  stop(): void;
  /** Collect one episode (initialises the worker first if needed). */
  stepEpisode(): Promise<void>;
  /** Run one PPO update on the episodes collected so far. */
  stepUpdate(): Promise<void>;
  /** Replay a question under the current policy; resolves to the new episode (not learned from). */
  replay(questionId: string, greedy: boolean): Promise<EpisodeRecord>;
}

let handle: WorkerHandle | null = null;

function backendFromUrl(): BackendChoice {
  const b = new URLSearchParams(location.search).get('backend');
  return b === 'webgpu' || b === 'webgl' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

export const useTrainingStore = create<TrainingStore>((set, get) => {
  /** A fresh worker and session for the current config (a new run). */
  const initWorker = async () => {
    const { config, backendChoice } = get();
    handle?.terminate();
    handle = createTrainingWorker((message) => set({ state: 'error', message }));
    set({ state: 'loading', message: null, episodes: [], iterations: [], info: null });
    const { datasetText } = get();
    const options = { backend: backendChoice, baseUrl: document.baseURI, datasetText: datasetText ?? undefined, apiKeys: apiKeysForRun() };
    await handle.api.init(config, options, proxy(onEvent));
  };

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
    datasetText: null,

    async startTraining() {
      try {
        await initWorker();
        await handle!.api.start();
      } catch (err) {
        set({ state: 'error', message: (err as Error).message });
      }
    },
    async resume() {
      if (!handle) return get().startTraining();
      await handle.api.start();
    },
    async stepEpisode() {
      try {
        if (!handle || get().state === 'idle') await initWorker();
        await handle!.api.stepEpisode();
      } catch (err) {
        set({ message: (err as Error).message });
      }
    },
    async stepUpdate() {
      if (!handle) return;
      try {
        await handle.api.stepUpdate();
      } catch (err) {
        set({ message: (err as Error).message });
      }
    },
    async replay(questionId, greedy) {
      if (!handle) throw new Error('Start or step training first: the replay uses the current policy.');
      return handle.api.replay(questionId, { greedy });
    },
    pause() {
      void handle?.api.pause();
    },
    stop() {
      void handle?.api.stop();
    },
  };
});
