// The GloVe subset built by scripts/build-glove-subset.mjs, parsed from its bytes so that Node
// (gloveNode.ts, reads files) and the browser (gloveBrowser.ts, fetches URLs) share one parser.
// Binary layout (little-endian): "GLQ8", uint32 version=1, uint32 count, uint32 dim,
// float32 scale[count], int8 value[count*dim]; vector i ≈ scale[i] · value[i*dim .. i*dim+dim).

export const GLOVE_BINARY_FILE = 'glove-50k-100d-q8.bin';
export const GLOVE_VOCAB_FILE = 'vocab.txt';
const MAGIC = 'GLQ8';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 16;

export interface GloveVectors {
  readonly count: number;
  readonly dim: number;
  /** Row index of a word (already tokenised and lowercased), or -1 when it is not in the vocabulary. */
  indexOf(word: string): number;
  wordAt(index: number): string;
  /** Writes the unit-length vector of word `index` into `out` at `offset` (cosines need only directions). */
  writeUnitVector(index: number, out: Float32Array, offset: number): void;
  /**
   * Writes the stored int8 values of word `index` (the direction, unscaled; exact in float32) into
   * `out` at `offset`. With `inverseNorm` this gives cosines to float64 precision, so that a word's
   * cosine with itself is 1 up to 1e-16 rather than the 1e-8 of float32 unit vectors.
   */
  writeDirection(index: number, out: Float32Array, offset: number): void;
  /** 1 / |int8 values of word `index`| in float64 (0 for an all-zero vector). */
  inverseNorm(index: number): number;
  /** The dequantised vector (scale · int8), for inspection and tests. */
  vector(index: number): Float32Array;
}

/** Parses the binary and the vocabulary text; throws with the cause when they do not fit together. */
export function parseGloveVectors(binary: ArrayBuffer, vocabText: string): GloveVectors {
  if (binary.byteLength < HEADER_BYTES)
    throw new Error(`GloVe binary is ${binary.byteLength} bytes, too short for a header; rebuild it with "npm run glove:build"`);
  const view = new DataView(binary);
  const magic = String.fromCharCode(view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3));
  if (magic !== MAGIC) throw new Error(`GloVe binary starts with "${magic}", expected "${MAGIC}": wrong file, or an HTML error page was served in its place`);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION)
    throw new Error(`GloVe binary format version ${version}, this code reads ${FORMAT_VERSION}; rebuild with "npm run glove:build"`);
  const count = view.getUint32(8, true);
  const dim = view.getUint32(12, true);
  const expected = HEADER_BYTES + count * 4 + count * dim;
  if (binary.byteLength !== expected)
    throw new Error(`GloVe binary is ${binary.byteLength} bytes, expected ${expected} for ${count}×${dim}; the file is truncated or corrupt`);

  const words = vocabText.split('\n');
  if (words.length > 0 && words[words.length - 1] === '') words.pop();
  if (words.length !== count)
    throw new Error(`GloVe vocabulary has ${words.length} words but the binary has ${count} vectors; use the vocab.txt built with it`);

  // Copy the scales so that the Float32Array is aligned whatever the buffer's origin.
  const scales = new Float32Array(binary.slice(HEADER_BYTES, HEADER_BYTES + count * 4));
  const values = new Int8Array(binary, HEADER_BYTES + count * 4, count * dim);
  const inverseNorms = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let sq = 0;
    for (let k = 0; k < dim; k++) sq += values[i * dim + k] * values[i * dim + k];
    inverseNorms[i] = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  }
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) if (!index.has(words[i])) index.set(words[i], i);

  return {
    count,
    dim,
    indexOf: (word) => index.get(word) ?? -1,
    wordAt: (i) => words[i],
    writeUnitVector(i, out, offset) {
      // The per-vector scale cancels in the normalisation, so the int8 values suffice.
      const inv = inverseNorms[i];
      const base = i * dim;
      for (let k = 0; k < dim; k++) out[offset + k] = values[base + k] * inv;
    },
    writeDirection(i, out, offset) {
      const base = i * dim;
      for (let k = 0; k < dim; k++) out[offset + k] = values[base + k];
    },
    inverseNorm: (i) => inverseNorms[i],
    vector(i) {
      const out = new Float32Array(dim);
      for (let k = 0; k < dim; k++) out[k] = values[i * dim + k] * scales[i];
      return out;
    },
  };
}
