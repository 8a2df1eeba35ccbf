// The response cache: stable keys without secrets, zero HTTP requests on a repeated run, the fresh
// switch, the JSONL file store, and export/import that rejects a corrupt file without changing anything.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExpertSpec } from '../../src/der/config';
import type { Question } from '../../src/der/types';
import { FileCacheStore } from '../../src/experts/cacheFileStore';
import { createExpertPool } from '../../src/experts/pool';
import {
  CacheImportError,
  cacheKey,
  cacheRequest,
  canonicalJson,
  exportCacheJsonl,
  importCacheJsonl,
  MemoryCacheStore,
  type CacheEntry,
} from '../../src/experts/responseCache';
import { deterministicAnswer, startOpenAITestServer, type OpenAITestServer } from '../support/openaiTestServer';
import { errorMessage } from '../../src/der/errorMessage';

let server: OpenAITestServer;
let dir: string;
beforeAll(async () => {
  server = await startOpenAITestServer();
  dir = await mkdtemp(join(tmpdir(), 'der-cache-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.clearFaults();
  server.resetStats();
});

const question: Question = { id: 'q1', instruction: 'Explain.', input: '' };
const specs = (): ExpertSpec[] => [
  { name: 'small', kind: 'openai', model: 'test-small', baseURL: server.url, sizeB: 7, temperature: 0.8 },
  { name: 'large', kind: 'openai', model: 'test-large', baseURL: server.url + '/', sizeB: 13 },
];
const prompts = ['What is 2+2?', 'Name a colour.', 'Why is the sky blue?'];

async function runAll(pool: ReturnType<typeof createExpertPool>) {
  const replies = [];
  for (let e = 0; e < 2; e++) for (const prompt of prompts) replies.push(await pool.call(e, { prompt, question, previous: null, t: 0 }));
  return replies;
}

describe('cache keys', () => {
  const base = { kind: 'openai', baseURL: 'http://x/v1', model: 'm', temperature: 0.5, maxTokens: 512, prompt: 'p' };

  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('is a SHA-256 that ignores credentials and trailing slashes but not prompt, model or sampling', async () => {
    const key = await cacheKey(cacheRequest(base));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await cacheKey(cacheRequest({ ...base, baseURL: 'http://x/v1/', headers: { Authorization: 'Bearer a', 'x-api-key': 'k' } }))).toBe(key);
    for (const change of [{ prompt: 'p2' }, { model: 'm2' }, { temperature: 0 }, { maxTokens: 256 }, { headers: { 'X-Title': 'other' } }]) {
      expect(await cacheKey(cacheRequest({ ...base, ...change }))).not.toBe(key);
    }
  });

  it('keeps secrets out of the stored request', () => {
    const req = cacheRequest({ ...base, headers: { Authorization: 'Bearer sk-secret', 'X-Title': 'ok' } });
    expect(JSON.stringify(req)).not.toContain('sk-secret');
    expect(req.headers).toEqual({ 'x-title': 'ok' });
  });
});

describe('cache in a pool', () => {
  it('a second identical run makes zero HTTP requests and returns the same answers, marked cached and free', async () => {
    const cache = new MemoryCacheStore();
    const first = await runAll(createExpertPool(specs(), { cache }));
    expect(server.stats.completions).toBe(6);
    expect(first.every((r) => !r.cached)).toBe(true);
    server.resetStats();
    const pool = createExpertPool(specs(), { cache, budget: { maxCalls: 0 } });
    const second = await runAll(pool);
    expect(server.stats.requests).toBe(0);
    expect(second.map((r) => r.answer)).toEqual(first.map((r) => r.answer));
    expect(second.every((r) => r.cached === true && r.costUSD === 0)).toBe(true);
    expect(pool.budget.spent.calls).toBe(0);
    expect(pool.counters.cacheHits).toBe(6);
  });

  it('fresh bypasses reading but still writes', async () => {
    const cache = new MemoryCacheStore();
    await runAll(createExpertPool(specs(), { cache }));
    server.resetStats();
    server.injectFault({ longAnswerChars: 80 }); // a different answer, so the overwrite is visible
    const fresh = await runAll(createExpertPool(specs(), { cache, fresh: true }));
    expect(server.stats.completions).toBe(6);
    expect(fresh.every((r) => !r.cached)).toBe(true);
    expect(await cache.size()).toBe(6);
    const entries = await cache.entries();
    expect(entries.every((e) => e.answer.length === 80)).toBe(true);
  });

  it('identical calls in flight at the same time make one request', async () => {
    server.injectFault({ latencyMs: 30 });
    const pool = createExpertPool(specs(), { cache: new MemoryCacheStore() });
    const replies = await Promise.all(Array.from({ length: 5 }, () => pool.call(0, { prompt: 'same', question, previous: null, t: 0 })));
    expect(server.stats.completions).toBe(1);
    expect(new Set(replies.map((r) => r.answer)).size).toBe(1);
    expect(replies.filter((r) => r.cached).length).toBe(4);
  });

  it('a failed call is not cached', async () => {
    server.injectFault({ status: 400, times: 1 });
    const cache = new MemoryCacheStore();
    const pool = createExpertPool(specs(), { cache });
    await expect(pool.call(0, { prompt: 'bad', question, previous: null, t: 0 })).rejects.toThrow(/400/);
    expect(await cache.size()).toBe(0);
  });
});

describe('file store and export/import', () => {
  it('round trip through a JSONL file: a new process (a new store) makes zero requests', async () => {
    const path = join(dir, 'roundtrip', 'cache.jsonl');
    const first = await runAll(createExpertPool(specs(), { cache: await FileCacheStore.open(path) }));
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.join('\n')).not.toMatch(/authorization|sk-/i);
    server.resetStats();
    const reopened = await FileCacheStore.open(path);
    expect(reopened.problems).toEqual([]);
    const second = await runAll(createExpertPool(specs(), { cache: reopened }));
    expect(server.stats.requests).toBe(0);
    expect(second.map((r) => r.answer)).toEqual(first.map((r) => r.answer));
    expect(second[0].answer).toBe(deterministicAnswer('test-small', prompts[0]));
  });

  it('corrupt lines in the cache file are reported, skipped, and not fatal', async () => {
    const path = join(dir, 'corrupt.jsonl');
    const good = await FileCacheStore.open(path);
    await runAll(createExpertPool(specs(), { cache: good }));
    const text = await readFile(path, 'utf8');
    const lines = text.trim().split('\n');
    const tampered = JSON.parse(lines[1]) as CacheEntry;
    tampered.request.prompt = 'edited';
    await writeFile(path, [lines[0], '{"key": "torn wri', JSON.stringify(tampered), ...lines.slice(2)].join('\n') + '\n');
    const seen: number[] = [];
    const store = await FileCacheStore.open(path, { onCorruptLine: (p) => seen.push(p.line) });
    expect(seen).toEqual([2, 3]);
    expect(store.problems[0].message).toMatch(/not JSON/);
    expect(store.problems[1].message).toMatch(/key does not match/);
    expect(await store.size()).toBe(5);
  });

  it('export then import into an empty store gives the same entries', async () => {
    const source = new MemoryCacheStore();
    await runAll(createExpertPool(specs(), { cache: source }));
    const text = await exportCacheJsonl(source);
    const target = new MemoryCacheStore();
    expect(await importCacheJsonl(target, text)).toEqual({ imported: 6 });
    const byKey = (es: CacheEntry[]) => [...es].sort((a, b) => a.key.localeCompare(b.key));
    expect(byKey(await target.entries())).toEqual(byKey(await source.entries()));
  });

  it('a corrupt import is rejected with line numbers and nothing is overwritten', async () => {
    const source = new MemoryCacheStore();
    await runAll(createExpertPool(specs(), { cache: source }));
    const lines = (await exportCacheJsonl(source)).trim().split('\n');
    const target = new MemoryCacheStore();
    const original = JSON.parse(lines[0]) as CacheEntry;
    await target.set(original);
    const changed = { ...original, answer: 'overwritten?' };
    // Line 1 is a valid entry that WOULD overwrite the existing one; line 3 is corrupt.
    const file = [JSON.stringify(changed), lines[1], '{not json', lines[2]].join('\n');
    // The changed answer keeps a valid key (the key covers the request, not the answer), so only line 3 is bad.
    const error = await importCacheJsonl(target, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CacheImportError);
    expect((error as CacheImportError).problems.map((p) => p.line)).toEqual([3]);
    expect(errorMessage(error)).toMatch(/nothing was changed/);
    expect(await target.entries()).toEqual([original]);
  });
});
