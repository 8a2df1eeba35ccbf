// @vitest-environment node
// Baseline rescaling (x − b)/(1 − b), the TSV parser, the committed defaults table (checked against
// the bert_score data in ../shared/data when present) and rescaling inside the scorer.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBertScorer } from '../../src/scoring/bertScore';
import { defaultBaseline, findModelDefaults, parseBaselineTsv, rescalePRF, rescaleScore } from '../../src/scoring/bertScoreBaseline';
import { BERTSCORE_MODEL_DEFAULTS } from '../../src/scoring/bertScoreDefaults';

const SHARED = fileURLToPath(new URL('../../../shared/data/bert-score/', import.meta.url));
const haveShared = existsSync(SHARED);
const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));

describe('baseline rescaling', () => {
  it('maps b to 0 and 1 to 1, linearly in between', () => {
    expect(rescaleScore(0.63146895, 0.63146895)).toBe(0);
    expect(rescaleScore(1, 0.63146895)).toBeCloseTo(1, 12);
    expect(rescaleScore(0.8, 0.6)).toBeCloseTo(0.5, 12);
    expect(rescaleScore(0.5, 0.6)).toBeCloseTo(-0.25, 12);
    expect(() => rescaleScore(0.5, 1)).toThrow(/below 1/);
  });

  it('rescales P, R and F each with its own baseline (F is not recomputed from P and R)', () => {
    const out = rescalePRF({ P: 0.9, R: 0.8, F1: 0.85 }, { P: 0.5, R: 0.6, F: 0.7 });
    expect(out.P).toBeCloseTo(0.8, 12);
    expect(out.R).toBeCloseTo(0.5, 12);
    expect(out.F1).toBeCloseTo(0.5, 12);
  });
});

describe('baseline files and defaults', () => {
  it('parses LAYER,P,R,F rows (commas or tabs) and reports bad rows', () => {
    const table = parseBaselineTsv('LAYER,P,R,F\n0,0.1,0.2,0.3\n1\t0.4\t0.5\t0.6\n');
    expect(table.get(1)).toEqual({ P: 0.4, R: 0.5, F: 0.6 });
    expect(() => parseBaselineTsv('LAYER,P,R\n0,1,2')).toThrow(/lacks column F/);
    expect(() => parseBaselineTsv('LAYER,P,R,F\n0,x,1,1')).toThrow(/row 2/);
  });

  it('knows the DER reference setting: mBERT cased, layer 9, by bert_score name or hub id', () => {
    const mbert = findModelDefaults('bert-base-multilingual-cased')!;
    expect(mbert.defaultLayer).toBe(9);
    expect(mbert.numLayers).toBe(12);
    expect(findModelDefaults('Xenova/bert-base-multilingual-cased')).toBe(mbert);
    expect(findModelDefaults('google-bert/bert-base-multilingual-cased')).toBe(mbert);
    expect(defaultBaseline('Xenova/bert-base-multilingual-cased', 9)?.F).toBeCloseTo(0.63146895, 8);
    expect(defaultBaseline('tiny-bert', 1)).toBeUndefined();
  });

  it.skipIf(!haveShared)('the committed table equals the bert_score data files (skipped: ../shared/data absent)', () => {
    const layers = JSON.parse(readFileSync(`${SHARED}default_layers.json`, 'utf8'));
    for (const d of BERTSCORE_MODEL_DEFAULTS) {
      expect(d.defaultLayer).toBe(layers[d.name]);
      const table = parseBaselineTsv(readFileSync(`${SHARED}rescale_baseline_en/${d.name}.tsv`, 'utf8'));
      expect(table.size).toBe(d.numLayers + 1);
      for (const [layer, b] of table) expect(d.baselineEn[layer]).toEqual([b.P, b.R, b.F]);
    }
  });
});

describe('rescaling inside the scorer', () => {
  it('applies (x − b)/(1 − b) to raw P, R, F1 and says so in its name', async () => {
    const common = { model: 'tiny-bert', layer: 1, localModelPath: MODELS, allowRemote: false };
    const raw = await createBertScorer(common);
    const baseline = { P: 0.7, R: 0.6, F: 0.65 };
    const rescaled = await createBertScorer({ ...common, baseline });
    const cands = ['She makes 18 dollars every day.', 'A cat sat.'];
    const refs = ['Janet makes $18 every day.', 'The dog ran across the cold field.'];
    const [r, s] = [await raw.scorePairs(cands, refs), await rescaled.scorePairs(cands, refs)];
    r.forEach((x, i) => {
      expect(s[i].P).toBeCloseTo((x.P - 0.7) / 0.3, 10);
      expect(s[i].R).toBeCloseTo((x.R - 0.6) / 0.4, 10);
      expect(s[i].F1).toBeCloseTo((x.F1 - 0.65) / 0.35, 10);
    });
    expect(rescaled.name).toContain('rescaled');
    await expect(createBertScorer({ ...common, baseline: 'default' })).rejects.toThrow(/no published baseline for tiny-bert/);
    await raw.dispose();
    await rescaled.dispose();
  });
});
