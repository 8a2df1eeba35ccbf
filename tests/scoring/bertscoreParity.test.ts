// @vitest-environment node
// BERTScore with Transformers.js on the tiny BERT against values computed independently in torch
// (scripts/fixtures/bertscore_ref.py, float64), plus batching, truncation and special-token handling.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBertScorer, type BertScorer, type PRF } from '../../src/scoring/bertScore';
import { createBertEncoder } from '../../src/scoring/bertEncoder';

const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));
interface Fixture {
  pairs: { candidate: string; reference: string; candidateIds: number[]; referenceIds: number[] }[];
  results: { layer: number; idf: boolean; scores: PRF[] }[];
}
const fixture: Fixture = JSON.parse(readFileSync(new URL('../fixtures/bertscore-parity.json', import.meta.url), 'utf8'));
const candidates = fixture.pairs.map((p) => p.candidate);
const references = fixture.pairs.map((p) => p.reference);

function tiny(options: Partial<Parameters<typeof createBertScorer>[0]> = {}) {
  return createBertScorer({ model: 'tiny-bert', localModelPath: MODELS, allowRemote: false, ...options });
}

function expectClose(got: PRF[], want: PRF[], tolerance: number) {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => {
    expect(Math.abs(g.P - want[i].P)).toBeLessThan(tolerance);
    expect(Math.abs(g.R - want[i].R)).toBeLessThan(tolerance);
    expect(Math.abs(g.F1 - want[i].F1)).toBeLessThan(tolerance);
  });
}

describe('BERTScore parity with the torch reference (tiny BERT)', () => {
  it('tokenizes exactly like the Python WordPiece that produced the fixture', async () => {
    const scorer = await tiny({ layer: 1 });
    const { AutoTokenizer } = await import('@huggingface/transformers');
    const tokenizer = await AutoTokenizer.from_pretrained('tiny-bert');
    for (const p of fixture.pairs) {
      expect(Array.from(tokenizer(p.candidate).input_ids.data, Number)).toEqual(p.candidateIds);
      expect(Array.from(tokenizer(p.reference).input_ids.data, Number)).toEqual(p.referenceIds);
    }
    await scorer.dispose();
  });

  for (const expected of fixture.results) {
    it(`matches torch to 1e-5 at layer ${expected.layer}, ${expected.idf ? 'with' : 'without'} idf`, async () => {
      const scorer = await tiny({ layer: expected.layer, idfReferences: expected.idf ? references : undefined, batchSize: 4 });
      expect(scorer.layer).toBe(expected.layer);
      expect(scorer.layerInfo).toContain(`layer ${expected.layer} of 3`);
      expect(scorer.idf).toBe(expected.idf);
      expectClose(await scorer.scorePairs(candidates, references), expected.scores, 1e-5);
      await scorer.dispose();
    });
  }

  it('the fixture is discriminative: layers and idf change the scores', () => {
    const f1 = (layer: number, idf: boolean) => fixture.results.find((r) => r.layer === layer && r.idf === idf)!.scores[0].F1;
    expect(Math.abs(f1(1, false) - f1(2, false))).toBeGreaterThan(1e-3);
    expect(Math.abs(f1(1, false) - f1(1, true))).toBeGreaterThan(1e-5 * 10);
  });
});

