// The training Web Worker: owns the agent, the experts, the scorer and the encoder; streams events.
// Exposed to the UI with Comlink (typed RPC), see protocol.ts.
import * as Comlink from 'comlink';
import type { ExperimentConfig } from '../der/config';
import type { EpisodeRecord } from '../der/runRecord';
import { Trainer, type IterationReport } from './trainer';
import { runEpisodes } from '../der/episodes';
import { createBrowserSession, type BrowserSession } from './browserSession';
import type { InitOptions, SessionInfo, TrainingState, TrainingWorkerApi, WorkerEvent } from './protocol';

let session: BrowserSession | null = null;
let trainer: Trainer | null = null;
let config: ExperimentConfig | null = null;
let emit: (event: WorkerEvent) => void = () => {};
let wantPause = false;
let running = false;

function setState(state: TrainingState, message?: string): void {
  emit({ type: 'state', state, message });
}

function requireTrainer(): Trainer {
  if (!trainer || !config) throw new Error('The worker is not initialised: call init() first.');
  return trainer;
}

/** Collect episodes for the current iteration in chunks so that pause takes effect quickly. */
async function collectChunk(t: Trainer, cfg: ExperimentConfig, s: BrowserSession): Promise<void> {
  const missing = cfg.ppo.episodesPerIteration - t.pendingEpisodes;
  await t.collect(Math.min(missing, s.concurrency));
}

const api: TrainingWorkerApi = {
  async init(cfg: ExperimentConfig, options: InitOptions, onEvent: (event: WorkerEvent) => void): Promise<SessionInfo> {
    emit = onEvent;
    config = cfg;
    setState('loading');
    try {
      session?.dispose();
      session = await createBrowserSession(cfg, options, (p: { stage: string; detail?: string; loaded?: number; total?: number }) => emit({ type: 'progress', ...p }));
      trainer = new Trainer(cfg, session.train, session, {
        onEpisode: (episode) => emit({ type: 'episode', episode }),
        onIteration: (report) => emit({ type: 'iteration', report }),
      });
      emit({ type: 'ready', info: session.info });
      setState('ready');
      return session.info;
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
    return episode ?? null;
  },

  async stepUpdate(): Promise<IterationReport | null> {
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
};

Comlink.expose(api);
