// Hard budgets: reserved before sending, settled with real usage, never exceeded with calls in flight.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExpertSpec } from '../../src/der/config';
import type { Question } from '../../src/der/types';
import { Budget, BudgetExceededError, promptTokenUpperBound } from '../../src/experts/budget';
import { createExpertPool } from '../../src/experts/pool';
import { approxTokens, deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';
import { errorMessage } from '../../src/der/errorMessage';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAITestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clearFaults();
  server.resetStats();
});

const question: Question = { id: 'q1', instruction: 'Say something.', input: '' };
const spec = (over: Partial<ExpertSpec> = {}): ExpertSpec => ({ name: 'small', kind: 'openai', model: 'test-small', baseURL: server.url, sizeB: 7, ...over });
const request = (prompt: string) => ({ prompt, question, previous: null, t: 0 });

describe('Budget (unit)', () => {
  it('reserves, settles with actual use, and refuses what could exceed a limit', () => {
    const budget = new Budget({ maxCalls: 2, maxTokens: 100 });
    const a = budget.reserve({ calls: 1, tokens: 60, costUSD: 0 });
    expect(budget.remaining()).toEqual({ calls: 1, tokens: 40, costUSD: Infinity });
    expect(() => budget.reserve({ calls: 1, tokens: 60, costUSD: 0 })).toThrow(BudgetExceededError);
    a.settle({ calls: 1, tokens: 20 });
    expect(budget.spent).toEqual({ calls: 1, tokens: 20, costUSD: 0 });
    expect(budget.reserved).toEqual({ calls: 0, tokens: 0, costUSD: 0 });
    const b = budget.reserve({ calls: 1, tokens: 60, costUSD: 0 });
    b.settleAsRefused();
    expect(budget.spent).toEqual({ calls: 2, tokens: 20, costUSD: 0 });
    try {
      budget.reserve({ calls: 1, tokens: 1, costUSD: 0 });
      throw new Error('expected BudgetExceededError');
    } catch (error) {
      expect(error).toBeInstanceOf(BudgetExceededError);
      expect((error as BudgetExceededError).limit).toBe('calls');
      expect(errorMessage(error)).toMatch(/Budget for calls reached.*2 of the 2 are spent.*not sent/);
    }
  });

  it('settling twice or cancelling after settling changes nothing', () => {
    const budget = new Budget({ maxTokens: 10 });
    const r = budget.reserve({ calls: 1, tokens: 10, costUSD: 0 });
    r.settleAsReserved();
    r.cancel();
    r.settle({ tokens: 0 });
    expect(budget.spent.tokens).toBe(10);
    expect(budget.reserved.tokens).toBe(0);
  });

  it('a prompt-token upper bound is at least the UTF-8 length', () => {
    expect(promptTokenUpperBound('héllo')).toBeGreaterThanOrEqual(6);
    expect(promptTokenUpperBound('x'.repeat(1000))).toBeGreaterThanOrEqual(1000);
  });
});

describe('Budget in a pool, calls in flight', () => {
  it('a budget of 5 calls is never exceeded with 16 calls in flight', async () => {
    server.injectFault({ latencyMs: 20 });
    const pool = createExpertPool([spec()], { budget: { maxCalls: 5 }, limits: { maxConcurrentPerEndpoint: 16 } });
    const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => pool.call(0, request(`question ${i}`))));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(5);
    expect(refused).toHaveLength(11);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BudgetExceededError);
    expect(server.stats.completions).toBe(5);
    expect(server.stats.maxInFlight).toBeGreaterThan(1); // really concurrent
    expect(pool.budget.spent.calls).toBe(5);
  });

  it('a token budget is never exceeded; spent tokens are the server-reported usage', async () => {
    const maxTokens = 32;
    const prompts = Array.from({ length: 16 }, (_, i) => `tell me about item number ${i}`);
    const perCallBound = promptTokenUpperBound(prompts[10]) + maxTokens;
    const pool = createExpertPool([spec({ maxTokens })], { budget: { maxTokens: perCallBound * 4 }, limits: { maxConcurrentPerEndpoint: 16 } });
    const results = await Promise.allSettled(prompts.map((p) => pool.call(0, request(p))));
    const answered = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    const used = answered.reduce((sum, i) => sum + approxTokens(prompts[i]) + approxTokens(deterministicAnswer('test-small', prompts[i])), 0);
    expect(answered.length).toBeGreaterThanOrEqual(3);
    expect(server.stats.completions).toBe(answered.length);
    expect(pool.budget.spent.tokens).toBe(used);
    expect(pool.budget.spent.tokens).toBeLessThanOrEqual(perCallBound * 4);
    expect(pool.budget.reserved.tokens).toBe(0);
  });

  it('a money budget holds with prices, and is refused without them', async () => {
    const priced = spec({ pricePromptPerM: 1000, priceCompletionPerM: 2000, maxTokens: 50 });
    const pool = createExpertPool([priced], { budget: { maxCostUSD: 0.5 }, limits: { maxConcurrentPerEndpoint: 16 } });
    const results = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => pool.call(0, request(`p${i}`))));
    const costs = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.costUSD ?? NaN] : []));
    expect(costs.length).toBeGreaterThan(0);
    expect(costs.length).toBeLessThan(16);
    expect(pool.budget.spent.costUSD).toBeCloseTo(
      costs.reduce((a, b) => a + b, 0),
      12,
    );
    expect(pool.budget.spent.costUSD).toBeLessThanOrEqual(0.5);
    expect(() => createExpertPool([spec()], { budget: { maxCostUSD: 1 } })).toThrow(/has no prices/);
  });

  it('a refused HTTP request counts as a call but uses no tokens; a timeout keeps its reservation', async () => {
    server.injectFault({ status: 401, times: 1 });
    const pool = createExpertPool([spec({ maxTokens: 10 })], { budget: { maxCalls: 10, maxTokens: 10_000 }, limits: { maxRetries: 0, timeoutMs: 80 } });
    await expect(pool.call(0, request('a'))).rejects.toThrow(/401/);
    expect(pool.budget.spent).toEqual({ calls: 1, tokens: 0, costUSD: 0 });
    server.injectFault({ hang: true, times: 1 });
    await expect(pool.call(0, request('b'))).rejects.toThrow(/within 80 ms/);
    expect(pool.budget.spent.calls).toBe(2);
    expect(pool.budget.spent.tokens).toBe(promptTokenUpperBound('b') + 10);
  });

  it('retries count against the call budget (each request may be billed)', async () => {
    server.injectFault({ status: 500, times: 2 });
    const pool = createExpertPool([spec()], { budget: { maxCalls: 2 }, limits: { baseDelayMs: 1, maxDelayMs: 2 } });
    await expect(pool.call(0, request('x'))).rejects.toBeInstanceOf(BudgetExceededError);
    expect(server.stats.completions).toBe(2);
  });
});
