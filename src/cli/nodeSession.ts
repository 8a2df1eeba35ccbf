// Node wiring of a training session: files from disk, the wasm backend, keys from the environment.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../der/config';
import type { ExpertPool, Question, Scorer, StateEncoder } from '../der/types';
import { initBackend } from '../agent/backendNode';
import { loadSampleQuestions } from '../data/sampleNode';
import { parseDataset } from '../data/loadDataset';
import { createSimulatedPool } from '../experts/simulated/simulatedPool';
import { createExpertPool } from '../experts/pool';
import { withBudgetHalt } from '../experts/budgetHalt';
import { parsePoolFile } from '../experts/poolFile';
import { apiKeysFromEnv } from '../experts/apiKeysFromEnv';
import { FileCacheStore } from '../experts/cacheFileStore';
import { loadGloveFromFiles } from '../scoring/gloveNode';
import { createGloveScorer } from '../scoring/gloveScorer';
import { createExactMatchScorer } from '../scoring/exactMatch';
import { createBertScorer, type BertScorer } from '../scoring/bertScore';
import { createBrowserExpertFactory } from '../experts/browserExpert';
import { createSimulatedExpertFactory } from '../experts/simulatedExpertFactory';
import { loadTransformersEncoder } from '../encoders/transformersEncoder';
import { parseEncoderName, parseScorerName } from '../der/componentNames';
import { loadUseLiteNode } from '../encoders/useLiteNode';
import { createGloveMeanEncoder } from '../encoders/gloveMeanEncoder';
import { withEmbeddingCache } from '../encoders/embeddingCache';
import { assembleSession, type Session } from '../session/session';

export interface NodeSessionOptions {
  poolFile?: string;
  backend?: string;
  concurrency?: number;
  maxCalls?: number;
  maxTokens?: number;
  maxCostUSD?: number;
  cacheFile?: string;
  fresh?: boolean;
  /** Per-request timeout of remote experts (ms); the call policy's default otherwise. */
  requestTimeoutMs?: number;
  /** Ask remote experts for streamed answers. */
  stream?: boolean;
}

export interface NodeSession extends Session {
  /** Set once a budget refused a call: training must stop (the message says which budget). */
  haltReason(): string | null;
  close(): Promise<void>;
}

const VERSION = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

export async function loadQuestionsNode(source: string): Promise<Question[]> {
  if (source === 'sample') return loadSampleQuestions();
  const bytes = new Uint8Array(await readFile(source));
  return parseDataset(bytes, { name: source }).questions;
}

/** The app's bundled models (tiny test fixtures): Transformers.js finds a folder name ("tiny-bert") here. */
export const LOCAL_MODELS_DIR = fileURLToPath(new URL('../../public/models/', import.meta.url));

/** Bundled folders ship fp32 weights only; hub ids use Transformers.js's default. */
const isLocalFolder = (model: string) => !model.includes('/');

/** "+idf" after a BERTScore name asks for idf weights over the training references. */
function wantsIdf(name: string): boolean {
  const choice = parseScorerName(name);
  return choice?.kind === 'bertscore' && choice.idf === true;
}

export async function loadScorerNode(name: string): Promise<Scorer> {
  const choice = parseScorerName(name);
  if (choice?.kind === 'glove') return createGloveScorer(await loadGloveFromFiles());
  if (choice?.kind === 'exact-match') return createExactMatchScorer();
  if (choice?.kind === 'bertscore') return createBertScorer({ model: choice.model, layer: choice.layer, localModelPath: LOCAL_MODELS_DIR, dtype: 'fp32' });
  throw new Error(`Unknown scorer "${name}" for the CLI: use glove, exact-match or bertscore:<model>@<layer> (optionally +idf).`);
}

