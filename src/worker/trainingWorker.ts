// The training Web Worker: owns the agent, the experts, the scorer and the encoder; streams events.
// Exposed to the UI with Comlink (typed RPC), see protocol.ts.
import * as Comlink from 'comlink';
import type { ExperimentConfig } from '../der/config';
import type { EpisodeRecord } from '../der/runRecord';
import { Trainer } from '../session/trainer';
import type { IterationRecord } from '../der/runRecord';
import { runEpisodes } from '../der/episodes';
import { createBrowserSession, type BrowserSession } from './browserSession';
import type { InitOptions, ResumeInfo, SessionInfo, TrainingState, TrainingWorkerApi, WorkerEvent } from './protocol';
import { parseConfig } from '../der/config';
import { packWeights, type RunStatus, type SavedRunMeta } from '../runs/savedRun';
import type { RunRecorder } from '../runs/runRecorder';
import { createRecorder, newRunMeta, reopenRun } from '../runs/runPersistence';
import { writeRun } from '../runs/runsDb';
import { crashCounter, failingAfter, parseFaults } from './faultInjection';
import { evaluateSession } from '../session/evaluateSession';

let session: BrowserSession | null = null;
let trainer: Trainer | null = null;
let config: ExperimentConfig | null = null;
let emit: (event: WorkerEvent) => void = () => {};
let wantPause = false;
let running = false;
/** Saves the session's run to IndexedDB as it trains (see runRecorder.ts). */
let recorder: RunRecorder | null = null;

/** Training states that change the saved run's status (loading/ready/error do not). */
const SAVED_STATUS: Partial<Record<TrainingState, RunStatus>> = { running: 'running', paused: 'paused', stopped: 'stopped', finished: 'finished' };

function setState(state: TrainingState, message?: string): void {
  emit({ type: 'state', state, message });
  const status = SAVED_STATUS[state];
  if (status) void recorder?.status(status);
}

/**
 * Load a session for `cfg` and a trainer whose events go to the page and to the run record.
 * `runMeta` gives the record to write into: a new run, or a reopened saved one.
 */
async function openSession(cfg: ExperimentConfig, options: InitOptions, runMeta: (info: SessionInfo) => { meta: SavedRunMeta; alreadySaved: boolean }): Promise<SessionInfo> {
  config = cfg;
  void recorder?.flush();
  recorder = null;
  session?.dispose();
  session = await createBrowserSession(cfg, options, (p: { stage: string; detail?: string; loaded?: number; total?: number }) => emit({ type: 'progress', ...p }));
  const s = session;
  const { meta, alreadySaved } = runMeta(s.info);
  // Debug faults (?fault=… on the page, e2e tests only): a failing disk, a crashing worker.
  const faults = parseFaults(options.faults);
  const write = faults.quotaAfterWrites === undefined ? undefined : failingAfter(writeRun, faults.quotaAfterWrites);
  const crashCheck = crashCounter(faults);
  const rec = createRecorder(meta, (message) => emit({ type: 'storage', message }), alreadySaved, write);
  recorder = rec;
  trainer = new Trainer(cfg, s.train, s, {
    onEpisode: (episode) => {
      rec.episode(episode);
      emit({ type: 'episode', episode });
      crashCheck();
    },
    onIteration: (report) => {
      // Taken now: the next update changes the weights.
      void rec.iteration(report, rec.error ? null : packWeights(s.agent.getWeights()), { stateDim: s.agent.stateDim, numActions: s.agent.numActions, hiddenSizes: cfg.ppo.hiddenSizes });
      // A left-out episode or a skipped update is shown with the iteration and logged here too.
      if (report.warning) console.warn(`[der-training] ${report.warning}`);
      emit({ type: 'iteration', report });
    },
  });
  const info: SessionInfo = { ...s.info, header: meta.header, runId: meta.id, cache: meta.cache };
  s.info = info;
  return info;
}

function requireTrainer(): Trainer {
  if (!trainer || !config) throw new Error('The worker is not initialised: call init() first.');
  return trainer;
}

/**
 * Let queued tasks run: on wasm/cpu the training loop can await only microtasks for minutes, and
 * then neither pause() (a Comlink message) nor IndexedDB's callbacks (saving the run) get a turn.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Wait until what was just recorded is in IndexedDB, so a reload loses at most the chunk in
 * flight. Bounded: a database blocked by another tab must not stall training.
 */
function savedOrTimeout(ms = 2000): Promise<void> {
  if (!recorder) return Promise.resolve();
  return Promise.race([recorder.flush(), new Promise<void>((resolve) => setTimeout(resolve, ms))]);
}

