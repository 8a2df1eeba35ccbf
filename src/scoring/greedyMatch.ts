// BERTScore's matching step (Zhang et al., ICLR 2020) on token embeddings that are already
// computed: pure math, no model. The GloVe stand-in uses it now; a contextual (Transformers.js)
// BERTScore can feed it the hidden states of its chosen layer later.
//
//   sim(i, j)  = cosine of candidate token i and reference token j
//   P          = Σ_i w_i · max_j sim(i, j) / Σ_i w_i     (candidate side; w = 1 without idf)
//   R          = Σ_j w_j · max_i sim(i, j) / Σ_j w_j     (reference side)
//   F1         = 2PR / (P + R), 0 when P + R = 0
//
// Empty inputs: when either side has no tokens, P = R = F1 = 0. This is what the bert_score package
// does ("Empty candidate/reference sentence detected; setting raw BERTScores to 0").
// A zero vector has cosine 0 with everything. A weight sum of 0 gives a side score of 0.

import { fillCosineMaxima } from './cosineMaxKernel';
import { simdCosineMaxima } from './cosineMaxSimd';

/** The vector-only kernel: WebAssembly SIMD (float32, as torch) where the engine has it, else the JS one (float64 sums). */
const cosineMaxima = simdCosineMaxima() ?? fillCosineMaxima;

/** The embedded tokens of one text: `count` rows of `dim` floats, row-major. */
export interface TokenEmbeddings {
  readonly vectors: Float32Array;
  readonly count: number;
  readonly dim: number;
  /**
   * Optional exact-match ids for tokens that have no usable vector (e.g. words outside a static
   * vocabulary): -1 means "use the vector"; an id ≥ 0 means the token matches only a token with the
   * same id (similarity 1) and nothing else (similarity 0).
   */
  readonly exactMatchIds?: Int32Array;
  /**
   * Optional precomputed 1/|row| per token (float64). When present it is used instead of computing
   * the norms (and instead of the `normalized` option), which saves time and keeps self-cosines at
   * float64 precision.
   */
  readonly inverseNorms?: Float64Array;
  /** Optional per-token importance weights (idf), length `count`. */
  readonly weights?: ArrayLike<number>;
}

export interface GreedyMatchOptions {
  /** Skip normalisation because every row is already unit length (or zero). Saves time in hot loops. */
  readonly normalized?: boolean;
  /** Use `weights` of both sides for weighted means (BERTScore's idf option). Default: true when weights are present. */
  readonly useWeights?: boolean;
}

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/** Returns a copy of `vectors` with every `dim`-row scaled to unit length (zero rows stay zero). */
export function normalizeRows(vectors: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(vectors.length);
  for (let row = 0; row < vectors.length; row += dim) {
    let sq = 0;
    for (let k = 0; k < dim; k++) sq += vectors[row + k] * vectors[row + k];
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let k = 0; k < dim; k++) out[row + k] = vectors[row + k] * inv;
  }
  return out;
}

export function f1FromPrecisionRecall(precision: number, recall: number): number {
  const sum = precision + recall;
  // A NaN (from a NaN in the embeddings) stays NaN, so the episode is flagged rather than scored 0.
  if (Number.isNaN(sum)) return NaN;
  return sum > 0 ? (2 * precision * recall) / sum : 0;
}

// Scratch buffers reused across calls so that scoring many pairs allocates nothing per pair.
let bestForCandidate = new Float64Array(64);
let bestForReference = new Float64Array(64);
let inverseNormCandidate = new Float64Array(64);
let inverseNormReference = new Float64Array(64);

function ensureScratch(candidateCount: number, referenceCount: number): void {
  if (bestForCandidate.length < candidateCount) {
    bestForCandidate = new Float64Array(candidateCount * 2);
    inverseNormCandidate = new Float64Array(candidateCount * 2);
  }
  if (bestForReference.length < referenceCount) {
    bestForReference = new Float64Array(referenceCount * 2);
    inverseNormReference = new Float64Array(referenceCount * 2);
  }
}

