import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_GLOVE_DIR, loadGloveFromFiles } from '../../src/scoring/gloveNode';
import { GLOVE_BINARY_FILE, GLOVE_VOCAB_FILE, parseGloveVectors, type GloveVectors } from '../../src/scoring/gloveVectors';
import { createGloveScorer, GLOVE_UNRELATED_MEAN_RAW_F1, mapRawF1ToMbertScale, MBERT_L9_BASELINE_F1 } from '../../src/scoring/gloveScorer';
import { buildGloveIdf } from '../../src/scoring/gloveAnchor';
import { greedyMatch, type TokenEmbeddings } from '../../src/scoring/greedyMatch';
import { tokenizeForGlove } from '../../src/scoring/gloveTokenizer';

let vectors: GloveVectors;
beforeAll(async () => {
  vectors = await loadGloveFromFiles();
});

const reference = 'Plants use the energy of sunlight to turn carbon dioxide and water into sugar, releasing oxygen.';
const related = 'Using light energy, plants convert water and carbon dioxide into glucose and give off oxygen.';
const unrelated = 'The capital of Canada is Ottawa, a city in the province of Ontario.';

describe('GloVe subset files', () => {
  it('load with the expected shape, and similar words are closer than unrelated ones', () => {
    expect(vectors.count).toBe(50_000);
    expect(vectors.dim).toBe(100);
    expect(vectors.wordAt(0)).toBe('the');
    const unit = (w: string) => {
      const out = new Float32Array(100);
      vectors.writeUnitVector(vectors.indexOf(w), out, 0);
      return out;
    };
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, k) => s + x * b[k], 0);
    expect(cos(unit('king'), unit('queen'))).toBeGreaterThan(cos(unit('king'), unit('banana')) + 0.3);
    expect(vectors.indexOf('notawordzzqx')).toBe(-1);
  });

  it('reject a wrong file or a vocabulary of the wrong length with an explanatory error', () => {
    const bytes = readFileSync(join(DEFAULT_GLOVE_DIR, GLOVE_BINARY_FILE));
    const binary = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const vocab = readFileSync(join(DEFAULT_GLOVE_DIR, GLOVE_VOCAB_FILE), 'utf8');
    expect(() => parseGloveVectors(new TextEncoder().encode('<!doctype html><html>').buffer as ArrayBuffer, vocab)).toThrow(/expected "GLQ8"/);
    expect(() => parseGloveVectors(binary, 'the\nof\n')).toThrow(/vocabulary has 2 words/);
    expect(() => parseGloveVectors(binary.slice(0, 1000), vocab)).toThrow(/truncated/);
  });

  it('come with a licence notice naming GloVe/PDDL and the MIT packaging', () => {
    const notice = readFileSync(join(DEFAULT_GLOVE_DIR, 'LICENSE.md'), 'utf8');
    expect(notice).toMatch(/PDDL/);
    expect(notice).toMatch(/MIT License/);
  });
});

