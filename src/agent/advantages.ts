// Returns and advantages, computed per episode. An episode's discounted sum never reaches into
// the next episode (the reference code's cross-episode leak is exactly what this avoids).
import type { Trajectory } from '../der/trajectory';

export interface AdvantageOptions {
  /** The PPO discount (not the paper's reward bias γ). */
  discount: number;
  /** "mc": Monte-Carlo return − V_old(s); "gae": generalised advantage estimation. */
  method: 'mc' | 'gae';
  /** GAE λ (ignored by "mc"). */
  lambda: number;
}

export interface EpisodeTargets {
  /** Targets for the critic. */
  returns: number[];
  advantages: number[];
}

/** The value after the last step: 0 when the episode really ended, V(s_T) when it was cut off. */
export function tailValue(trajectory: Trajectory): number {
  return trajectory.terminal ? 0 : trajectory.bootstrapValue;
}

export function episodeTargets(trajectory: Trajectory, options: AdvantageOptions): EpisodeTargets {
  const { rewards, values } = trajectory;
  const n = rewards.length;
  if (values.length !== n) {
    throw new Error(`Trajectory has ${n} rewards but ${values.length} values; the episode runner must record V(s) at every step.`);
  }
  const returns = new Array<number>(n);
  const advantages = new Array<number>(n);
  const { discount } = options;
  if (options.method === 'mc') {
    let g = tailValue(trajectory);
    for (let t = n - 1; t >= 0; t--) {
      g = rewards[t] + discount * g;
      returns[t] = g;
      advantages[t] = g - values[t];
    }
  } else {
    let nextValue = tailValue(trajectory);
    let gae = 0;
    const decay = discount * options.lambda;
    for (let t = n - 1; t >= 0; t--) {
      const delta = rewards[t] + discount * nextValue - values[t];
      gae = delta + decay * gae;
      advantages[t] = gae;
      returns[t] = gae + values[t];
      nextValue = values[t];
    }
  }
  return { returns, advantages };
}

/** Targets for every episode, each computed on its own. */
export function batchTargets(trajectories: readonly Trajectory[], options: AdvantageOptions): EpisodeTargets[] {
  return trajectories.map((t) => episodeTargets(t, options));
}

/** (x − mean) / (std + 1e-8), as CleanRL normalises advantages per minibatch (std with n − 1). */
export function normalize(values: Float32Array): Float32Array {
  const n = values.length;
  if (n < 2) return values.slice();
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (values[i] - mean) ** 2;
  const std = Math.sqrt(sq / (n - 1));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (values[i] - mean) / (std + 1e-8);
  return out;
}

/** 1 − Var(returns − values) / Var(returns); NaN when the returns do not vary. */
export function explainedVariance(values: readonly number[], returns: readonly number[]): number {
  const n = returns.length;
  if (n === 0) return NaN;
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = (xs: readonly number[]) => {
    const m = mean(xs);
    return xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
  };
  const varReturns = variance(returns);
  if (varReturns === 0) return NaN;
  return 1 - variance(returns.map((r, i) => r - values[i])) / varReturns;
}
