import { describe, expect, it } from 'vitest';
import { loadSampleQuestions } from '../../src/data/sampleNode';
import { loadGloveFromFiles } from '../../src/scoring/gloveNode';
import { buildGloveIdf, meanUnrelatedRawF1 } from '../../src/scoring/gloveAnchor';
import { GLOVE_UNRELATED_MEAN_RAW_F1, GLOVE_UNRELATED_MEAN_RAW_F1_IDF } from '../../src/scoring/gloveScorer';

// The stored anchors of the linear map must be what the sample dataset and the code give now;
// if either changes, rerun `npx tsx scripts/compute-glove-anchor.ts` and update gloveScorer.ts.
describe('GloVe scorer anchors', () => {
  it('recomputes both stored constants from the sample dataset', async () => {
    const references = loadSampleQuestions().map((q) => q.output ?? '');
    const vectors = await loadGloveFromFiles();
    const plain = meanUnrelatedRawF1(vectors, references);
    expect(plain.pairCount).toBe((references.length * (references.length - 1)) / 2);
    expect(plain.meanRawF1).toBeCloseTo(GLOVE_UNRELATED_MEAN_RAW_F1, 9);
    const withIdf = meanUnrelatedRawF1(vectors, references, buildGloveIdf(references));
    expect(withIdf.meanRawF1).toBeCloseTo(GLOVE_UNRELATED_MEAN_RAW_F1_IDF, 9);
  });
});
