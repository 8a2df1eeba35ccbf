// Prints the two anchors of the GloVe scorer's linear map (see src/scoring/gloveScorer.ts):
// the mean raw F1 of unrelated pairs (all pairs of references of different questions in
// public/data/sample.jsonl), without idf and with idf over those references.
// Usage: npx tsx scripts/compute-glove-anchor.ts   then paste the numbers into gloveScorer.ts.
import { loadSampleQuestions } from '../src/data/sampleNode';
import { loadGloveFromFiles } from '../src/scoring/gloveNode';
import { buildGloveIdf, meanUnrelatedRawF1 } from '../src/scoring/gloveAnchor';

const references = loadSampleQuestions().map((q) => q.output ?? '');
const vectors = await loadGloveFromFiles();
const plain = meanUnrelatedRawF1(vectors, references);
const withIdf = meanUnrelatedRawF1(vectors, references, buildGloveIdf(references));
console.log(`references: ${references.length}, pairs: ${plain.pairCount}`);
console.log(`GLOVE_UNRELATED_MEAN_RAW_F1 = ${plain.meanRawF1}`);
console.log(`GLOVE_UNRELATED_MEAN_RAW_F1_IDF = ${withIdf.meanRawF1}`);
