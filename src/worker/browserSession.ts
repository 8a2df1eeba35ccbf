// Browser (worker) wiring of a training session: bundled files fetched from the app's base URL,
// the backend chosen in the order webgpu → webgl → wasm → cpu unless overridden.
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../der/config';
import type { ExpertPool, Question, Scorer } from '../der/types';
import { initBackend } from '../agent/backendBrowser';
import { parseDataset } from '../data/loadDataset';
import { createSimulatedPool } from '../experts/simulated/simulatedPool';
import { loadGloveFromUrl } from '../scoring/gloveBrowser';
import { createGloveScorer } from '../scoring/gloveScorer';
import { createExactMatchScorer } from '../scoring/exactMatch';
import { loadUseLiteBrowser } from '../encoders/useLiteBrowser';
import { withEmbeddingCache } from '../encoders/embeddingCache';
import { buildRunHeader } from './runHeader';
import { assembleSession, type Session } from './session';
import type { InitOptions, SessionInfo } from './protocol';

export interface BrowserSession extends Session {
  info: SessionInfo;
  dispose(): void;
}

export type ProgressReporter = (progress: { stage: string; detail?: string; loaded?: number; total?: number }) => void;

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

async function loadScorer(name: string, baseUrl: string): Promise<Scorer> {
  if (name === 'glove') return createGloveScorer(await loadGloveFromUrl(new URL('models/glove/', baseUrl).href));
  if (name === 'exact-match') return createExactMatchScorer();
  throw new Error(`Unknown scorer "${name}".`);
}

function loadPool(config: ExperimentConfig): ExpertPool {
  if (config.pool.kind === 'simulated') return createSimulatedPool({ seed: config.seed });
  throw new Error('Custom expert pools are not available in this build yet.');
}

export async function createBrowserSession(
  config: ExperimentConfig,
  options: InitOptions & { datasetText?: string },
  report: ProgressReporter,
): Promise<BrowserSession> {
  report({ stage: 'Selecting compute backend' });
  const backend = await initBackend(options.backend);
  report({ stage: 'Loading dataset, scorer and encoder', detail: `backend ${backend}` });
  const [questions, scorer, encoder] = await Promise.all([
    loadQuestions(config.dataset.source, options.baseUrl, options.datasetText),
    loadScorer(config.scorer, options.baseUrl),
    loadUseLiteBrowser({
      onProgress: (p) => report({ stage: 'Downloading state encoder (USE-lite)', loaded: p.loadedFiles, total: p.totalFiles }),
    }).then((e) => withEmbeddingCache(e, 50_000)),
  ]);
  const pool = loadPool(config);
  const session = assembleSession(config, {
    backend,
    questions,
    pool,
    scorer,
    encoder,
    concurrency: config.ppo.episodesPerIteration,
    versions: { workbench: __APP_VERSION__, tfjs: tf.version.tfjs },
  });
  const info: SessionInfo = {
    backend,
    scorer: scorer.name,
    encoder: encoder.name,
    experts: pool.experts.map((e) => ({ name: e.name, sizeB: e.sizeB, kind: e.kind })),
    simulated: pool.simulated,
    knowledgeTransfer: pool.knowledgeTransfer,
    trainQuestions: session.train.length,
    testQuestions: session.test.length,
    header: buildRunHeader(config, pool, session.versions),
  };
  return { ...session, info, dispose: () => session.agent.dispose?.() };
}
