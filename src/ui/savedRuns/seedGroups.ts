// Runs compared on one chart: each run's reward curve, and runs that differ ONLY by seed grouped
// into one curve of mean ± standard deviation with N (TensorBoard / W&B style). Pure data.
import type { ExperimentConfig } from '../../der/config';

export interface CurveRun {
  id: string;
  name: string;
  config: ExperimentConfig;
  /** [iteration, mean return] pairs. */
  points: readonly (readonly [number, number])[];
}

export interface SeedGroup {
  /** The config with the seed removed, as canonical JSON (what the runs share). */
  key: string;
  label: string;
  runs: CurveRun[];
  seeds: number[];
}

export interface GroupPoint {
  iteration: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single run. */
  std: number;
  /** Runs with a finite value at this iteration. */
  n: number;
}

/** JSON with object keys sorted at every level, so two equal configs give the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The identity of a config up to its seed. The dataset split seed is a separate knob and counts. */
export function configKeyWithoutSeed(config: ExperimentConfig): string {
  const { seed: _seed, ...rest } = config;
  return canonicalJson(rest);
}

/** Groups in order of first appearance; a run alone in its group is a group of one. */
export function groupBySeed(runs: readonly CurveRun[]): SeedGroup[] {
  const groups = new Map<string, SeedGroup>();
  for (const run of runs) {
    const key = configKeyWithoutSeed(run.config);
    let group = groups.get(key);
    if (!group) {
      group = { key, label: '', runs: [], seeds: [] };
      groups.set(key, group);
    }
    group.runs.push(run);
    group.seeds.push(run.config.seed);
  }
  const list = [...groups.values()];
  const base = (g: SeedGroup) => `${g.runs[0].config.preset} · ${g.runs[0].config.iterations} iterations`;
  const labelCount = new Map<string, number>();
  for (const g of list) labelCount.set(base(g), (labelCount.get(base(g)) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const g of list) {
    const b = base(g);
    const k = (seen.get(b) ?? 0) + 1;
    seen.set(b, k);
    const which = (labelCount.get(b) ?? 1) > 1 ? ` (config ${k})` : '';
    g.label = `${b}${which} · N=${g.runs.length} (seed${g.seeds.length > 1 ? 's' : ''} ${g.seeds.join(', ')})`;
  }
  return list;
}

/** Mean ± sample std across the group's runs at each iteration any of them reached. */
export function meanStdCurve(runs: readonly CurveRun[]): GroupPoint[] {
  const byIteration = new Map<number, number[]>();
  for (const run of runs) {
    for (const [iteration, value] of run.points) {
      if (!Number.isFinite(value)) continue;
      const values = byIteration.get(iteration) ?? [];
      values.push(value);
      byIteration.set(iteration, values);
    }
  }
  return [...byIteration.entries()]
    .sort(([a], [b]) => a - b)
    .map(([iteration, values]) => {
      const n = values.length;
      const mean = values.reduce((s, v) => s + v, 0) / n;
      const variance = n > 1 ? values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1) : 0;
      return { iteration, mean, std: Math.sqrt(variance), n };
    });
}
