import { describe, expect, it } from 'vitest';
import { createGloveMeanEncoder, splitStateText } from '../../src/encoders/gloveMeanEncoder';
import { parseGloveVectors } from '../../src/scoring/gloveVectors';
import { stateText } from '../../src/der/prompts';
import type { Question } from '../../src/der/types';

/** A 4-word, 3-d GloVe file in the GLQ8 format, with hand-picked directions. */
function tinyGlove() {
  const words = ['cat', 'dog', 'sat', 'mat'];
  const values = [
    [100, 0, 0], // cat
    [0, 100, 0], // dog
    [0, 0, 50], // sat
    [60, 80, 0], // mat (direction 0.6, 0.8, 0)
  ];
  const dim = 3;
  const buf = new ArrayBuffer(16 + words.length * 4 + words.length * dim);
  const view = new DataView(buf);
  'GLQ8'.split('').forEach((c, i) => view.setUint8(i, c.charCodeAt(0)));
  view.setUint32(4, 1, true);
  view.setUint32(8, words.length, true);
  view.setUint32(12, dim, true);
  words.forEach((_, i) => view.setFloat32(16 + i * 4, 0.01, true));
  const ints = new Int8Array(buf, 16 + words.length * 4);
  values.flat().forEach((v, i) => (ints[i] = v));
  return parseGloveVectors(buf, words.join('\n') + '\n');
}

const norm = (v: Float32Array) => Math.hypot(...v);
const q = (instruction: string): Question => ({ id: 'q', instruction, input: '' });

describe('splitStateText', () => {
  it('splits the state text of src/der/prompts at the first " Answer:"', () => {
    expect(splitStateText(stateText(q('Where is the cat?'), 'On the mat. Answer: mat'))).toEqual({
      question: 'Where is the cat?',
      answer: 'On the mat. Answer: mat',
    });
    expect(splitStateText(stateText(q('Where?'), null))).toEqual({ question: 'Where?', answer: ' ' });
  });
  it('treats a text without the prefix as all question', () => {
    expect(splitStateText('just words')).toEqual({ question: 'just words', answer: '' });
  });
});

describe('GloveMeanEncoder', () => {
  const encoder = createGloveMeanEncoder(tinyGlove());

  it('is named glove-mean and has twice the GloVe dimension', () => {
    expect(encoder.name).toBe('glove-mean');
    expect(encoder.dim).toBe(6);
  });

  it('puts the unit mean of the question words in the first half and of the answer words in the second, each of length 1/√2', async () => {
    const [v] = await encoder.encode([stateText(q('cat dog'), 'sat')]);
    const h = Math.SQRT1_2;
    // mean of (1,0,0) and (0,1,0) is along (1,1,0)/√2; times 1/√2 → (0.5, 0.5, 0).
    expect(Array.from(v.subarray(0, 3))).toEqual([expect.closeTo(0.5, 6), expect.closeTo(0.5, 6), 0]);
    expect(Array.from(v.subarray(3))).toEqual([0, 0, expect.closeTo(h, 6)]);
    expect(norm(v)).toBeCloseTo(1, 6);
  });

  it('leaves the answer half at zero before the first answer (length 1/√2)', async () => {
    const [v] = await encoder.encode([stateText(q('mat'), null)]);
    expect(Array.from(v.subarray(3))).toEqual([0, 0, 0]);
    expect(v[0]).toBeCloseTo(0.6 * Math.SQRT1_2, 6);
    expect(v[1]).toBeCloseTo(0.8 * Math.SQRT1_2, 6);
    expect(norm(v)).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('ignores unknown words and punctuation, and distinguishes different answers', async () => {
    const [a, b, c] = await encoder.encode([stateText(q('cat'), 'the dog!'), stateText(q('cat'), 'dog'), stateText(q('cat'), 'mat')]);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(c)).not.toEqual(Array.from(b));
  });

  it('encodes every text of a batch in order', async () => {
    const texts = [stateText(q('cat'), 'dog'), stateText(q('dog'), 'cat')];
    const out = await encoder.encode(texts);
    expect(out).toHaveLength(2);
    expect(Array.from(out[0].subarray(0, 3))).toEqual(Array.from(out[1].subarray(3)));
  });
});
