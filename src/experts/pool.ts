// Builds the ExpertPool the core routes between from pool-file specs. 'openai' experts are called
// here, through the response cache, the budget and the call policy; 'recorded' experts answer from
// the question's stored candidates; 'simulated' and 'browser' experts come from factories the caller
// passes in (they are free and local, so no cache, budget or network policy applies to them).
import type { ExpertSpec } from '../der/config';
import type { ExpertInfo, ExpertPool, ExpertReply, ExpertRequest } from '../der/types';
import { Budget, promptTokenUpperBound, type BudgetAmount, type BudgetLimits } from './budget';
import { CallPolicy, type CallLimits, type CallPolicyDeps } from './callPolicy';
import type { Clock } from './clock';
import { ExpertCallError } from './expertErrors';
import { OpenAIExpert, costOfUsage } from './openaiExpert';
import { cacheKey, cacheRequest, type CacheStore } from './responseCache';

/** One expert as a pool member. */
export interface SingleExpert {
  readonly info: ExpertInfo;
  call(request: ExpertRequest, options?: { signal?: AbortSignal }): Promise<ExpertReply>;
}

export type ExpertFactory = (spec: ExpertSpec, index: number) => SingleExpert;

export interface ExpertPoolOptions {
  /** API keys by expert name (from the UI, or apiKeysFromEnv in the CLI). Never stored or logged. */
  apiKeys?: Record<string, string>;
  /** Where each key is expected to come from, for error messages (e.g. "env OPENAI_API_KEY"). */
  apiKeySources?: Record<string, string>;
  cache?: CacheStore;
  budget?: Budget | BudgetLimits;
  limits?: Partial<CallLimits>;
  /** Do not read the cache (answers are still written). */
  fresh?: boolean;
  /** Streamed answers for all 'openai' experts. */
  stream?: boolean;
  fetch?: typeof fetch;
  factories?: { simulated?: ExpertFactory; browser?: ExpertFactory };
  clock?: Clock;
  random?: () => number;
  onRetry?: CallPolicyDeps['onRetry'];
  /** Word errors for a browser (CORS hints); detected when absent. */
  browser?: boolean;
}

export interface PoolCounters {
  /** Calls answered (any source). */
  calls: number;
  cacheHits: number;
  /** Calls that reached the network policy for an 'openai' expert (each may make several requests). */
  networkCalls: number;
  failures: number;
}

export interface ManagedExpertPool extends ExpertPool {
  readonly budget: Budget;
  readonly policy: CallPolicy;
  readonly cache?: CacheStore;
  readonly counters: Readonly<PoolCounters>;
  call(expertIndex: number, request: ExpertRequest, options?: { signal?: AbortSignal }): Promise<ExpertReply>;
}

/** One member of an existing pool as a SingleExpert (e.g. to use createSimulatedPool's experts as a factory). */
export function expertFromPool(pool: ExpertPool, index: number): SingleExpert {
  const info = pool.experts[index];
  if (!info) throw new Error(`No expert at index ${index}: the pool has ${pool.experts.length} experts.`);
  return { info, call: (request) => pool.call(index, request) };
}

/** A question lacks the stored answer a recorded expert needs. */
export class RecordedAnswerMissingError extends Error {
  constructor(expert: string, model: string, questionId: string, available: string[]) {
    super(
      `Recorded expert "${expert}": question "${questionId}" has no stored candidate from model "${model}"` +
        ` (it has: ${available.length > 0 ? available.join(', ') : 'no candidates'}). A recorded pool needs every question to carry every expert's candidate; check "candidate"/"model" in the pool file.`,
    );
    this.name = 'RecordedAnswerMissingError';
  }
}

function recordedExpert(spec: ExpertSpec): SingleExpert {
  const model = spec.candidate ?? spec.model;
  if (!model) throw new Error(`Recorded expert "${spec.name}" needs "candidate" (or "model"): the candidate's model name in the dataset.`);
  return {
    info: { name: spec.name, sizeB: spec.sizeB, kind: 'recorded' },
    async call(request) {
      const candidates = request.question.candidates ?? [];
      const found = candidates.find((c) => c.model === model);
      if (!found)
        throw new RecordedAnswerMissingError(
          spec.name,
          model,
          request.question.id,
          candidates.map((c) => c.model),
        );
      return { answer: found.text, latencyMs: 0, costUSD: 0 };
    },
  };
}

