// The config names its scorer and encoder with one string each (so the URL stays flat). The forms:
//   scorer:  "glove" | "exact-match" | "bertscore:<hub model id>@<layer>" with an optional "+idf" suffix
//   encoder: "use-lite" | "glove-mean" | "minilm:<hub model id>"
// The worker reads the same strings (see parseScorerName / parseEncoderName).

export type ScorerChoice = { kind: 'glove' } | { kind: 'exact-match' } | { kind: 'bertscore'; model: string; layer: number; idf?: boolean };
export type EncoderChoice = { kind: 'use-lite' } | { kind: 'glove-mean' } | { kind: 'minilm'; model: string };

export const DEFAULT_BERTSCORE_MODEL = 'Xenova/bert-base-multilingual-cased';
export const DEFAULT_BERTSCORE_LAYER = 9;
export const DEFAULT_MINILM_MODEL = 'Xenova/all-MiniLM-L6-v2';

export function formatScorerName(choice: ScorerChoice): string {
  return choice.kind === 'bertscore' ? `bertscore:${choice.model}@${choice.layer}${choice.idf ? '+idf' : ''}` : choice.kind;
}

/** Null for a name this build does not know. */
export function parseScorerName(name: string): ScorerChoice | null {
  if (name === 'glove' || name === 'exact-match') return { kind: name };
  const match = /^bertscore:(.+)@(\d+)(\+idf)?$/.exec(name);
  if (match) return { kind: 'bertscore', model: match[1], layer: Number(match[2]), ...(match[3] ? { idf: true } : {}) };
  if (name === 'bertscore') return { kind: 'bertscore', model: DEFAULT_BERTSCORE_MODEL, layer: DEFAULT_BERTSCORE_LAYER };
  return null;
}

export function formatEncoderName(choice: EncoderChoice): string {
  return choice.kind === 'minilm' ? `minilm:${choice.model}` : choice.kind;
}

export function parseEncoderName(name: string): EncoderChoice | null {
  if (name === 'use-lite' || name === 'glove-mean') return { kind: name };
  if (name === 'minilm') return { kind: 'minilm', model: DEFAULT_MINILM_MODEL };
  const match = /^minilm:(.+)$/.exec(name);
  return match ? { kind: 'minilm', model: match[1] } : null;
}
