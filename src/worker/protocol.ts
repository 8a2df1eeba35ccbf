// The typed contract between the UI and the training worker (the worker exposes it with Comlink).
import type { ExperimentConfig } from '../der/config';
import type { BackendMeasurement } from '../agent/backendTiming';
import type { EpisodeRecord, RunHeader } from '../der/runRecord';
import type { IterationRecord } from '../der/runRecord';
import type { CacheRef } from '../runs/savedRun';
import type { Evaluation } from '../der/evaluation';
import type { SessionEvaluationOptions } from '../session/evaluateSession';

export type BackendChoice = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface SessionInfo {
  backend: string;
  /** This browser's backend measurement (auto's reason, or what a hand-picked backend is checked against). */
  backendMeasurement?: BackendMeasurement;
  /** Whether that measurement was taken at this Start (false: from this browser's cache). */
  backendMeasuredNow?: boolean;
  /** Why the hand-picked backend is not trusted (it failed the numerical check). */
  backendNote?: string;
  scorer: string;
  encoder: string;
  experts: { name: string; sizeB: number; kind: string }[];
  simulated: boolean;
  knowledgeTransfer: boolean;
  trainQuestions: number;
  testQuestions: number;
  header: RunHeader;
  /** The saved run (IndexedDB, see runs/runsDb.ts) this session records into. */
  runId?: string;
  /** The response cache the experts use, if any (recorded with the run). */
  cache?: CacheRef | null;
  /** How the scorer reads its model, e.g. BERTScore's layer and how that layer is obtained. */
  scorerDetail?: string;
  /** The hard budgets this session's experts run under (none: unlimited). */
  budget?: BudgetLimitsInfo;
}

/** Hard budgets on expert calls (see experts/budget.ts); absent fields are unlimited. */
export interface BudgetLimitsInfo {
  maxCalls?: number;
  maxTokens?: number;
  maxCostUSD?: number;
}

/** Live counters of the expert pool, for the status line. */
export interface PoolStatus {
  /** Calls answered (any source), answered from the cache, sent to the network policy, failed. */
  calls: number;
  cacheHits: number;
  networkCalls: number;
  failures: number;
  /** What the budget has counted so far (HTTP requests, tokens, USD). */
  spent: { calls: number; tokens: number; costUSD: number };
  budget: BudgetLimitsInfo;
  /** Why training paused (a budget reached), if it must. */
  haltReason: string | null;
}

/** Progress of long loading work (a model download, the dataset): drawn as a bar when loaded and total are known. */
export interface LoadProgress {
  stage: string;
  detail?: string;
  /** Bytes (or files) done so far, and the total; absent when unknown. */
  loaded?: number;
  total?: number;
}

export type WorkerEvent =
  | ({ type: 'progress' } & LoadProgress)
  | { type: 'ready'; info: SessionInfo }
  /** `dropped`: run-wide indices of earlier episodes the run no longer keeps (episode retention). */
  | { type: 'episode'; episode: EpisodeRecord; dropped?: number[] }
  | { type: 'iteration'; report: IterationRecord }
  | { type: 'state'; state: TrainingState; message?: string }
  | { type: 'error'; message: string }
  /** Saving the run to IndexedDB failed (e.g. storage full): training goes on, the saved prefix stays. */
  | { type: 'storage'; message: string }
  /** Expert pool counters and budget (custom pools), after each batch of episodes. */
  | { type: 'pool'; status: PoolStatus };

export type TrainingState = 'idle' | 'loading' | 'ready' | 'running' | 'paused' | 'finished' | 'stopped' | 'error';

export interface InitOptions {
  backend: BackendChoice;
  /** The page's base URL, so the worker can fetch bundled data and models. */
  baseUrl: string;
  /** A user dataset (canonical JSONL from the dataset picker), used when config.dataset.source is not "sample". */
  datasetText?: string;
  /** API keys by expert name, from the panel (memory or localStorage). Never stored with a run. */
  apiKeys?: Record<string, string>;
  /** Hard budgets for the custom pool's remote experts; reaching one pauses training. */
  budget?: BudgetLimitsInfo;
  /** Requests in flight per endpoint (default 16). */
  concurrency?: number;
  /** Do not read the response cache (answers are still written). */
  fresh?: boolean;
  /** Debug faults for e2e tests, from the page's `?fault=` parameter (see faultInjection.ts); absent normally. */
  faults?: string;
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
  stepUpdate(): Promise<IterationRecord | null>;
  /**
   * Replay a question under the CURRENT policy (greedy or sampled), without learning from it.
   * Expert calls go through the pool (and its cache), so a recorded question costs nothing new
   * on the simulated pool or with a warm cache.
   */
  replay(questionId: string, options: { greedy: boolean }): Promise<EpisodeRecord>;
  /** Evaluate the current agent (greedy) and the baselines on a split (see session/evaluateSession.ts); refused while training runs. */
  evaluate(options: SessionEvaluationOptions): Promise<Evaluation>;
  /**
   * Continue a saved run: a session with its saved config, its last saved weights and the
   * trainer's counters restored. Episodes of the unfinished iteration are dropped from the record
   * and asked again (same questions, by the restored policy). New events append to the same run.
   */
  resumeRun(runId: string, options: InitOptions, onEvent: (event: WorkerEvent) => void): Promise<ResumeInfo>;
}

export interface ResumeInfo {
  info: SessionInfo;
  /** Episodes and iterations kept from the saved run (what the page should show before new events). */
  keptEpisodes: number;
  keptIterations: number;
}
