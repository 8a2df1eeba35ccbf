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
import { captureTrainingState, restoreTraining } from '../session/resumeTraining';
import { errorMessage } from '../der/errorMessage';

/** One loaded session: what init() or resumeRun() opened, and the run record it writes to. */
interface LiveSession {
  config: ExperimentConfig;
  browser: BrowserSession;
  trainer: Trainer;
  /** Saves the session's run to IndexedDB as it trains (see runRecorder.ts). */
  recorder: RunRecorder;
}

/** The worker's whole state: the page's event sink, the loaded session, and the training loop's flags. */
const worker = {
  emit: (_event: WorkerEvent): void => {},
  live: null as LiveSession | null,
  running: false,
  wantPause: false,
};

/** Training states that change the saved run's status (loading/ready/error do not). */
const SAVED_STATUS: Partial<Record<TrainingState, RunStatus>> = { running: 'running', paused: 'paused', stopped: 'stopped', finished: 'finished' };

function setState(state: TrainingState, message?: string): void {
  worker.emit({ type: 'state', state, message });
  const status = SAVED_STATUS[state];
  if (status) void worker.live?.recorder.status(status);
}

/** What a load opens: the config and the run record to write into (a new run, or a reopened saved one). */
interface RunToOpen {
  config: ExperimentConfig;
  options: InitOptions;
  runMeta(info: SessionInfo): { meta: SavedRunMeta; alreadySaved: boolean; storedEpisodes?: { index: number; iteration: number }[] };
  /** Called once the session is loaded, before 'ready' (a resume restores weights and counters here). */
  restore?(live: LiveSession): void;
}

/**
 * The one load path of init() and resumeRun(): drop the old session, load a session for the
 * config, wire a trainer whose events go to the page and to the run record, then say 'ready'.
 * Any failure is reported as an 'error' event and state, and rethrown.
 */
async function load(onEvent: (event: WorkerEvent) => void, open: () => Promise<RunToOpen>): Promise<SessionInfo> {
  worker.emit = onEvent;
  setState('loading');
  try {
    const run = await open();
    const old = worker.live;
    worker.live = null;
    if (old) {
      void old.recorder.flush();
      old.browser.dispose();
    }
    const live = await openSession(run);
    worker.live = live;
    run.restore?.(live);
    const info = live.browser.info;
    worker.emit({ type: 'ready', info });
    setState('ready');
    return info;
  } catch (err) {
    const message = errorMessage(err);
    worker.emit({ type: 'error', message });
    setState('error', message);
    throw err;
  }
}

async function openSession(run: RunToOpen): Promise<LiveSession> {
  const { config, options } = run;
  const browser = await createBrowserSession(config, options, (progress) => worker.emit({ type: 'progress', ...progress }));
  const { meta, alreadySaved, storedEpisodes } = run.runMeta(browser.info);
  // Debug faults (?fault=… on the page, e2e tests only): a failing disk, a crashing worker.
  const faults = parseFaults(options.faults);
  const write = faults.quotaAfterWrites === undefined ? undefined : failingAfter(writeRun, faults.quotaAfterWrites);
  const crashCheck = crashCounter(faults);
  const recorder = createRecorder(meta, (message) => worker.emit({ type: 'storage', message }), alreadySaved, write, storedEpisodes);
  const trainer = new Trainer(config, browser.train, browser, {
    onEpisode: (episode) => {
      // Beyond the cap the recorder drops sampled-out episodes; the page drops them too (memory stays flat).
      const dropped = recorder.episode(episode);
      worker.emit({ type: 'episode', episode, ...(dropped.length > 0 ? { dropped } : {}) });
      crashCheck();
    },
    onIteration: (report) => {
      // Taken now: the next update changes the weights. The training state (Adam, random streams,
      // question order) goes with them, so a resume continues bit-identically.
      const save = !recorder.error;
      const saved = recorder.iteration(
        report,
        save ? packWeights(browser.agent.getWeights()) : null,
        { stateDim: browser.agent.stateDim, numActions: browser.agent.numActions, hiddenSizes: config.ppo.hiddenSizes },
        save ? captureTrainingState(trainer, browser.agent) : undefined,
      );
      // A left-out episode or a skipped update is shown with the iteration and logged here too.
      if (report.warning) console.warn(`[der-training] ${report.warning}`);
      // Shown once it is in IndexedDB (or after savedOrTimeout's bound): an iteration the page has
      // shown survives a reload. Emitted before the loop goes on (it awaits the same write chain).
      void savedOrTimeout(saved).then(() => worker.emit({ type: 'iteration', report }));
    },
  });
  browser.info = { ...browser.info, header: meta.header, runId: meta.id, cache: meta.cache };
  return { config, browser, trainer, recorder };
}

function requireLive(): LiveSession {
  if (!worker.live) throw new Error('The worker is not initialised: call init() first.');
  return worker.live;
}

/**
 * Let queued tasks run: on wasm/cpu the training loop can await only microtasks for minutes, and
 * then neither pause() (a Comlink message) nor IndexedDB's callbacks (saving the run) get a turn.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Wait until a recorder write is in IndexedDB, so a reload loses at most the chunk in flight.
 * Bounded: a database blocked by another tab must not stall training.
 */
