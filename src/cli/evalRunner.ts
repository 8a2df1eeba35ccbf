// Node wiring of an evaluation: rebuilds the session of a run (same split seed, same pool seed),
// and evaluates either a saved agent or agents it trains itself (K seeds, an α/β grid).
import { stat } from 'node:fs/promises';
import type { StopRule } from '../der/actions';
import type { ExperimentConfig } from '../der/config';
import { evaluateMethods, type Evaluation } from '../der/evaluation';
import { greedyPolicy } from '../der/greedyPolicy';
import type { Question } from '../der/types';
import { loadWeightsFile } from '../agent/weightsFile';
import { createSimulatedPool } from '../experts/simulated/simulatedPool';
import { exactMatchScore } from '../scoring/exactMatch';
import { assembleSession, type Session } from '../worker/session';
import { createNodeSession, type NodeSession, type NodeSessionOptions } from './nodeSession';
import { trainInProcess } from './trainInProcess';

export type EvalSplit = 'test' | 'train' | 'all';

export interface EvalRunOptions {
  split: EvalSplit;
  stopMode: StopRule;
  /** Use only the first N questions of the split (quick looks). */
  maxQuestions?: number;
  /** Choose the best single expert on at most N training questions. */
  trainQuestions?: number;
  log: (message: string) => void;
}

export interface SweepPoint {
  alpha: number;
  beta: number;
}

export interface EvalGroup {
  /** Set for a sweep point. */
  sweep?: SweepPoint;
  seeds: number[];
  evaluations: Evaluation[];
}

/** True when every reference carries a GSM8K final answer (`#### 42`), so exact match applies. */
export function isGsm8kStyle(questions: readonly Question[]): boolean {
  return questions.length > 0 && questions.every((q) => (q.output ?? '').includes('####'));
}

export function evalQuestions(session: Session, options: Pick<EvalRunOptions, 'split' | 'maxQuestions'>): Question[] {
  const all = options.split === 'test' ? session.test : options.split === 'train' ? session.train : [...session.train, ...session.test];
  return options.maxQuestions !== undefined ? all.slice(0, options.maxQuestions) : all;
}

/** Evaluate the agent of `session` (already holding its weights) and the baselines. */
export async function evaluateSession(session: Session, options: EvalRunOptions, randomSeed: number): Promise<Evaluation> {
  const test = evalQuestions(session, options);
  const accuracy = isGsm8kStyle(test) ? exactMatchScore : undefined;
  return evaluateMethods(
    { pool: session.pool, scorer: session.scorer, encoder: session.encoder },
    {
      test,
      train: options.trainQuestions !== undefined ? session.train.slice(0, options.trainQuestions) : session.train,
      agent: greedyPolicy(session.agent, session.pool.experts.length),
      stopMode: options.stopMode,
      reward: session.config.reward,
      ktp: session.config.ktp,
      randomSeed,
      accuracy,
      onProgress: (m) => options.log(`  ${m}`),
    },
  );
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

export function checkStopMode(session: Session, stopMode: StopRule): void {
  const n = session.pool.experts.length;
  if (stopMode === 'learned' && session.agent.numActions === n) {
    throw new Error(`the run was trained with the threshold stop (no STOP action), so its agent cannot use the learned STOP: evaluate with --stop threshold, or train with --stop-rule learned`);
  }
}

/** One saved agent: the run's session, its weights loaded, evaluated once. */
export async function evaluateSavedAgent(config: ExperimentConfig, weightsFile: string, nodeOptions: NodeSessionOptions, options: EvalRunOptions): Promise<{ group: EvalGroup; session: NodeSession }> {
  if (!(await exists(weightsFile))) {
    throw new Error(`no agent weights at ${weightsFile}: pass --weights <file>, or train with \`npm run train -- --out run.jsonl\`, which writes run.weights.json next to the run`);
  }
  const session = await createNodeSession(config, nodeOptions);
  checkStopMode(session, options.stopMode);
  await loadWeightsFile(weightsFile, session.agent);
  options.log(`Evaluating the agent of seed ${config.seed} (${options.stopMode} stop) and the baselines on ${evalQuestions(session, options).length} ${options.split} questions`);
  const evaluation = await evaluateSession(session, options, config.seed);
  return { group: { seeds: [config.seed], evaluations: [evaluation] }, session };
}

/**
 * Train and evaluate one agent per (grid point, seed) in this process. The session's parts
 * (questions, scorer, encoder) are loaded once; each seed gets its own agent and, for the
 * simulated pool, the pool of that seed (as `npm run train --seed S` would use).
 */
export async function trainAndEvaluate(
  base: ExperimentConfig,
  grid: readonly (SweepPoint | null)[],
  seedCount: number,
  nodeOptions: NodeSessionOptions,
  options: EvalRunOptions,
): Promise<{ groups: EvalGroup[]; session: NodeSession }> {
  const first = await createNodeSession(base, nodeOptions);
  const simulatedDefault = !nodeOptions.poolFile;
  const groups: EvalGroup[] = [];
  for (const point of grid) {
    const group: EvalGroup = { seeds: [], evaluations: [], ...(point ? { sweep: point } : {}) };
    for (let k = 0; k < seedCount; k++) {
      const seed = base.seed + k;
      const config: ExperimentConfig = { ...base, seed, stopRule: options.stopMode, reward: { ...base.reward, ...(point ?? {}) } };
      const session = assembleSession(config, { ...first, pool: simulatedDefault ? createSimulatedPool({ seed }) : first.pool });
      const what = `${point ? `α=${point.alpha} β=${point.beta} ` : ''}seed ${seed}`;
      options.log(`Training ${what}: ${config.iterations} iterations of ${config.ppo.episodesPerIteration} episodes`);
      const started = Date.now();
      await trainInProcess(session, {
        onIteration: (r) => options.log(`  ${what} iteration ${r.iteration + 1}/${config.iterations}: mean score ${(r.summary.meanFinalScore ?? NaN).toFixed(3)}, route length ${(r.summary.meanRouteLength ?? NaN).toFixed(2)}`),
      });
      options.log(`Evaluating ${what} (trained in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
      group.evaluations.push(await evaluateSession(session, options, seed));
      group.seeds.push(seed);
      session.agent.dispose();
    }
    groups.push(group);
  }
  return { groups, session: first };
}

/** Parse `alpha=0.001,0.005` and `beta=1,5` into a grid (a key not given keeps the base value). */
export function parseSweep(tokens: readonly string[], base: SweepPoint): SweepPoint[] {
  const values: Partial<Record<keyof SweepPoint, number[]>> = {};
  for (const token of tokens) {
    const match = /^(alpha|beta)=(.+)$/.exec(token.trim());
    if (!match) throw new Error(`--sweep takes alpha=v1,v2,… and/or beta=v1,v2,…; got "${token}"`);
    const list = match[2].split(',').map((v) => Number(v.trim()));
    const bad = list.find((v) => !Number.isFinite(v) || v < 0);
    if (bad !== undefined || list.length === 0) throw new Error(`--sweep ${match[1]}: every value must be a number ≥ 0 (got "${match[2]}")`);
    values[match[1] as keyof SweepPoint] = list;
  }
  const alphas = values.alpha ?? [base.alpha];
  const betas = values.beta ?? [base.beta];
  return alphas.flatMap((alpha) => betas.map((beta) => ({ alpha, beta })));
}
