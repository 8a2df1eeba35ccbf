// Node loader for the GloVe subset (CLI, tests, scripts). The browser uses gloveBrowser.ts.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { GLOVE_BINARY_FILE, GLOVE_VOCAB_FILE, parseGloveVectors, type GloveVectors } from './gloveVectors';
import { errorMessage } from '../der/errorMessage';

/** public/models/glove of this repository, where `npm run glove:build` writes the files. */
export const DEFAULT_GLOVE_DIR = fileURLToPath(new URL('../../public/models/glove/', import.meta.url));

const loaded = new Map<string, Promise<GloveVectors>>();

/** Loads once per folder: the scorer and the glove-mean encoder share one copy of the vectors. */
export function loadGloveFromFiles(dir: string = DEFAULT_GLOVE_DIR): Promise<GloveVectors> {
  let vectors = loaded.get(dir);
  if (!vectors) {
    vectors = readGloveFiles(dir);
    loaded.set(dir, vectors);
    vectors.catch(() => loaded.delete(dir));
  }
  return vectors;
}

async function readGloveFiles(dir: string): Promise<GloveVectors> {
  const binaryPath = join(dir, GLOVE_BINARY_FILE);
  const vocabPath = join(dir, GLOVE_VOCAB_FILE);
  let bytes: Buffer;
  let vocab: string;
  try {
    [bytes, vocab] = await Promise.all([readFile(binaryPath), readFile(vocabPath, 'utf8')]);
  } catch (error) {
    throw new Error(`Cannot read the GloVe subset from ${dir} (${errorMessage(error)}); run "npm run glove:build" to create it`, { cause: error });
  }
  const binary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return parseGloveVectors(binary, vocab);
}
