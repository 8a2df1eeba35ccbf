// The loopback server itself: model list, CORS for browser e2e tests, the HTTP control channel,
// request counting, and the standalone script that prints its URL.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';

let server: OpenAITestServer;
let origin: string;
beforeAll(async () => {
  server = await startOpenAITestServer();
  origin = server.url.replace(/\/v1$/, '');
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.clearFaults();
  server.resetStats();
});

const complete = (body: object, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('openai test server', () => {
  it('lists models and answers deterministically by model and prompt', async () => {
    const models = (await (await fetch(`${server.url}/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain('test-small');
    const a = (await (await complete({ model: 'a', messages: [{ role: 'user', content: 'hi' }] })).json()) as { choices: { message: { content: string } }[] };
    const b = (await (await complete({ model: 'b', messages: [{ role: 'user', content: 'hi' }] })).json()) as { choices: { message: { content: string } }[] };
    expect(a.choices[0].message.content).toBe(deterministicAnswer('a', 'hi'));
    expect(a.choices[0].message.content).not.toBe(b.choices[0].message.content);
    expect(server.stats.requests).toBe(3);
    expect(server.stats.completions).toBe(2);
    expect(server.stats.byModel).toEqual({ a: 1, b: 1 });
  });

  it('answers CORS preflights and sets CORS headers (preflights are not counted as requests)', async () => {
    const pre = await fetch(`${server.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization, content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const res = await complete({ model: 'a', messages: [] }, { Origin: 'http://127.0.0.1:5173' });
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/retry-after/);
    expect(server.stats.preflights).toBe(1);
    expect(server.stats.requests).toBe(1);
  });

  it('can run without CORS (to test what a browser sees from a server that refuses it)', async () => {
    const plain = await startOpenAITestServer({ cors: false });
    try {
      const res = await fetch(`${plain.url}/models`, { headers: { Origin: 'http://x' } });
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await plain.close();
    }
  });

  it('takes faults over HTTP (for browser tests): a 429 with Retry-After, used up after `times`', async () => {
    await fetch(`${origin}/__control/faults`, { method: 'POST', body: JSON.stringify({ model: 'a', status: 429, retryAfter: '2', times: 1 }) });
    const first = await complete({ model: 'a', messages: [] });
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect((await complete({ model: 'b', messages: [] })).status).toBe(200);
    expect((await complete({ model: 'a', messages: [] })).status).toBe(200);
    const stats = (await (await fetch(`${origin}/__control/stats`)).json()) as { completions: number };
    expect(stats.completions).toBe(3);
  });

  it('streams SSE chunks ending in [DONE], with a usage chunk when asked', async () => {
    const res = await complete({
      model: 'a',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'one two three four five' }],
    });
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')) as { choices: { delta: { content?: string } }[]; usage?: object });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(deterministicAnswer('a', 'one two three four five'));
    expect(chunks.at(-1)?.usage).toBeDefined();
  });

  it('runs standalone and prints its URL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/openai-test-server.ts', '--latency', '1'], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /OPENAI_TEST_SERVER_URL=(\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
        setTimeout(() => reject(new Error('no URL printed within 15 s')), 15_000);
      });
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      expect((await fetch(`${url}/models`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