export function createExpertPool(specs: readonly ExpertSpec[], options: ExpertPoolOptions = {}): ManagedExpertPool {
  if (specs.length === 0) throw new Error('An expert pool needs at least one expert.');
  const budget = options.budget instanceof Budget ? options.budget : new Budget(options.budget ?? {});
  const policy = new CallPolicy(options.limits, { clock: options.clock, random: options.random, onRetry: options.onRetry });
  const cache = options.cache;
  const counters: PoolCounters = { calls: 0, cacheHits: 0, networkCalls: 0, failures: 0 };
  const inFlightByKey = new Map<string, Promise<ExpertReply>>();

  const members = specs.map((spec, index): { info: ExpertInfo; call: SingleExpert['call'] } => {
    switch (spec.kind) {
      case 'recorded':
        return recordedExpert(spec);
      case 'simulated':
      case 'browser': {
        const factory = options.factories?.[spec.kind];
        if (!factory) throw new Error(`Expert "${spec.name}" is of kind "${spec.kind}", but no ${spec.kind} expert factory was given to createExpertPool.`);
        return factory(spec, index);
      }
      case 'openai':
        return openaiMember(spec);
    }
  });

  function openaiMember(spec: ExpertSpec): { info: ExpertInfo; call: SingleExpert['call'] } {
    if (!spec.model || !spec.baseURL) throw new Error(`Expert "${spec.name}" (openai) needs both "model" and "baseURL".`);
    if (budget.limits.maxCostUSD !== undefined && (spec.pricePromptPerM === undefined || spec.priceCompletionPerM === undefined)) {
      throw new Error(
        `A money budget is set, but expert "${spec.name}" has no prices: set pricePromptPerM and priceCompletionPerM (0 for a free local model), or remove the money budget.`,
      );
    }
    const expert = new OpenAIExpert(
      {
        name: spec.name,
        baseURL: spec.baseURL,
        model: spec.model,
        sizeB: spec.sizeB,
        apiKey: options.apiKeys?.[spec.name],
        apiKeySource: options.apiKeySources?.[spec.name],
        headers: spec.headers,
        temperature: spec.temperature,
        maxTokens: spec.maxTokens,
        pricePromptPerM: spec.pricePromptPerM,
        priceCompletionPerM: spec.priceCompletionPerM,
        stream: options.stream,
      },
      { fetch: options.fetch, browser: options.browser },
    );

    /** The worst case of one request: max_tokens plus a prompt-token upper bound, priced. */
    const worstCase = (prompt: string): BudgetAmount => {
      const promptTokens = promptTokenUpperBound(prompt);
      return {
        calls: 1,
        tokens: promptTokens + expert.maxTokens,
        costUSD: costOfUsage({ promptTokens, completionTokens: expert.maxTokens }, spec) ?? 0,
      };
    };

    const callNetwork = (prompt: string, signal?: AbortSignal): Promise<ExpertReply> => {
      counters.networkCalls += 1;
      return policy.run(
        { expert: spec.name, baseURL: expert.config.baseURL },
        async (attemptSignal) => {
          const reservation = budget.reserve(worstCase(prompt));
          try {
            const reply = await expert.complete(prompt, { signal: attemptSignal });
            const usage = reply.usage;
            reservation.settle(usage ? { calls: 1, tokens: usage.promptTokens + usage.completionTokens, costUSD: reply.costUSD ?? 0 } : { calls: 1 });
            return reply;
          } catch (error) {
            // An HTTP error status means the server refused the work; anything else (timeout, dropped
            // connection, unreadable answer) may still have been processed and billed.
            if (error instanceof ExpertCallError && error.status !== undefined) reservation.settleAsRefused();
            else reservation.settleAsReserved();
            throw error;
          }
        },
        signal,
      );
    };

    return {
      info: expert.info,
      async call(request, callOptions = {}) {
        if (!cache) return callNetwork(request.prompt, callOptions.signal);
        const cacheEntryRequest = cacheRequest({
          kind: 'openai',
          baseURL: spec.baseURL!,
          model: spec.model!,
          temperature: spec.temperature,
          maxTokens: expert.maxTokens,
          headers: spec.headers,
          prompt: request.prompt,
        });
        const key = await cacheKey(cacheEntryRequest);
        if (!options.fresh) {
          const hit = await cache.get(key);
          if (hit) return { answer: hit.answer, cached: true, latencyMs: 0, costUSD: 0 };
          // The same request already on its way (parallel episodes): share its answer, at no cost.
          const pending = inFlightByKey.get(key);
          if (pending) return pending.then((reply) => ({ answer: reply.answer, cached: true, latencyMs: 0, costUSD: 0 }));
        }
        const promise = callNetwork(request.prompt, callOptions.signal).then(async (reply) => {
          await cache.set({ key, request: cacheEntryRequest, answer: reply.answer, usage: reply.usage, createdAt: new Date().toISOString() });
          return reply;
        });
        inFlightByKey.set(key, promise);
        try {
          return await promise;
        } finally {
          if (inFlightByKey.get(key) === promise) inFlightByKey.delete(key);
        }
      },
    };
  }

  const experts = members.map((m) => m.info);
  return {
    experts,
    health: () =>
      specs.map((spec) => ({
        name: spec.name,
        ...(spec.kind === 'openai' && spec.baseURL ? { endpoint: spec.baseURL } : {}),
        coolingMs: policy.cooldown.remainingMs(spec.name),
        consecutiveFailures: policy.cooldown.consecutiveFailures(spec.name),
        ...(policy.cooldown.lastFailure(spec.name) ? { lastError: policy.cooldown.lastFailure(spec.name) } : {}),
      })),
    resetHealth: () => policy.cooldown.reset(),
    knowledgeTransfer: !specs.some((s) => s.kind === 'recorded'),
    simulated: specs.every((s) => s.kind === 'simulated'),
    budget,
    policy,
    cache,
    counters,
    async call(expertIndex, request, callOptions) {
      const member = members[expertIndex];
      if (!member) throw new Error(`No expert at index ${expertIndex}: the pool has ${members.length} experts (0..${members.length - 1}).`);
      try {
        const reply = await member.call(request, callOptions);
        counters.calls += 1;
        if (reply.cached) counters.cacheHits += 1;
        return reply;
      } catch (error) {
        counters.failures += 1;
        throw error;
      }
    },
  };
}
