// Retries, Retry-After, timeouts, cooldown and endpoint limits, against the loopback server through
// the real SDK path (virtual time for the waits, real time for the per-request timeout).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backoffDelayMs, CallPolicy, type CallLimits } from '../../src/experts/callPolicy';
import { RequestsPerMinute, Semaphore } from '../../src/experts/endpointLimiter';
import { ExpertCallError } from '../../src/experts/expertErrors';
import { OpenAIExpert } from '../../src/experts/openaiExpert';
import { retryAfterDelayMs } from '../../src/experts/retryAfter';
import { FakeClock } from '../support/fakeClock';
import { deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';

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

const FAST: Partial<CallLimits> = { baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 2000 };

function setup(limits: Partial<CallLimits> = {}, model = 'test-small') {
  const clock = new FakeClock();
  const policy = new CallPolicy({ ...FAST, ...limits }, { clock, random: () => 0.5 });
  const expert = new OpenAIExpert({ name: model, baseURL: server.url, model, sizeB: 7 });
  const call = (prompt = 'q') => policy.run({ expert: model, baseURL: server.url }, (signal) => expert.complete(prompt, { signal }));
  return { clock, policy, call };
}

async function failure(promise: Promise<unknown>): Promise<ExpertCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ExpertCallError);
    return error as ExpertCallError;
  }
  throw new Error('expected the call to fail');
}

describe('retries', () => {
  it('500 then success: two requests, the answer of the second', async () => {
    server.injectFault({ status: 500, times: 1 });
    const { call, clock } = setup();
    const reply = await call('hello');
    expect(reply.answer).toBe(deterministicAnswer('test-small', 'hello'));
    expect(server.stats.completions).toBe(2);
    expect(clock.sleeps).toEqual([backoffDelayMs(0, FAST as CallLimits, () => 0.5)]);
  });

  it('502 twice then success: backoff grows exponentially', async () => {
    server.injectFault({ status: 502, times: 2 });
    const { call, clock } = setup();
    await call();
    expect(server.stats.completions).toBe(3);
    expect(clock.sleeps.length).toBe(2);
    expect(clock.sleeps[1]).toBeCloseTo(clock.sleeps[0] * 2, 6);
  });

  it('429 with Retry-After in seconds waits at least that long', async () => {
    server.injectFault({ status: 429, retryAfter: '1', times: 1 });
    const { call, clock } = setup();
    await call();
    expect(server.stats.completions).toBe(2);
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(1000);
  });

  it('429 with Retry-After as an HTTP date waits until that date', async () => {
    const { call, clock } = setup();
    server.injectFault({ status: 429, retryAfter: new Date(clock.now() + 3000).toUTCString(), times: 1 });
    await call();
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(2000); // HTTP dates have 1 s resolution
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3000);
  });

  it('429 without Retry-After uses the backoff', async () => {
    server.injectFault({ status: 429, times: 1 });
    const { call, clock } = setup();
    await call();
    expect(clock.sleeps).toEqual([backoffDelayMs(0, FAST as CallLimits, () => 0.5)]);
  });

  it('a Retry-After longer than allowed is not waited for', async () => {
    server.injectFault({ status: 429, retryAfter: '120', times: 1 });
    const { call, clock } = setup({ maxRetryAfterMs: 10_000 });
    const error = await failure(call());
    expect(error.kind).toBe('rate-limited');
    expect(error.message).toMatch(/asks to wait 120\.0 s/);
    expect(clock.sleeps).toEqual([]);
    expect(server.stats.completions).toBe(1);
  });

  it('gives up after maxRetries + 1 requests', async () => {
    server.injectFault({ status: 500 });
    const { call } = setup({ maxRetries: 2, failuresBeforeCooldown: 100 });
    const error = await failure(call());
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/Gave up after 3 attempts/);
    expect(server.stats.completions).toBe(3);
  });

  it('does not retry 401, 403, 404 or malformed answers', async () => {
    for (const fault of [{ status: 401 }, { status: 403 }, { status: 404 }, { malformedJson: true }]) {
      server.resetStats();
      server.injectFault({ ...fault, times: 1 });
      const { call } = setup();
      await failure(call());
      expect(server.stats.completions).toBe(1);
    }
  });

  it('a hang ends with a timeout error after timeoutMs, and is retried', async () => {
    server.injectFault({ hang: true, times: 1 });
    const { call } = setup({ timeoutMs: 150 });
    const started = Date.now();
    const reply = await call('after hang');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(reply.answer).toBe(deterministicAnswer('test-small', 'after hang'));
    expect(server.stats.completions).toBe(2);

    server.injectFault({ hang: true });
    const { call: callOnce } = setup({ timeoutMs: 100, maxRetries: 0 });
    const error = await failure(callOnce());
    expect(error.kind).toBe('timeout');
    expect(error.message).toMatch(/within 100 ms/);
  });

  it('a connection dropped mid-response is retried', async () => {
    server.injectFault({ dropMidResponse: true, longAnswerChars: 4000, times: 1 });
    const { call } = setup();
    const reply = await call('x');
    expect(reply.answer).toBe(deterministicAnswer('test-small', 'x'));
    expect(server.stats.completions).toBe(2);
  });
});

