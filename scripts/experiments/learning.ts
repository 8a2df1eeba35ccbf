// The learning experiment behind the README's "Does the agent learn?" table (issue 9): train
// agents on the simulated pool and the sample dataset for several seeds, then run each frozen
// agent greedily on the held-out split next to the random route (many seeds; under the learned
// rule it never stops, so it runs to Tmax), the uniform random policy over the agent's actions
// (the reward chart's chance line), and the cheapest-first cascade (threshold stop: it uses the
// references), under the run's own reward form and stop rule.
//
//   npx tsx scripts/experiments/learning.ts --preset tuned --seeds 3 [--iterations N]
//     [--encoder glove-mean] [--alpha 0.01] [--form paper|final] [--route-context on|off]
//     [--stop-rule learned|threshold] [--discount 1] [--episodes 32] [--random-seeds 20] [--json out.json]
//
// Prints one line per seed and a summary with mean ± sd (N). Writes nothing unless --json is given.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseConfig, type ExperimentConfig } from '../../src/der/config';
import { presetConfig, type PresetName } from '../../src/der/presets';
import { runBaseline } from '../../src/der/baselines';
import { cascadeOrder } from '../../src/der/evaluation';
import { greedyPolicy } from '../../src/der/greedyPolicy';
import { runEpisodes } from '../../src/der/episodes';
import { uniformRandomPolicy } from '../../src/der/chanceLevel';
import { EMPTY_STATE_ENCODER } from '../../src/der/baselines';
import type { EpisodeRecord } from '../../src/der/runRecord';
import { createNodeSession } from '../../src/cli/nodeSession';
import { trainInProcess } from '../../src/cli/trainInProcess';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'tuned' },
    seeds: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    iterations: { type: 'string' },
    encoder: { type: 'string' },
    alpha: { type: 'string' },
    form: { type: 'string' },
    'route-context': { type: 'string' },
    'stop-rule': { type: 'string' },
    discount: { type: 'string' },
    episodes: { type: 'string' },
    'random-seeds': { type: 'string', default: '20' },
    json: { type: 'string' },
  },
});

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const base = presetConfig(values.preset as PresetName);
const config: ExperimentConfig = parseConfig({
  ...base,
  iterations: num(values.iterations) ?? base.iterations,
  encoder: values.encoder ?? base.encoder,
  stopRule: values['stop-rule'] ?? base.stopRule,
  state: { routeContext: values['route-context'] === undefined ? base.state.routeContext : values['route-context'] === 'on' },
  reward: { ...base.reward, alpha: num(values.alpha) ?? base.reward.alpha, form: values.form ?? base.reward.form },
  ppo: { ...base.ppo, discount: num(values.discount) ?? base.ppo.discount, episodesPerIteration: num(values.episodes) ?? base.ppo.episodesPerIteration },
});

interface RouteStats {
  return: number;
  score: number;
  paramsB: number;
  length: number;
  /** Share of routes that passed p0 at some call before Tmax and stopped before Tmax. */
  stopsWhenPassing: number;
  passingRoutes: number;
}

function routeStats(episodes: readonly EpisodeRecord[], tmax: number, p0: number): RouteStats {
  const ok = episodes.filter((e) => !e.failed);
  const mean = (f: (e: EpisodeRecord) => number) => ok.reduce((s, e) => s + f(e), 0) / ok.length;
  const passing = ok.filter((e) => e.steps.some((s, i) => i < tmax - 1 && s.expert !== 'STOP' && s.score >= p0));
  return {
    return: mean((e) => e.return),
    score: mean((e) => e.final_score),
    paramsB: mean((e) => e.route_cost),
    length: mean((e) => e.route_length),
    stopsWhenPassing: passing.length ? passing.filter((e) => e.route_length < tmax).length / passing.length : Number.NaN,
    passingRoutes: passing.length,
  };
}

const meanSd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean: m, sd, n: xs.length };
};
const fmt = (s: { mean: number; sd: number; n: number }, d = 3) => `${s.mean.toFixed(d)} ± ${s.sd.toFixed(d)} (N=${s.n})`;

