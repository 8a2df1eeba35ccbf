// Live training state: the bridge between the UI and the worker. The UI reads this store and calls
// its actions; it never talks to the worker directly.
import { create } from 'zustand';
import type { ExperimentConfig } from '../der/config';
import type { EpisodeRecord } from '../der/runRecord';
import type { IterationRecord } from '../der/runRecord';
import type { Evaluation } from '../der/evaluation';
import type { SessionEvaluationOptions } from '../session/evaluateSession';
import type { BackendChoice, InitOptions, LoadProgress, PoolStatus, SessionInfo, TrainingState, WorkerEvent } from '../worker/protocol';
export type { BackendChoice };
import { createTrainingWorker, proxy, type WorkerHandle } from './workerClient';
import { faultParamFromUrl } from '../worker/faultInjection';
import { apiKeysForRun } from './apiKeyStore';
import { budgetForRun } from './budgetStore';
import { loadRun, updateRunMeta } from '../runs/runsDb';
import { effectiveStatus, isResumable, type SavedRunMeta } from '../runs/savedRun';
import { useConfigStore } from './configStore';
import { errorMessage } from '../der/errorMessage';

export interface TrainingStore {
  backendChoice: BackendChoice;
  state: TrainingState;
  message: string | null;
  /** Long loading work in progress (model download, dataset), null when none. */
  progress: LoadProgress | null;
  info: SessionInfo | null;
  episodes: EpisodeRecord[];
  iterations: IterationRecord[];
  /** The user's dataset as canonical JSONL (set by the dataset picker); used when config.dataset.source is not "sample". */
  datasetText: string | null;
  /** The saved run (IndexedDB) on screen: the live one, or one opened from the Runs tab. */
  runId: string | null;
  /** Set when the run on screen was loaded from storage and no worker is training it (read-only until resumed). */
  savedRun: SavedRunMeta | null;
  /** Why the live run stopped being saved (storage full…); training goes on. */
  storageMessage: string | null;
  /** Expert pool counters and budget of the live session (custom pools). */
  poolStatus: PoolStatus | null;
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
  /** Evaluate the current agent and the baselines (Evaluation tab); refused while training runs. */
  evaluate(options: SessionEvaluationOptions): Promise<Evaluation>;
  /** Show a saved run (charts, episodes) without training it. Refused while a run is training. */
  openSavedRun(runId: string): Promise<void>;
  /** Continue a saved run in a fresh worker: saved config, weights and counters; appends to the same record. */
  resumeSavedRun(runId: string): Promise<void>;
}

/** The config of the run on screen (its session header), or the panel's config when no run is loaded. */
export function useRunConfig(): ExperimentConfig {
  const runConfig = useTrainingStore((s) => s.info?.header.config ?? null);
  const panelConfig = useConfigStore((s) => s.config);
  return runConfig ?? panelConfig;
}

/** The run that was on screen, so a reload can show it again (see restoreOpenRun). */
const OPEN_RUN_KEY = 'der-workbench:open-run';

export function rememberOpenRun(runId: string | null): void {
  try {
    if (runId) localStorage.setItem(OPEN_RUN_KEY, runId);
    else localStorage.removeItem(OPEN_RUN_KEY);
  } catch {
    /* storage disabled: a reload then opens empty */
  }
}

export function rememberedOpenRun(): string | null {
  try {
    return localStorage.getItem(OPEN_RUN_KEY);
  } catch {
    return null;
  }
}

/** The store's one worker session: the worker that trains the run on screen, if any. */
let handle: WorkerHandle | null = null;
/** Counts workers started, so a saved run still loading can tell that Start (or Resume) came after it. */
let workerGeneration = 0;

/**
 * Thrown by openSavedRun when a worker started while the saved run was being read (a Start
 * clicked right after a reload, before the remembered run came back): the newer action keeps
 * the screen, and its worker is left running.
 */
export class SavedRunSuperseded extends Error {
  constructor() {
    super('A run started while the saved run was loading; the new run keeps the screen.');
    this.name = 'SavedRunSuperseded';
  }
}

function backendFromUrl(): BackendChoice {
  const b = new URLSearchParams(location.search).get('backend');
  return b === 'webgpu' || b === 'webgl' || b === 'wasm' || b === 'cpu' ? b : 'auto';
}

