// The OpenAI-compatible expert against the loopback server, through the real `openai` SDK and fetch.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExpertCallError } from '../../src/experts/expertErrors';
import { DEFAULT_MAX_TOKENS, OpenAIExpert, resolveBaseURL, type OpenAIExpertConfig } from '../../src/experts/openaiExpert';
import { approxTokens, deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';

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

const config = (over: Partial<OpenAIExpertConfig> = {}): OpenAIExpertConfig => ({ name: 'small', baseURL: server.url, model: 'test-small', sizeB: 7, ...over });

async function failure(promise: Promise<unknown>): Promise<ExpertCallError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ExpertCallError);
    return error as ExpertCallError;
  }
  throw new Error('expected the call to fail');
}

describe('OpenAIExpert answers', () => {
  for (const stream of [false, true]) {
    it(`returns the server's answer with usage, latency and cost (${stream ? 'streaming' : 'not streaming'})`, async () => {
      const prompt = 'What is the capital of France? Answer briefly.';
      server.injectFault({ latencyMs: 25 });
      const expert = new OpenAIExpert(config({ stream, pricePromptPerM: 2, priceCompletionPerM: 6 }));
      const reply = await expert.complete(prompt);
      const answer = deterministicAnswer('test-small', prompt);
      expect(reply.answer).toBe(answer);
      expect(reply.usage).toEqual({ promptTokens: approxTokens(prompt), completionTokens: approxTokens(answer) });
      expect(reply.costUSD).toBeCloseTo((approxTokens(prompt) * 2 + approxTokens(answer) * 6) / 1e6, 12);
      expect(reply.latencyMs).toBeGreaterThanOrEqual(20);
      expect(server.stats.completions).toBe(1);
      expect(server.log[0].stream).toBe(stream);
      expect(server.log[0].maxTokens).toBe(DEFAULT_MAX_TOKENS);
    });
  }

  it('sends one user message, the key as a bearer token, extra headers, temperature and max tokens; no SDK telemetry headers', async () => {
    const expert = new OpenAIExpert(config({ apiKey: 'sk-test-123', headers: { 'X-Title': 'DER' }, temperature: 0.7, maxTokens: 64 }));
    await expert.complete('hello there');
    const req = server.log[0];
    expect(req.prompt).toBe('hello there');
    expect(req.authorization).toBe('Bearer sk-test-123');
    expect(req.headers['x-title']).toBe('DER');
    expect(req.temperature).toBe(0.7);
    expect(req.maxTokens).toBe(64);
    expect(Object.keys(req.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
  });

  it('leaves temperature to the server when it is not set (as the reference code does)', async () => {
    await new OpenAIExpert(config()).complete('q');
    expect(server.log[0].temperature).toBeNull();
  });

  it('gives no costUSD without prices', async () => {
    const reply = await new OpenAIExpert(config()).complete('q');
    expect(reply.costUSD).toBeUndefined();
    expect(reply.usage?.promptTokens).toBeGreaterThan(0);
  });

  it('collects a very long streamed answer completely', async () => {
    server.injectFault({ longAnswerChars: 20_000 });
    const reply = await new OpenAIExpert(config({ stream: true })).complete('write a lot');
    expect(reply.answer.length).toBe(20_000);
    expect(reply.answer.startsWith(deterministicAnswer('test-small', 'write a lot'))).toBe(true);
  });

  it('makes exactly one HTTP request even when the server fails (the SDK retries are off)', async () => {
    server.injectFault({ status: 500 });
    await failure(new OpenAIExpert(config()).complete('q'));
    expect(server.stats.completions).toBe(1);
  });
});

describe('OpenAIExpert errors say what to do', () => {
  it('401 without a key: says a key is needed and where to set it', async () => {
    const locked = await startOpenAITestServer({ apiKey: 'right' });
    try {
      const error = await failure(new OpenAIExpert(config({ baseURL: locked.url, apiKeySource: 'the environment variable MY_KEY' })).complete('q'));
      expect(error.kind).toBe('auth');
      expect(error.status).toBe(401);
      expect(error.message).toMatch(/none was given/);
      expect(error.message).toContain('MY_KEY');
      const wrong = await failure(new OpenAIExpert(config({ baseURL: locked.url, apiKey: 'wrong' })).complete('q'));
      expect(wrong.message).toMatch(/rejected the API key/);
      expect(wrong.message).not.toContain('wrong'); // the key itself never appears
      expect(wrong.retryable).toBe(false);
    } finally {
      await locked.close();
    }
  });

  it('403: names access to the model and, in a browser, the origin policy', async () => {
    server.injectFault({ status: 403, times: 2 });
    const node = await failure(new OpenAIExpert(config()).complete('q'));
    expect(node.kind).toBe('forbidden');
    expect(node.message).toMatch(/access to model "test-small"/);
    const browser = await failure(new OpenAIExpert(config(), { browser: true }).complete('q'));
    expect(browser.message).toMatch(/OLLAMA_ORIGINS|same-origin proxy/);
  });

  it('404: model not found at that URL, with how to list models', async () => {
    const strict = await startOpenAITestServer({ models: ['only-this'] });
    try {
      const error = await failure(new OpenAIExpert(config({ baseURL: strict.url, model: 'no-such-model' })).complete('q'));
      expect(error.kind).toBe('model-not-found');
      expect(error.message).toContain('"no-such-model" was not found at ' + strict.url);
      expect(error.message).toContain('/models');
    } finally {
      await strict.close();
    }
  });

  for (const stream of [false, true]) {
    it(`malformed JSON (${stream ? 'streaming' : 'not streaming'})`, async () => {
      server.injectFault({ malformedJson: true });
      const error = await failure(new OpenAIExpert(config({ stream })).complete('q'));
      expect(error.kind).toBe('malformed');
      expect(error.message).toMatch(/not valid JSON/);
    });
  }

  for (const stream of [false, true]) {
    it(`empty choices and empty content (${stream ? 'streaming' : 'not streaming'})`, async () => {
      server.injectFault({ emptyChoices: true, times: 1 });
      server.injectFault({ emptyContent: true, times: 1 });
      const expert = new OpenAIExpert(config({ stream }));
      const noChoices = await failure(expert.complete('q'));
      expect(noChoices.kind).toBe('empty');
      expect(noChoices.message).toMatch(/no choices/);
      const emptyText = await failure(expert.complete('q'));
      expect(emptyText.kind).toBe('empty');
      expect(emptyText.message).toMatch(/empty answer/);
    });
  }

  for (const stream of [false, true]) {
    it(`a connection dropped mid-response is a retryable network error (${stream ? 'streaming' : 'not streaming'})`, async () => {
      server.injectFault({ dropMidResponse: true, longAnswerChars: 5000 });
      const error = await failure(new OpenAIExpert(config({ stream })).complete('q'));
      expect(error.kind).toBe('network');
      expect(error.retryable).toBe(true);
    });
  }

  it('no server: in Node says the server may be down; in a browser says it is probably CORS and how to fix it', async () => {
    const gone = await startOpenAITestServer();
    const url = gone.url;
    await gone.close();
    const node = await failure(new OpenAIExpert(config({ baseURL: url })).complete('q'));
    expect(node.kind).toBe('network');
    expect(node.message).toMatch(/Is the server running/);
    const browser = await failure(new OpenAIExpert(config({ baseURL: url }), { browser: true }).complete('q'));
    expect(browser.message).toMatch(/CORS/);
    expect(browser.message).toMatch(/OLLAMA_ORIGINS/);
    expect(browser.message).toMatch(/proxy/);
  });

  it('a caller abort ends the call as aborted', async () => {
    server.injectFault({ hang: true });
    const controller = new AbortController();
    const pending = new OpenAIExpert(config()).complete('q', { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await failure(pending);
    expect(error.kind).toBe('aborted');
  });
});

describe('base URLs', () => {
  it('a path base URL (same-origin proxy) resolves against the page address, and is refused outside a page', () => {
    expect(resolveBaseURL('http://localhost:11434/v1')).toBe('http://localhost:11434/v1');
    expect(() => resolveBaseURL('/proxy/together/v1')).toThrow(/only works in a browser page/);
    const g = globalThis as { location?: unknown };
    g.location = { href: 'http://127.0.0.1:5173/app/?seed=1' };
    try {
      expect(resolveBaseURL('/proxy/together/v1')).toBe('http://127.0.0.1:5173/proxy/together/v1');
    } finally {
      delete g.location;
    }
  });
});
