// Node wiring of a training session: files from disk, the wasm backend, keys from the environment.
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '../der/config';
import type { ExpertPool, Question, Scorer } from '../der/types';
import { initBackend } from '../agent/backendNode';
import { loadSampleQuestions } from '../data/sampleNode';
import { parseDataset } from '../data/loadDataset';
import { createSimulatedPool } from '../experts/simulated/simulatedPool';
import { createExpertPool } from '../experts/pool';
import { parsePoolFile } from '../experts/poolFile';
import { apiKeysFromEnv } from '../experts/apiKeysFromEnv';
import { FileCacheStore } from '../experts/cacheFileStore';
import { loadGloveFromFiles } from '../scoring/gloveNode';
import { createGloveScorer } from '../scoring/gloveScorer';
import { createExactMatchScorer } from '../scoring/exactMatch';
import { loadUseLiteNode } from '../encoders/useLiteNode';
import { withEmbeddingCache } from '../encoders/embeddingCache';
import { assembleSession, type Session } from '../worker/session';

export interface NodeSessionOptions {
  poolFile?: string;
  backend?: string;
  concurrency?: number;
  maxCalls?: number;
  maxTokens?: number;
  maxCostUSD?: number;
  cacheFile?: string;
  fresh?: boolean;
}

export interface NodeSession extends Session {
  close(): Promise<void>;
}

const VERSION = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

export async function loadQuestionsNode(source: string): Promise<Question[]> {
  if (source === 'sample') return loadSampleQuestions();
  const bytes = new Uint8Array(await readFile(source));
  return parseDataset(bytes, { name: source }).questions;
}

export async function loadScorerNode(name: string): Promise<Scorer> {
  if (name === 'glove') return createGloveScorer(await loadGloveFromFiles());
  if (name === 'exact-match') return createExactMatchScorer();
  throw new Error(`Unknown scorer "${name}" for the CLI: use glove or exact-match (BERTScore from the CLI: npm run score).`);
}

async function loadPoolNode(config: ExperimentConfig, options: NodeSessionOptions): Promise<{ pool: ExpertPool; concurrency: number }> {
  if (!options.poolFile) {
    return { pool: createSimulatedPool({ seed: config.seed }), concurrency: options.concurrency ?? config.ppo.episodesPerIteration };
  }
  const specs = parsePoolFile(await readFile(options.poolFile, 'utf8'), options.poolFile);
  const keys = apiKeysFromEnv(specs, process.env);
  for (const m of keys.missing) process.stderr.write(`warning: no API key for expert "${m.expert}": ${m.variable} is not set\n`);
  const cache = options.cacheFile
    ? await FileCacheStore.open(options.cacheFile, {
        onCorruptLine: (p, path) => process.stderr.write(`warning: skipped corrupt cache line ${p.line} in ${path}: ${p.message}\n`),
      })
    : undefined;
  const concurrency = options.concurrency ?? 16;
  const pool = createExpertPool(specs, {
    apiKeys: keys.apiKeys,
    apiKeySources: keys.apiKeySources,
    cache,
    fresh: options.fresh,
    budget: { maxCalls: options.maxCalls, maxTokens: options.maxTokens, maxCostUSD: options.maxCostUSD },
    limits: { maxConcurrentPerEndpoint: concurrency },
  });
  return { pool, concurrency };
}

export async function createNodeSession(config: ExperimentConfig, options: NodeSessionOptions = {}): Promise<NodeSession> {
  const backend = await initBackend((options.backend ?? 'wasm') as 'wasm');
  const [questions, { pool, concurrency }, scorer, encoder] = await Promise.all([
    loadQuestionsNode(config.dataset.source),
    loadPoolNode(config, options),
    loadScorerNode(config.scorer),
    loadUseLiteNode().then((e) => withEmbeddingCache(e, 50_000)),
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
  return { ...session, close: async () => {} };
}