export async function loadEncoderNode(name: string): Promise<StateEncoder> {
  const choice = parseEncoderName(name);
  if (choice?.kind === 'use-lite') return withEmbeddingCache(await loadUseLiteNode(), 50_000);
  if (choice?.kind === 'glove-mean') return withEmbeddingCache(createGloveMeanEncoder(await loadGloveFromFiles()), 50_000);
  if (choice?.kind === 'minilm') {
    const encoder = await loadTransformersEncoder({
      model: choice.model,
      ...(isLocalFolder(choice.model) ? { dtype: 'fp32' as const } : {}),
      env: { localModelPath: LOCAL_MODELS_DIR, allowLocalModels: true },
    });
    return withEmbeddingCache(encoder, 50_000);
  }
  throw new Error(`Unknown state encoder "${name}" for the CLI: use use-lite, glove-mean or minilm:<model>.`);
}

async function loadPoolNode(
  config: ExperimentConfig,
  options: NodeSessionOptions,
): Promise<{ pool: ExpertPool; concurrency: number; haltReason(): string | null }> {
  // A pool file on the command line wins; else the config's own custom pool (e.g. from a run header).
  const specs = options.poolFile
    ? parsePoolFile(await readFile(options.poolFile, 'utf8'), options.poolFile)
    : config.pool.kind === 'custom'
      ? config.pool.experts
      : null;
  if (!specs) {
    return { pool: createSimulatedPool({ seed: config.seed }), concurrency: options.concurrency ?? config.ppo.episodesPerIteration, haltReason: () => null };
  }
  const keys = apiKeysFromEnv(specs, process.env);
  for (const m of keys.missing) process.stderr.write(`warning: no API key for expert "${m.expert}": ${m.variable} is not set\n`);
  const cache = options.cacheFile
    ? await FileCacheStore.open(options.cacheFile, {
        onCorruptLine: (p, path) => process.stderr.write(`warning: skipped corrupt cache line ${p.line} in ${path}: ${p.message}\n`),
      })
    : undefined;
  if (specs.some((s) => s.kind === 'browser')) {
    // In-page experts run on Transformers.js in Node too; bundled folders ("tiny-gpt2") resolve here.
    const { env } = await import('@huggingface/transformers');
    env.localModelPath = LOCAL_MODELS_DIR;
  }
  const concurrency = options.concurrency ?? 16;
  const pool = createExpertPool(specs, {
    apiKeys: keys.apiKeys,
    apiKeySources: keys.apiKeySources,
    cache,
    fresh: options.fresh,
    budget: { maxCalls: options.maxCalls, maxTokens: options.maxTokens, maxCostUSD: options.maxCostUSD },
    limits: { maxConcurrentPerEndpoint: concurrency, ...(options.requestTimeoutMs !== undefined ? { timeoutMs: options.requestTimeoutMs } : {}) },
    stream: options.stream,
    factories: { browser: createBrowserExpertFactory(), simulated: createSimulatedExpertFactory(config.seed) },
  });
  return { ...withBudgetHalt(pool), concurrency };
}

export async function createNodeSession(config: ExperimentConfig, options: NodeSessionOptions = {}): Promise<NodeSession> {
  const backend = await initBackend((options.backend ?? 'wasm') as 'wasm');
  const [questions, { pool, concurrency, haltReason }, scorer, encoder] = await Promise.all([
    loadQuestionsNode(config.dataset.source),
    loadPoolNode(config, options),
    loadScorerNode(config.scorer),
    loadEncoderNode(config.encoder),
  ]);
  const session = assembleSession(config, {
    backend,
    questions,
    pool,
    scorer,
    encoder,
    concurrency,
    versions: { workbench: VERSION, tfjs: tf.version.tfjs, node: process.versions.node },
  });
  // idf needs the training split, known only now; the test questions' references stay unseen.
  if (wantsIdf(config.scorer)) (scorer as BertScorer).setIdfReferences(session.train.map((q) => q.output ?? ''));
  return { ...session, haltReason, close: async () => {} };
}
