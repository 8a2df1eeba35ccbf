// "GloVe stand-in for BERTScore": BERTScore's greedy matching (greedyMatch.ts) on static GloVe
// word vectors instead of mBERT layer-9 hidden states, so that the workbench can score answers
// offline, instantly, with no model download. It is NOT BERTScore: static vectors ignore context,
// and the raw numbers live on another scale. To make thresholds such as p0 = 0.73 (set for raw
// mBERT-L9 F1) mean roughly the same thing, raw GloVe F1 is mapped linearly onto the mBERT-L9 raw
// scale with two anchors:
//   identical texts:   raw 1                          → 1
//   unrelated texts:   raw GLOVE_UNRELATED_MEAN_RAW_F1 → MBERT_L9_BASELINE_F1 (0.63146895)
// i.e. mapped = 1 − (1 − raw) · (1 − 0.63146895) / (1 − anchor), clamped to [0, 1].
// MBERT_L9_BASELINE_F1 is bert_score's published baseline F for bert-base-multilingual-cased,
// layer 9 (rescale_baseline/en/bert-base-multilingual-cased.tsv): the mean F1 of unrelated
// sentence pairs. The GloVe anchor is the mean raw F1 of unrelated pairs measured the same way on
// this project's sample dataset (see gloveAnchor.ts). Clamping only touches the edges: raw F1 can
// exceed 1 by float rounding, and would need to be far below any observed value to map below 0.
//
// Out-of-vocabulary tokens get no vector; they match only an identical OOV token (similarity 1),
// and score 0 against everything else. This is deterministic and keeps "identical text → 1".
// Besides rare words, the wink packaging of GloVe has no pure numbers ("36", "3.14"), no single
// letters ("a", "i") and no clitics ("'s", "n't"), so these are matched exactly too; for numbers
// this is what an answer checker wants (36 vs 35 counts as a mismatch, not as "similar").
// An empty candidate or reference (no tokens) scores 0, as bert_score sets raw scores to 0 then.
// Like bert_score (which cuts texts to the model's 512 tokens), only the first `maxTokens` tokens
// of a text are scored: a runaway answer of megabytes costs no more than a long one, and the step
// record still keeps the whole answer.
import type { Scorer } from '../der/types';
import type { GloveVectors } from './gloveVectors';
import { greedyMatch, type PrecisionRecallF1, type TokenEmbeddings } from './greedyMatch';
import type { IdfTable } from './idf';
import { tokenizeForGlove } from './gloveTokenizer';

/** bert_score's baseline F, bert-base-multilingual-cased, layer 9 (the DER reference setting). */
export const MBERT_L9_BASELINE_F1 = 0.63146895;

/**
 * Mean raw GloVe F1 (no idf) over all unordered pairs of references of different questions in
 * public/data/sample.jsonl. Computed by `npx tsx scripts/compute-glove-anchor.ts`; the test
 * tests/scoring/gloveAnchor.test.ts recomputes it and fails when data or code drift.
 */
export const GLOVE_UNRELATED_MEAN_RAW_F1 = 0.6685356991426816; // 18,336 pairs of 192 references
/** The same with idf weights computed over the sample's references (the scorer's `idf` option). */
export const GLOVE_UNRELATED_MEAN_RAW_F1_IDF = 0.5223128796296672;

export const GLOVE_SCORER_NAME = 'GloVe stand-in for BERTScore (GloVe 6B 100-d, 50k words, mapped to mBERT-L9 raw F1 scale)';

export interface GloveScorerOptions {
  /** idf weights (BERTScore's idf option). Build them with buildIdf over tokenizeForGlove'd references. */
  readonly idf?: IdfTable;
  /**
   * Raw F1 of unrelated pairs for the linear map. Default: GLOVE_UNRELATED_MEAN_RAW_F1, or the
   * _IDF constant when `idf` is set (that one was measured with the sample's idf; with idf over
   * another corpus, measure it with meanUnrelatedRawF1 and pass it here).
   */
  readonly anchorRawF1?: number;
  /** How many embedded texts to keep (FIFO). Default 20,000. */
  readonly cacheLimit?: number;
  /** Tokens of a text that are scored; the rest is ignored (bert_score's 512-token cut). Default GLOVE_MAX_TOKENS. */
  readonly maxTokens?: number;
}

/** Default token limit per text, as bert_score's 512 (its 2 special tokens aside, GloVe has none). */
export const GLOVE_MAX_TOKENS = 512;

/**
 * The embedded text: one row per distinct token (`distinctTokens`), weights = multiplicity × idf.
 * `tokens` keeps the scored token sequence (at most maxTokens) for inspection.
 */
export interface GloveTextEmbedding extends TokenEmbeddings {
  readonly tokens: readonly string[];
  readonly distinctTokens: readonly string[];
}

