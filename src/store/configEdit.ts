// Editing the experiment config one control at a time. Every edit is validated against the zod
// schema before it is kept: an invalid value yields a message for that control and the last valid
// config stays in force, so nothing invalid can reach the worker.
import { ExperimentConfigSchema, type ExperimentConfig } from '../der/config';
import { PRESETS, presetConfig, type PresetName } from '../der/presets';

// The scorer picker shows each BERTScore model's default layer (the UI imports scoring/ only through store/).
export { BERTSCORE_MODEL_DEFAULTS } from '../scoring/bertScoreDefaults';

export type ConfigPath = readonly (string | number)[];

export function pathKey(path: ConfigPath): string {
  return path.join('.');
}

export function getAt(value: unknown, path: ConfigPath): unknown {
  return path.reduce<unknown>((v, key) => (v === null || v === undefined ? undefined : (v as Record<string | number, unknown>)[key]), value);
}

/** A copy of `value` with `path` set; containers along the path are copied, the rest is shared. */
export function setAt<T>(value: T, path: ConfigPath, next: unknown): T {
  if (path.length === 0) return next as T;
  const [head, ...rest] = path;
  const container = (value ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  const copy = (Array.isArray(container) ? [...container] : { ...container }) as Record<string | number, unknown>;
  copy[head] = setAt(container[head], rest, next);
  return copy as T;
}

/** The parts of a config a preset decides; editing one of them makes the preset "custom". */
const KNOB_ROOTS = new Set(['reward', 'ppo', 'ktp', 'stopRule', 'iterations']);

function knobs(config: ExperimentConfig): string {
  return JSON.stringify([config.reward, config.ppo, config.ktp, config.stopRule, config.iterations]);
}

/** The preset whose knobs equal these, or 'custom'. */
export function matchingPreset(config: ExperimentConfig): ExperimentConfig['preset'] {
  const mine = knobs(config);
  for (const name of Object.keys(PRESETS) as PresetName[]) if (knobs(PRESETS[name]) === mine) return name;
  return 'custom';
}

/** Switch preset: the knobs are replaced; seed, pool, dataset, scorer and encoder are kept. */
export function applyPreset(config: ExperimentConfig, name: PresetName): ExperimentConfig {
  const preset = presetConfig(name);
  return { ...config, preset: name, reward: preset.reward, ppo: preset.ppo, ktp: preset.ktp, stopRule: preset.stopRule, iterations: preset.iterations };
}

export type EditResult = { ok: true; config: ExperimentConfig } | { ok: false; error: string };

/** Apply one control's value; the result is either a valid config or the message for that control. */
export function tryEdit(config: ExperimentConfig, path: ConfigPath, value: unknown): EditResult {
  let candidate = setAt(config, path, value);
  // A whole new config (path []) is checked too: a what-if run with other knobs is not "tuned".
  const knobChanged = path.length === 0 || KNOB_ROOTS.has(String(path[0]));
  if (knobChanged && candidate && typeof candidate === 'object' && 'reward' in candidate) candidate = { ...candidate, preset: matchingPreset(candidate) };
  const parsed = ExperimentConfigSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, config: parsed.data };
  const edited = pathKey(path);
  const own = parsed.error.issues.find((i) => pathKey(i.path as ConfigPath).startsWith(edited)) ?? parsed.error.issues[0];
  const where = pathKey(own.path as ConfigPath);
  return { ok: false, error: where.startsWith(edited) ? own.message : `${where}: ${own.message}` };
}

/** A number typed into a field: '' and non-numbers become NaN so that the schema names the field. */
export function parseNumberInput(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}
