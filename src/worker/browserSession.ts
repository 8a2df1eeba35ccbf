// Browser (worker) wiring of a training session: bundled files fetched from the app's base URL,
// the backend chosen by measurement unless overridden (backendChoice.ts), the expert pool
// (browserPool.ts), the scorer and the encoder (browserScoring.ts), Transformers.js set up to serve
// its wasm and bundled models locally (transformersEnv.ts).
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../der/config';
import type { Question } from '../der/types';
import { actionCount } from '../der/actions';
import { settleSessionBackend, startSessionBackend } from './backendChoice';
import { parseDataset } from '../data/loadDataset';
import { detectBrowserDevice, type BrowserDevice, type ModelLoadProgress } from '../experts/browserExpert';
import { buildRunHeader } from '../session/runHeader';
import { assembleSession, type Session } from '../session/session';
import { createBrowserPool } from './browserPool';
import { loadBrowserEncoder, loadBrowserScorer } from './browserScoring';
import { configureTransformersEnv, remoteModelsAllowed } from './transformersEnv';
import type { BackendChoice, InitOptions, LoadProgress, PoolStatus, SessionInfo } from './protocol';

export interface BrowserSession extends Session {
  info: SessionInfo;
  dispose(): void;
  /** Expert pool counters and budget (null for the built-in simulated pool). */
  poolStatus(): PoolStatus | null;
  /** Set when training must pause (a budget was reached): the message says why and what to do. */
  haltReason(): string | null;
}

export type ProgressReporter = (progress: LoadProgress) => void;

async function fetchText(url: URL, what: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load ${what} from ${url} (HTTP ${response.status}).`);
  return response.text();
}

async function loadQuestions(source: string, baseUrl: string, uploaded?: string): Promise<Question[]> {
  if (source === 'sample') {
    const text = await fetchText(new URL('data/sample.jsonl', baseUrl), 'the bundled sample dataset');
    return parseDataset(text, { name: 'sample.jsonl' }).questions;
  }
  if (uploaded === undefined) throw new Error(`The dataset "${source}" is not loaded in this page: drop the file again.`);
  return parseDataset(uploaded, { name: source }).questions;
}

/** Transformers.js device from the page's backend choice: WebGPU only when asked for or detected. */
async function transformersDevice(backend: BackendChoice): Promise<BrowserDevice | undefined> {
  if (backend === 'webgpu') return 'webgpu';
  if (backend === 'auto') return detectBrowserDevice();
  return 'wasm';
}

/** Model download events as progress lines, at most one per file every 250 ms (Transformers.js sends many). */
function modelProgressReporter(report: ProgressReporter): (p: ModelLoadProgress) => void {
  const lastSent = new Map<string, number>();
  return (p) => {
    const key = `${p.model}/${p.file ?? ''}`;
    const now = Date.now();
    if (p.status === 'progress' && now - (lastSent.get(key) ?? 0) < 250) return;
    lastSent.set(key, now);
    const what = p.status === 'ready' ? 'ready' : (p.file ?? p.status);
    report({ stage: `Loading model ${p.model}`, detail: what, loaded: p.loaded, total: p.total });
  };
}

/** Whether any part runs on Transformers.js (then it is loaded and set up; otherwise never imported). */
function usesTransformers(config: ExperimentConfig): boolean {
  const browserExperts = config.pool.kind === 'custom' && config.pool.experts.some((e) => e.kind === 'browser');
  return browserExperts || config.scorer.startsWith('bertscore') || config.encoder.startsWith('minilm');
}

export async function createBrowserSession(
  config: ExperimentConfig,
  options: InitOptions & { datasetText?: string },
  report: ProgressReporter,
): Promise<BrowserSession> {
  report({ stage: 'Selecting compute backend' });
  const backendStart = await startSessionBackend(options.backend);
  const device = await transformersDevice(options.backend);
  if (usesTransformers(config)) await configureTransformersEnv({ baseUrl: options.baseUrl, allowRemoteModels: remoteModelsAllowed(options.baseUrl) });
  const onModelProgress = modelProgressReporter(report);
  report({ stage: 'Loading dataset, experts, scorer and encoder', detail: `backend ${backendStart.loading}` });
  const [questions, pool, scoring, encoding] = await Promise.all([
    loadQuestions(config.dataset.source, options.baseUrl, options.datasetText),
    createBrowserPool(config, {
      apiKeys: options.apiKeys,
      budget: options.budget,
      concurrency: options.concurrency,
      fresh: options.fresh,
      device,
      onModelProgress,
    }),
    loadBrowserScorer(config.scorer, { baseUrl: options.baseUrl, device, onModelProgress }),
    loadBrowserEncoder(config.encoder, {
      baseUrl: options.baseUrl,
      device,
      onModelProgress,
      onUseLiteProgress: (loaded, total) => report({ stage: 'Downloading state encoder (USE-lite)', loaded, total }),
    }),
  ]);
  // In-page experts load now, so their downloads show before training starts, not in its middle.
  await pool.preload();
  // `auto` measures the backends now (once per browser), with the loaded encoder, before the agent exists.
  const chosen = await settleSessionBackend(
    backendStart,
    {
      encoder: encoding.encoder,
      encoderName: config.encoder,
      numActions: actionCount(pool.pool.experts.length, config.stopRule),
      hiddenSizes: config.ppo.hiddenSizes,
    },
    report,
  );
  const backend = chosen.backend;
  const session = assembleSession(config, {
    backend,
    questions,
    pool: pool.pool,
    scorer: scoring.scorer,
    encoder: encoding.encoder,
    concurrency: options.concurrency ?? config.ppo.episodesPerIteration,
    versions: { workbench: __APP_VERSION__, tfjs: tf.version.tfjs },
  });
  // idf needs the training split, known only now; the test questions' references stay unseen.
  if (scoring.wantsIdf) scoring.bert?.setIdfReferences(session.train.map((q) => q.output ?? ''));
  const info: SessionInfo = {
    backend,
    ...(chosen.measurement ? { backendMeasurement: chosen.measurement, backendMeasuredNow: chosen.measuredNow ?? false } : {}),
    ...(chosen.note ? { backendNote: chosen.note } : {}),
    scorer: scoring.scorer.name,
    encoder: encoding.encoder.name,
    experts: pool.pool.experts.map((e) => ({ name: e.name, sizeB: e.sizeB, kind: e.kind })),
    simulated: pool.pool.simulated,
    knowledgeTransfer: pool.pool.knowledgeTransfer,
    trainQuestions: session.train.length,
    testQuestions: session.test.length,
    header: buildRunHeader(config, pool.pool, session.versions),
    cache: pool.cache,
    ...(scoring.detail ? { scorerDetail: scoring.detail } : {}),
    ...(Object.keys(pool.budget).length > 0 ? { budget: pool.budget } : {}),
  };
  return {
    ...session,
    info,
    poolStatus: pool.status,
    haltReason: pool.haltReason,
    dispose: () => {
      session.agent.dispose?.();
      void pool.dispose();
      void scoring.dispose();
      void encoding.dispose();
    },
  };
}
