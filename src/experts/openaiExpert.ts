// One expert behind any OpenAI-compatible chat-completions endpoint, called through the official
// `openai` SDK. One user message = the prompt. It makes exactly one HTTP request per call: the
// SDK's own retries are off because the call policy (callPolicy.ts) retries, limits and cools down.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ExpertInfo, ExpertReply, ExpertUsage } from '../der/types';
import { ExpertCallError } from './expertErrors';
import { readRetryAfter, retryAfterDelayMs } from './retryAfter';

export const DEFAULT_MAX_TOKENS = 512;

export interface OpenAIExpertConfig {
  name: string;
  /** e.g. https://api.openai.com/v1 or http://localhost:11434/v1 */
  baseURL: string;
  model: string;
  /** Parameter count in billions (C(M) in the reward). */
  sizeB: number;
  /** Never logged, never part of a cache key. Local servers usually need none. */
  apiKey?: string;
  /** Where the key should come from (an env var name or "the UI"), used in error messages only. */
  apiKeySource?: string;
  /** Extra request headers (e.g. OpenRouter's HTTP-Referer, Anthropic's browser header). */
  headers?: Record<string, string>;
  /** Left to the server's default when absent (as the reference code does). */
  temperature?: number;
  maxTokens?: number;
  /** USD per 1M prompt / completion tokens; with both known a reply carries costUSD. */
  pricePromptPerM?: number;
  priceCompletionPerM?: number;
  /** Ask for a server-sent-event stream (usage still requested via stream_options). */
  stream?: boolean;
}

export interface OpenAIExpertDeps {
  /** The fetch the SDK uses (tests, proxies); globalThis.fetch by default. */
  fetch?: typeof fetch;
  /** Treat the environment as a browser (for error wording); detected when absent. */
  browser?: boolean;
  now?: () => number;
}

/** True in a page or a worker (where a failed fetch without a status usually means CORS). */
export function runningInBrowser(): boolean {
  const g = globalThis as { document?: unknown; WorkerGlobalScope?: unknown };
  return g.document !== undefined || g.WorkerGlobalScope !== undefined;
}

/** Money for one call, when both prices are known. */
export function costOfUsage(usage: ExpertUsage, prices: Pick<OpenAIExpertConfig, 'pricePromptPerM' | 'priceCompletionPerM'>): number | undefined {
  if (prices.pricePromptPerM === undefined || prices.priceCompletionPerM === undefined) return undefined;
  return (usage.promptTokens * prices.pricePromptPerM + usage.completionTokens * prices.priceCompletionPerM) / 1e6;
}

/**
 * A base URL starting with "/" is a same-origin proxy path (e.g. /proxy/together/v1, see
 * the README, "Real experts"): resolved against the page's address. Anything else is used as given.
 */
export function resolveBaseURL(baseURL: string): string {
  if (!baseURL.startsWith('/')) return baseURL;
  const location = (globalThis as { location?: { href?: string } }).location;
  if (!location?.href)
    throw new Error(
      `The base URL "${baseURL}" is a path on the page's own server (a same-origin proxy); that only works in a browser page. Give a full http(s) URL here.`,
    );
  return new URL(baseURL, location.href).toString().replace(/\/+$/, '');
}

// The SDK's telemetry headers mean nothing to other servers, and in a browser every extra header
// must be allowed by the server's CORS preflight answer; dropping them avoids needless refusals.
const STAINLESS_HEADERS_OFF = {
  'X-Stainless-Lang': null,
  'X-Stainless-Package-Version': null,
  'X-Stainless-OS': null,
  'X-Stainless-Arch': null,
  'X-Stainless-Runtime': null,
  'X-Stainless-Runtime-Version': null,
  'X-Stainless-Retry-Count': null,
  'X-Stainless-Timeout': null,
};

export class OpenAIExpert {
  readonly info: ExpertInfo;
  private readonly client: OpenAI;
  private readonly browser: boolean;
  private readonly now: () => number;