describe('GloVe stand-in scorer', () => {
  it('names itself a GloVe stand-in for BERTScore', () => {
    expect(createGloveScorer(vectors).name).toMatch(/GloVe stand-in for BERTScore/);
  });

  it('scores identical text 1 (also with idf and with out-of-vocabulary words)', async () => {
    const texts = [reference, 'Zqxwv flurbs the blorptang!', 'x = 1'];
    // Cosines use float64 norms of the exact int8 directions, so self-similarity is 1 to ~1e-16.
    for (const s of await createGloveScorer(vectors).score(texts, texts)) expect(s).toBeCloseTo(1, 12);
    const idf = buildGloveIdf([reference, unrelated]);
    const withIdf = createGloveScorer(vectors, { idf }).scoreSync(texts, texts);
    for (const s of withIdf) expect(s).toBeCloseTo(1, 12);
  });

  it('scores a related answer higher than an unrelated one', () => {
    const scorer = createGloveScorer(vectors);
    const [rel, unrel] = scorer.scoreSync([related, unrelated], [reference, reference]);
    expect(rel).toBeGreaterThan(unrel + 0.1);
    expect(rel).toBeLessThan(1);
  });

  it('maps raw F1 linearly: identical → 1, the unrelated anchor → mBERT L9 baseline, clamped to [0, 1]', () => {
    expect(mapRawF1ToMbertScale(1, GLOVE_UNRELATED_MEAN_RAW_F1)).toBeCloseTo(1, 12);
    expect(mapRawF1ToMbertScale(GLOVE_UNRELATED_MEAN_RAW_F1, GLOVE_UNRELATED_MEAN_RAW_F1)).toBeCloseTo(MBERT_L9_BASELINE_F1, 12);
    const mid = (1 + GLOVE_UNRELATED_MEAN_RAW_F1) / 2;
    expect(mapRawF1ToMbertScale(mid, GLOVE_UNRELATED_MEAN_RAW_F1)).toBeCloseTo((1 + MBERT_L9_BASELINE_F1) / 2, 12);
    expect(mapRawF1ToMbertScale(1.0000003, 0.6)).toBe(1);
    expect(mapRawF1ToMbertScale(-5, 0.6)).toBe(0);
    const detail = createGloveScorer(vectors).scoreDetailed([related], [reference])[0];
    expect(detail.mappedF1).toBeCloseTo(mapRawF1ToMbertScale(detail.f1, GLOVE_UNRELATED_MEAN_RAW_F1), 12);
  });

  it('out-of-vocabulary tokens match only the identical token', () => {
    const scorer = createGloveScorer(vectors);
    const [same, different] = scorer.scoreDetailed(['the zqxwv', 'the vwxqz'], ['the zqxwv', 'the zqxwv']);
    expect(same.f1).toBeCloseTo(1, 12);
    expect(different.precision).toBeCloseTo(0.5, 6); // "the" matches, the OOV word scores 0
  });

  it('scores an empty candidate or reference 0 and rejects batches of different lengths', () => {
    const scorer = createGloveScorer(vectors);
    expect(scorer.scoreSync(['', reference, '   '], [reference, '', reference])).toEqual([0, 0, 0]);
    expect(() => scorer.scoreSync([reference], [])).toThrow(/one reference per candidate/);
  });

  it('merging repeated tokens into weighted rows gives exactly the per-token BERTScore', () => {
    // One row per token occurrence, unit vectors, no merging: the textbook computation.
    // Words outside the vocabulary ("a" here: the wink list has no single letters) get an
    // exact-match id: their char code, unique enough for this text.
    const perToken = (text: string): TokenEmbeddings => {
      const tokens = tokenizeForGlove(text);
      const out = new Float32Array(tokens.length * 100);
      const ids = new Int32Array(tokens.length).fill(-1);
      tokens.forEach((t, i) => {
        const index = vectors.indexOf(t);
        if (index >= 0) vectors.writeUnitVector(index, out, i * 100);
        else ids[i] = t.charCodeAt(0);
      });
      return { vectors: out, count: tokens.length, dim: 100, exactMatchIds: ids };
    };
    const cand = 'The cat sat on the mat, and the dog sat on the rug.';
    const ref = 'A dog and a cat slept on the mat.';
    expect(vectors.indexOf('a')).toBe(-1);
    const expected = greedyMatch(perToken(cand), perToken(ref));
    const scorer = createGloveScorer(vectors);
    expect(scorer.embed(cand).count).toBeLessThan(tokenizeForGlove(cand).length);
    const got = scorer.scoreDetailed([cand], [ref])[0];
    expect(got.precision).toBeCloseTo(expected.precision, 6);
    expect(got.recall).toBeCloseTo(expected.recall, 6);
    expect(got.f1).toBeCloseTo(expected.f1, 6);
  });

  it('gives the same scores from the cache as on first sight', () => {
    const scorer = createGloveScorer(vectors, { cacheLimit: 2 });
    const first = scorer.scoreSync([related, unrelated, related], [reference, reference, reference]);
    const again = scorer.scoreSync([related, unrelated, related], [reference, reference, reference]);
    expect(again).toEqual(first);
    expect(first[2]).toBe(first[0]);
  });
});