const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => Number(values.seed) + i);
const agents: (RouteStats & {
  seed: number;
  firstEntropy: number;
  lastEntropy: number;
  firstEv: number;
  lastEv: number;
  trainFirst: number;
  trainLast: number;
})[] = [];
const randomRows: RouteStats[] = [];
const uniformRows: RouteStats[] = [];
let cascade: RouteStats | null = null;
const started = Date.now();
for (const seed of seeds) {
  const session = await createNodeSession({ ...config, seed });
  const reports = await trainInProcess(session);
  const k = Math.max(1, Math.floor(reports.length / 10));
  const avg = (rs: typeof reports, f: (r: (typeof reports)[number]) => number) => rs.reduce((s, r) => s + f(r), 0) / rs.length;
  const options = { reward: config.reward, stopRule: config.stopRule, ktp: config.ktp, iteration: 0 };
  const { episodes } = await runEpisodes(
    session.test,
    { pool: session.pool, scorer: session.scorer, encoder: session.encoder, policy: greedyPolicy(session.agent, session.pool.experts.length) },
    options,
  );
  const row = {
    seed,
    ...routeStats(episodes, config.reward.tmax, config.reward.p0),
    firstEntropy: avg(reports.slice(0, k), (r) => r.update?.entropy ?? Number.NaN),
    lastEntropy: avg(reports.slice(-k), (r) => r.update?.entropy ?? Number.NaN),
    firstEv: avg(reports.slice(0, k), (r) => r.update?.explainedVariance ?? Number.NaN),
    lastEv: avg(reports.slice(-k), (r) => r.update?.explainedVariance ?? Number.NaN),
    trainFirst: avg(reports.slice(0, k), (r) => r.summary.meanReturn),
    trainLast: avg(reports.slice(-k), (r) => r.summary.meanReturn),
  };
  agents.push(row);
  process.stderr.write(
    `seed ${seed}: test return ${row.return.toFixed(3)} score ${row.score.toFixed(4)} params ${row.paramsB.toFixed(1)}B length ${row.length.toFixed(2)} stops-when-passing ${row.stopsWhenPassing.toFixed(2)} (${row.passingRoutes}) | train return ${row.trainFirst.toFixed(3)}→${row.trainLast.toFixed(3)} entropy ${row.firstEntropy.toFixed(3)}→${row.lastEntropy.toFixed(3)} EV ${row.firstEv.toFixed(2)}→${row.lastEv.toFixed(2)} [${((Date.now() - started) / 1000).toFixed(0)} s]\n`,
  );
  if (randomRows.length === 0) {
    const deps = { pool: session.pool, scorer: session.scorer };
    for (let r = 0; r < Number(values['random-seeds']); r++) {
      randomRows.push(
        routeStats((await runBaseline({ kind: 'random', seed: 1000 + r }, session.test, deps, options)).episodes, config.reward.tmax, config.reward.p0),
      );
    }
    for (let r = 0; r < Number(values['random-seeds']); r++) {
      const { episodes: u } = await runEpisodes(session.test, { ...deps, encoder: EMPTY_STATE_ENCODER, policy: uniformRandomPolicy(2000 + r) }, options);
      uniformRows.push(routeStats(u, config.reward.tmax, config.reward.p0));
    }
    const order = cascadeOrder(session.pool.experts, config.reward.tmax);
    cascade = routeStats(
      (await runBaseline({ kind: 'sequence', experts: order }, session.test, deps, { ...options, stopRule: 'threshold' })).episodes,
      config.reward.tmax,
      config.reward.p0,
    );
  }
  await session.close();
}

const summary = {
  config: {
    preset: config.preset,
    encoder: config.encoder,
    iterations: config.iterations,
    episodesPerIteration: config.ppo.episodesPerIteration,
    stopRule: config.stopRule,
    form: config.reward.form,
    alpha: config.reward.alpha,
    routeContext: config.state.routeContext,
    discount: config.ppo.discount,
  },
  agent: Object.fromEntries(
    (['return', 'score', 'paramsB', 'length', 'stopsWhenPassing', 'lastEntropy', 'firstEntropy', 'firstEv', 'lastEv'] as const).map((k) => [
      k,
      meanSd(agents.map((a) => a[k])),
    ]),
  ),
  random: Object.fromEntries((['return', 'score', 'paramsB', 'length'] as const).map((k) => [k, meanSd(randomRows.map((a) => a[k]))])),
  uniform: Object.fromEntries((['return', 'score', 'paramsB', 'length'] as const).map((k) => [k, meanSd(uniformRows.map((a) => a[k]))])),
  cascade,
  seconds: (Date.now() - started) / 1000,
};
process.stdout.write(`${JSON.stringify(summary.config)}\n`);
for (const k of ['return', 'score', 'paramsB', 'length', 'stopsWhenPassing', 'firstEntropy', 'lastEntropy', 'firstEv', 'lastEv'] as const) {
  const a = summary.agent[k];
  const r = (summary.random as Record<string, { mean: number; sd: number; n: number }>)[k];
  const u = (summary.uniform as Record<string, { mean: number; sd: number; n: number }>)[k];
  process.stdout.write(
    `${k.padEnd(18)} agent ${fmt(a)}${r ? `   random route ${fmt(r)}` : ''}${u ? `   uniform policy ${fmt(u)}` : ''}${cascade && k in cascade ? `   cascade ${(cascade as unknown as Record<string, number>)[k].toFixed(3)}` : ''}\n`,
  );
}
if (values.json) await writeFile(values.json, JSON.stringify({ summary, agents }, null, 2));
