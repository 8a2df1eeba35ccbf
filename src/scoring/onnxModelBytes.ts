// Fetches the raw bytes of a model's ONNX file from the same places Transformers.js loads it
// from (its local model folder, its cache, the hub), so the graph can be edited before a session
// is created. Mirrors the lookup order of Transformers.js 3.x `getModelFile`: local path, cache
// (browser Cache API "transformers-cache" or the Node file cache), then the remote URL.
import { env } from '@huggingface/transformers';

// Same rule as Transformers.js: "org/name" or "name" is a hub id; anything else is a path.
const REPO_ID = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;

export function isHubModelId(id: string): boolean {
  return REPO_ID.test(id) && !id.includes('..') && !id.includes('--') && !id.endsWith('.git');
}

function pathJoin(...parts: string[]): string {
  return parts
    .map((part, i) => {
      let p = part;
      if (i > 0) p = p.replace(/^\//, '');
      if (i < parts.length - 1) p = p.replace(/\/$/, '');
      return p;
    })
    .join('/');
}

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

async function readNodeFile(path: string): Promise<Uint8Array | null> {
  // A computed specifier keeps bundlers from pulling node:fs into the browser build.
  const fsModule = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import('node:fs/promises');
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch {
    return null;
  }
}

async function fetchBytes(url: string): Promise<Uint8Array | null> {
  const response = await fetch(url);
  if (!response.ok) return null;
  return new Uint8Array(await response.arrayBuffer());
}

async function readBrowserCache(url: string): Promise<Uint8Array | null> {
  if (typeof caches === 'undefined') return null;
  try {
    const cache = await caches.open('transformers-cache');
    const hit = await cache.match(url);
    return hit ? new Uint8Array(await hit.arrayBuffer()) : null;
  } catch {
    return null;
  }
}

/** Where a model file is looked up, in order (for error messages and tests). */
export function modelFileLocations(modelId: string, fileName: string, revision = 'main') {
  const requestPath = pathJoin(modelId, fileName);
  const localPath = isHubModelId(modelId) ? pathJoin(env.localModelPath, requestPath) : requestPath;
  const remoteUrl = pathJoin(
    env.remoteHost,
    env.remotePathTemplate.replaceAll('{model}', modelId).replaceAll('{revision}', encodeURIComponent(revision)),
    fileName,
  );
  const nodeCachePath = env.cacheDir ? pathJoin(env.cacheDir, requestPath) : null;
  return { localPath, remoteUrl, nodeCachePath };
}

/** The bytes of `fileName` (e.g. "onnx/model.onnx") of a hub model id or local model folder. */
export async function loadModelFileBytes(modelId: string, fileName: string): Promise<Uint8Array> {
  const { localPath, remoteUrl, nodeCachePath } = modelFileLocations(modelId, fileName);
  const tried: string[] = [];
  if (env.allowLocalModels) {
    tried.push(localPath);
    const local = isNode ? await readNodeFile(localPath) : await fetchBytes(localPath).catch(() => null);
    if (local) return local;
  }
  if (isNode && env.useFSCache && nodeCachePath) {
    tried.push(nodeCachePath);
    const cached = await readNodeFile(nodeCachePath);
    if (cached) return cached;
  }
  if (!isNode && env.useBrowserCache) {
    tried.push(`browser cache ${remoteUrl}`);
    const cached = await readBrowserCache(remoteUrl);
    if (cached) return cached;
  }
  if (env.allowRemoteModels) {
    tried.push(remoteUrl);
    const remote = await fetchBytes(remoteUrl).catch(() => null);
    if (remote) return remote;
  }
  throw new Error(
    `Cannot read ${fileName} of model "${modelId}" (tried: ${tried.join(', ') || 'nothing: local and remote models are both disabled'}). ` +
      'Check the model id / folder, or allow remote models to download it.',
  );
}
