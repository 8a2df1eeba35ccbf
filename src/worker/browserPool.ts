// The expert pool of a browser session: the built-in simulated pool, or a custom pool of remote
// (OpenAI-compatible, through the IndexedDB response cache, hard budgets and the call policy),
// in-page (Transformers.js), recorded and simulated experts. API keys come from the init options
// (the panel's key store), never from the config.
import { withBudgetHalt } from '../experts/budgetHalt';
import type { ExperimentConfig } from '../der/config';
import type { ExpertPool } from '../der/types';
import { createSimulatedPool } from '../experts/simulated/simulatedPool';
import { createExpertPool } from '../experts/pool';
import { createBrowserExpertFactory, type BrowserDevice, type BrowserExpertFactory, type ModelLoadProgress } from '../experts/browserExpert';
import { createSimulatedExpertFactory } from '../experts/simulatedExpertFactory';
import { CACHE_DB_NAME, IdbCacheStore } from '../experts/cacheIdbStore';
import type { CacheRef } from '../runs/savedRun';
import type { BudgetLimitsInfo, PoolStatus } from './protocol';

export interface BrowserPoolOptions {
  apiKeys?: Record<string, string>;
  budget?: BudgetLimitsInfo;
  concurrency?: number;
  fresh?: boolean;
  /** Transformers.js device for in-page experts (undefined: detect). */
  device?: BrowserDevice;
  onModelProgress?: (progress: ModelLoadProgress) => void;
}

export interface BrowserPool {
  pool: ExpertPool;
  /** The response cache the remote experts use (null: none in this pool). */
  cache: CacheRef | null;
  budget: BudgetLimitsInfo;
  /** Counters for the status line (null for the built-in simulated pool). */
  status(): PoolStatus | null;
  /** Set once a budget refused a call: training must pause (the message says what to do). */
  haltReason(): string | null;
  /** Load the in-page models now (so downloads happen before training starts). */
  preload(): Promise<void>;
  dispose(): Promise<void>;
}

function definedBudget(budget: BudgetLimitsInfo | undefined): BudgetLimitsInfo {
  const out: BudgetLimitsInfo = {};
  for (const key of ['maxCalls', 'maxTokens', 'maxCostUSD'] as const) {
    const value = budget?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

export async function createBrowserPool(config: ExperimentConfig, options: BrowserPoolOptions): Promise<BrowserPool> {
  if (config.pool.kind === 'simulated') {
    const pool = createSimulatedPool({ seed: config.seed });
    return { pool, cache: null, budget: {}, status: () => null, haltReason: () => null, preload: async () => {}, dispose: async () => {} };
  }
  const specs = config.pool.experts;
  const budget = definedBudget(options.budget);
  const hasRemote = specs.some((s) => s.kind === 'openai');
  // The cache only serves remote experts; opening IndexedDB for a local pool would be wasted work.
  const cacheStore = hasRemote ? await IdbCacheStore.open(CACHE_DB_NAME) : undefined;
  const browserFactory: BrowserExpertFactory = createBrowserExpertFactory({ device: options.device, onProgress: options.onModelProgress });
  const managed = createExpertPool(specs, {
    apiKeys: options.apiKeys,
    apiKeySources: Object.fromEntries(specs.map((s) => [s.name, 'the API key field of this expert in the pool editor'])),
    cache: cacheStore,
    fresh: options.fresh,
    budget,
    limits: { maxConcurrentPerEndpoint: Math.max(1, options.concurrency ?? 16) },
    factories: { browser: browserFactory, simulated: createSimulatedExpertFactory(config.seed) },
    browser: true,
  });
  const { pool, haltReason } = withBudgetHalt(managed);
  return {
    pool,
    cache: cacheStore ? { dbName: CACHE_DB_NAME, entries: await cacheStore.size() } : null,
    budget,
    status: () => ({
      calls: managed.counters.calls,
      cacheHits: managed.counters.cacheHits,
      networkCalls: managed.counters.networkCalls,
      failures: managed.counters.failures,
      spent: { ...managed.budget.spent },
      budget,
      haltReason: haltReason(),
    }),
    haltReason,
    async preload() {
      await Promise.all(specs.filter((s) => s.kind === 'browser' && s.model).map((s) => browserFactory.preload(s.model!, s.dtype)));
    },
    async dispose() {
      cacheStore?.close();
      await browserFactory.dispose();
    },
  };
}
