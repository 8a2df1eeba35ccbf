// Node wiring of an evaluation: rebuilds the session of a run (same split seed, same pool seed),
// and evaluates either a saved agent or agents it trains itself (K seeds, an α/β grid).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { toJsonl } from '../der/runRecordIO';
import { iterationLine, type RunLine } from '../der/runRecord';
import { buildRunHeader } from '../session/runHeader';
import { saveWeightsFile } from '../agent/weightsFile';
import { stat } from 'node:fs/promises';
import type { ExperimentConfig } from '../der/config';
import type { Evaluation } from '../der/evaluation';
import type { StateEncoder } from '../der/types';
import { loadWeightsFile } from '../agent/weightsFile';
import { createSimulatedPool } from '../experts/simulated/simulatedPool';
import { assembleSession } from '../session/session';
import { checkStopMode, evalQuestions, evaluateSession, type SessionEvaluationOptions } from '../session/evaluateSession';
import { createNodeSession, type NodeSession, type NodeSessionOptions } from './nodeSession';
import { trainInProcess } from './trainInProcess';

export { evalQuestions, isGsm8kStyle, type EvalSplit } from '../session/evaluateSession';

export interface EvalRunOptions extends SessionEvaluationOptions {
  log: (message: string) => void;
  /** Where agents trained in-process (--seeds, --sweep) are written as run files, so each point opens its run. */
  runsDir?: string;
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
  /** Run files of the agents trained for this group (one per seed), when runsDir was given. */
  runFiles?: string[];
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** One saved agent: the run's session, its weights loaded, evaluated once. */
export async function evaluateSavedAgent(
  config: ExperimentConfig,
  weightsFile: string,
  nodeOptions: NodeSessionOptions,
  options: EvalRunOptions,
): Promise<{ group: EvalGroup; session: NodeSession }> {
  if (!(await exists(weightsFile))) {
    throw new Error(
      `no agent weights at ${weightsFile}: pass --weights <file>, or train with \`npm run train -- --out run.jsonl\`, which writes run.weights.json next to the run`,
    );
  }
  const session = await createNodeSession(config, nodeOptions);
  checkStopMode(session, options.stopMode);
  await loadWeightsFile(weightsFile, session.agent);
  options.log(
    `Evaluating the agent of seed ${config.seed} (${options.stopMode} stop) and the baselines on ${evalQuestions(session, options).length} ${options.split} questions`,
  );
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
      // The parts go in as loaded: assembleSession adds the route context itself (the first session's encoder already has it).
      const session = assembleSession(config, {
        ...first,
        encoder: textEncoder(first.encoder),
        pool: simulatedDefault ? createSimulatedPool({ seed }) : first.pool,
      });
      const what = `${point ? `α=${point.alpha} β=${point.beta} ` : ''}seed ${seed}`;
      options.log(`Training ${what}: ${config.iterations} iterations of ${config.ppo.episodesPerIteration} episodes`);
      const started = Date.now();
      const lines: RunLine[] = [buildRunHeader(config, session.pool, session.versions)];
      await trainInProcess(session, {
        onEpisode: (episode) => lines.push(episode),
        onIteration: (r) => {
          lines.push(iterationLine(r));
          options.log(
            `  ${what} iteration ${r.iteration + 1}/${config.iterations}: mean score ${r.summary.meanFinalScore.toFixed(3)}, route length ${r.summary.meanRouteLength.toFixed(2)}`,
          );
        },
      });
      if (options.runsDir) {
        const name = `${point ? `alpha-${point.alpha}_beta-${point.beta}_` : ''}seed-${seed}`;
        await mkdir(options.runsDir, { recursive: true });
        const file = path.join(options.runsDir, `${name}.jsonl`);
        await writeFile(file, toJsonl(lines), 'utf8');
        await saveWeightsFile(path.join(options.runsDir, `${name}.weights.json`), session.agent, { seed, ...(point ?? {}) });
        (group.runFiles ??= []).push(file);
      }
      options.log(`Evaluating ${what} (trained in ${((Date.now() - started) / 1000).toFixed(0)} s)`);
      group.evaluations.push(await evaluateSession(session, options, seed));
      group.seeds.push(seed);
      session.agent.dispose();
    }
    groups.push(group);
  }
  return { groups, session: first };
}

/** The text encoder under a route-context wrapper (der/routeContext.ts exposes it as `inner`). */
function textEncoder(encoder: StateEncoder): StateEncoder {
  return 'inner' in encoder && 'routeContext' in encoder ? (encoder as { inner: StateEncoder }).inner : encoder;
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