/** Collect episodes for the current iteration in chunks so that pause takes effect quickly. */
async function collectChunk(t: Trainer, cfg: ExperimentConfig, s: BrowserSession): Promise<void> {
  const halted = s.haltReason();
  if (halted) throw new Error(halted);
  const missing = cfg.ppo.episodesPerIteration - t.pendingEpisodes;
  await t.collect(Math.min(missing, s.concurrency));
  afterEpisodes(s);
}

/** Pool counters to the page; a reached budget stops the loop (start() pauses with its message). */
function afterEpisodes(s: BrowserSession): void {
  const status = s.poolStatus();
  if (status) emit({ type: 'pool', status });
  const halt = s.haltReason();
  if (halt) throw new Error(halt);
}

const api: TrainingWorkerApi = {
  async init(cfg: ExperimentConfig, options: InitOptions, onEvent: (event: WorkerEvent) => void): Promise<SessionInfo> {
    emit = onEvent;
    setState('loading');
    try {
      const info = await openSession(cfg, options, (sessionInfo) => ({ meta: newRunMeta(sessionInfo.header, sessionInfo.cache ?? null), alreadySaved: false }));
      emit({ type: 'ready', info });
      setState('ready');
      return info;
    } catch (err) {
      const message = (err as Error).message;
      emit({ type: 'error', message });
      setState('error', message);
      throw err;
    }
  },

  async start(): Promise<void> {
    const t = requireTrainer();
    if (running) return;
    running = true;
    wantPause = false;
    setState('running');
    try {
      while (!t.finished && !wantPause) {
        if (t.pendingEpisodes < config!.ppo.episodesPerIteration) await collectChunk(t, config!, session!);
        else await t.update();
        await savedOrTimeout();
        await yieldToEventLoop();
      }
      setState(t.finished ? 'finished' : 'paused');
    } catch (err) {
      const message = (err as Error).message;
      emit({ type: 'error', message });
      setState('paused', message);
    } finally {
      running = false;
    }
  },

  pause(): void {
    wantPause = true;
  },

  stop(): void {
    wantPause = true;
    setState('stopped');
  },

  async stepEpisode(): Promise<EpisodeRecord | null> {
    const t = requireTrainer();
    if (running) return null;
    const [episode] = await t.collect(1);
    const status = session!.poolStatus();
    if (status) emit({ type: 'pool', status });
    return episode ?? null;
  },

  async stepUpdate(): Promise<IterationRecord | null> {
    const t = requireTrainer();
    if (running) return null;
    return t.update();
  },

  async replay(questionId: string, options: { greedy: boolean }): Promise<EpisodeRecord> {
    requireTrainer();
    const s = session!;
    const question = [...s.train, ...s.test].find((q) => q.id === questionId);
    if (!question) throw new Error(`Question "${questionId}" is not in the loaded dataset.`);
    // Greedy replay does not draw from the agent's sampling stream, so it leaves training reproducible.
    const policy = options.greedy ? { name: 'ppo-greedy', act: (obs: Parameters<typeof s.agent.act>[0]) => s.agent.actGreedy(obs) } : s.agent;
    const { episodes } = await runEpisodes([question], { pool: s.pool, scorer: s.scorer, encoder: s.encoder, policy }, {
      reward: config!.reward,
      stopRule: config!.stopRule,
      ktp: config!.ktp,
      iteration: trainer!.iteration,
      firstIndex: -1,
    });
    return episodes[0];
  },

  async evaluate(options) {
    requireTrainer();
    if (running) throw new Error('Pause training before evaluating: the evaluation runs the current agent.');
    return evaluateSession(session!, options, config!.seed);
  },

  async resumeRun(runId: string, options: InitOptions, onEvent: (event: WorkerEvent) => void): Promise<ResumeInfo> {
    emit = onEvent;
    setState('loading');
    try {
      const reopened = await reopenRun(runId);
      const cfg = parseConfig(reopened.meta.header.config);
      const info = await openSession(cfg, options, () => ({ meta: reopened.meta, alreadySaved: true }));
      if (reopened.weights) session!.agent.setWeights(reopened.weights);
      // Same question stream as the original run; the unfinished iteration's questions come again.
      trainer!.restoreProgress(reopened.meta.iterationCount, reopened.keptEpisodes);
      emit({ type: 'ready', info });
      setState('ready');
      return { info, keptEpisodes: reopened.keptEpisodes, keptIterations: reopened.meta.iterationCount };
    } catch (err) {
      const message = (err as Error).message;
      emit({ type: 'error', message });
      setState('error', message);
      throw err;
    }
  },
};

Comlink.expose(api);
