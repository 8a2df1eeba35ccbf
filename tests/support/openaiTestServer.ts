// A loopback OpenAI-compatible server for tests, e2e runs and the benchmark. It answers
// deterministically (so a test can compute the expected answer) and can be told, at run time, to
// misbehave in the ways real providers do: latency, 429 (with or without Retry-After), 5xx, 401,
// 403, unknown model, malformed JSON, hangs, empty answers, very long answers, dropped connections,
// a share of requests failing (`share`), and refused connections (`refuseConnections`, or a URL
// where nothing listens: unreachableUrl).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One way to misbehave. Without `status`/flags it only adds latency. */
export interface Fault {
  /** Only requests for this model (any model when absent). */
  model?: string;
  /** How many matching requests it applies to before it is used up (forever when absent). */
  times?: number;
  /**
   * Apply to this share (0..1) of the matching requests, spread evenly and deterministically
   * (with 0.3, requests 3, 6, 9, 13, … of those it sees), so a test knows how many fail. The
   * others pass on to the next fault, or are answered normally.
   */
  share?: number;
  /** Delay before answering (or before the first byte of a stream). */
  latencyMs?: number;
  /** Answer with this HTTP status and an OpenAI-style error body (401, 403, 404, 429, 500, 502, ...). */
  status?: number;
  /** The Retry-After header value sent with `status` (e.g. "1" or an HTTP date). */
  retryAfter?: string;
  /** A 200 whose body is not valid JSON. */
  malformedJson?: boolean;
  /** Never answer (the socket stays open until the client gives up or the server closes). */
  hang?: boolean;
  /** A 200 whose only choice has empty content. */
  emptyContent?: boolean;
  /** A 200 with `choices: []`. */
  emptyChoices?: boolean;
  /** Replace the answer with one this many characters long. */
  longAnswerChars?: number;
  /** Replace the answer with exactly this text (e.g. HTML or script, to check that the UI shows it inert). */
  answer?: string;
  /** Send part of the response (headers and about half of the body or a few stream chunks), then cut the connection. */
  dropMidResponse?: boolean;
}

export interface TestServerOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`; others get 401. */
  apiKey?: string;
  /** When set, only these models exist; others get 404 model_not_found. */
  models?: string[];
  /** Latency added to every completion (ms). */
  latencyMs?: number;
  /** Send CORS headers and answer OPTIONS preflights (default true). */
  cors?: boolean;
  port?: number;
  host?: string;
}

export interface RecordedRequest {
  model: string;
  prompt: string;
  stream: boolean;
  maxTokens: number | null;
  temperature: number | null;
  authorization: string | null;
  headers: Record<string, string | string[] | undefined>;
}

export interface TestServerStats {
  /** Every HTTP request except CORS preflights. */
  requests: number;
  completions: number;
  preflights: number;
  inFlight: number;
  /** The most chat-completion requests in flight at the same time. */
  maxInFlight: number;
  byModel: Record<string, number>;
}

export interface OpenAITestServer {
  /** Base URL including `/v1`, e.g. http://127.0.0.1:54321/v1 */
  readonly url: string;
  readonly stats: TestServerStats;
  /** Chat-completion requests received, in arrival order. */
  readonly log: RecordedRequest[];
  /** Add a fault; faults are checked in the order they were added, the first match applies. */
  injectFault(fault: Fault): void;
  /** Stop accepting connections (clients get ECONNREFUSED) or accept them again, on the same port. */
  refuseConnections(refuse: boolean): Promise<void>;
  clearFaults(): void;
  /** Zero the counters and the log (faults stay). */
  resetStats(): void;
  close(): Promise<void>;
}

/** FNV-1a, enough to make deterministic, model-dependent answers. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The answer the server gives `model` for `prompt` (exported so tests can compute expectations). */
export function deterministicAnswer(model: string, prompt: string): string {
  const words = prompt.split(/\s+/).filter(Boolean).slice(0, 12);
  const tag = hash32(`${model}\u0000${prompt}`).toString(16).padStart(8, '0');
  return `[${model}#${tag}] ${words.join(' ')}`.trim();
}

/** Token counts the server reports: roughly 4 characters per token, at least 1. */
export function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

