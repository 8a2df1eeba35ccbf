// Measures the GloVe scorer's throughput in Node: pairs per second on the sample dataset,
// once with every text embedded for the first time (cold cache) and once with cached texts.
// Usage: npx tsx scripts/bench-glove-scorer.ts
import { loadSampleQuestions } from '../src/data/sampleNode';
import { loadGloveFromFiles } from '../src/scoring/gloveNode';
import { createGloveScorer } from '../src/scoring/gloveScorer';
import { buildGloveIdf } from '../src/scoring/gloveAnchor';

const loadStart = performance.now();
const vectors = await loadGloveFromFiles();
console.log(`load GloVe subset: ${(performance.now() - loadStart).toFixed(0)} ms`);

const references = loadSampleQuestions().map((q) => q.output ?? '');
// Candidates differ from references like expert answers do: drop every k-th word, so that every
// candidate text is new to the cache in the cold run.
const candidates: string[] = [];
const refs: string[] = [];
for (let k = 3; k <= 12; k++) {
  for (const r of references) {
    candidates.push(r.split(' ').filter((_, i) => i % k !== 0).join(' '));
    refs.push(r);
  }
}
const meanTokens = candidates.reduce((s, c) => s + c.split(' ').length, 0) / candidates.length;

for (const idf of [undefined, buildGloveIdf(references)]) {
  const scorer = createGloveScorer(vectors, { idf });
  let t = performance.now();
  scorer.scoreSync(candidates, refs);
  const cold = performance.now() - t;
  t = performance.now();
  const repeats = 3;
  for (let i = 0; i < repeats; i++) scorer.scoreSync(candidates, refs);
  const warm = (performance.now() - t) / repeats;
  console.log(
    `${idf ? 'idf   ' : 'no idf'}: ${candidates.length} pairs (~${meanTokens.toFixed(0)} words each): ` +
      `cold ${((candidates.length / cold) * 1000).toFixed(0)} pairs/s, cached ${((candidates.length / warm) * 1000).toFixed(0)} pairs/s`,
  );
}
