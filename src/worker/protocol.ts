// The typed contract between the UI and the training worker (the worker exposes it with Comlink).
import type { ExperimentConfig } from '../der/config';
import type { EpisodeRecord, RunHeader } from '../der/runRecord';
import type { IterationReport } from './trainer';

export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface SessionInfo {
  backend: string;
  scorer: string;
  encoder: string;
  experts: { name: string; sizeB: number; kind: string }[];
  simulated: boolean;
  knowledgeTransfer: boolean;
  trainQuestions: number;
  testQuestions: number;
  header: RunHeader;
}

export type WorkerEvent =
  | { type: 'progress'; stage: string; detail?: string; loaded?: number; total?: number }
  | { type: 'ready'; info: SessionInfo }
  | { type: 'episode'; episode: EpisodeRecord }
  | { type: 'iteration'; report: IterationReport }
  | { type: 'state'; state: TrainingState; message?: string }
  | { type: 'error'; message: string };

export type TrainingState = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'finished' | 'stopped' | 'error';

export interface InitOptions {
  backend: BackendChoice;
  /** The page's base URL, so the worker can fetch bundled data and models. */
  baseUrl: string;
  /** A user dataset (canonical JSONL from the dataset picker), used when config.dataset.source is not "sample". */
  datasetText?: string;
  /** API keys by expert name, from the panel (memory or localStorage). Never stored with a run. */
  apiKeys?: Record<string, string>;
}

/** The worker's API (what Comlink.wrap returns on the UI side, with Promise results). */
export interface TrainingWorkerApi {
  init(config: ExperimentConfig, options: InitOptions, onEvent: (event: WorkerEvent) => void): Promise<SessionInfo>;
  /** Train until the configured number of iterations is done, or until paused/stopped. */
  start(): Promise<void>;
  pause(): void;
  stop(): void;
  /** Collect a single episode with the current policy (added to the next update's batch). */
  stepEpisode(): Promise<EpisodeRecord | null>;
  /** Run one PPO update on the episodes collected so far. */
  stepUpdate(): Promise<IterationReport | null>;
  /**
   * Replay a question under the CURRENT policy (greedy or sampled), without learning from it.
   * Expert calls go through the pool (and its cache), so a recorded question costs nothing new
   * on the simulated pool or with a warm cache.
   */
  replay(questionId: string, options: { greedy: boolean }): Promise<EpisodeRecord>;
}