describe('BERTScore scorer behaviour (tiny BERT)', () => {
  let scorer: BertScorer;
  let oneByOne: BertScorer;
  beforeAll(async () => {
    scorer = await tiny({ layer: 2, batchSize: 8, cacheSize: 0 });
    oneByOne = await tiny({ layer: 2, batchSize: 1, cacheSize: 0 });
  });
  afterAll(async () => {
    await scorer.dispose();
    await oneByOne.dispose();
  });

  it('a padded batch gives the same scores as one text per run', async () => {
    const batched = await scorer.scorePairs(candidates, references);
    const single: PRF[] = [];
    for (let i = 0; i < candidates.length; i++) single.push(...(await oneByOne.scorePairs([candidates[i]], [references[i]])));
    expectClose(batched, single, 1e-6);
  });

  it('embeds each distinct text once, in length-sorted runs of batchSize texts', async () => {
    const before = { ...scorer.timings };
    // 6 pairs, 12 texts, of which the repeated reference and candidate count once each.
    const cands = [...candidates.slice(0, 5), references[0]];
    const refs = [references[0], references[0], ...references.slice(2, 6)];
    const distinct = new Set([...cands, ...refs]).size;
    await scorer.scorePairs(cands, refs);
    expect(scorer.timings.texts - before.texts).toBe(distinct);
    expect(scorer.timings.modelRuns - before.modelRuns).toBe(Math.ceil(distinct / 8));
    const single = { ...oneByOne.timings };
    await oneByOne.scorePairs(cands.slice(0, 1), refs.slice(0, 1));
    expect(oneByOne.timings.modelRuns - single.modelRuns).toBe(2);
  });

  it('the embedding cache serves recurring texts (a reference at every route step) until clearCache()', async () => {
    const cached = await tiny({ layer: 2, batchSize: 8 });
    const first = await cached.scorePairs(candidates.slice(0, 2), references.slice(0, 2));
    expect(cached.timings.texts).toBe(4);
    // Step 2 of the same questions: new answers, same references; only the answers are embedded.
    const second = await cached.scorePairs(candidates.slice(2, 4), references.slice(0, 2));
    expect(cached.timings.texts).toBe(6);
    expect(await cached.scorePairs(candidates.slice(0, 2), references.slice(0, 2))).toEqual(first);
    expect(cached.timings.texts).toBe(6);
    cached.clearCache();
    expectClose(await cached.scorePairs(candidates.slice(2, 4), references.slice(0, 2)), second, 1e-12);
    expect(cached.timings.texts).toBe(10);
    await cached.dispose();
  });

  it('score() returns F1 and identical texts score 1', async () => {
    const text = 'Learning to play music takes practice.';
    const [f1, other] = await scorer.score([text, 'The dog ran.'], [text, 'A cold field of snow.']);
    expect(f1).toBeCloseTo(1, 6);
    expect(other).toBeLessThan(0.999);
  });

  it('truncates texts to 512 tokens ([CLS] + 510 + [SEP]) instead of failing', async () => {
    const long = Array.from({ length: 700 }, (_, i) => (i % 2 ? 'water' : 'fire')).join(' ');
    const cut = Array.from({ length: 510 }, (_, i) => (i % 2 ? 'water' : 'fire')).join(' ');
    const beyond = `${cut} ${Array.from({ length: 190 }, () => 'music').join(' ')}`;
    const ref = 'Fire and water.';
    const encoder = await createBertEncoder({ model: 'tiny-bert', layer: 2, localModelPath: MODELS, allowRemote: false });
    const ids = encoder.tokenize(long);
    expect(ids).toHaveLength(512);
    expect([ids[0], ids[511]]).toEqual([2, 3]); // [CLS] first and, as in Hugging Face tokenizers, [SEP] kept last
    expect(encoder.tokenize(cut)).toEqual(ids);
    await encoder.dispose();
    const [a, b, c] = await scorer.scorePairs([long, cut, beyond], [ref, ref, ref]);
    expectClose([a], [b], 1e-6);
    // Text after token 510 is ignored: the "music" tail changes nothing.
    expectClose([c], [b], 1e-6);
  });

  it('an empty candidate scores 0 (no tokens after dropping [CLS]/[SEP])', async () => {
    const [s] = await scorer.scorePairs([''], ['The cat sat.']);
    expect(s).toEqual({ P: 0, R: 0, F1: 0 });
  });

  it('zeroWeight keeps [CLS]/[SEP] matchable (bert_score package) and differs from drop', async () => {
    const pkg = await tiny({ layer: 2, specialTokens: 'zeroWeight' });
    const dropped = await scorer.scorePairs(candidates, references);
    const kept = await pkg.scorePairs(candidates, references);
    // Extra matchable vectors can only raise each token's best cosine.
    kept.forEach((k, i) => {
      expect(k.P).toBeGreaterThanOrEqual(dropped[i].P - 1e-7);
      expect(k.R).toBeGreaterThanOrEqual(dropped[i].R - 1e-7);
    });
    expect(kept.some((k, i) => Math.abs(k.F1 - dropped[i].F1) > 1e-6)).toBe(true);
    await pkg.dispose();
  });

  it('rejects mismatched lengths and out-of-range layers with a clear message', async () => {
    await expect(scorer.scorePairs(['a'], [])).rejects.toThrow(/one reference per candidate/);
    await expect(tiny({ layer: 7 })).rejects.toThrow(/outside 0..3/);
  });
});
