// Browser / worker loader for the GloVe subset: fetches the two files served from public/models/glove.
import { GLOVE_BINARY_FILE, GLOVE_VOCAB_FILE, parseGloveVectors, type GloveVectors } from './gloveVectors';

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Fetching ${url} failed with HTTP ${response.status}; check that public/models/glove is served at this base URL`);
  return response;
}

/** `baseUrl` is the folder URL, e.g. `${import.meta.env.BASE_URL}models/glove`. */
export async function loadGloveFromUrl(baseUrl: string): Promise<GloveVectors> {
  const base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/';
  const [binary, vocab] = await Promise.all([
    fetchOk(base + GLOVE_BINARY_FILE).then((r) => r.arrayBuffer()),
    fetchOk(base + GLOVE_VOCAB_FILE).then((r) => r.text()),
  ]);
  return parseGloveVectors(binary, vocab);
}
