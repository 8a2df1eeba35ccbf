// 'glove-mean': a cheap offline state encoder. The state text `Question:… Answer:…` is split into
// its question part and its answer part; each part becomes the mean of the unit GloVe vectors of
// its in-vocabulary words, scaled to unit length; the two are concatenated (200-d for GloVe 100-d)
// and divided by √2, so a state with both parts has length 1 and one without an answer yet has
// length 1/√2 and a zero answer half. Thousands of states per second in plain JS (USE-lite manages
// tens to a hundred on two cores), for fast rollouts and benchmarks; it knows no word order.
import type { StateEncoder } from '../der/types';
import type { GloveVectors } from '../scoring/gloveVectors';
import { tokenizeForGlove } from '../scoring/gloveTokenizer';

export const GLOVE_MEAN_ENCODER_NAME = 'glove-mean';

const QUESTION_PREFIX = 'Question:';
const ANSWER_MARKER = ' Answer:';

/**
 * The question and answer parts of a state text (src/der/prompts.ts stateText). The first
 * " Answer:" after the prefix separates them (an answer may itself contain "Answer:"); a text
 * without the prefix is all question.
 */
export function splitStateText(text: string): { question: string; answer: string } {
  if (!text.startsWith(QUESTION_PREFIX)) return { question: text, answer: '' };
  const body = text.slice(QUESTION_PREFIX.length);
  const at = body.indexOf(ANSWER_MARKER);
  if (at < 0) return { question: body, answer: '' };
  return { question: body.slice(0, at), answer: body.slice(at + ANSWER_MARKER.length) };
}

export interface GloveMeanEncoderOptions {
  /** Words read per part (long answers: the opening carries the gist, and time stays bounded). Default 512. */
  maxTokens?: number;
}

export class GloveMeanEncoder implements StateEncoder {
  readonly name = GLOVE_MEAN_ENCODER_NAME;
  readonly dim: number;
  private readonly maxTokens: number;
  private readonly scratch: Float32Array;

  constructor(
    private readonly vectors: GloveVectors,
    options: GloveMeanEncoderOptions = {},
  ) {
    this.dim = 2 * vectors.dim;
    this.maxTokens = options.maxTokens ?? 512;
    if (!(Number.isInteger(this.maxTokens) && this.maxTokens >= 1)) throw new Error(`maxTokens must be a whole number ≥ 1, got ${options.maxTokens}`);
    this.scratch = new Float32Array(vectors.dim);
  }

  /** Writes the unit-length mean direction of `text`'s known words at `offset` (zeros when none is known). */
  private writePart(text: string, out: Float32Array, offset: number): void {
    const d = this.vectors.dim;
    let known = 0;
    for (const token of tokenizeForGlove(text).slice(0, this.maxTokens)) {
      const index = this.vectors.indexOf(token);
      if (index < 0) continue;
      this.vectors.writeUnitVector(index, this.scratch, 0);
      for (let k = 0; k < d; k++) out[offset + k] += this.scratch[k];
      known++;
    }
    if (known === 0) return;
    let sq = 0;
    for (let k = 0; k < d; k++) sq += out[offset + k] * out[offset + k];
    // Opposite words can cancel exactly; leave such a part at zero rather than divide by 0.
    const scale = sq > 0 ? Math.SQRT1_2 / Math.sqrt(sq) : 0;
    for (let k = 0; k < d; k++) out[offset + k] *= scale;
  }

  encodeOne(text: string): Float32Array {
    const out = new Float32Array(this.dim);
    const { question, answer } = splitStateText(text);
    this.writePart(question, out, 0);
    this.writePart(answer, out, this.vectors.dim);
    return out;
  }

  async encode(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((t) => this.encodeOne(t));
  }
}

export function createGloveMeanEncoder(vectors: GloveVectors, options: GloveMeanEncoderOptions = {}): GloveMeanEncoder {
  return new GloveMeanEncoder(vectors, options);
}