const ANSWER_FILL = 'lorem ipsum dolor sit amet consectetur adipiscing elit ';

function longAnswer(base: string, chars: number): string {
  let text = base + ' ';
  while (text.length < chars) text += ANSWER_FILL;
  return text.slice(0, chars);
}

function errorBody(status: number, model: string): { error: { message: string; type: string; code: string | null } } {
  switch (status) {
    case 401:
      return { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } };
    case 403:
      return { error: { message: 'This key is not allowed to use this resource.', type: 'permission_error', code: 'forbidden' } };
    case 404:
      return { error: { message: `The model \`${model}\` does not exist.`, type: 'invalid_request_error', code: 'model_not_found' } };
    case 429:
      return { error: { message: 'Rate limit reached. Please retry later.', type: 'requests', code: 'rate_limit_exceeded' } };
    default:
      return { error: { message: `Injected server error ${status}.`, type: 'server_error', code: null } };
  }
}

function promptOf(body: { messages?: Array<{ content?: unknown }> }): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  return messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content ?? ''))).join('\n');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Cut the connection after what was written has left, so the client sees a truncated answer. */
function cut(res: ServerResponse): void {
  setTimeout(() => res.socket?.destroy(), 5);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startOpenAITestServer(options: TestServerOptions = {}): Promise<OpenAITestServer> {
  const cors = options.cors ?? true;
  const faults: Fault[] = [];
  const log: RecordedRequest[] = [];
  const stats: TestServerStats = { requests: 0, completions: 0, preflights: 0, inFlight: 0, maxInFlight: 0, byModel: {} };
  const sockets = new Set<Socket>();
  let created = 1_700_000_000;

  /** Matching requests each shared fault has seen (for the even spread of `share`). */
  const seen = new WeakMap<Fault, number>();
  function applies(fault: Fault, model: string): boolean {
    if (fault.model !== undefined && fault.model !== model) return false;
    if (fault.share === undefined) return true;
    const n = seen.get(fault) ?? 0;
    seen.set(fault, n + 1);
    return Math.floor((n + 1) * fault.share) > Math.floor(n * fault.share);
  }

  function takeFault(model: string): Fault | undefined {
    const index = faults.findIndex((f) => applies(f, model));
    if (index < 0) return undefined;
    const fault = faults[index];
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) faults.splice(index, 1);
    }
    return fault;
  }

  function setCors(req: IncomingMessage, res: ServerResponse): void {
    if (!cors) return;
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin ?? '*');
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
    // A wildcard does not cover Authorization, so echo what the preflight asks for.
    res.setHeader('Access-Control-Allow-Headers', req.headers['access-control-request-headers'] ?? 'authorization, content-type');
    res.setHeader('Access-Control-Expose-Headers', 'retry-after, x-request-id');
    res.setHeader('Access-Control-Max-Age', '600');
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extraHeaders });
    res.end(text);
  }

  async function handleCompletion(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    } catch {
      sendJson(res, 400, { error: { message: 'Request body is not JSON.', type: 'invalid_request_error', code: null } });
      return;
    }
    const model = typeof body.model === 'string' ? body.model : '';
    const prompt = promptOf(body as { messages?: Array<{ content?: unknown }> });
    const stream = body.stream === true;
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    log.push({
      model,
      prompt,
      stream,
      maxTokens: typeof body.max_tokens === 'number' ? body.max_tokens : null,
      temperature: typeof body.temperature === 'number' ? body.temperature : null,
      authorization: (req.headers.authorization as string | undefined) ?? null,
      headers: { ...req.headers },
    });
    stats.byModel[model] = (stats.byModel[model] ?? 0) + 1;

    const fault = takeFault(model) ?? {};
    const latency = (fault.latencyMs ?? 0) + (options.latencyMs ?? 0);
    if (latency > 0) await sleep(latency);
    if (fault.hang) return; // the socket stays open; close() destroys it

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(res, 401, errorBody(401, model));
      return;
    }
    if (options.models && !options.models.includes(model)) {
      sendJson(res, 404, errorBody(404, model));
      return;
    }
    if (fault.status !== undefined) {
      sendJson(res, fault.status, errorBody(fault.status, model), fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {});
      return;
    }
    if (fault.malformedJson && stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"id": "chatcmpl-broken", "choices": [ {"delta": \n\ndata: [DONE]\n\n');
      return;
    }
    if (fault.malformedJson) {
      const text = '{"id": "chatcmpl-broken", "choices": [ {"message": ';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }

    let answer = deterministicAnswer(model, prompt);
    if (fault.longAnswerChars !== undefined) answer = longAnswer(answer, fault.longAnswerChars);
    if (fault.answer !== undefined) answer = fault.answer;
    if (fault.emptyContent) answer = '';
    const usage = { prompt_tokens: approxTokens(prompt), completion_tokens: answer ? approxTokens(answer) : 0, total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const id = `chatcmpl-${(created += 1)}`;

    if (!stream) {
      const choices = fault.emptyChoices
        ? []
        : [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, finish_reason: 'stop', logprobs: null }];
      const text = JSON.stringify({ id, object: 'chat.completion', created, model, choices, usage });
      if (fault.dropMidResponse) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)), () => cut(res));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (chunk: unknown) => res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    const base = { id, object: 'chat.completion.chunk', created, model };
    if (fault.emptyChoices) {
      send({ ...base, choices: [] });
    } else {
      send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
      const pieces = answer.match(/\S+\s*|\s+/g) ?? [];
      for (let i = 0; i < pieces.length; i += 3) {
        send({ ...base, choices: [{ index: 0, delta: { content: pieces.slice(i, i + 3).join('') }, finish_reason: null }] });
        if (fault.dropMidResponse && i >= 3) {
          res.write('', () => cut(res));
          return;
        }
      }
      if (fault.dropMidResponse) {
        res.write('', () => cut(res));
        return;
      }
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
    }
    if (includeUsage) send({ ...base, choices: [], usage });
    res.end('data: [DONE]\n\n');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCors(req, res);
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (req.method === 'OPTIONS') {
      stats.preflights += 1;
      res.writeHead(cors ? 204 : 405);
      res.end();
      return;
    }
    stats.requests += 1;
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      stats.completions += 1;
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      let counted = true;
      const done = () => {
        if (counted) stats.inFlight -= 1;
        counted = false;
      };
      res.on('close', done);
      await handleCompletion(req, res);
      return;
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const ids = options.models ?? ['test-small', 'test-medium', 'test-large'];
      sendJson(res, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'openai-test-server' })) });
      return;
    }
    // A control channel so that a browser test or another process can inject faults.
    if (path === '/__control/faults' && req.method === 'POST') {
      const fault = JSON.parse(await readBody(req)) as Fault;
      faults.push(fault);
      sendJson(res, 200, { ok: true, faults: faults.length });
      return;
    }
    if (path === '/__control/faults' && req.method === 'DELETE') {
      faults.length = 0;
      sendJson(res, 200, { ok: true });
      return;
    }
    if (path === '/__control/stats' && req.method === 'GET') {
      sendJson(res, 200, stats);
      return;
    }
    if (path === '/__control/reset' && req.method === 'POST') {
      resetStats();
      sendJson(res, 200, { ok: true });
      return;
    }
    sendJson(res, 404, { error: { message: `No route for ${req.method} ${path}.`, type: 'invalid_request_error', code: null } });
  }

  function resetStats(): void {
    Object.assign(stats, { requests: 0, completions: 0, preflights: 0, maxInFlight: stats.inFlight, byModel: {} });
    log.length = 0;
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `test server bug: ${String(error)}`, type: 'server_error', code: null } });
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${address.port}/v1`;
  let refusing = false;

  return {
    url,
    stats,
    log,
    injectFault: (fault) => void faults.push({ ...fault }),
    async refuseConnections(refuse) {
      if (refuse === refusing) return;
      refusing = refuse;
      if (refuse) {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      } else {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(address.port, options.host ?? '127.0.0.1', () => resolve());
        });
      }
    },
    clearFaults: () => void (faults.length = 0),
    resetStats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        if (refusing) resolve();
        else server.close(() => resolve());
      }),
  };
}

/** A loopback base URL where nothing listens: every connection is refused (ECONNREFUSED). */
export async function unreachableUrl(host = '127.0.0.1'): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, host, () => resolve()));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://${host}:${port}/v1`;
}
