// Case 2: rollout throughput on the simulated pool with the offline GloVe scorer: expert steps per
// second through the real episode runner (runEpisodes: lockstep batches, one encoder, policy and
// scorer call per step for all live episodes), and where the time goes. Measured with the cheap
// glove-mean encoder (the goal) and with USE-lite (the default; its encoder alone is far slower).
import { initBackend } from '../../src/agent/backendNode';
import { PpoAgent } from '../../src/agent/ppo';
import { loadSampleQuestions } from '../../src/data/sampleNode';
import { runEpisodes } from '../../src/der/episodes';
import { PRESETS } from '../../src/der/presets';
import type { ExpertPool, Policy, Question, Scorer, StateEncoder } from '../../src/der/types';
import { createGloveMeanEncoder } from '../../src/encoders/gloveMeanEncoder';
import { loadUseLiteNode } from '../../src/encoders/useLiteNode';
import { createSimulatedPool } from '../../src/experts/simulated/simulatedPool';
import { loadGloveFromFiles } from '../../src/scoring/gloveNode';
import { createGloveScorer } from '../../src/scoring/gloveScorer';
import { atLeast, informational, log, median, result, round, type BenchResult } from './harness';

const GOAL = atLeast(2000, '≥ 2,000 expert steps/s in Node');
/** The USE-lite row is information: time to a learned policy in the browser (issue "The agent learns") is the goal now. */
const USE_LITE_INFO = informational('information (time to a learned policy in the browser is the goal now)');

/** Milliseconds spent inside each component, summed over calls. */
export class ComponentClock {
  readonly ms: Record<string, number> = {};
  calls: Record<string, number> = {};

  async time<T>(what: string, f: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      this.ms[what] = (this.ms[what] ?? 0) + performance.now() - t0;
      this.calls[what] = (this.calls[what] ?? 0) + 1;
    }
  }

  reset(): void {
    for (const k of Object.keys(this.ms)) delete this.ms[k];
    this.calls = {};
  }
}

/** The same components, each call timed. Expert calls of one step run concurrently, so their time is measured around the whole step by the caller (see rollout). */
export function timed(clock: ComponentClock, deps: { encoder: StateEncoder; policy: Policy; scorer: Scorer; pool: ExpertPool }) {
  const { encoder, policy, scorer, pool } = deps;
  return {
    encoder: {
      name: encoder.name,
      dim: encoder.dim,
      encode: (texts: readonly string[]) => clock.time('encoder', () => encoder.encode(texts)),
    } satisfies StateEncoder,
    policy: { name: policy.name, act: (obs: Parameters<Policy['act']>[0]) => clock.time('policy', () => policy.act(obs)) } satisfies Policy,
    scorer: { name: scorer.name, score: (c: readonly string[], r: readonly string[]) => clock.time('scorer', () => scorer.score(c, r)) } satisfies Scorer,
    pool: {
      experts: pool.experts,
      knowledgeTransfer: pool.knowledgeTransfer,
      simulated: pool.simulated,
      call: (i: number, req: Parameters<ExpertPool['call']>[1]) => clock.time('expert calls (summed, concurrent)', () => pool.call(i, req)),
    } satisfies ExpertPool,
  };
}

interface RolloutFigures {
  /** Expert steps per CPU-second of this process (all its threads, GC included): shown beside the wall rate, which the goal uses. */
  stepsPerCpuSecond: number;
  /** Expert steps per wall-clock second. */
  stepsPerSecond: number;
  episodesPerSecond: number;
  /** Share of the wall time per component; "runner + experts" is the rest. */
  breakdown: Record<string, number>;
  wallMs: number;
  steps: number;
}

