// Browser / worker loader for the GloVe subset: fetches the two files served from public/models/glove.
import { GLOVE_BINARY_FILE, GLOVE_VOCAB_FILE, parseGloveVectors, type GloveVectors } from './gloveVectors';

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Fetching ${url} failed with HTTP ${response.status}; check that public/models/glove is served at this base URL`);
  return response;
}

const loaded = new Map<string, Promise<GloveVectors>>();

/**
 * `baseUrl` is the folder URL, e.g. `${import.meta.env.BASE_URL}models/glove`. Loads once per URL:
 * the scorer and the glove-mean encoder share one copy of the vectors.
 */
export function loadGloveFromUrl(baseUrl: string): Promise<GloveVectors> {
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  let vectors = loaded.get(base);
  if (!vectors) {
    vectors = fetchGlove(base);
    loaded.set(base, vectors);
    vectors.catch(() => loaded.delete(base));
  }
  return vectors;
}

async function fetchGlove(base: string): Promise<GloveVectors> {
  const [binary, vocab] = await Promise.all([
    fetchOk(base + GLOVE_BINARY_FILE).then((r) => r.arrayBuffer()),
    fetchOk(base + GLOVE_VOCAB_FILE).then((r) => r.text()),
  ]);
  return parseGloveVectors(binary, vocab);
}
