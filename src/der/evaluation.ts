// Evaluation on held-out questions: the frozen agent (greedy) against the baselines, all on the
// same questions, experts, scorer and response cache, each summarised by the same metrics.
//
// Stop rules: the agent runs under the requested stop mode ('threshold' needs references at
// decision time; 'learned' is the reference-free STOP). Every baseline runs under the threshold
// rule: single experts and the random pick are one call either way, and the random route, the
// cascade and the oracle are defined by the score (they stop at p0 or keep the best answer), so
// they use references at decision time; `usesReferences` says so per method. Scores are computed
// for every method (the report needs them); with the learned stop the agent never sees them.
//
// Noise: the random baselines run `randomSeeds` draws (default 20) and the sampled agent
// `sampledDraws` draws; each draw is kept (`draws`) so the report gives mean ± sd with N and can
// say whether a difference exceeds 2 standard errors (see evaluationCompare.ts).
import type { StopRule } from './actions';
import { runBaseline, runOracleEpisodes, type BaselineOptions } from './baselines';
import type { KtpConfig, RewardConfig } from './config';
import { runEpisodes } from './episodes';
import { methodMetrics, metricsByDomain, type MethodMetrics, type MetricsOptions } from './evaluationMetrics';
import type { EpisodeRecord } from './runRecord';
import { sampledPolicy } from './sampledPolicy';
import type { ExpertInfo, ExpertPool, Policy, Question, Scorer, StateEncoder } from './types';

export type MethodKind = 'agent' | 'agent-sampled' | 'random-pick' | 'random-route' | 'single' | 'best-single' | 'cascade' | 'oracle';

export interface MethodResult {
  /** Stable key (CSV, charts): "agent", "single:koala-7B", "cascade", … */
  id: string;
  /** Row label for tables. */
  label: string;
  kind: MethodKind;
  /** The stop rule the method ran under. */
  stopRule: StopRule;
  /** True when the method looks at reference-based scores while answering (it could not run on a new question). */
  usesReferences: boolean;
  /** The expert of a single-expert row. */
  expert?: number;
  /** Every episode (all draws of a stochastic method, in draw order). */
  episodes: EpisodeRecord[];
  /** For a stochastic method, the mean over its draws (route-length counts averaged per draw). */
  metrics: MethodMetrics;
  byDomain: Record<string, MethodMetrics>;
  /** Stochastic methods (random pick, random route, sampled agent): the metrics of each draw and its seed. */
  draws?: { seed: number; metrics: MethodMetrics }[];
}

/** Both agent rows (greedy and sampled) are compared against every baseline. */
export const isAgentKind = (kind: MethodKind): boolean => kind === 'agent' || kind === 'agent-sampled';

/** Draws of the random baselines per evaluation when not given (the issue asks ≥ 20). */
export const DEFAULT_RANDOM_SEEDS = 20;
/** Draws of the sampled agent per evaluation when not given. */
export const DEFAULT_SAMPLED_DRAWS = 5;

/** The seed of draw r of an evaluation seeded with `seed` (distinct across seeds and draws). */
export const drawSeed = (seed: number, draw: number): number => seed * 1000 + draw;

export interface BestSingleChoice {
  expert: number;
  name: string;
  /** How it was chosen (said in the report). */
  criterion: 'mean final score on the training split';
  /** Mean score of every expert on the training questions used, in pool order. */
  trainMeanScores: number[];
  trainQuestions: number;
}

export interface Evaluation {
  stopMode: StopRule;
  questions: number;
  tmax: number;
  p0: number;
  experts: ExpertInfo[];
  simulated: boolean;
  knowledgeTransfer: boolean;
  scorer: string;
  bestSingle: BestSingleChoice | null;
  /** Expert indices of the fixed cascade, cheapest first. */
  cascadeOrder: number[];
  /** Draws of the random baselines and of the sampled agent (0 when no sampled row). */
  randomSeeds: number;
  sampledDraws: number;
  methods: MethodResult[];
}

