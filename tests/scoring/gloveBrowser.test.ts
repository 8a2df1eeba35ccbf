import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGloveFromUrl } from '../../src/scoring/gloveBrowser';
import { DEFAULT_GLOVE_DIR } from '../../src/scoring/gloveNode';

// The browser loader's fetch path, served from the committed files by a stand-in fetch.
function serveGloveFolder(prefix: string) {
  const requested: string[] = [];
  vi.stubGlobal('fetch', async (url: string) => {
    requested.push(url);
    if (!url.startsWith(prefix)) return new Response('not found', { status: 404 });
    const bytes = readFileSync(join(DEFAULT_GLOVE_DIR, url.slice(prefix.length)));
    return new Response(bytes, { status: 200 });
  });
  return requested;
}

describe('loadGloveFromUrl', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fetches the binary and the vocabulary below the base URL (with or without a trailing slash)', async () => {
    const requested = serveGloveFolder('http://app.test/models/glove/');
    const vectors = await loadGloveFromUrl('http://app.test/models/glove');
    expect(requested.sort()).toEqual(['http://app.test/models/glove/glove-50k-100d-q8.bin', 'http://app.test/models/glove/vocab.txt']);
    expect(vectors.count).toBe(50_000);
    expect(vectors.indexOf('science')).toBeGreaterThan(0);
  });

  it('names the URL and status when a file is missing', async () => {
    serveGloveFolder('http://app.test/models/glove/');
    await expect(loadGloveFromUrl('http://app.test/wrong/')).rejects.toThrow(/http:\/\/app.test\/wrong\/.* HTTP 404/);
  });
});