function savedOrTimeout(write: Promise<void>, ms = 2000): Promise<void> {
  return Promise.race([write.catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, ms))]);
}

/** Collect episodes for the current iteration in chunks so that pause takes effect quickly. */
async function collectChunk(live: LiveSession): Promise<void> {
  const halted = live.browser.haltReason();
  if (halted) throw new Error(halted);
  const missing = live.config.ppo.episodesPerIteration - live.trainer.pendingEpisodes;
  await live.trainer.collect(Math.min(missing, live.browser.concurrency));
  afterEpisodes(live.browser);
}

/** Pool counters to the page; a reached budget stops the loop (start() pauses with its message). */
function afterEpisodes(s: BrowserSession): void {
  const status = s.poolStatus();
  if (status) worker.emit({ type: 'pool', status });
  const halt = s.haltReason();
  if (halt) throw new Error(halt);
}

const api: TrainingWorkerApi = {
  async init(cfg: ExperimentConfig, options: InitOptions, onEvent: (event: WorkerEvent) => void): Promise<SessionInfo> {
    return load(onEvent, async () => ({
      config: cfg,
      options,
      runMeta: (info) => ({ meta: newRunMeta(info.header, info.cache ?? null), alreadySaved: false }),
    }));
  },

  async resumeRun(runId: string, options: InitOptions, onEvent: (event: WorkerEvent) => void): Promise<ResumeInfo> {
    let kept = { episodes: 0, iterations: 0 };
    const info = await load(onEvent, async () => {
      const reopened = await reopenRun(runId);
      kept = { episodes: reopened.keptEpisodes, iterations: reopened.meta.iterationCount };
      return {
        config: parseConfig(reopened.meta.header.config),
        options,
        runMeta: () => ({ meta: reopened.meta, alreadySaved: true, storedEpisodes: reopened.storedEpisodes }),
        // Weights, Adam state, random streams and question order (older runs: weights and a replayed
        // question order); the unfinished iteration's questions come again.
        restore: (live) =>
          restoreTraining(live.trainer, live.browser.agent, {
            weights: reopened.weights,
            training: reopened.training,
            iterations: reopened.meta.iterationCount,
            episodesDone: reopened.keptEpisodes,
          }),
      };
    });
    return { info, keptEpisodes: kept.episodes, keptIterations: kept.iterations };
  },

  async start(): Promise<void> {
    const live = requireLive();
    if (worker.running) return;
    worker.running = true;
    worker.wantPause = false;
    // Started (or resumed) by the user: every expert is tried again, failure streaks start afresh.
    live.trainer.failures.resume();
    setState('running');
    try {
      while (!live.trainer.finished && !worker.wantPause) {
        if (live.trainer.pendingEpisodes < live.config.ppo.episodesPerIteration) await collectChunk(live);
        else await live.trainer.update();
        await savedOrTimeout(live.recorder.flush());
        await yieldToEventLoop();
      }
      setState(live.trainer.finished ? 'finished' : 'paused');
    } catch (err) {
      const message = errorMessage(err);
      worker.emit({ type: 'error', message });
      setState('paused', message);
    } finally {
      worker.running = false;
    }
  },

  pause(): void {
    worker.wantPause = true;
  },

  stop(): void {
    worker.wantPause = true;
    setState('stopped');
  },

  async stepEpisode(): Promise<EpisodeRecord | null> {
    const live = requireLive();
    if (worker.running) return null;
    const [episode] = await live.trainer.collect(1);
    const status = live.browser.poolStatus();
    if (status) worker.emit({ type: 'pool', status });
    return episode ?? null;
  },

  async stepUpdate(): Promise<IterationRecord | null> {
    const live = requireLive();
    if (worker.running) return null;
    return live.trainer.update();
  },

  async replay(questionId: string, options: { greedy: boolean }): Promise<EpisodeRecord> {
    const { browser: s, config, trainer } = requireLive();
    const question = [...s.train, ...s.test].find((q) => q.id === questionId);
    if (!question) throw new Error(`Question "${questionId}" is not in the loaded dataset.`);
    // Greedy replay does not draw from the agent's sampling stream, so it leaves training reproducible.
    const policy = options.greedy ? { name: 'ppo-greedy', act: (obs: Parameters<typeof s.agent.act>[0]) => s.agent.actGreedy(obs) } : s.agent;
    const { episodes } = await runEpisodes(
      [question],
      { pool: s.pool, scorer: s.scorer, encoder: s.encoder, policy },
      {
        reward: config.reward,
        stopRule: config.stopRule,
        ktp: config.ktp,
        iteration: trainer.iteration,
        firstIndex: -1,
      },
    );
    return episodes[0];
  },

  async evaluate(options) {
    const live = requireLive();
    if (worker.running) throw new Error('Pause training before evaluating: the evaluation runs the current agent.');
    return evaluateSession(live.browser, options, live.config.seed);
  },
};

Comlink.expose(api);
