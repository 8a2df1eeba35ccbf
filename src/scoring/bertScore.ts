// BERTScore (Zhang et al., ICLR 2020) with a BERT-like model run by Transformers.js, as the DER
// reference uses it: token vectors of layer k, [CLS]/[SEP] dropped, greedy cosine matching
// (greedyMatch.ts), optional idf over the dataset's references with +1 smoothing over wordpiece ids
// (idf.ts), optional baseline rescaling (bertScoreBaseline.ts), texts cut to 512 tokens.
//
// specialTokens: "drop" (default) follows the paper and der-reference.md. "zeroWeight" reproduces
// the bert_score package exactly: there [CLS]/[SEP] stay in the similarity matrix (a token may
// match them) but carry weight 0 in the means. The two differ slightly.
import type { Scorer } from '../der/types';
import { createBertEncoder, type BertEncoder, type BertEncoderOptions } from './bertEncoder';
import { defaultBaseline, rescalePRF, type BaselineValues, type PRF } from './bertScoreBaseline';
import { toTokenRows, weighTokenRows, type TokenRows } from './bertTokenRows';
import { greedyMatch, type TokenEmbeddings } from './greedyMatch';
import { buildIdf, type IdfTable } from './idf';

export type { PRF } from './bertScoreBaseline';

export interface BertScoreOptions extends BertEncoderOptions {
  /** Reference corpus for idf weights; omit for plain means (no idf). */
  readonly idfReferences?: readonly string[];
  /** Baseline rescaling: explicit values, or "default" for the committed table (known models only). */
  readonly baseline?: BaselineValues | 'default';
  /** Texts per session run (default 16). */
  readonly batchSize?: number;
  readonly specialTokens?: 'drop' | 'zeroWeight';
  /** Embeddings of recently scored texts kept for reuse (references recur across route steps). Default 256. */
  readonly cacheSize?: number;
}

/** Where scoring time went since the scorer was created (milliseconds, wall clock), for profiling. */
export interface BertScoreTimings {
  /** Texts tokenized and embedded (cache hits excluded). */
  texts: number;
  /** Model (session) runs. */
  modelRuns: number;
  tokenizeMs: number;
  /** Session runs, input building and reading the outputs back (embedIds). */
  modelMs: number;
  /** Dropping special tokens, norms and idf weights (once per text). */
  prepareMs: number;
  /** Greedy matching of the pairs. */
  matchMs: number;
}

export interface BertScorer extends Scorer {
  readonly modelId: string;
  readonly layer: number;
  readonly layerInfo: string;
  readonly idf: boolean;
  readonly baseline: BaselineValues | null;
  scorePairs(candidates: readonly string[], references: readonly string[]): Promise<PRF[]>;
  /** Replaces the idf corpus (null turns idf off). */
  setIdfReferences(references: readonly string[] | null): void;
  /** Forgets the cached embeddings (e.g. before scoring another dataset, or between benchmark samples). */
  clearCache(): void;
  /** Cumulative timings (a live object; copy it to keep a snapshot). */
  readonly timings: BertScoreTimings;
  dispose(): Promise<void>;
}

/** idf over wordpiece ids: each reference counted once per distinct id (bert_score's `get_idf_dict`). */
export function buildTokenIdf(encoder: Pick<BertEncoder, 'tokenize'>, references: readonly string[]): IdfTable {
  return buildIdf(references.map((r) => encoder.tokenize(r).map(String)));
}

