// Measures the "unrelated texts" anchor of the GloVe scorer's linear map: the mean raw F1 over
// all unordered pairs (i < j) of reference answers of different questions. bert_score's baseline
// for mBERT is the same statistic on unrelated Common Crawl sentence pairs, so mapping one mean
// onto the other aligns the two scales where "no shared meaning" sits.
import type { GloveVectors } from './gloveVectors';
import { createGloveScorer } from './gloveScorer';
import { buildIdf, type IdfTable } from './idf';
import { tokenizeForGlove } from './gloveTokenizer';

/** idf over reference answers, tokenised as the GloVe scorer tokenises. */
export function buildGloveIdf(references: readonly string[]): IdfTable {
  return buildIdf(references.map(tokenizeForGlove));
}

export interface UnrelatedAnchor {
  meanRawF1: number;
  pairCount: number;
}

/** Mean raw F1 (before the linear map) over all pairs of distinct, non-empty references. */
export function meanUnrelatedRawF1(vectors: GloveVectors, references: readonly string[], idf?: IdfTable): UnrelatedAnchor {
  const texts = [...new Set(references.filter((r) => r.trim().length > 0))];
  // anchorRawF1 only affects the mapped score; the raw F1 read below does not depend on it.
  const scorer = createGloveScorer(vectors, { idf, anchorRawF1: 0 });
  const candidates: string[] = [];
  const refs: string[] = [];
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      candidates.push(texts[i]);
      refs.push(texts[j]);
    }
  }
  if (candidates.length === 0) throw new Error('meanUnrelatedRawF1 needs at least two distinct non-empty references');
  let sum = 0;
  for (const detail of scorer.scoreDetailed(candidates, refs)) sum += detail.f1;
  return { meanRawF1: sum / candidates.length, pairCount: candidates.length };
}
