// @vitest-environment node
// Transformers.js set-up for the browser: bundled models under <base>/models/, the remote switch read
// from the page query, the local onnxruntime wasm, and an HTML page served for a missing model file
// (SPA fallback) seen as the 404 it stands for, so hub ids still go to the hub.
import { afterAll, describe, expect, it } from 'vitest';
import { env } from '@huggingface/transformers';
import { configureTransformersEnv, localModelsUrl, remoteModelsAllowed } from '../../src/worker/transformersEnv';

const realFetch = globalThis.fetch;
afterAll(() => {
  globalThis.fetch = realFetch;
});

describe('transformersEnv', () => {
  it('reads the remote switch from the page query and puts local models under the base URL', () => {
    expect(remoteModelsAllowed('http://127.0.0.1:4173/?backend=wasm#c=abc')).toBe(true);
    expect(remoteModelsAllowed('http://127.0.0.1:4173/?remoteModels=0')).toBe(false);
    expect(remoteModelsAllowed('http://127.0.0.1:4173/app/?remoteModels=off&backend=wasm')).toBe(false);
    expect(remoteModelsAllowed('http://127.0.0.1:4173/?remoteModels=1')).toBe(true);
    expect(localModelsUrl('http://127.0.0.1:4173/app/index.html?x=1#c=2')).toBe('http://127.0.0.1:4173/app/models/');
  });

  it('configures Transformers.js and turns an HTML answer for a model file into a 404', async () => {
    const seen: string[] = [];
    globalThis.fetch = (async (input: RequestInfo | URL) => {
      const url = String(input);
      seen.push(url);
      if (url.endsWith('/models/tiny-bert/config.json')) return new Response('{"model_type":"bert"}', { headers: { 'content-type': 'application/json' } });
      return new Response('<!doctype html><title>app</title>', { headers: { 'content-type': 'text/html' } });
    }) as typeof fetch;
    await configureTransformersEnv({ baseUrl: 'http://127.0.0.1:4173/?remoteModels=0', allowRemoteModels: false });
    expect(env.localModelPath).toBe('http://127.0.0.1:4173/models/');
    expect(env.allowLocalModels).toBe(true);
    expect(env.allowRemoteModels).toBe(false);
    const wasmPaths = (env.backends.onnx.wasm as { wasmPaths?: { wasm?: string } }).wasmPaths;
    expect(wasmPaths?.wasm).toMatch(/ort-wasm-simd-threaded\.jsep.*\.wasm/);

    const local = await fetch('http://127.0.0.1:4173/models/tiny-bert/config.json');
    expect(local.status).toBe(200);
    expect(await local.json()).toEqual({ model_type: 'bert' });
    const fallback = await fetch('http://127.0.0.1:4173/models/onnx-community/Qwen2.5-0.5B-Instruct/config.json');
    expect(fallback.status).toBe(404);
    // Pages elsewhere are untouched.
    expect((await fetch('http://127.0.0.1:4173/index.html')).status).toBe(200);
    expect((await fetch('http://127.0.0.1:4173/runs')).status).toBe(200);
    expect(seen).toHaveLength(4);
  });
});