  constructor(
    readonly config: OpenAIExpertConfig,
    deps: OpenAIExpertDeps = {},
  ) {
    this.info = { name: config.name, sizeB: config.sizeB, kind: 'openai' };
    this.browser = deps.browser ?? runningInBrowser();
    this.now = deps.now ?? (() => performance.now());
    this.client = new OpenAI({
      baseURL: resolveBaseURL(config.baseURL),
      // Always explicit: otherwise the SDK would read OPENAI_API_KEY / OPENAI_BASE_URL and could send an
      // OpenAI key to an unrelated server. Local servers ignore the placeholder.
      apiKey: config.apiKey || 'no-key',
      maxRetries: 0,
      // Our errors say what happened; the SDK's own log lines (which can echo response bodies) stay off.
      logLevel: 'off',
      defaultHeaders: { ...STAINLESS_HEADERS_OFF, ...(config.headers ?? {}) },
      dangerouslyAllowBrowser: this.browser,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  }

  get maxTokens(): number {
    return this.config.maxTokens ?? DEFAULT_MAX_TOKENS;
  }

  /** Send `prompt` as one user message; one HTTP request. Throws ExpertCallError. */
  async complete(prompt: string, options: { signal?: AbortSignal } = {}): Promise<ExpertReply> {
    const started = this.now();
    const body = {
      model: this.config.model,
      messages: [{ role: 'user' as const, content: prompt }],
      max_tokens: this.maxTokens,
      ...(this.config.temperature !== undefined ? { temperature: this.config.temperature } : {}),
    };
    try {
      const { answer, usage } = this.config.stream ? await this.completeStreaming(body, options.signal) : await this.completeOnce(body, options.signal);
      const reply: ExpertReply = { answer, latencyMs: this.now() - started };
      if (usage) {
        reply.usage = usage;
        const cost = costOfUsage(usage, this.config);
        if (cost !== undefined) reply.costUSD = cost;
      }
      return reply;
    } catch (error) {
      throw this.explain(error, options.signal);
    }
  }

  private async completeOnce(body: OpenAI.ChatCompletionCreateParamsNonStreaming, signal?: AbortSignal): Promise<{ answer: string; usage?: ExpertUsage }> {
    const result: unknown = await this.client.chat.completions.create(body, { signal });
    if (typeof result !== 'object' || result === null || !Array.isArray((result as { choices?: unknown }).choices)) {
      throw this.fail(
        'malformed',
        `the answer from ${this.config.baseURL} is not an OpenAI chat completion (no "choices" array). Check that the base URL is the OpenAI-compatible endpoint (it usually ends in /v1).`,
      );
    }
    const completion = result as OpenAI.ChatCompletion;
    if (completion.choices.length === 0) {
      throw this.fail(
        'empty',
        `the server returned no choices for model "${this.config.model}" (empty "choices"); the model may have been unloaded or the request filtered.`,
      );
    }
    const choice = completion.choices[0];
    const answer = choice.message?.content ?? '';
    if (answer.trim() === '') {
      throw this.fail(
        'empty',
        `the server returned an empty answer (finish_reason: ${choice.finish_reason ?? 'none'}). A reasoning model may have spent all max_tokens (${this.maxTokens}) on hidden reasoning: raise maxTokens.`,
      );
    }
    return { answer, usage: toUsage(completion.usage) };
  }

  private async completeStreaming(body: OpenAI.ChatCompletionCreateParamsNonStreaming, signal?: AbortSignal): Promise<{ answer: string; usage?: ExpertUsage }> {
    const stream = await this.client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal });
    let answer = '';
    let sawChoice = false;
    let finish: string | null = null;
    let usage: ExpertUsage | undefined;
    for await (const chunk of stream) {
      if (typeof chunk !== 'object' || chunk === null) throw this.fail('malformed', `a stream chunk from ${this.config.baseURL} is not a JSON object.`);
      if (chunk.usage) usage = toUsage(chunk.usage);
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      sawChoice = true;
      answer += choice.delta?.content ?? '';
      finish = choice.finish_reason ?? finish;
    }
    if (!sawChoice) throw this.fail('empty', `the stream for model "${this.config.model}" carried no choices.`);
    if (answer.trim() === '') {
      throw this.fail(
        'empty',
        `the server streamed an empty answer (finish_reason: ${finish ?? 'none'}). A reasoning model may have spent all max_tokens (${this.maxTokens}) on hidden reasoning: raise maxTokens.`,
      );
    }
    return { answer, usage };
  }

  private fail(
    kind: ConstructorParameters<typeof ExpertCallError>[1],
    detail: string,
    extra: ConstructorParameters<typeof ExpertCallError>[3] = {},
  ): ExpertCallError {
    return new ExpertCallError(`Expert "${this.config.name}" (${this.config.model} at ${this.config.baseURL}): ${detail}`, kind, this.config.name, extra);
  }

