// Evaluation on held-out questions: the frozen agent (greedy) against the baselines, all on the
// same questions, experts, scorer and response cache, each summarised by the same metrics.
//
// Stop rules: the agent runs under the requested stop mode ('threshold' needs references at
// decision time; 'learned' is the reference-free STOP). Every baseline runs under the threshold
// rule: single experts and the random pick are one call either way, and the random route, the
// cascade and the oracle are defined by the score (they stop at p0 or keep the best answer), so
// they use references at decision time; `usesReferences` says so per method. Scores are computed
// for every method (the report needs them); with the learned stop the agent never sees them.
import type { StopRule } from './actions';
import { runBaseline, runOracleEpisodes, type BaselineOptions } from './baselines';
import type { KtpConfig, RewardConfig } from './config';
import { runEpisodes } from './episodes';
import { methodMetrics, metricsByDomain, type MethodMetrics, type MetricsOptions } from './evaluationMetrics';
import type { EpisodeRecord } from './runRecord';
import type { ExpertInfo, ExpertPool, Policy, Question, Scorer, StateEncoder } from './types';

export type MethodKind = 'agent' | 'random-pick' | 'random-route' | 'single' | 'best-single' | 'cascade' | 'oracle';

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
  episodes: EpisodeRecord[];
  metrics: MethodMetrics;
  byDomain: Record<string, MethodMetrics>;
}

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
  /** Seed of the random baselines. */
  randomSeed: number;
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
  if (noReference) throw new Error(`question ${noReference.id} has no reference answer; the evaluation scores every method, so each held-out question needs one`);
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

  if (options.agent) {
    const { episodes } = await runEpisodes(test, { pool, scorer, encoder, policy: options.agent }, { reward, stopRule: stopMode, ktp, iteration: 0 });
    add({ id: 'agent', label: `DER agent (greedy, ${stopMode === 'learned' ? 'learned STOP' : 'stop at p0'})`, kind: 'agent', stopRule: stopMode, usesReferences: stopMode === 'threshold', episodes });
  }

  const pick = await runBaseline({ kind: 'random', seed: options.randomSeed, length: 1 }, test, baselineDeps, baselineOptions);
  add({ id: 'random-pick', label: 'random pick (1 call)', kind: 'random-pick', stopRule: 'threshold', usesReferences: false, episodes: pick.episodes });
  const route = await runBaseline({ kind: 'random', seed: options.randomSeed }, test, baselineDeps, baselineOptions);
  add({ id: 'random-route', label: 'random route (until p0 or Tmax)', kind: 'random-route', stopRule: 'threshold', usesReferences: true, episodes: route.episodes });

  const singles: MethodResult[] = [];
  for (const [k, expert] of experts.entries()) {
    const { episodes } = await runBaseline({ kind: 'single', expert: k }, test, baselineDeps, baselineOptions);
    singles.push(add({ id: `single:${expert.name}`, label: `single: ${expert.name}`, kind: 'single', stopRule: 'threshold', usesReferences: false, expert: k, episodes }));
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
    add({ id: 'best-single', label: `best single on train (${experts[k].name})`, kind: 'best-single', stopRule: 'threshold', usesReferences: false, expert: k, episodes: chosen.episodes });
  }

  const order = cascadeOrder(experts, reward.tmax);
  const cascade = await runBaseline({ kind: 'sequence', experts: order }, test, baselineDeps, baselineOptions);
  add({ id: 'cascade', label: 'cascade (cheapest first, until p0 or Tmax)', kind: 'cascade', stopRule: 'threshold', usesReferences: true, episodes: cascade.episodes });

  const oracle = await runOracleEpisodes(test, baselineDeps, baselineOptions);
  add({ id: 'oracle', label: `call all ${experts.length}, pick best (oracle)`, kind: 'oracle', stopRule: 'threshold', usesReferences: true, episodes: oracle.episodes });

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
    methods,
  };
}

function requireTrainReferences(train: readonly Question[]): void {
  const missing = train.find((q) => q.output === undefined || q.output.trim() === '');
  if (missing) throw new Error(`training question ${missing.id} has no reference answer; choosing the best single expert on the training split needs references`);
}