export async function createBertScorer(options: BertScoreOptions): Promise<BertScorer> {
  const encoder = await createBertEncoder(options);
  const batchSize = Math.max(1, options.batchSize ?? 16);
  const mode = options.specialTokens ?? 'drop';
  const cacheSize = options.cacheSize ?? 256;
  let idf: IdfTable | null = options.idfReferences ? buildTokenIdf(encoder, options.idfReferences) : null;
  let baseline: BaselineValues | null = null;
  if (options.baseline === 'default') {
    baseline = defaultBaseline(options.model, encoder.layer) ?? null;
    if (!baseline) {
      throw new Error(`BERTScore: no published baseline for ${options.model} at layer ${encoder.layer}; pass baseline values or a TSV (parseBaselineTsv)`);
    }
  } else if (options.baseline) {
    baseline = options.baseline;
  }
  // Keyed by text: the matchable rows (special tokens handled, norms computed) of recent texts.
  const cache = new Map<string, TokenRows>();
  const timings: BertScoreTimings = { texts: 0, modelRuns: 0, tokenizeMs: 0, modelMs: 0, prepareMs: 0, matchMs: 0 };

  /** Each distinct text embedded once (cache hits aside), in length-sorted batches of batchSize. */
  async function embedAll(texts: readonly string[]): Promise<Map<string, TokenRows>> {
    const found = new Map<string, TokenRows>();
    const missing: string[] = [];
    for (const t of new Set(texts)) {
      const hit = cache.get(t);
      if (hit) found.set(t, hit);
      else missing.push(t);
    }
    // Longest first, as bert_score does: texts of similar length share a batch, so less padding.
    let t0 = performance.now();
    const tokens = new Map(missing.map((t) => [t, encoder.tokenize(t)]));
    missing.sort((a, b) => tokens.get(b)!.length - tokens.get(a)!.length);
    timings.tokenizeMs += performance.now() - t0;
    timings.texts += missing.length;
    for (let i = 0; i < missing.length; i += batchSize) {
      const batch = missing.slice(i, i + batchSize);
      t0 = performance.now();
      const encoded = await encoder.embedIds(batch.map((t) => tokens.get(t)!));
      const t1 = performance.now();
      batch.forEach((t, j) => found.set(t, toTokenRows(encoded[j], encoder.specialIds, mode)));
      timings.modelMs += t1 - t0;
      timings.prepareMs += performance.now() - t1;
      timings.modelRuns++;
    }
    if (cacheSize > 0) {
      for (const [t, e] of found) {
        cache.delete(t);
        cache.set(t, e);
      }
    }
    while (cache.size > cacheSize) cache.delete(cache.keys().next().value as string);
    return found;
  }

  async function scoreAll(candidates: readonly string[], references: readonly string[]): Promise<PRF[]> {
    if (candidates.length !== references.length) {
      throw new Error(`BERTScore: ${candidates.length} candidates but ${references.length} references; pass one reference per candidate`);
    }
    const embedded = await embedAll([...candidates, ...references]);
    // Weights once per distinct text, not once per pair.
    const t0 = performance.now();
    const weighted = new Map<string, TokenEmbeddings>();
    for (const [t, rows] of embedded) weighted.set(t, weighTokenRows(rows, encoder.specialIds, mode, idf));
    const t1 = performance.now();
    const scores = candidates.map((c, i) => {
      const m = greedyMatch(weighted.get(c)!, weighted.get(references[i])!);
      const raw = { P: m.precision, R: m.recall, F1: m.f1 };
      return baseline ? rescalePRF(raw, baseline) : raw;
    });
    timings.prepareMs += t1 - t0;
    timings.matchMs += performance.now() - t1;
    return scores;
  }

  const describe = () => `BERTScore ${encoder.modelId} L${encoder.layer}${idf ? ' idf' : ''}${baseline ? ' rescaled' : ''}`;
  return {
    get name() {
      return describe();
    },
    modelId: encoder.modelId,
    layer: encoder.layer,
    layerInfo: encoder.layerInfo,
    get idf() {
      return idf !== null;
    },
    baseline,
    scorePairs: scoreAll,
    async score(candidates, references) {
      return (await scoreAll(candidates, references)).map((s) => s.F1);
    },
    setIdfReferences(refs) {
      idf = refs ? buildTokenIdf(encoder, refs) : null;
    },
    clearCache: () => cache.clear(),
    timings,
    dispose: () => encoder.dispose(),
  };
}

/** Loads the model, scores the pairs, and frees the model. */
export async function scorePairs(options: BertScoreOptions, candidates: readonly string[], references: readonly string[]): Promise<PRF[]> {
  const scorer = await createBertScorer(options);
  try {
    return await scorer.scorePairs(candidates, references);
  } finally {
    await scorer.dispose();
  }
}