  /** Turn whatever the SDK or fetch threw into an ExpertCallError that says what to do. */
  private explain(error: unknown, signal?: AbortSignal): ExpertCallError {
    if (error instanceof ExpertCallError) return error;
    if (signal?.aborted) {
      // The call policy aborts with an ExpertCallError (its timeout); anything else is the caller cancelling.
      if (signal.reason instanceof ExpertCallError) return signal.reason;
      return this.fail('aborted', 'the call was cancelled.', { cause: error });
    }
    const { baseURL, model } = this.config;
    if (error instanceof APIUserAbortError) return this.fail('aborted', 'the call was cancelled.', { cause: error });
    if (error instanceof APIConnectionTimeoutError) return this.fail('timeout', 'the request timed out.', { cause: error });
    if (error instanceof APIConnectionError) return this.networkError(error);
    if (error instanceof APIError && error.status !== undefined) {
      const status = error.status;
      const serverSays = error.message ? ` Server says: ${error.message}` : '';
      const keySource = this.config.apiKeySource ?? 'the expert settings';
      if (status === 401) {
        const what = this.config.apiKey
          ? `rejected the API key (401). Check the key in ${keySource}.`
          : `needs an API key (401) and none was given: set it in ${keySource}.`;
        return this.fail('auth', `${baseURL} ${what}${serverSays}`, { status, cause: error });
      }
      if (status === 403) {
        return this.fail(
          'forbidden',
          `${baseURL} refused the request (403): the key may not have access to model "${model}", or the server refuses requests from this origin${this.browser ? ' (a browser page: allow the origin on the server, e.g. OLLAMA_ORIGINS, or use a same-origin proxy; see the README, section "Real experts")' : ''}.${serverSays}`,
          { status, cause: error },
        );
      }
      if (status === 404) {
        return this.fail(
          'model-not-found',
          `model "${model}" was not found at ${baseURL} (404). Check the model name (GET ${baseURL.replace(/\/+$/, '')}/models lists what the server has) and that the base URL includes the API prefix, usually /v1.${serverSays}`,
          { status, cause: error },
        );
      }
      const retryAfter = readRetryAfter(error.headers);
      const askedMs = retryAfterDelayMs(retryAfter, Date.now());
      if (status === 429)
        return this.fail(
          'rate-limited',
          `rate limited by ${baseURL} (429)${askedMs !== undefined ? `; the server asks to wait ${Math.round(askedMs)} ms` : ''}.${serverSays}`,
          { status, retryAfter, cause: error },
        );
      if (status === 408) return this.fail('timeout', `the server timed out the request (408).${serverSays}`, { status, cause: error });
      if (status >= 500) return this.fail('server', `server error ${status} from ${baseURL}.${serverSays}`, { status, retryAfter, cause: error });
      return this.fail('bad-request', `the server refused the request (${status}).${serverSays}`, { status, cause: error });
    }
    if (error instanceof SyntaxError) {
      return this.fail(
        'malformed',
        `the answer from ${baseURL} is not valid JSON (${error.message}). Check that the base URL is an OpenAI-compatible endpoint (it usually ends in /v1).`,
        { cause: error },
      );
    }
    if (error instanceof APIError) return this.fail('malformed', `the server sent an error inside the stream: ${error.message}`, { cause: error });
    // fetch's body reader throws a TypeError ("terminated") when the connection drops mid-answer.
    if (error instanceof TypeError) return this.networkError(error);
    return this.fail('network', `the call failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  private networkError(error: Error): ExpertCallError {
    const { baseURL } = this.config;
    const cause = (error.cause as Error | undefined)?.message ?? error.message;
    if (this.browser) {
      const origin = (globalThis as { location?: { origin?: string } }).location?.origin ?? 'this page';
      return this.fail(
        'network',
        `could not reach ${baseURL} (${cause}). From a browser this is most often CORS: the server does not allow requests from ${origin}. ` +
          'Fix: allow the origin on the server (Ollama: OLLAMA_ORIGINS; vLLM: --allowed-origins; LM Studio: enable CORS), or route the calls through a same-origin proxy (see the README, section "Real experts"). Also check that the server is running and the URL is right.',
        { cause: error },
      );
    }
    return this.fail('network', `the connection to ${baseURL} failed or dropped (${cause}). Is the server running and the URL right?`, { cause: error });
  }
}

function toUsage(usage: OpenAI.CompletionUsage | null | undefined): ExpertUsage | undefined {
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return { promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}