function inverseNormsOf(e: TokenEmbeddings, scratch: Float64Array, normalized: boolean): Float64Array {
  if (e.inverseNorms) {
    if (e.inverseNorms.length < e.count) throw new Error(`greedyMatch: inverseNorms has ${e.inverseNorms.length} entries for ${e.count} tokens`);
    return e.inverseNorms;
  }
  fillInverseNorms(e, scratch, normalized);
  return scratch;
}

function fillInverseNorms(e: TokenEmbeddings, out: Float64Array, normalized: boolean): void {
  for (let i = 0; i < e.count; i++) {
    if (normalized) {
      out[i] = 1;
      continue;
    }
    let sq = 0;
    const base = i * e.dim;
    for (let k = 0; k < e.dim; k++) sq += e.vectors[base + k] * e.vectors[base + k];
    out[i] = sq > 0 ? 1 / Math.sqrt(sq) : 0;
  }
}

/** Dot product of two rows; unrolled by 4 because this loop is where scoring spends its time. */
function dot(a: Float32Array, aStart: number, b: Float32Array, bStart: number, dim: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let k = 0;
  for (; k + 3 < dim; k += 4) {
    s0 += a[aStart + k] * b[bStart + k];
    s1 += a[aStart + k + 1] * b[bStart + k + 1];
    s2 += a[aStart + k + 2] * b[bStart + k + 2];
    s3 += a[aStart + k + 3] * b[bStart + k + 3];
  }
  for (; k < dim; k++) s0 += a[aStart + k] * b[bStart + k];
  return s0 + s1 + (s2 + s3);
}

function weightedMean(values: Float64Array, count: number, weights: ArrayLike<number> | undefined): number {
  let sum = 0;
  let weightSum = 0;
  for (let i = 0; i < count; i++) {
    const w = weights ? weights[i] : 1;
    sum += w * values[i];
    weightSum += w;
  }
  return weightSum > 0 ? sum / weightSum : 0;
}

/** BERTScore P, R, F1 of one candidate against one reference by greedy cosine matching. */
export function greedyMatch(candidate: TokenEmbeddings, reference: TokenEmbeddings, options: GreedyMatchOptions = {}): PrecisionRecallF1 {
  if (candidate.count === 0 || reference.count === 0) return { precision: 0, recall: 0, f1: 0 };
  if (candidate.dim !== reference.dim) {
    throw new Error(`greedyMatch: candidate dim ${candidate.dim} != reference dim ${reference.dim}; embed both texts with the same model`);
  }
  const n = candidate.count;
  const m = reference.count;
  const dim = candidate.dim;
  const normalized = options.normalized ?? false;
  ensureScratch(n, m);
  const bestC = bestForCandidate;
  const bestR = bestForReference;
  const invC = inverseNormsOf(candidate, inverseNormCandidate, normalized);
  const invR = inverseNormsOf(reference, inverseNormReference, normalized);
  for (let j = 0; j < m; j++) bestR[j] = -Infinity;

  const cv = candidate.vectors;
  const rv = reference.vectors;
  const cIds = candidate.exactMatchIds;
  const rIds = reference.exactMatchIds;
  if (!cIds && !rIds) {
    // Vectors only (contextual BERTScore, GloVe rows without exact-match tokens): the blocked kernel.
    cosineMaxima(cv, invC, n, rv, invR, m, dim, bestC, bestR);
  } else {
    for (let i = 0; i < n; i++) {
      let best = -Infinity;
      const ci = i * dim;
      const idI = cIds ? cIds[i] : -1;
      for (let j = 0; j < m; j++) {
        const idJ = rIds ? rIds[j] : -1;
        let sim: number;
        if (idI >= 0 || idJ >= 0) {
          sim = idI === idJ ? 1 : 0;
        } else {
          sim = dot(cv, ci, rv, j * dim, dim) * invC[i] * invR[j];
        }
        if (sim > best) best = sim;
        if (sim > bestR[j]) bestR[j] = sim;
      }
      bestC[i] = best;
    }
  }

  const useWeights = options.useWeights ?? true;
  const precision = weightedMean(bestC, n, useWeights ? candidate.weights : undefined);
  const recall = weightedMean(bestR, m, useWeights ? reference.weights : undefined);
  return { precision, recall, f1: f1FromPrecisionRecall(precision, recall) };
}
