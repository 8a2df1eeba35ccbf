// Case 3: BERTScore pairs per second, one pair per model call (what the reference code does) against
// the project's batched scorer (createBertScorer: texts tokenised once, de-duplicated, sorted by
// length and run 16 per session call), on the tiny test BERT and on a mid-size random BERT that
// scripts/fixtures/generate_mid_bert.py writes to bench/models/ (git-ignored) when torch is there.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSampleQuestions } from '../../src/data/sampleNode';
import { createBertScorer } from '../../src/scoring/bertScore';
import { atLeast, log, median, ratio, result, round, unavailable, type BenchResult } from './harness';
import { runPython } from './python';

process.env.ORT_DISABLE_TELEMETRY ??= '1';

const GOAL = atLeast(5, 'batched ≥ 5× pairs/s');
const PUBLIC_MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));
const BENCH_MODELS = fileURLToPath(new URL('../../bench/models/', import.meta.url));
const MID_GENERATOR = fileURLToPath(new URL('../fixtures/generate_mid_bert.py', import.meta.url));

async function ensureMidBert(): Promise<string | null> {
  if (existsSync(`${BENCH_MODELS}mid-bert/onnx/model.onnx`)) return null;
  log('  generating bench/models/mid-bert (6 layers, hidden 256) with Debian python + torch');
  const run = await runPython(MID_GENERATOR, '', {}, 300_000);
  if (!run.ok) return `mid-size BERT not generated (${run.stderr.trim().split('\n').pop()}); it needs /usr/bin/python3 with python3-torch and python3-onnx`;
  return null;
}

/** Candidate/reference pairs from the sample dataset: each reference paired with another question's reference (every text distinct). */
function samplePairs(n: number): { candidates: string[]; references: string[] } {
  const qs = loadSampleQuestions();
  const refs = qs.map((q) => q.output!);
  const references = Array.from({ length: n }, (_, i) => refs[i % refs.length]);
  const candidates = Array.from({ length: n }, (_, i) => refs[(i + 7) % refs.length]);
  return { candidates, references };
}

async function compare(model: string, localModelPath: string, layer: number, pairs: number, rounds: number) {
  const { candidates, references } = samplePairs(pairs);
  // No embedding cache across calls on either side: every round embeds every text afresh (within
  // one batched call, repeated texts are embedded once: that is part of batching).
  const common = { model, layer, localModelPath, allowRemote: false, cacheSize: 0, dtype: 'fp32' as const };
  const single = await createBertScorer({ ...common, batchSize: 1 });
  const batched = await createBertScorer({ ...common, batchSize: 16 });
  try {
    await single.scorePairs(candidates.slice(0, 2), references.slice(0, 2));
    await batched.scorePairs(candidates.slice(0, 16), references.slice(0, 16));
    const singleRates: number[] = [];
    const batchRates: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let t0 = performance.now();
      for (let i = 0; i < pairs; i++) await single.scorePairs([candidates[i]], [references[i]]);
      singleRates.push(pairs / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      await batched.scorePairs(candidates, references);
      batchRates.push(pairs / ((performance.now() - t0) / 1000));
    }
    return { single: median(singleRates), batched: median(batchRates) };
  } finally {
    await single.dispose();
    await batched.dispose();
  }
}

const detailsOf = (r: { single: number; batched: number }) => ({
  batchedPairsPerSecond: round(r.batched, 1),
  singlePairsPerSecond: round(r.single, 1),
  ratio: round(ratio(r.batched, r.single), 2),
});

export async function runBertScore(opts: { repeats: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const rounds = Math.max(3, opts.repeats);
  const row = (name: string, label: string, r: { single: number; batched: number }, pairs: number) =>
    result({
      name,
      peer: 'one pair per model call (reference code)',
      goal: GOAL,
      measured: `${r.batched.toFixed(1)} vs ${r.single.toFixed(1)} pairs/s (${label}, ${pairs} distinct pairs of sample answers, onnxruntime CPU)`,
      value: ratio(r.batched, r.single),
    });

  log('bertscore: tiny-bert (3 layers, hidden 32)');
  const tiny = await compare('tiny-bert', PUBLIC_MODELS, 2, 64, rounds);
  results.push({ ...row('BERTScore: tiny-bert', 'tiny-bert L2', tiny, 64), details: detailsOf(tiny) });

  const missing = await ensureMidBert();
  const midName = 'BERTScore: mid-size random BERT (6 layers, hidden 256)';
  if (missing) {
    results.push(unavailable(midName, 'one pair per model call (reference code)', GOAL, missing));
  } else {
    log('bertscore: mid-bert (6 layers, hidden 256)');
    const mid = await compare('mid-bert', BENCH_MODELS, 4, 32, rounds);
    results.push({ ...row(midName, 'mid-bert L4', mid, 32), details: detailsOf(mid) });
  }
  return results;
}