describe('cooldown', () => {
  it('after K consecutive failures the expert fails fast (no request) until the cooldown ends, then recovers', async () => {
    server.injectFault({ status: 500, model: 'flaky', times: 3 });
    const { call, clock } = setup({ maxRetries: 0, failuresBeforeCooldown: 3, cooldownMs: 10_000 }, 'flaky');
    for (let i = 0; i < 2; i++) expect((await failure(call())).message).not.toMatch(/cools down/);
    expect((await failure(call())).message).toMatch(/now cools down for 10\.0 s after 3 consecutive/);
    expect(server.stats.completions).toBe(3);

    const skipped = await failure(call());
    expect(skipped.kind).toBe('cooling-down');
    expect(skipped.message).toMatch(/cooling down for another 10\.0 s/);
    expect(skipped.message).toMatch(/Last failure: .*500/); // a skipped call still names the cause
    expect(server.stats.completions).toBe(3); // no request was sent

    clock.advance(10_001);
    const reply = await call('back');
    expect(reply.answer).toBe(deterministicAnswer('flaky', 'back'));
    expect(server.stats.completions).toBe(4);
  });

  it('after a cooldown one more failure starts a new one; a success resets the count', async () => {
    const { call, clock, policy } = setup({ maxRetries: 0, failuresBeforeCooldown: 2, cooldownMs: 1000 }, 'flaky');
    server.injectFault({ status: 503, model: 'flaky', times: 3 });
    await failure(call());
    await failure(call());
    clock.advance(1001);
    expect((await failure(call())).message).toMatch(/now cools down/);
    clock.advance(1001);
    await call();
    expect(policy.cooldown.consecutiveFailures('flaky')).toBe(0);
  });

  it('retries that reach K consecutive failures stop the call at once', async () => {
    server.injectFault({ status: 500, model: 'flaky' });
    const { call } = setup({ maxRetries: 10, failuresBeforeCooldown: 4, cooldownMs: 5000 }, 'flaky');
    const error = await failure(call());
    expect(error.message).toMatch(/now cools down/);
    expect(server.stats.completions).toBe(4);
  });
});

describe('endpoint limits', () => {
  it('never has more than maxConcurrentPerEndpoint requests in flight at the server', async () => {
    server.injectFault({ latencyMs: 30 });
    const { call } = setup({ maxConcurrentPerEndpoint: 3 });
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => call(`q${i}`)));
    expect(replies).toHaveLength(12);
    expect(server.stats.completions).toBe(12);
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.stats.maxInFlight).toBeGreaterThanOrEqual(2); // they did overlap
  });

  it('requests per minute: the 4th request of a minute waits for the window', async () => {
    const { call, clock } = setup({ requestsPerMinutePerEndpoint: 3 });
    const start = clock.now();
    for (let i = 0; i < 4; i++) await call(`q${i}`);
    expect(server.stats.completions).toBe(4);
    expect(clock.now() - start).toBeGreaterThanOrEqual(60_000);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('Semaphore hands slots out in order and never exceeds its limit', async () => {
    const sem = new Semaphore(2);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await sem.acquire();
        active++;
        peak = Math.max(peak, active);
        order.push(i);
        await new Promise((r) => setTimeout(r, 5));
        active--;
        release();
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sem.inFlight).toBe(0);
  });

  it('RequestsPerMinute slides: after a minute the oldest start frees a slot', async () => {
    const clock = new FakeClock();
    const rpm = new RequestsPerMinute(2, clock);
    await rpm.take();
    clock.advance(30_000);
    await rpm.take();
    await rpm.take(); // waits until the first start is 60 s old
    expect(clock.sleeps).toEqual([30_000]);
  });
});

describe('Retry-After parsing', () => {
  it('reads seconds, decimal seconds, HTTP dates and retry-after-ms', () => {
    const now = Date.UTC(2025, 0, 1, 12, 0, 0);
    expect(retryAfterDelayMs({ retryAfter: '2' }, now)).toBe(2000);
    expect(retryAfterDelayMs({ retryAfter: '0.25' }, now)).toBe(250);
    expect(retryAfterDelayMs({ retryAfter: new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(retryAfterDelayMs({ retryAfter: new Date(now - 5000).toUTCString() }, now)).toBe(0);
    expect(retryAfterDelayMs({ retryAfterMs: '120', retryAfter: '9' }, now)).toBe(120);
    expect(retryAfterDelayMs({ retryAfter: 'soon' }, now)).toBeUndefined();
    expect(retryAfterDelayMs(undefined, now)).toBeUndefined();
  });

  it('backoff stays within [cap/2, cap] and is capped', () => {
    const limits = { baseDelayMs: 100, maxDelayMs: 1000 };
    for (let n = 0; n < 8; n++) {
      const cap = Math.min(1000, 100 * 2 ** n);
      expect(backoffDelayMs(n, limits, () => 0)).toBe(cap / 2);
      expect(backoffDelayMs(n, limits, () => 0.999999)).toBeCloseTo(cap, 2);
    }
  });
});