export interface EvaluationDeps {
  pool: ExpertPool;
  scorer: Scorer;
  /** The agent's state encoder (baselines do not look at states). */
  encoder: StateEncoder;
}

export interface EvaluationOptions {
  /** Held-out questions; every one needs a reference (the report scores every method). */
  test: readonly Question[];
  /** Questions on which the best single expert is chosen (the training split); none → no best-single row. */
  train?: readonly Question[];
  /** The frozen agent as a policy (see greedyPolicy); omitted → baselines only. */
  agent?: Policy;
  stopMode: StopRule;
  reward: RewardConfig;
  ktp: KtpConfig;
  /** Seed of the random baselines and the sampled agent (draw r uses drawSeed(randomSeed, r)). */
  randomSeed: number;
  /** Draws of the random pick and the random route (default 20). */
  randomSeeds?: number;
  /** Draws of the sampled agent (default 5; 0 = no sampled-agent row). */
  sampledDraws?: number;
  /** Per-answer accuracy, e.g. GSM8K exact match; adds the accuracy metric. */
  accuracy?: MetricsOptions['accuracy'];
  onProgress?: (message: string) => void;
}

/** The fixed cascade: experts by size, cheapest first (pool order breaks ties), at most Tmax of them. */
export function cascadeOrder(experts: readonly ExpertInfo[], tmax: number): number[] {
  return experts
    .map((e, index) => ({ index, sizeB: e.sizeB }))
    .sort((a, b) => a.sizeB - b.sizeB || a.index - b.index)
    .slice(0, tmax)
    .map((e) => e.index);
}

/** Mean score of each expert answering alone, from oracle episodes (step k is expert k's own answer). */
export function meanScorePerExpert(oracleEpisodes: readonly EpisodeRecord[], expertCount: number): number[] {
  const sums = new Array<number>(expertCount).fill(0);
  const counts = new Array<number>(expertCount).fill(0);
  for (const e of oracleEpisodes) {
    for (const s of e.steps) {
      if (s.error !== undefined || !Number.isFinite(s.score)) continue;
      sums[s.action] += s.score;
      counts[s.action] += 1;
    }
  }
  return sums.map((s, k) => (counts[k] > 0 ? s / counts[k] : Number.NaN));
}

/** Highest mean score wins; ties go to the smaller expert, then the earlier one. */
export function pickBestExpert(meanScores: readonly number[], experts: readonly ExpertInfo[]): number {
  let best = -1;
  meanScores.forEach((score, k) => {
    if (!Number.isFinite(score)) return;
    if (best < 0 || score > meanScores[best] || (score === meanScores[best] && experts[k].sizeB < experts[best].sizeB)) best = k;
  });
  if (best < 0) throw new Error('no expert answered any training question, so the best single expert cannot be chosen');
  return best;
}