async function rollout(questions: Question[], encoder: StateEncoder, scorer: Scorer, batch: number, rounds: number): Promise<RolloutFigures> {
  const config = PRESETS.tuned;
  const pool = createSimulatedPool({ seed: config.seed });
  const agent = new PpoAgent({ stateDim: encoder.dim, numActions: pool.experts.length, ppo: config.ppo, seed: 1 });
  const clock = new ComponentClock();
  const deps = timed(clock, { encoder, policy: agent, scorer, pool });
  const options = { reward: config.reward, stopRule: config.stopRule, ktp: config.ktp, iteration: 0 };
  const pick = (r: number) => Array.from({ length: batch }, (_, i) => questions[(r * batch + i) % questions.length]);
  await runEpisodes(pick(0), deps, options); // warm-up: kernels, tokenizer caches
  const rates: number[] = [];
  const cpuRates: number[] = [];
  const episodeRates: number[] = [];
  let totalMs = 0;
  let totalSteps = 0;
  clock.reset();
  for (let r = 1; r <= rounds; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { episodes } = await runEpisodes(pick(r), deps, options);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const steps = episodes.reduce((n, e) => n + e.steps.length, 0);
    rates.push(steps / (ms / 1000));
    cpuRates.push(steps / ((cpu.user + cpu.system) / 1e6));
    episodeRates.push(episodes.length / (ms / 1000));
    totalMs += ms;
    totalSteps += steps;
  }
  agent.dispose();
  const share = (ms: number) => round((100 * ms) / totalMs, 1);
  const inside = (clock.ms.encoder ?? 0) + (clock.ms.policy ?? 0) + (clock.ms.scorer ?? 0);
  const breakdown: Record<string, number> = {
    'encoder %': share(clock.ms.encoder ?? 0),
    'policy %': share(clock.ms.policy ?? 0),
    'scorer %': share(clock.ms.scorer ?? 0),
    'runner + experts %': share(totalMs - inside),
    'expert calls summed ms per step': round((clock.ms['expert calls (summed, concurrent)'] ?? 0) / totalSteps, 3),
  };
  return {
    stepsPerCpuSecond: round(median(cpuRates), 0),
    stepsPerSecond: round(median(rates), 0),
    episodesPerSecond: median(episodeRates),
    breakdown,
    wallMs: round(totalMs, 0),
    steps: totalSteps,
  };
}

export async function runRollout(opts: { repeats: number }): Promise<BenchResult[]> {
  await initBackend('wasm');
  const questions = loadSampleQuestions();
  const glove = await loadGloveFromFiles();
  const scorer = createGloveScorer(glove);
  const gloveMean = createGloveMeanEncoder(glove);
  const results: BenchResult[] = [];
  const batch = PRESETS.tuned.ppo.episodesPerIteration;

  log(`rollout: glove-mean encoder, ${batch} episodes in lockstep`);
  const fast = await rollout(questions, gloveMean, scorer, batch, Math.max(5, opts.repeats * 2));
  log(`  ${fast.stepsPerCpuSecond} steps per CPU-second, ${fast.stepsPerSecond} per wall second ${JSON.stringify(fast.breakdown)}`);
  const wide = await rollout(questions, gloveMean, scorer, 128, Math.max(3, opts.repeats));
  log(`  128 in lockstep: ${wide.stepsPerSecond} steps/s`);
  results.push(
    result({
      name: 'Rollout: simulated pool, glove scorer, glove-mean encoder',
      peer: 'none',
      goal: GOAL,
      measured:
        `${fast.stepsPerSecond} steps/s (${fast.stepsPerCpuSecond} per CPU-second) at ${batch} episodes in lockstep (${wide.stepsPerSecond} at 128); ` +
        Object.entries(fast.breakdown)
          .filter(([k]) => k.endsWith('%'))
          .map(([k, v]) => `${k.replace(' %', '')} ${v}%`)
          .join(', '),
      value: fast.stepsPerSecond,
      details: { lockstep32: fast, lockstep128: wide },
    }),
  );

  log('rollout: USE-lite encoder (no embedding cache)');
  const useLite = await loadUseLiteNode();
  const slow = await rollout(questions, useLite, scorer, batch, Math.max(2, opts.repeats >> 1));
  log(`  ${slow.stepsPerCpuSecond} steps per CPU-second ${JSON.stringify(slow.breakdown)}`);
  results.push(
    result({
      name: 'Rollout: simulated pool, glove scorer, USE-lite encoder',
      peer: 'none',
      goal: USE_LITE_INFO,
      measured:
        `${slow.stepsPerSecond} steps/s (${slow.stepsPerCpuSecond} per CPU-second) at ${batch} episodes in lockstep; ` +
        Object.entries(slow.breakdown)
          .filter(([k]) => k.endsWith('%'))
          .map(([k, v]) => `${k.replace(' %', '')} ${v}%`)
          .join(', '),
      value: slow.stepsPerSecond,
      details: { lockstep32: slow },
      note: 'USE-lite encodes tens of texts/s on 2 cores: the encoder bounds this row; training re-encodes through an embedding cache',
    }),
  );
  return results;
}