export interface GloveScoreDetail extends PrecisionRecallF1 {
  /** The F1 after the linear map to the mBERT-L9 scale: the number `score` returns. */
  mappedF1: number;
}

export interface GloveScorer extends Scorer {
  readonly anchorRawF1: number;
  readonly vectors: GloveVectors;
  /** Synchronous `score` (the async one only wraps it). */
  scoreSync(candidates: readonly string[], references: readonly string[]): number[];
  /** Raw P, R, F1 (unmapped) and the mapped F1 per pair. */
  scoreDetailed(candidates: readonly string[], references: readonly string[]): GloveScoreDetail[];
  embed(text: string): GloveTextEmbedding;
}

/** The linear map from raw GloVe F1 to the mBERT-L9 raw scale (see the file comment). */
export function mapRawF1ToMbertScale(rawF1: number, anchorRawF1: number): number {
  const slope = (1 - MBERT_L9_BASELINE_F1) / (1 - anchorRawF1);
  return Math.min(1, Math.max(0, 1 - (1 - rawF1) * slope));
}

export function createGloveScorer(vectors: GloveVectors, options: GloveScorerOptions = {}): GloveScorer {
  const idf = options.idf;
  const anchorRawF1 = options.anchorRawF1 ?? (idf ? GLOVE_UNRELATED_MEAN_RAW_F1_IDF : GLOVE_UNRELATED_MEAN_RAW_F1);
  if (!(anchorRawF1 < 1)) throw new Error(`anchorRawF1 must be a number below 1, got ${anchorRawF1}`);
  const cacheLimit = options.cacheLimit ?? 20_000;
  const maxTokens = options.maxTokens ?? GLOVE_MAX_TOKENS;
  if (!(Number.isInteger(maxTokens) && maxTokens >= 1)) throw new Error(`maxTokens must be a whole number ≥ 1, got ${maxTokens}`);
  const cache = new Map<string, GloveTextEmbedding>();
  const oovIds = new Map<string, number>();
  const dim = vectors.dim;

  // Static vectors give every occurrence of a word the same embedding, so each distinct token is
  // one row whose weight is its multiplicity (× idf). The weighted means of greedyMatch then equal
  // BERTScore's per-token means, with fewer rows to compare.
  function embed(text: string): GloveTextEmbedding {
    const hit = cache.get(text);
    if (hit) return hit;
    const tokens = tokenizeForGlove(text).slice(0, maxTokens);
    const rowOf = new Map<string, number>();
    const distinct: string[] = [];
    const multiplicity: number[] = [];
    for (const token of tokens) {
      const row = rowOf.get(token);
      if (row === undefined) {
        rowOf.set(token, distinct.length);
        distinct.push(token);
        multiplicity.push(1);
      } else {
        multiplicity[row]++;
      }
    }
    const n = distinct.length;
    const directions = new Float32Array(n * dim);
    const inverseNorms = new Float64Array(n);
    const exactMatchIds = new Int32Array(n);
    const weights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const token = distinct[i];
      const index = vectors.indexOf(token);
      if (index >= 0) {
        vectors.writeDirection(index, directions, i * dim);
        inverseNorms[i] = vectors.inverseNorm(index);
        exactMatchIds[i] = -1;
      } else {
        let id = oovIds.get(token);
        if (id === undefined) oovIds.set(token, (id = oovIds.size));
        exactMatchIds[i] = id;
      }
      weights[i] = multiplicity[i] * (idf ? idf.weight(token) : 1);
    }
    const embedding: GloveTextEmbedding = { tokens, distinctTokens: distinct, vectors: directions, inverseNorms, count: n, dim, exactMatchIds, weights };
    if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value as string);
    cache.set(text, embedding);
    return embedding;
  }

  function scoreDetailed(candidates: readonly string[], references: readonly string[]): GloveScoreDetail[] {
    if (candidates.length !== references.length) {
      throw new Error(`GloVe scorer: ${candidates.length} candidates but ${references.length} references; pass one reference per candidate`);
    }
    const out: GloveScoreDetail[] = new Array(candidates.length);
    for (let p = 0; p < candidates.length; p++) {
      const c = embed(candidates[p]);
      const r = embed(references[p]);
      const raw = greedyMatch(c, r);
      const empty = c.count === 0 || r.count === 0;
      out[p] = { ...raw, mappedF1: empty ? 0 : mapRawF1ToMbertScale(raw.f1, anchorRawF1) };
    }
    return out;
  }

  function scoreSync(candidates: readonly string[], references: readonly string[]): number[] {
    return scoreDetailed(candidates, references).map((d) => d.mappedF1);
  }

  return {
    name: idf ? `${GLOVE_SCORER_NAME}, idf` : GLOVE_SCORER_NAME,
    anchorRawF1,
    vectors,
    score: async (candidates, references) => scoreSync(candidates, references),
    scoreSync,
    scoreDetailed,
    embed,
  };
}
