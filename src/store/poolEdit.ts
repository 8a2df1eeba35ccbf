// Editing a custom expert pool: add, remove, reorder, validate, and the pool file's text. Keys are
// never part of an ExpertSpec; the file text is stripped defensively anyway.
import { SUGGESTED_BROWSER_MODELS } from '../experts/browserExpert';
import type { ExpertSpec } from '../der/config';
import { DEFAULT_SIMULATED_EXPERTS } from '../experts/simulated/profiles';
import { parsePoolValue, PoolFileError } from '../experts/poolFile';

// What the pool editor shows from the experts adapters (the UI imports them only through store/).
export { parsePoolFile, PoolFileError } from '../experts/poolFile';
export { PROVIDER_PRESETS, presetForBaseURL } from '../experts/providerPresets';
export { SUGGESTED_BROWSER_MODELS } from '../experts/browserExpert';
import { stripSecretsForUrl } from '../der/urlState';
import { errorMessage } from '../der/errorMessage';

export type ExpertKind = ExpertSpec['kind'];
export const EXPERT_KINDS: readonly ExpertKind[] = ['simulated', 'openai', 'browser', 'recorded'];

/** The built-in simulated experts as pool entries (the starting point of a custom pool). */
export function simulatedExpertSpecs(): ExpertSpec[] {
  return DEFAULT_SIMULATED_EXPERTS.map((p) => ({ name: p.name, kind: 'simulated' as const, sizeB: p.sizeB }));
}

function freeName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

/** A new expert of a kind, with a name not yet used and the fields its kind needs filled in. */
export function newExpert(kind: ExpertKind, existing: readonly ExpertSpec[]): ExpertSpec {
  const taken = existing.map((e) => e.name);
  switch (kind) {
    case 'openai':
      return { name: freeName('local-model', taken), kind, sizeB: 8, model: 'llama3.1:8b', baseURL: 'http://localhost:11434/v1' };
    case 'browser':
      return { name: freeName('browser-model', taken), kind, sizeB: SUGGESTED_BROWSER_MODELS[0].sizeB, model: SUGGESTED_BROWSER_MODELS[0].id };
    case 'recorded':
      return { name: freeName('recorded', taken), kind, sizeB: 7, candidate: 'koala-7B' };
    case 'simulated': {
      const profile = DEFAULT_SIMULATED_EXPERTS.find((p) => !taken.includes(p.name)) ?? DEFAULT_SIMULATED_EXPERTS[0];
      return { name: freeName(profile.name, taken), kind, sizeB: profile.sizeB };
    }
  }
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item);
  return next;
}

export function removeItem<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

/** Drops empty optional text fields (a cleared "Model" box means "no model", not ""). */
export function tidyExpert(spec: ExpertSpec): ExpertSpec {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) if (value !== '' && value !== undefined) out[key] = value;
  return out as unknown as ExpertSpec;
}

export type PoolValidation = { ok: true; experts: ExpertSpec[] } | { ok: false; issues: string[] };

/** The same checks as a pool file (each kind's required fields, unique names, no keys). */
export function validatePool(experts: readonly ExpertSpec[]): PoolValidation {
  try {
    return { ok: true, experts: parsePoolValue({ experts: experts.map(tidyExpert) }, 'the pool') };
  } catch (error) {
    return { ok: false, issues: error instanceof PoolFileError ? error.issues : [errorMessage(error)] };
  }
}

/** The text of a pool file for these experts, without anything key-like. */
export function poolFileText(experts: readonly ExpertSpec[]): string {
  return `${JSON.stringify({ experts: stripSecretsForUrl(experts.map(tidyExpert)) }, null, 2)}\n`;
}