export async function evaluateMethods(deps: EvaluationDeps, options: EvaluationOptions): Promise<Evaluation> {
  const { pool, scorer, encoder } = deps;
  const { test, reward, ktp, stopMode } = options;
  const experts = pool.experts;
  if (test.length === 0) throw new Error('the evaluation split has no questions: use a larger dataset or test fraction');
  const noReference = test.find((q) => q.output === undefined || q.output.trim() === '');
  if (noReference)
    throw new Error(`question ${noReference.id} has no reference answer; the evaluation scores every method, so each held-out question needs one`);
  const progress = options.onProgress ?? (() => {});
  const references = new Map(test.map((q) => [q.id, q.output as string]));
  const metricsOptions: MetricsOptions = { tmax: reward.tmax, p0: reward.p0, references, accuracy: options.accuracy };
  const baselineOptions: BaselineOptions = { reward, stopRule: 'threshold', ktp, iteration: 0 };
  const methods: MethodResult[] = [];
  const add = (result: Omit<MethodResult, 'metrics' | 'byDomain'>): MethodResult => {
    const full = { ...result, metrics: methodMetrics(result.episodes, metricsOptions), byDomain: metricsByDomain(result.episodes, metricsOptions) };
    methods.push(full);
    progress(`${full.label}: mean score ${full.metrics.meanScore.toFixed(4)}, ${full.metrics.meanParamsB.toFixed(1)}B per question`);
    return full;
  };
  const baselineDeps = { pool, scorer };
  const randomSeeds = countOption(options.randomSeeds, DEFAULT_RANDOM_SEEDS, 1, 'random seeds');
  const sampledDraws = countOption(options.sampledDraws, DEFAULT_SAMPLED_DRAWS, 0, 'sampled-agent draws');
  /** A stochastic method: `draws` runs, each kept with its seed; the row's metrics are their mean. */
  const addDraws = async (
    result: Omit<MethodResult, 'metrics' | 'byDomain' | 'episodes' | 'draws'>,
    draws: number,
    run: (seed: number) => Promise<EpisodeRecord[]>,
  ) => {
    const perDraw: { seed: number; metrics: MethodMetrics }[] = [];
    const episodes: EpisodeRecord[] = [];
    for (let r = 0; r < draws; r++) {
      const seed = drawSeed(options.randomSeed, r);
      const drawn = await run(seed);
      perDraw.push({ seed, metrics: methodMetrics(drawn, metricsOptions) });
      episodes.push(...drawn);
    }
    const full: MethodResult = {
      ...result,
      episodes,
      draws: perDraw,
      metrics: meanMetrics(perDraw.map((d) => d.metrics)),
      byDomain: metricsByDomain(episodes, metricsOptions),
    };
    methods.push(full);
    progress(`${full.label}: mean score ${full.metrics.meanScore.toFixed(4)}, ${full.metrics.meanParamsB.toFixed(1)}B per question (mean of ${draws} draws)`);
  };
  const stopName = stopMode === 'learned' ? 'learned STOP' : 'stop at p0';

  if (options.agent) {
    const { episodes } = await runEpisodes(test, { pool, scorer, encoder, policy: options.agent }, { reward, stopRule: stopMode, ktp, iteration: 0 });
    add({ id: 'agent', label: `DER agent (greedy, ${stopName})`, kind: 'agent', stopRule: stopMode, usesReferences: stopMode === 'threshold', episodes });
    if (sampledDraws > 0) {
      const agent = options.agent;
      await addDraws(
        { id: 'agent-sampled', label: `DER agent (sampled, ${stopName})`, kind: 'agent-sampled', stopRule: stopMode, usesReferences: stopMode === 'threshold' },
        sampledDraws,
        async (seed) =>
          (await runEpisodes(test, { pool, scorer, encoder, policy: sampledPolicy(agent, seed) }, { reward, stopRule: stopMode, ktp, iteration: 0 })).episodes,
      );
    }
  }

  await addDraws(
    { id: 'random-pick', label: 'random pick (1 call)', kind: 'random-pick', stopRule: 'threshold', usesReferences: false },
    randomSeeds,
    async (seed) => (await runBaseline({ kind: 'random', seed, length: 1 }, test, baselineDeps, baselineOptions)).episodes,
  );
  await addDraws(
    { id: 'random-route', label: 'random route (until p0 or Tmax)', kind: 'random-route', stopRule: 'threshold', usesReferences: true },
    randomSeeds,
    async (seed) => (await runBaseline({ kind: 'random', seed }, test, baselineDeps, baselineOptions)).episodes,
  );

  const singles: MethodResult[] = [];
  for (const [k, expert] of experts.entries()) {
    const { episodes } = await runBaseline({ kind: 'single', expert: k }, test, baselineDeps, baselineOptions);
    singles.push(
      add({ id: `single:${expert.name}`, label: `single: ${expert.name}`, kind: 'single', stopRule: 'threshold', usesReferences: false, expert: k, episodes }),
    );
  }

  let bestSingle: BestSingleChoice | null = null;
  const train = options.train ?? [];
  if (train.length > 0) {
    requireTrainReferences(train);
    const { episodes } = await runOracleEpisodes(train, baselineDeps, baselineOptions);
    const trainMeanScores = meanScorePerExpert(episodes, experts.length);
    const k = pickBestExpert(trainMeanScores, experts);
    bestSingle = { expert: k, name: experts[k].name, criterion: 'mean final score on the training split', trainMeanScores, trainQuestions: train.length };
    const chosen = singles[k];
    add({
      id: 'best-single',
      label: `best single on train (${experts[k].name})`,
      kind: 'best-single',
      stopRule: 'threshold',
      usesReferences: false,
      expert: k,
      episodes: chosen.episodes,
    });
  }

  const order = cascadeOrder(experts, reward.tmax);
  const cascade = await runBaseline({ kind: 'sequence', experts: order }, test, baselineDeps, baselineOptions);
  add({
    id: 'cascade',
    label: 'cascade (cheapest first, until p0 or Tmax)',
    kind: 'cascade',
    stopRule: 'threshold',
    usesReferences: true,
    episodes: cascade.episodes,
  });

  const oracle = await runOracleEpisodes(test, baselineDeps, baselineOptions);
  add({
    id: 'oracle',
    label: `call all ${experts.length}, pick best (oracle)`,
    kind: 'oracle',
    stopRule: 'threshold',
    usesReferences: true,
    episodes: oracle.episodes,
  });

  return {
    stopMode,
    questions: test.length,
    tmax: reward.tmax,
    p0: reward.p0,
    experts: experts.map((e) => ({ ...e })),
    simulated: pool.simulated,
    knowledgeTransfer: pool.knowledgeTransfer,
    scorer: scorer.name,
    bestSingle,
    cascadeOrder: order,
    randomSeeds,
    sampledDraws: options.agent ? sampledDraws : 0,
    methods,
  };
}

