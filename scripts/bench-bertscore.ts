// BERTScore throughput with Transformers.js on the tiny test BERT (public/models/tiny-bert):
// pairs per second scored one pair per call (batch 1) against all pairs in one call (padded batches).
// Usage: npx tsx scripts/bench-bertscore.ts [--pairs 128] [--batch 16] [--words 30] [--rounds 5]
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createBertScorer } from '../src/scoring/bertScore';
import { createRng } from '../src/der/rng';

const { values: args } = parseArgs({
  options: { pairs: { type: 'string', default: '128' }, batch: { type: 'string', default: '16' }, words: { type: 'string', default: '30' }, rounds: { type: 'string', default: '5' } },
});
const MODELS = fileURLToPath(new URL('../public/models/', import.meta.url));
const VOCAB = 'the cat sat on a warm mat she makes dollars every day at market eggs sells water fire music practice answer total'.split(' ');

async function main() {
  const n = Number(args.pairs);
  const words = Number(args.words);
  const rng = createRng(7);
  // Every text distinct (a numbered prefix), so neither mode gains from de-duplication.
  const text = (i: number) => `${i} ${Array.from({ length: words }, () => VOCAB[Math.floor(rng.next() * VOCAB.length)]).join(' ')}.`;
  const candidates = Array.from({ length: n }, (_, i) => text(i));
  const references = Array.from({ length: n }, (_, i) => text(n + i));
  const common = { model: 'tiny-bert', layer: 2, localModelPath: MODELS, allowRemote: false, cacheSize: 0 };

  const single = await createBertScorer({ ...common, batchSize: 1 });
  const batched = await createBertScorer({ ...common, batchSize: Number(args.batch) });
  await single.scorePairs(candidates.slice(0, 2), references.slice(0, 2)); // warm-up
  await batched.scorePairs(candidates.slice(0, 2), references.slice(0, 2));
  // Interleaved rounds and medians: the machine is shared, so single runs are noisy.
  const singleRates: number[] = [];
  const batchRates: number[] = [];
  for (let round = 0; round < Number(args.rounds); round++) {
    let t = performance.now();
    for (let i = 0; i < n; i++) await single.scorePairs([candidates[i]], [references[i]]);
    singleRates.push(n / ((performance.now() - t) / 1000));
    t = performance.now();
    await batched.scorePairs(candidates, references);
    batchRates.push(n / ((performance.now() - t) / 1000));
  }
  await single.dispose();
  await batched.dispose();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [s1, sb] = [median(singleRates), median(batchRates)];
  console.log(`tiny-bert L2, ${n} pairs of ${words + 1}-word texts, Node ${process.version}, onnxruntime-node CPU, median of ${args.rounds} rounds`);
  console.log(`one pair per call: ${s1.toFixed(1)} pairs/s`);
  console.log(`batched (${args.batch} texts per session run): ${sb.toFixed(1)} pairs/s (${(sb / s1).toFixed(2)}x)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