export const useTrainingStore = create<TrainingStore>((set, get) => {
  /** What every worker load needs from the page (backend, dataset, keys, budget), built in one place. */
  const initOptions = (run: 'new' | 'resume'): InitOptions => ({
    backend: get().backendChoice,
    baseUrl: document.baseURI,
    datasetText: get().datasetText ?? undefined,
    apiKeys: apiKeysForRun(),
    budget: budgetForRun(),
    // `?fault=` (e2e tests of crashes and a full disk) applies to new runs only, so a resumed run is not crashed again.
    ...(run === 'new' ? { faults: faultParamFromUrl(location.search) } : {}),
  });

  /** A fresh worker in place of the old one (whose session, if any, is dropped). */
  const freshWorker = (): WorkerHandle => {
    handle?.terminate();
    handle = createTrainingWorker(onWorkerCrash);
    workerGeneration++;
    return handle;
  };

  /** A fresh worker and session for the panel's current config (a new run). */
  const initWorker = async (): Promise<WorkerHandle> => {
    const worker = freshWorker();
    set({ state: 'loading', message: null, episodes: [], iterations: [], info: null, runId: null, savedRun: null, storageMessage: null, poolStatus: null });
    await worker.api.init(useConfigStore.getState().config, initOptions('new'), proxy(onEvent));
    return worker;
  };

  /**
   * The worker died (uncaught error, out of memory): its pending calls will never answer. Drop it
   * and show the run as saved in IndexedDB, so "Resume run" continues it from the last saved state.
   */
  const onWorkerCrash = (message: string) => {
    handle?.terminate();
    handle = null;
    const { runId } = get();
    set({ state: 'error', message, progress: null });
    if (!runId) return;
    const recovered = `${message} The run is saved up to its last saved episode: use "Resume run" to continue it.`;
    get()
      .openSavedRun(runId)
      .then(() => set({ message: recovered }))
      .catch((err: unknown) => {
        if (!(err instanceof SavedRunSuperseded)) set({ message: `${message} Nothing of this run had been saved yet (or it was deleted): start a new run.` });
      });
  };

  const onEvent = (event: WorkerEvent) => {
    switch (event.type) {
      case 'progress':
        set({ progress: { stage: event.stage, detail: event.detail, loaded: event.loaded, total: event.total } });
        break;
      case 'ready':
        set({ info: event.info, progress: null, runId: event.info.runId ?? null, savedRun: null });
        rememberOpenRun(event.info.runId ?? null);
        break;
      case 'storage':
        set({ storageMessage: event.message });
        break;
      case 'pool':
        set({ poolStatus: event.status });
        break;
      case 'episode':
        set((s) => {
          const episodes = [...s.episodes, event.episode];
          if (!event.dropped) return { episodes };
          // Sampled out of a long run's record (episode retention): the page lets go of them too.
          const dropped = new Set(event.dropped);
          return { episodes: episodes.filter((e) => !dropped.has(e.index)) };
        });
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
    backendChoice: backendFromUrl(),
    state: 'idle',
    message: null,
    progress: null,
    info: null,
    episodes: [],
    iterations: [],
    datasetText: null,
    runId: null,
    savedRun: null,
    storageMessage: null,
    poolStatus: null,

    async startTraining() {
      try {
        const worker = await initWorker();
        await worker.api.start();
      } catch (err) {
        set({ state: 'error', message: errorMessage(err) });
      }
    },
    async resume() {
      const saved = get().savedRun;
      if (!handle && saved) return get().resumeSavedRun(saved.id);
      if (!handle) return get().startTraining();
      await handle.api.start();
    },
    async stepEpisode() {
      try {
        const worker = handle && get().state !== 'idle' ? handle : await initWorker();
        await worker.api.stepEpisode();
      } catch (err) {
        set({ message: errorMessage(err) });
      }
    },
    async stepUpdate() {
      if (!handle) return;
      try {
        await handle.api.stepUpdate();
      } catch (err) {
        set({ message: errorMessage(err) });
      }
    },
    async evaluate(options) {
      if (!handle) throw new Error('Train (or resume a saved run) first: the evaluation uses the current agent.');
      return handle.api.evaluate(options);
    },

    async replay(questionId, greedy) {
      if (!handle) throw new Error('Start or step training first: the replay uses the current policy.');
      return handle.api.replay(questionId, { greedy });
    },
    pause() {
      void handle?.api.pause();
    },
    async openSavedRun(runId) {
      const { state } = get();
      if (handle && (state === 'running' || state === 'loading')) throw new Error('Pause training before opening another run.');
      const generation = workerGeneration;
      const loaded = await loadRun(runId);
      if (!loaded) throw new Error('That run is no longer saved (deleted in another tab?).');
      let meta = loaded.meta;
      const status = effectiveStatus(meta, null);
      // A "running" run with no worker was cut off by a reload or a closed tab.
      if (status !== meta.status && workerGeneration === generation) meta = (await updateRunMeta(runId, (m) => ({ ...m, status }))) ?? { ...meta, status };
      // Reading a long run takes a while: a Start clicked meanwhile wins, and its worker lives on.
      if (workerGeneration !== generation) throw new SavedRunSuperseded();
      handle?.terminate();
      handle = null;
      const header = meta.header;
      const info: SessionInfo = {
        backend: '—',
        scorer: header.config.scorer,
        encoder: header.config.encoder,
        experts: header.experts,
        simulated: header.simulated,
        knowledgeTransfer: header.knowledgeTransfer,
        trainQuestions: 0,
        testQuestions: 0,
        header,
        runId,
        cache: meta.cache,
      };
      set({
        state: isResumable(meta) ? 'paused' : meta.status === 'finished' ? 'finished' : 'stopped',
        message: null,
        progress: null,
        storageMessage: meta.storageError ?? null,
        info,
        runId,
        savedRun: meta,
        episodes: loaded.episodes.map((e) => e.record),
        iterations: loaded.iterations.map((i) => i.report),
      });
      rememberOpenRun(runId);
    },
    async resumeSavedRun(runId) {
      try {
        if (get().runId !== runId || !get().savedRun) await get().openSavedRun(runId);
        const worker = freshWorker();
        set({ state: 'loading', message: null, storageMessage: null });
        const resumed = await worker.api.resumeRun(runId, initOptions('resume'), proxy(onEvent));
        // The unfinished iteration's episodes are asked again: drop them from the screen too.
        set((s) => ({ episodes: s.episodes.filter((e) => e.index < resumed.keptEpisodes), iterations: s.iterations.slice(0, resumed.keptIterations) }));
        await worker.api.start();
      } catch (err) {
        if (err instanceof SavedRunSuperseded) return;
        set({ state: 'error', message: errorMessage(err) });
      }
    },
    stop() {
      void handle?.api.stop();
    },
  };
});