function countOption(value: number | undefined, fallback: number, min: number, what: string): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min) throw new Error(`the number of ${what} must be a whole number ≥ ${min}, got ${value}`);
  return n;
}

/** The mean of several draws' metrics, field by field (null stays null when every draw has null). */
export function meanMetrics(draws: readonly MethodMetrics[]): MethodMetrics {
  const avg = (values: readonly (number | null)[]): number | null => {
    const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
    return present.length === 0 ? (values.every((v) => v === null) ? null : Number.NaN) : present.reduce((a, b) => a + b, 0) / present.length;
  };
  const num = (pick: (m: MethodMetrics) => number) => avg(draws.map(pick)) ?? Number.NaN;
  const bins = draws[0]?.routeLengthCounts.length ?? 0;
  return {
    questions: draws[0]?.questions ?? 0,
    failed: draws.reduce((s, m) => s + m.failed, 0),
    meanScore: num((m) => m.meanScore),
    successRate: num((m) => m.successRate),
    meanReturn: num((m) => m.meanReturn),
    meanRouteLength: num((m) => m.meanRouteLength),
    routeLengthCounts: Array.from({ length: bins }, (_, k) => num((m) => m.routeLengthCounts[k])),
    overTmax: num((m) => m.overTmax),
    meanParamsB: num((m) => m.meanParamsB),
    meanCalls: num((m) => m.meanCalls),
    meanTokens: avg(draws.map((m) => m.meanTokens)),
    meanCostUSD: avg(draws.map((m) => m.meanCostUSD)),
    accuracy: avg(draws.map((m) => m.accuracy)),
    stopsBeforeTmaxWhenPassing: avg(draws.map((m) => m.stopsBeforeTmaxWhenPassing)),
  };
}

function requireTrainReferences(train: readonly Question[]): void {
  const missing = train.find((q) => q.output === undefined || q.output.trim() === '');
  if (missing)
    throw new Error(`training question ${missing.id} has no reference answer; choosing the best single expert on the training split needs references`);
}
