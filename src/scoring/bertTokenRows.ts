// One text's token vectors made ready for greedy matching, once per distinct text: special tokens
// dropped (or kept for zero weight, as the bert_score package does) and the inverse norms
// computed. Before, both steps ran again for every pair a text took part in (a DER reference is
// scored against every step's answer), and each run copied the vectors.
import type { EncodedText } from './bertEncoder';
import type { TokenEmbeddings } from './greedyMatch';
import type { IdfTable } from './idf';

export type SpecialTokenMode = 'drop' | 'zeroWeight';

/** A text's matchable tokens: their ids, vectors (row-major) and 1/|row| (0 for a zero row). */
export interface TokenRows {
  readonly ids: Int32Array;
  readonly vectors: Float32Array;
  readonly inverseNorms: Float64Array;
  readonly count: number;
  readonly dim: number;
}

function inverseNorms(vectors: Float32Array, count: number, dim: number): Float64Array {
  // Same arithmetic as greedyMatch's own norms, so scores do not change by a bit.
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let sq = 0;
    const base = i * dim;
    for (let k = 0; k < dim; k++) sq += vectors[base + k] * vectors[base + k];
    out[i] = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  }
  return out;
}

export function toTokenRows(e: EncodedText, special: ReadonlySet<number>, mode: SpecialTokenMode): TokenRows {
  const dim = e.dim;
  if (mode === 'zeroWeight') {
    return { ids: e.ids, vectors: e.vectors, inverseNorms: inverseNorms(e.vectors, e.count, dim), count: e.count, dim };
  }
  let first = 0;
  let last = e.count;
  while (first < last && special.has(e.ids[first])) first++;
  while (last > first && special.has(e.ids[last - 1])) last--;
  let inner = 0;
  for (let i = first; i < last; i++) if (special.has(e.ids[i])) inner++;
  let ids: Int32Array;
  let vectors: Float32Array;
  if (inner === 0) {
    // The usual case ([CLS] text [SEP]): the kept rows are contiguous, a view needs no copy.
    ids = e.ids.subarray(first, last);
    vectors = e.vectors.subarray(first * dim, last * dim);
  } else {
    // A special token inside the text (e.g. a literal "[SEP]"): copy the kept rows.
    ids = new Int32Array(last - first - inner);
    vectors = new Float32Array(ids.length * dim);
    let row = 0;
    for (let i = first; i < last; i++) {
      if (special.has(e.ids[i])) continue;
      ids[row] = e.ids[i];
      vectors.set(e.vectors.subarray(i * dim, (i + 1) * dim), row * dim);
      row++;
    }
  }
  return { ids, vectors, inverseNorms: inverseNorms(vectors, ids.length, dim), count: ids.length, dim };
}

/**
 * The rows with their weights for greedyMatch: none for plain means; idf per wordpiece id; 0 for
 * special tokens in zeroWeight mode.
 */
export function weighTokenRows(rows: TokenRows, special: ReadonlySet<number>, mode: SpecialTokenMode, idf: IdfTable | null): TokenEmbeddings {
  if (mode === 'drop' && !idf) return rows;
  const weights = new Float64Array(rows.count);
  for (let i = 0; i < rows.count; i++) {
    const id = rows.ids[i];
    weights[i] = special.has(id) ? 0 : idf ? idf.weight(String(id)) : 1;
  }
  return { ...rows, weights };
}
