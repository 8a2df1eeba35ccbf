// Transformers.js settings for the page and the worker: onnxruntime-web's wasm binary served by the
// app itself (not from a CDN), models bundled under `<base>/models/` (the tiny test fixtures, or any
// model a deployment puts there) found by folder name, and hub downloads allowed unless switched
// off. Downloaded models are cached by the browser (Transformers.js's Cache API cache, on by default).
//
// onnxruntime-web 1.22's package exports do not list its .wasm files, so the binary is imported by
// path. Transformers.js uses the bundled ("ort.bundle") build, whose JS glue is inlined: only the
// .wasm needs a URL.
import ortWasmUrl from '../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.wasm?url';

export interface TransformersEnvOptions {
  /** The app's base URL (document.baseURI): local models live under `models/` below it. */
  baseUrl: string;
  /** Whether models may come from the Hugging Face hub (false for offline tests). */
  allowRemoteModels: boolean;
}

/** Where the app serves its bundled models. */
export function localModelsUrl(baseUrl: string): string {
  return new URL('models/', baseUrl).href;
}

/**
 * The page's switch for hub downloads: `?remoteModels=0` (or `false`/`off`) keeps every model
 * local. The query travels to the worker inside `baseUrl` (document.baseURI).
 */
export function remoteModelsAllowed(baseUrl: string): boolean {
  const value = new URL(baseUrl).searchParams.get('remoteModels');
  return value === null || !/^(0|false|off|no)$/i.test(value);
}

let configured: string | null = null;
let guardedPrefix: string | null = null;

/**
 * Many static servers (Vite's preview, SPA hosts) answer a missing file with the app's index.html
 * and status 200. For a hub model id Transformers.js first looks under the local models folder, and
 * would then parse that page as the model's config instead of going to the hub. Such an answer
 * below the models folder is turned into the 404 it stands for.
 */
function guardLocalModelFetch(prefix: string): void {
  if (guardedPrefix !== null) {
    guardedPrefix = prefix;
    return;
  }
  guardedPrefix = prefix;
  const original = globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (
      guardedPrefix &&
      url.startsWith(guardedPrefix) &&
      !/\.html?$/i.test(new URL(url).pathname) &&
      (response.headers.get('content-type') ?? '').includes('text/html')
    ) {
      return new Response(null, { status: 404, statusText: 'Not Found (the server answered with an HTML page, not a model file)' });
    }
    return response;
  };
}

export async function configureTransformersEnv(options: TransformersEnvOptions): Promise<void> {
  const { env } = await import('@huggingface/transformers');
  env.localModelPath = localModelsUrl(options.baseUrl);
  if (typeof globalThis.fetch === 'function') guardLocalModelFetch(env.localModelPath);
  env.allowLocalModels = true; // off by default in browsers
  env.allowRemoteModels = options.allowRemoteModels;
  env.useBrowserCache = typeof caches !== 'undefined';
  const wasm = env.backends.onnx.wasm;
  if (wasm) {
    (wasm as { wasmPaths?: unknown }).wasmPaths = { wasm: new URL(ortWasmUrl, options.baseUrl).href };
    // Threads need a cross-origin-isolated page and gain little on small models; keep one.
    wasm.numThreads = 1;
    wasm.proxy = false;
  }
  configured = `${env.localModelPath} remote=${env.allowRemoteModels}`;
}

/** What configureTransformersEnv last set (for the session info line), or null. */
export function transformersEnvSummary(): string | null {
  return configured;
}
