// Universal Sentence Encoder lite as a StateEncoder: SentencePiece ids fed to the TF.js graph as a
// sparse batch (indices [row, position] + values), 512-d L2-normalised sentence vectors out.
// Platform loaders (useLiteNode.ts, useLiteBrowser.ts) only differ in how they read the files.
import * as tf from '@tensorflow/tfjs';
import type { StateEncoder } from '../der/types';
import { SentencePieceTokenizer, type VocabularyEntry } from './sentencePiece';
import { loadGraphModelFrom, type ShardReader } from './useLiteModel';

export const USE_LITE_DIM = 512;

/** The graph drops positions ≥ this (its ClipToMaxLength node); tokens past it change nothing. */
export const USE_LITE_DEFAULT_MAX_TOKENS = 128;

const CLIP_LENGTH_WEIGHT = 'module_apply_default/Encoder_en/KonaTransformer/ClipToMaxLength/Less/y';

export interface UseLiteOptions {
  /** Texts per graph call; bounds memory for long state lists. */
  batchSize?: number;
  /** Overrides the token limit read from the graph. */
  maxTokens?: number;
}

/** The sparse inputs the USE-lite graph expects for a batch of token-id lists. */
export function sparseBatch(tokenLists: readonly (readonly number[])[]): { indices: Int32Array; values: Int32Array } {
  const total = tokenLists.reduce((sum, ids) => sum + ids.length, 0);
  const indices = new Int32Array(total * 2);
  const values = new Int32Array(total);
  let k = 0;
  tokenLists.forEach((ids, row) => {
    ids.forEach((id, position) => {
      indices[2 * k] = row;
      indices[2 * k + 1] = position;
      values[k] = id;
      k++;
    });
  });
  return { indices, values };
}

export class UseLiteEncoder implements StateEncoder {
  readonly name = 'use-lite';
  readonly dim = USE_LITE_DIM;
  readonly batchSize: number;
  readonly maxTokens: number;
  /** Number of graph executions so far (tests use it to see cache hits). */
  modelCalls = 0;

  constructor(
    readonly model: tf.GraphModel,
    readonly tokenizer: SentencePieceTokenizer,
    options: UseLiteOptions = {},
  ) {
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
    this.maxTokens = options.maxTokens ?? graphClipLength(model) ?? USE_LITE_DEFAULT_MAX_TOKENS;
  }

  /** Token ids as the graph sees them: clipped, and never empty. */
  tokenize(text: string): number[] {
    const ids = this.tokenizer.encode(text).slice(0, this.maxTokens);
    // An empty row would vanish from the sparse batch (the graph infers the batch size from the
    // largest row index) and shift every later vector; one unk token keeps the row in place.
    return ids.length > 0 ? ids : [this.tokenizer.unkId];
  }

  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    const tokenLists = texts.map((t) => this.tokenize(t));
    // The graph pads every row to the longest in its batch; batching texts of similar length
    // wastes less work on padding. Each row's vector does not depend on its batch-mates.
    const order = tokenLists.map((_, i) => i).sort((a, b) => tokenLists[a].length - tokenLists[b].length || a - b);
    const out = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const rows = order.slice(start, start + this.batchSize);
      const vectors = await this.encodeBatch(rows.map((i) => tokenLists[i]));
      rows.forEach((i, k) => {
        out[i] = vectors[k];
      });
    }
    return out;
  }

  private async encodeBatch(tokenLists: readonly (readonly number[])[]): Promise<Float32Array[]> {
    const { indices, values } = sparseBatch(tokenLists);
    const indicesTensor = tf.tensor2d(indices, [values.length, 2], 'int32');
    const valuesTensor = tf.tensor1d(values, 'int32');
    let output: tf.Tensor | tf.Tensor[] | undefined;
    try {
      this.modelCalls++;
      // executeAsync: the graph has dynamic-shape ops (Where) that execute() refuses.
      output = await this.model.executeAsync({ indices: indicesTensor, values: valuesTensor });
      const embeddings = Array.isArray(output) ? output[0] : output;
      if (embeddings.shape[0] !== tokenLists.length || embeddings.shape[1] !== USE_LITE_DIM) {
        throw new Error(`USE-lite returned shape [${embeddings.shape}] for ${tokenLists.length} texts; expected [${tokenLists.length}, ${USE_LITE_DIM}].`);
      }
      const flat = (await embeddings.data()) as Float32Array;
      return tokenLists.map((_, row) => flat.slice(row * USE_LITE_DIM, (row + 1) * USE_LITE_DIM));
    } finally {
      indicesTensor.dispose();
      valuesTensor.dispose();
      if (output) tf.dispose(output);
    }
  }

  dispose(): void {
    this.model.dispose();
  }
}

function graphClipLength(model: tf.GraphModel): number | undefined {
  const tensors = model.weights[CLIP_LENGTH_WEIGHT];
  if (!tensors || tensors.length === 0 || tensors[0].size !== 1) return undefined;
  const value = tensors[0].dataSync()[0];
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** The files a loader must provide; how they are read is the platform's business. */
export interface UseLiteSource {
  modelJson: tf.io.ModelJSON;
  vocabulary: readonly VocabularyEntry[];
  readShard: ShardReader;
}

export async function createUseLiteEncoder(source: UseLiteSource, options: UseLiteOptions = {}): Promise<UseLiteEncoder> {
  const tokenizer = new SentencePieceTokenizer(source.vocabulary);
  const model = await loadGraphModelFrom(source.modelJson, source.readShard);
  return new UseLiteEncoder(model, tokenizer, options);
}
