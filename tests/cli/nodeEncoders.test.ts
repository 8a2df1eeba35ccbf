// The encoder names the CLI accepts, and the GloVe vectors shared by the scorer and the glove-mean encoder.
import { describe, expect, it } from 'vitest';
import { loadEncoderNode } from '../../src/cli/nodeSession';
import { loadGloveFromFiles } from '../../src/scoring/gloveNode';

describe('CLI encoders', () => {
  it('glove-mean gives 200-d state vectors whose answer half is empty before the first answer', async () => {
    const encoder = await loadEncoderNode('glove-mean');
    expect(encoder.dim).toBe(200);
    const [first, later] = await encoder.encode([
      'Question:What is the boiling point of water? Answer: ',
      'Question:What is the boiling point of water? Answer:It boils at 100 degrees Celsius.',
    ]);
    expect(first.length).toBe(200);
    expect(first.subarray(100).every((x) => x === 0)).toBe(true);
    expect(later.subarray(100).some((x) => x !== 0)).toBe(true);
    // Same question: the question halves agree.
    expect(Array.from(later.subarray(0, 100))).toEqual(Array.from(first.subarray(0, 100)));
  });

  it('loads the GloVe vectors once for the scorer and the encoder', async () => {
    const [a, b] = [loadGloveFromFiles(), loadGloveFromFiles()];
    expect(a).toBe(b);
    expect(await a).toBe(await b);
  });

  it('names the accepted encoders when one is unknown', async () => {
    await expect(loadEncoderNode('bag-of-words')).rejects.toThrow(/use-lite, glove-mean or minilm/);
  });
});
